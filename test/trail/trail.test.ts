import { appendFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Workspace } from '../../src/engine/workspace/workspace';
import { appendTrail, sha256File, verifyTrail } from '../../src/engine/trail/trail';
import { importFile } from '../../src/engine/ingest';
import { verifyCommand } from '../../src/cli/commands/verify';
import { execFileSync } from 'node:child_process';
import { tempWorkspace } from '../tools/_ws';

let ws: Workspace;
let dir: string;
let dispose: () => Promise<void>;

beforeEach(async () => { ({ ws, dir, dispose } = await tempWorkspace('trail')); });
afterEach(async () => { await ws.close().catch(() => undefined); await dispose(); });

async function seed(n = 4) {
  for (let i = 1; i <= n; i++) await appendTrail(ws, { action: `step.${i}`, params: { i }, result: { ok: true } });
}

async function registerSource(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const sha = await sha256File(path);
  await ws.run(`INSERT INTO import_log (import_id, kind, file, path, sha256, status) VALUES ((SELECT coalesce(max(import_id), 0) + 1 FROM import_log), 'other', ?, ?, ?, 'completed')`, [name, path, sha]);
  // as the importer does: every completed import has its trail entry (verify compares the two hashes)
  const id = Number(await ws.scalar('SELECT max(import_id) FROM import_log'));
  await appendTrail(ws, { action: 'import', params: { kind: 'other' }, inputs: [{ file: name, path, sha256: sha }], result: { import_id: id } });
  return path;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
  try {
    if (args[0] !== 'verify') throw new Error('only verify');
    return { code: await verifyCommand.run(args.slice(1)), out: lines.join('\n') };
  } finally { log.mockRestore(); err.mockRestore(); }
}

describe('hash chain', () => {
  it('an intact chain verifies, also with several entries in one transaction', async () => {
    await seed();
    await ws.transaction(async () => { await seed(3); });
    const v = await verifyTrail(ws);
    expect(v).toMatchObject({ ok: true, entries: 7, breaks: [] });
    expect(v.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects a row edited by hand (UPDATE audit_trail …)', async () => {
    await seed();
    await ws.run(`UPDATE audit_trail SET result = '{"ok":false}' WHERE seq = 2`);
    const v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.breaks).toEqual([{ seq: 2, problem: 'entry was modified (hash mismatch)' }]);
  });

  it('detects an edit whose hash was recomputed (the next entry no longer chains)', async () => {
    await seed();
    const { createHash } = await import('node:crypto');
    const r = (await ws.one<Record<string, string | number>>('SELECT * FROM audit_trail WHERE seq = 2'))!;
    const actor = 'someone-else';
    const hash = createHash('sha256').update([2, r.at, actor, r.action, r.params, r.inputs, r.result, r.prev_hash].join('\u001f'), 'utf8').digest('hex');
    await ws.run(`UPDATE audit_trail SET actor = ?, hash = ? WHERE seq = 2`, [actor, hash]);
    const v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.breaks.map((b) => b.seq)).toContain(3);
    expect(v.breaks.find((b) => b.seq === 3)!.problem).toMatch(/prev_hash/);
  });

  it('detects deleted entries: in the middle (gap) and at the end (recorded head)', async () => {
    await seed(5);
    await ws.run(`DELETE FROM audit_trail WHERE seq = 3`);
    let v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.breaks.some((b) => b.seq === 4 && /sequence gap/.test(b.problem))).toBe(true);
    await dispose();
    ({ ws, dir, dispose } = await tempWorkspace('trail'));
    await seed(5);
    await ws.run(`DELETE FROM audit_trail WHERE seq >= 4`);
    v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.breaks[0].problem).toMatch(/entries missing/);
  });
});

describe('source files', () => {
  it('detects a changed and a missing source file', async () => {
    await seed(1);
    const a = await registerSource('salur.csv', 'NIK;NOMINAL\n3201010101900001;200000\n');
    const b = await registerSource('dtks.csv', 'NIK;DESIL\n3201010101900001;1\n');
    expect((await verifyTrail(ws)).ok).toBe(true);
    appendFileSync(a, '3201010101900002;200000\n');
    rmSync(b);
    const v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.sources.map((s) => [s.file, s.status])).toEqual([['salur.csv', 'changed'], ['dtks.csv', 'missing']]);
    expect(v.sources[0].actual).not.toBe(v.sources[0].expected);
  });

  it('detects a change to a file imported by the real importer', async () => {
    const path = join(dir, 'penyaluran.csv');
    writeFileSync(path, 'NIK;NAMA;PROGRAM;NOMINAL;TGL_SALUR\n3201010101900001;Siti;BPNT;200.000;15/01/2025\n');
    await importFile(ws, { kind: 'disbursements', path });
    expect((await verifyTrail(ws)).ok).toBe(true);
    writeFileSync(path, 'NIK;NAMA;PROGRAM;NOMINAL;TGL_SALUR\n3201010101900001;Siti;BPNT;900.000;15/01/2025\n');
    const v = await verifyTrail(ws);
    expect(v.ok).toBe(false);
    expect(v.sources[0]).toMatchObject({ file: 'penyaluran.csv', status: 'changed' });
  });
});

describe('telisik verify', () => {
  it('prints chain and source status; exit 0 when intact, 1 on a break or a changed source', async () => {
    await seed(2);
    const a = await registerSource('salur.csv', 'x\n');
    const wsPath = ws.path;
    await ws.close();
    let r = await cli(['verify', '--workspace', wsPath]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 entri — rantai utuh/); // 2 seeded + the import's own entry
    expect(r.out).toMatch(/ok +#1 salur\.csv/);
    writeFileSync(a, 'y\n');
    r = await cli(['verify', '--workspace', wsPath]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/CHANGED  #1 salur\.csv/);
    writeFileSync(a, 'x\n');
    const { Workspace: W } = await import('../../src/engine/workspace/workspace');
    ws = await W.open(wsPath);
    await ws.run(`UPDATE audit_trail SET action = 'tampered' WHERE seq = 1`);
    await ws.close();
    r = await cli(['verify', '--workspace', wsPath, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).breaks[0]).toEqual({ seq: 1, problem: 'entry was modified (hash mismatch)' });
    // the installed command line (bin/telisik.js -> registry) gives the same exit status
    let status = 0;
    try { execFileSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'telisik.js'), 'verify', '--workspace', wsPath], { stdio: 'pipe' }); }
    catch (e) { status = (e as { status: number }).status; }
    expect(status).toBe(1);
    ws = await W.open(wsPath);
  });
});
