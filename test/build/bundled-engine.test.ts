// The engine as a packaged app ships it: scripts/build-engine.mjs emits JavaScript with the SQL files and resources
// beside it; a copy of that output in an empty folder, run by plain Node (no src/, no tsx, no TypeScript), audits the
// demo extracts and writes the same summary as the source CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
let dir: string;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'telisik-bundle-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function walk(d: string, acc: string[] = []): string[] {
  for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p, acc); else acc.push(p); }
  return acc;
}

describe('bundled engine', () => {
  it('a copy of the built engine audits with plain Node and gives the source CLI\'s summary', () => {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-engine.mjs'), '--out', join(dir, 'build')], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const app = join(dir, 'app');
    cpSync(join(dir, 'build'), app, { recursive: true });
    const files = walk(app);
    expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
    expect(files.filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(20);
    expect(existsSync(join(app, 'resources', 'programme-rules.json'))).toBe(true);
    // only the npm dependencies come from the project (a packaged app has its own node_modules)
    const env = { ...process.env, NODE_PATH: join(root, 'node_modules'), NODE_OPTIONS: '' };
    const run = (args: string[], cwd = dir) => spawnSync(process.execPath, [join(app, 'telisik.js'), ...args], { cwd, env, encoding: 'utf8' });
    const demo = run(['demo', '--out', join(dir, 'd'), '--households', '300', '--seed', '7']);
    expect(demo.status, demo.stderr).toBe(0);
    const d = (f: string) => join(dir, 'd', f);
    const audit = (cli: string[], out: string) => spawnSync(process.execPath, [...cli, 'audit', '--registry', d('dtsen_registry_2025.csv'),
      '--disbursements', ...readdirSync(join(dir, 'd')).filter((f) => f.startsWith('penyaluran_')).map(d),
      '--budget', d('anggaran_bansos.csv'), '--deaths', d('kematian_dukcapil_2025.csv'), '--summary', out, '--quiet'],
    { cwd: dir, env, encoding: 'utf8' });
    const a = audit([join(app, 'telisik.js')], join(dir, 'built.json'));
    expect(a.status, a.stderr).toBe(0);
    const b = audit([join(root, 'bin', 'telisik.js')], join(dir, 'source.json'));
    expect(b.status, b.stderr).toBe(0);
    const built = JSON.parse(readFileSync(join(dir, 'built.json'), 'utf8'));
    const source = JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8'));
    expect(built.checks.deceased.evaluated).toBe(true);
    // every figure equal; the trail head differs (each workspace's chain has its own timestamps)
    expect(typeof built.trail_head).toBe(typeof source.trail_head);
    delete built.trail_head; delete source.trail_head;
    expect(built).toEqual(source);
  });
});
