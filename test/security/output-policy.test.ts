/**
 * Issue 14 item 1: an export overwrote an engagement. Replayed through the service (exportTable, writeReport) and the
 * CLI (`report --out`, `run --summary`): the one output-path policy (src/engine/output.ts) refuses the open workspace,
 * its WAL, another engagement (by its DuckDB header, whatever its name), a hard link to the workspace, a source file of
 * the engagement, another extension, and a folder outside the engagement's without confirmation. The engagement stays
 * intact and verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../reliability/helpers';
import { serviceFor, type Svc } from './svc';
import { Workspace } from '../../src/engine/workspace/workspace';
import { checkOutputPath, isDuckDbFile } from '../../src/engine/output';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'telisik.js');
const NIK = '3201014101900001';

let t: ReturnType<typeof tempDir>;
let s: Svc;
let ws: string;
let src: string;
let other: string;

beforeAll(async () => {
  t = tempDir('telisik-outpol-');
  const eng = join(t.dir, 'engagement');
  mkdirSync(eng);
  ws = join(eng, 'a.duckdb');
  src = join(eng, 'salur.csv');
  writeFileSync(src, `NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS\n${NIK},Budi,BPNT,200000,2025-01,10/01/2025,TERSALUR\n`);
  other = join(t.dir, 'b.duckdb');
  (await Workspace.create(other, { name: 'B' })).close();
  s = serviceFor({ dataDir: join(t.dir, 'data') });
  await s.call('createWorkspace', { path: ws, name: 'A' });
  await s.task('importFiles', { files: [{ path: src, kind: 'disbursements' }] });
}, 60_000);
afterAll(async () => { await s?.svc.close(); t?.remove(); });

async function refused(name: 'exportTable' | 'writeReport', out: string, code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const args = name === 'exportTable' ? { table: 'disbursements', format: out.endsWith('.xlsx') ? 'xlsx' : 'csv', out, ...extra } : { kind: 'bpk', out, ...extra };
  const r = await s.result(name, args);
  expect(r.ok, `${name} ${out}`).toBe(false);
  if (r.ok) return '';
  expect(r.error.code).toBe(code);
  return r.error.message;
}

describe('one output-path policy', () => {
  it('refuses the open workspace, its WAL and its temp folder (service, both writers)', async () => {
    const before = readFileSync(ws);
    expect(await refused('exportTable', ws, 'invalid_input')).toMatch(/\.csv/);
    // The extension matches the writer, the target is still the workspace: a hard link named .csv / .xlsx.
    const link = join(t.dir, 'engagement', 'link.csv');
    linkSync(ws, link);
    expect(await refused('exportTable', link, 'invalid_input')).toMatch(/penugasan|engagement/);
    const link2 = join(t.dir, 'engagement', 'link.xlsx');
    linkSync(ws, link2);
    expect(await refused('writeReport', link2, 'invalid_input')).toMatch(/penugasan|engagement/);
    expect(await refused('exportTable', `${ws}.wal`, 'invalid_input')).toBeTruthy();
    expect(readFileSync(ws).equals(before) || isDuckDbFile(ws)).toBe(true);
    expect(isDuckDbFile(link)).toBe(true);
  });

  it('refuses another engagement, even renamed to .xlsx', async () => {
    const disguised = join(t.dir, 'engagement', 'b-copy.xlsx');
    copyFileSync(other, disguised);
    expect(await refused('writeReport', disguised, 'invalid_input')).toMatch(/DuckDB|penugasan/);
    expect(await refused('exportTable', disguised, 'invalid_input')).toBeTruthy();
    expect(isDuckDbFile(disguised)).toBe(true);
    expect(await refused('exportTable', other.replace(/\.duckdb$/, '.duckdb'), 'invalid_input')).toMatch(/\.csv/);
  });

  it('refuses a source file of the engagement and a different extension', async () => {
    expect(await refused('exportTable', src, 'invalid_input')).toMatch(/sumber|source/);
    expect(readFileSync(src, 'utf8')).toContain(NIK);
    expect(await refused('writeReport', join(t.dir, 'engagement', 'r.csv'), 'invalid_input')).toMatch(/\.xlsx/);
    expect(await refused('exportTable', join(t.dir, 'engagement', 'r.txt'), 'invalid_input')).toMatch(/\.csv/);
  });

  it('outside the engagement folder: confirm_required, then written with confirm_outside (tmp + rename)', async () => {
    const out = join(t.dir, 'elsewhere', 'x.csv');
    expect(await refused('exportTable', out, 'confirm_required')).toMatch(/konfirmasi|confirm/);
    expect(existsSync(out)).toBe(false);
    const r = await s.task<{ path: string; rows: number }>('exportTable', { table: 'disbursements', format: 'csv', out, confirm_outside: true });
    expect(r.rows).toBe(1);
    expect(readdirSync(join(t.dir, 'elsewhere'))).toEqual(['x.csv']);
  });

  it('inside the engagement folder: written; the workspace still verifies', async () => {
    const out = join(t.dir, 'engagement', 'ekspor', 'r.xlsx');
    const r = await s.task<{ path: string }>('writeReport', { kind: 'bpk', out });
    expect(r.path).toBe(out);
    const v = await s.call<{ ok: boolean }>('verifyTrail', {});
    expect(v.ok).toBe(true);
    expect(statSync(ws).size).toBeGreaterThan(0);
  });

  it('the CLI uses the same policy: report --out onto a workspace exits 2 and leaves it intact', async () => {
    await s.call('closeWorkspace', {});
    const disguised = join(t.dir, 'b-as.xlsx');
    copyFileSync(other, disguised);
    const before = readFileSync(disguised);
    const p = spawnSync(process.execPath, [CLI, 'report', '--workspace', ws, '--kind', 'bpk', '--out', disguised], { encoding: 'utf8', timeout: 120_000 });
    expect(p.status, p.stderr).toBe(2);
    expect(p.stderr).toMatch(/DuckDB|penugasan/);
    expect(readFileSync(disguised).equals(before)).toBe(true);
    const p2 = spawnSync(process.execPath, [CLI, 'run', '--workspace', ws, '--quiet', '--summary', src], { encoding: 'utf8', timeout: 120_000 });
    expect(p2.status, p2.stderr).toBe(2);
    expect(readFileSync(src, 'utf8')).toContain(NIK);
    const p3 = spawnSync(process.execPath, [CLI, 'verify', '--workspace', ws], { encoding: 'utf8', timeout: 120_000 });
    expect(p3.status, p3.stdout + p3.stderr).toBe(0);
  }, 240_000);

  it('checkOutputPath in isolation: a folder is refused', () => {
    expect(() => checkOutputPath(t.dir + '/engagement.csv', { ext: '.csv' })).not.toThrow();
    mkdirSync(join(t.dir, 'd.csv'));
    expect(() => checkOutputPath(join(t.dir, 'd.csv'), { ext: '.csv' })).toThrow(/folder/);
  });
});
