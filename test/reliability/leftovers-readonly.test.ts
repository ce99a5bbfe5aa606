/**
 * Issue 14 item 8: leftovers of killed processes are cleaned when the workspace is next opened (an unmasked `.xlsx.tmp`
 * of a killed `report`, DuckDB spill files); `verify` and `tables` work on an archived read-only copy; the CLI's exit
 * codes are distinct (0 ok, 1 verification failed, 2 usage, 3 input, 4 internal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';

const CLI = join(__dirname, '..', '..', 'bin', 'telisik.js');
const t = tempDir('telisik-left-');
const wsPath = join(t.dir, 'w', 'kasus.duckdb');
const cli = (...a: string[]) => spawnSync(process.execPath, [CLI, ...a], { encoding: 'utf8', timeout: 120_000 });

beforeAll(async () => {
  mkdirSync(join(t.dir, 'w'));
  const f = join(t.dir, 'w', 'salur.csv');
  writeFileSync(f, 'NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS\n3201014101900001,Budi,BPNT,200000,2025-01,10/01/2025,TERSALUR\n');
  const ws = await Workspace.create(wsPath, { name: 'kasus' });
  await importFile(ws, { kind: 'disbursements', path: f });
  await ws.close();
}, 60_000);
afterAll(() => {
  spawnSync('umount', [join(t.dir, 'ro')]);
  try { chmodSync(join(t.dir, 'arsip'), 0o700); } catch { /* absent */ }
  t.remove();
});

describe('cleanup on open', () => {
  it('the .tmp of an export that never ended (a killed report) is removed at the next open', async () => {
    const tmp = join(t.dir, 'w', 'temuan.xlsx.tmp');
    const ws = await Workspace.open(wsPath);
    await ws.exportBegin(tmp);
    writeFileSync(tmp, 'PK partial workbook with 3201014101900001');
    // the process dies here: no exportEnd, no unlink
    await ws.close();
    expect(existsSync(tmp)).toBe(true);
    const again = await Workspace.open(wsPath);
    expect(existsSync(tmp)).toBe(false);
    expect(await again.all(`SELECT * FROM meta WHERE key LIKE 'export_pending:%'`)).toEqual([]);
    await again.close();
  });

  it('stale DuckDB spill files in <workspace>.tmp/ are removed at open', async () => {
    mkdirSync(`${wsPath}.tmp`, { recursive: true });
    const spill = join(`${wsPath}.tmp`, 'duckdb_temp_storage_S32K-0.tmp');
    writeFileSync(spill, Buffer.alloc(4096));
    const ws = await Workspace.open(wsPath);
    expect(existsSync(spill)).toBe(false);
    await ws.close();
  });
});

describe('read-only archived copies', () => {
  it('chmod a-w on the file and its folder: verify and tables work', () => {
    const dir = join(t.dir, 'arsip');
    mkdirSync(dir);
    copyFileSync(wsPath, join(dir, 'kasus.duckdb'));
    chmodSync(join(dir, 'kasus.duckdb'), 0o444);
    chmodSync(dir, 0o555);
    const v = cli('verify', '--workspace', join(dir, 'kasus.duckdb'), '--no-sources');
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const tb = cli('tables', '--workspace', join(dir, 'kasus.duckdb'));
    expect(tb.status, tb.stderr).toBe(0);
    expect(tb.stdout).toMatch(/disbursements\s+disbursements\s+1/);
  }, 120_000);

  // root ignores mode bits: a read-only mount is what read-only media look like to root
  const roDir = join(t.dir, 'ro');
  const src = join(t.dir, 'rosrc');
  mkdirSync(roDir);
  mkdirSync(src);
  const bound = spawnSync('mount', ['--bind', src, roDir]).status === 0 && spawnSync('mount', ['-o', 'remount,bind,ro', roDir]).status === 0;
  if (!bound) console.warn('[read-only] read-only bind mount not permitted here: the read-only-media case runs only with chmod');
  it.skipIf(!bound)('on a read-only mount (as read-only media are, even for root): verify and tables work', () => {
    spawnSync('umount', [roDir]);
    copyFileSync(wsPath, join(src, 'kasus.duckdb'));
    expect(spawnSync('mount', ['--bind', src, roDir]).status).toBe(0);
    expect(spawnSync('mount', ['-o', 'remount,bind,ro', roDir]).status).toBe(0);
    const p = join(roDir, 'kasus.duckdb');
    const v = cli('verify', '--workspace', p, '--no-sources');
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/OK/);
    const tb = cli('tables', '--workspace', p);
    expect(tb.status, tb.stderr).toBe(0);
    expect(tb.stdout).toMatch(/disbursements/);
  }, 120_000);
});

describe('CLI exit codes', () => {
  it('0 ok, 2 usage, 3 input, 4 unexpected (never 1, which means verification failed)', async () => {
    expect(cli('tables', '--workspace', wsPath).status).toBe(0);
    expect(cli('tables').status).toBe(2);
    expect(cli('tables', '--workspace', join(t.dir, 'nope.duckdb')).status).toBe(3);
    // An unexpected error inside a command (a bug): simulated by a preload that breaks the table listing query — the
    // service's listTables (the one list of the UI and the CLI) reads duckdb_views().
    const preload = join(t.dir, 'boom.cjs');
    writeFileSync(preload, `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
const { Workspace } = require(${JSON.stringify(join(__dirname, '..', '..', 'src', 'engine', 'workspace', 'workspace.ts'))});
const all = Workspace.prototype.all;
Workspace.prototype.all = function (sql, p) { if (/duckdb_views\\(\\)/.test(sql)) throw new TypeError('kaboom 3201014101900001'); return all.call(this, sql, p); };
`);
    const p = spawnSync(process.execPath, ['-r', preload, CLI, 'tables', '--workspace', wsPath], { encoding: 'utf8', timeout: 120_000, cwd: join(__dirname, '..', '..') });
    expect(p.status, p.stderr).toBe(4);
    expect(p.stderr).toMatch(/internal error/);
    expect(p.stderr).not.toMatch(/3201014101900001/);
  }, 120_000);
});
