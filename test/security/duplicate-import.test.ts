/**
 * Issue 14 item 3: the same disbursement file imported twice doubled its rows silently (duplicate_payment went from
 * Rp 2.3M to Rp 757.3M). Replayed at every entry point: service importFiles (the wizard), CLI `import`, engine
 * importFile. Refused with the earlier import named, unless allow_duplicate / --allow-duplicate, which the trail records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../reliability/helpers';
import { serviceFor, type Svc } from './svc';
import { Workspace } from '../../src/engine/workspace/workspace';
import { DuplicateImportError, importFile } from '../../src/engine/ingest';

const CLI = join(__dirname, '..', '..', 'bin', 'telisik.js');
let t: ReturnType<typeof tempDir>;
let file: string;

beforeAll(() => {
  t = tempDir('telisik-dup-');
  mkdirSync(join(t.dir, 'e'));
  file = join(t.dir, 'e', 'salur.csv');
  writeFileSync(file, 'NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS\n'
    + '3201014101900001,Budi,BPNT,200000,2025-01,10/01/2025,TERSALUR\n3201015505850002,Ani,BPNT,200000,2025-01,11/01/2025,TERSALUR\n');
});
afterAll(() => t?.remove());

describe('duplicate imports by SHA-256', () => {
  let s: Svc;
  afterAll(async () => { await s?.svc.close(); });

  it('service importFiles: the second import is refused naming the first; allow_duplicate imports it and the trail says so', async () => {
    s = serviceFor({ dataDir: join(t.dir, 'data') });
    await s.call('createWorkspace', { path: join(t.dir, 'e', 'svc.duckdb'), name: 'svc' });
    await s.task('importFiles', { files: [{ path: file, kind: 'disbursements' }] });
    // A renamed copy is the same bytes: still a duplicate.
    const copy = join(t.dir, 'e', 'salur-salinan.csv');
    copyFileSync(file, copy);
    const r = await s.result('importFiles', { files: [{ path: copy, kind: 'disbursements' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('confirm_required');
    expect(r.error.message).toMatch(/#1 \(salur\.csv, \d{4}-\d\d-\d\d/);
    expect((r.error.details as { earlier: { import_id: number; file: string } }).earlier).toMatchObject({ import_id: 1, file: 'salur.csv' });
    expect((await s.call<{ tables: Record<string, number> }>('workspaceInfo', {})).tables.disbursements).toBe(2);
    // Into another table it is not a duplicate (e.g. kind 'other' for exploration).
    await s.task('importFiles', { files: [{ path: copy, kind: 'other', table: 'eksplorasi' }] });
    // The wizard's "import anyway".
    await s.task('importFiles', { files: [{ path: copy, kind: 'disbursements' }], allow_duplicate: true });
    expect((await s.call<{ tables: Record<string, number> }>('workspaceInfo', {})).tables.disbursements).toBe(4);
    const trail = await s.call<{ rows: { action: string; params: Record<string, unknown> }[] }>('listTrail', { offset: 0, limit: 5 });
    expect(trail.rows.find((e) => e.action === 'import')!.params).toMatchObject({ allow_duplicate: true, duplicate_of: 1 });
  });

  it('engine importFile refuses too (the root), with the earlier import attached', async () => {
    const ws = await Workspace.create(join(t.dir, 'e', 'eng.duckdb'), { name: 'eng' });
    try {
      await importFile(ws, { kind: 'disbursements', path: file });
      const e = await importFile(ws, { kind: 'disbursements', path: file }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DuplicateImportError);
      expect((e as DuplicateImportError).earlier.import_id).toBe(1);
      expect(Number(await ws.scalar('SELECT count(*) FROM disbursements'))).toBe(2);
    } finally { await ws.close(); }
  });

  it('CLI import: exit 3 with the earlier import named; --allow-duplicate imports', () => {
    const ws = join(t.dir, 'e', 'cli.duckdb');
    const run = (...a: string[]) => spawnSync(process.execPath, [CLI, 'import', '--workspace', ws, '--kind', 'disbursements', ...a], { encoding: 'utf8', timeout: 120_000 });
    expect(run(file).status).toBe(0);
    const again = run(file);
    expect(again.status, again.stderr).toBe(3);
    expect(again.stderr).toMatch(/sudah pernah diimpor: impor #1 \(salur\.csv/);
    expect(again.stderr).toMatch(/--allow-duplicate/);
    const forced = run('--allow-duplicate', file);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/import #2/);
  }, 240_000);
});

describe('size_bytes and sha256 describe the same bytes', () => {
  it('a file appended while it is imported is refused (its size would be the pre-append size)', async () => {
    const { appendFileSync } = await import('node:fs');
    const f = join(t.dir, 'e', 'tumbuh.csv');
    const rows = ['NIK,NAMA,PROGRAM,NOMINAL,PERIODE,TGL_SALUR,STATUS'];
    for (let i = 0; i < 40_000; i++) rows.push(`32010141019${String(10000 + i).padStart(5, '0')},Nama ${i},BPNT,200000,2025-01,10/01/2025,TERSALUR`);
    writeFileSync(f, rows.join('\n') + '\n');
    const ws = await Workspace.create(join(t.dir, 'e', 'grow.duckdb'), { name: 'grow' });
    try {
      let appended = false;
      const e = await importFile(ws, {
        kind: 'disbursements', path: f, textReader: 'lines',
        onProgress: (p) => { if (!appended && p.phase === 'read') { appended = true; appendFileSync(f, '3201014101999999,Baru,BPNT,200000,2025-01,10/01/2025,TERSALUR\n'); } },
      }).catch((x: unknown) => x);
      expect(appended).toBe(true);
      expect((e as Error).message).toMatch(/berubah selama impor|changed while it was imported/);
      expect(Number(await ws.scalar('SELECT count(*) FROM disbursements'))).toBe(0);
      // once complete, it imports, and size_bytes is the size of the bytes hashed
      const r = await importFile(ws, { kind: 'disbursements', path: f });
      const { statSync } = await import('node:fs');
      expect(r.size_bytes).toBe(statSync(f).size);
    } finally { await ws.close(); }
  }, 120_000);
});
