// Writes test/durations.json (seconds per test file, ≥ 1 s) from the durations of the last `npm test` on this machine,
// which Vitest keeps under node_modules/.vite/vitest. The suite's sequencer (vitest.config.mts) starts the longest
// files first; on a clean clone, with no run of its own yet, it reads them from that file.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const cache = join(root, 'node_modules', '.vite', 'vitest');
const found = existsSync(cache) ? readdirSync(cache).map((d) => join(cache, d, 'results.json')).filter(existsSync) : [];
if (!found.length) {
  console.error('No Vitest results under node_modules/.vite/vitest: run `npm test` first.');
  process.exit(1);
}
const out = {};
for (const [key, r] of JSON.parse(readFileSync(found[0], 'utf8')).results) {
  const seconds = Math.round((r.duration ?? 0) / 100) / 10;
  if (seconds >= 1) out[key.replace(/^[^:]*:/, '')] = seconds;
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
writeFileSync(join(root, 'test', 'durations.json'), `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files`);
