#!/usr/bin/env node
// Builds the engine, the CLI and the loopback server as plain CommonJS JavaScript (esbuild, one output file per
// source file, no bundling), with every .sql and .json file of src/ beside its module and resources/ beside src/ —
// the layout the engine's __dirname-relative reads expect. The desktop shell's engine host and a packaged app run
// this output with plain Node/Electron (no tsx, no TypeScript at run time).
//   node scripts/build-engine.mjs [--out DIR]      (default: out/engine)
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const out = i >= 0 ? process.argv[i + 1] : join(root, 'out', 'engine');
const LAYERS = ['src/engine', 'src/shared', 'src/cli', 'src/server'];

function walk(dir, acc = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, acc); else acc.push(p);
  }
  return acc;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = LAYERS.flatMap((l) => walk(join(root, l)));
const ts = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
await build({
  entryPoints: ts,
  outdir: join(out, 'src'),
  outbase: join(root, 'src'),
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
});
for (const f of files.filter((f) => /\.(sql|json)$/.test(f))) {
  const dest = join(out, relative(root, f));
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(f, dest);
}
cpSync(join(root, 'resources'), join(out, 'resources'), { recursive: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(out, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'commonjs' }, null, 2) + '\n');
// the CLI entry of the built engine: `node out/engine/telisik.js <command> …`
writeFileSync(join(out, 'telisik.js'), `#!/usr/bin/env node
// Built CLI entry (scripts/build-engine.mjs): the same commands as bin/telisik.js, from JavaScript.
require('./src/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 1; },
);
`);
const size = walk(out).reduce((n, f) => n + statSync(f).size, 0);
console.log(`engine built: ${ts.length} modules -> ${relative(root, out) || out} (${(size / 1024).toFixed(0)} KiB)`);
