// One write path (issue 16 part 3): tool runs and samples go through the service's write queue and leave one trail
// entry each; the read side is a real read connection that refuses writes; the trail still verifies afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../../src/shared/result';
import type { TrailEntryView } from '../../src/shared/types';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { ReadOnlyConnectionError, Workspace, type WorkspaceReader } from '../../src/engine/workspace/workspace';

let dir: string;
let svc: EngineService;
let path: string;

async function call<T = unknown>(name: string, args: unknown = {}): Promise<T> {
  const r = (await svc.invoke(name, args)) as Result<T>;
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}
async function trail(): Promise<TrailEntryView[]> {
  // listTrail answers the newest first; oldest first here.
  return (await call<{ rows: TrailEntryView[] }>('listTrail', { offset: 0, limit: 1000 })).rows.sort((a, b) => a.seq - b.seq);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-writepath-'));
  path = join(dir, 'ws.duckdb');
  const ws = await Workspace.create(path, { name: 'write path' });
  await ws.run(`CREATE TABLE t AS SELECT i AS rec_id, '3201' || lpad(CAST(i % 7 AS VARCHAR), 12, '0') AS nik,
    (i % 3)::VARCHAR AS program, DATE '2025-01-01' + CAST(i % 40 AS INTEGER) AS paid_date, (i * 37 % 1000 + 1)::DECIMAL(18,2) AS amount
    FROM range(1, 201) r(i)`);
  await ws.close();
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test' });
  await call('openWorkspace', { path });
});
afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tool runs in the write queue', () => {
  it('every tool run leaves one trail entry with what was asked and how many rows answered', async () => {
    const before = (await trail()).length;
    const dup = await call<{ rows: unknown[] }>('toolDuplicates', { table: 't', keys: ['nik', 'program'] });
    const piv = await call<{ rows: unknown[] }>('toolPivot', { table: 't', rows: ['program'], value: 'amount' });
    await call('toolBenford', { table: 't', column: 'amount' });
    await call('toolGaps', { table: 't', column: 'paid_date' });
    await call('toolStratify', { table: 't', column: 'amount', strata: 4 });
    await call('toolAgeing', { table: 't', column: 'paid_date', as_of: '2025-03-01', amount_column: 'amount' });
    await call('toolProfile', { table: 't', column: 'amount' });
    const entries = (await trail()).slice(before);
    expect(entries.map((e) => e.action)).toEqual(['tool.duplicates', 'tool.pivot', 'tool.benford', 'tool.gaps', 'tool.stratify', 'tool.ageing', 'tool.profile']);
    expect(entries[0].params).toEqual({ table: 't', keys: ['nik', 'program'] });
    expect(entries[0].result).toEqual({ rows: dup.rows.length, result_table: null });
    expect(dup.rows.length).toBe(21); // 7 NIKs × 3 programmes, every pair repeated
    expect(entries[1].result).toEqual({ rows: 3, result_table: null });
    expect(piv.rows.length).toBe(3);
    expect(entries[5].params).toMatchObject({ as_of: '2025-03-01' });
  });

  it('a sample leaves exactly one trail entry (the sampling module’s), not two', async () => {
    const before = (await trail()).length;
    const s = await call<{ result_table: string }>('toolSample', { table: 't', method: 'random', size: 10, seed: 3, name: 'uji' });
    expect(s.result_table).toBe('sample_uji');
    const entries = (await trail()).slice(before);
    expect(entries.map((e) => e.action)).toEqual(['sample.random']);
    expect(entries[0].result).toMatchObject({ name: 'uji', result_table: 'sample_uji', sample_size: 10 });
  });

  it('a tool run asked while a write is queued runs after it, and the trail keeps that order', async () => {
    const before = (await trail()).length;
    // Not awaited one by one: the profile write is queued first, then the tool, then a settings write.
    const [saved, tool, settings] = await Promise.all([
      call('saveProfile', { name: 'p1', kind: 'disbursements', mapping: { nik: 'NIK' } }),
      call<{ rows: unknown[] }>('toolPivot', { table: 't', rows: ['program'] }),
      call('updateSettings', { event_dates: [{ date: '2025-01-15', label: 'banjir' }] }),
    ]);
    expect(saved).toMatchObject({ name: 'p1' });
    expect(tool.rows.length).toBe(3);
    expect(settings).toMatchObject({ event_dates: [{ date: '2025-01-15', label: 'banjir' }] });
    expect((await trail()).slice(before).map((e) => e.action)).toEqual(['profile.save', 'tool.pivot', 'settings.update']);
  });

  it('the trail verifies after tool runs and samples', async () => {
    const v = await call<{ ok: boolean; entries: number; breaks: unknown[] }>('verifyTrail', {});
    expect(v.breaks).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.entries).toBe((await trail()).length);
  });
});

describe('the read connection', () => {
  let ws: Workspace;
  let r: WorkspaceReader;
  beforeAll(async () => {
    await svc.invoke('closeWorkspace', {});
    ws = await Workspace.open(path);
    r = await ws.openReader();
  });
  afterAll(async () => {
    await r.close();
    await ws.close();
  });

  it('reads what the write side committed, on a connection of its own', async () => {
    expect(r.conn).not.toBe(ws.conn);
    expect(await r.scalar<number>('SELECT count(*) FROM t')).toBe(200);
    await ws.run(`INSERT INTO t SELECT 201, 'x', '0', DATE '2025-01-01', 1`);
    expect(await r.scalar<number>('SELECT count(*) FROM t')).toBe(201);
    await ws.run('DELETE FROM t WHERE rec_id = 201');
  });

  it('refuses every statement that would change the workspace', async () => {
    for (const sql of [
      'CREATE TABLE x (a INT)', 'CREATE OR REPLACE TABLE tool_x AS SELECT 1', 'INSERT INTO t (rec_id) VALUES (1)', 'UPDATE t SET amount = 0',
      'DELETE FROM t', 'DROP TABLE t', 'ALTER TABLE t ADD COLUMN y INT', 'CHECKPOINT', '/* hidden */ DELETE FROM t',
"SELECT 1; DELETE FROM t", 'DROP TABLE IF EXISTS t', 'INSERT INTO t (rec_id) SELECT 1', 'INSERT INTO tool_x VALUES (1)',
    ]) await expect(r.run(sql), sql).rejects.toBeInstanceOf(ReadOnlyConnectionError);
    await expect(r.transaction(async () => 1)).rejects.toBeInstanceOf(ReadOnlyConnectionError);
    expect(await r.scalar<number>('SELECT count(*) FROM t')).toBe(200);
    expect(await r.tableExists('x')).toBe(false);
  });

  it('keeps scratch objects of its own connection and drops them again', async () => {
    await r.run('CREATE OR REPLACE TEMP TABLE _scratch AS SELECT * FROM t WHERE rec_id <= 5');
    expect(await r.scalar<number>('SELECT count(*) FROM _scratch')).toBe(5);
    // …fills and changes them (the oversight timing's event list is a TEMP table filled row by row)…
    await r.run(`CREATE OR REPLACE TEMP TABLE _events (d DATE, label VARCHAR)`);
    await r.run(`INSERT INTO _events VALUES ($d::DATE, $l)`, { d: '2025-01-15', l: 'banjir' });
    await r.run(`DELETE FROM _scratch WHERE rec_id = 1`);
    expect(await r.scalar<number>('SELECT count(*) FROM _scratch')).toBe(4);
    expect(await r.scalar<string>('SELECT label FROM _events')).toBe('banjir');
    await expect(ws.all('SELECT * FROM _scratch')).rejects.toThrow(); // temp: invisible to the write connection
    await r.run('DROP TABLE IF EXISTS _scratch');
    await r.run('DROP TABLE IF EXISTS temp.main._never_made');
    await expect(r.all('SELECT * FROM _scratch')).rejects.toThrow();
  });

  it('runs one statement at a time and, closed, refuses at once', async () => {
    const counts = await Promise.all(Array.from({ length: 12 }, (_, i) => r.scalar<number>(`SELECT count(*) FROM t WHERE rec_id > ${i}`)));
    expect(counts).toEqual(Array.from({ length: 12 }, (_, i) => 200 - i));
    const other = await ws.openReader();
    await other.close();
    await expect(other.all('SELECT 1')).rejects.toThrow(/ditutup|closed/);
    expect(await ws.scalar<number>('SELECT count(*) FROM t')).toBe(200); // closing a reader leaves the workspace open
  });
});
