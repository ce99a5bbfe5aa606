// Cancelling a long call (contract: `request_id` + `cancelCall`) through the real loopback HTTP server on a real
// workspace: a grid page, a column profile and a fuzzy-duplicate run over a view of four billion generated rows
// (minutes of SQL if nothing stopped it) are cancelled while their SQL runs — the answer is the typed `cancelled`,
// and the same connection then answers a new call with the right values. Then many calls at once, checked one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { startServer, type RunningServer } from '../../src/server/server';
import { fromWireJson } from '../../src/shared/wire';
import type { Result } from '../../src/shared/result';

let dir: string;
let svc: EngineService;
let srv: RunningServer;

async function post<T = any>(name: string, args: unknown): Promise<Result<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${srv.url}api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telisik-token': srv.token }, body: JSON.stringify(args) });
  return fromWireJson(await res.text()) as Result<T>;
}
async function ok<T = any>(name: string, args: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await post<T>(name, args);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Resolves once the call `id` is running a statement that reads the view `big` (a condition, polled; no fixed sleep). */
async function runningOnBig(id: string): Promise<string> {
  for (let i = 0; i < 6000; i++) {
    const st = svc.callState(id);
    if (st?.sql && st.sql.includes('"big"')) return st.sql;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`call ${id} never ran its statement on big`);
}

const rows = (arrow: Uint8Array) => tableFromIPC(arrow).toArray().map((r) => r.toJSON() as Record<string, unknown>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-cancel-'));
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web', version: 'test', prefs: { masking_default: false } });
  srv = await startServer({ service: svc });
  await ok('createWorkspace', { path: join(dir, 'cancel.duckdb'), name: 'Uji pembatalan' });
  // Set-up on the write connection, generated in SQL: a real table of 30,000 rows, and a view of 4e9 rows whose every
  // scan takes minutes — a call still answering quickly after its cancel proves the SQL stopped.
  const ws = svc.need();
  await ws.run(`CREATE TABLE people AS SELECT i AS rec_id, 'NAMA ' || (i % 5000) AS name, (i % 97)::INTEGER AS grp,
    (i * 1000)::DECIMAL(18,2) AS amount FROM range(30000) t(i)`);
  await ws.run(`CREATE VIEW big AS SELECT i AS rec_id, 'NAMA ' || (i % 50000) AS name, (i % 3)::INTEGER AS grp, i::DOUBLE AS amount
    FROM range(4000000000) t(i)`);
});
afterAll(async () => {
  await srv.close();
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cancelCall', () => {
  it('interrupts a grid page mid-flight: cancelled, then the read connection answers the next page correctly', async () => {
    const pending = post('tablePage', { table: 'big', offset: 0, limit: 100, search: 'tidak ada', request_id: 'page-1' });
    expect(await runningOnBig('page-1')).toMatch(/count\(\*\)/);
    expect(await ok('cancelCall', { request_id: 'page-1' })).toEqual({ cancelled: true });
    const r = await pending;
    expect(r.ok ? 'answered' : r.error.code).toBe('cancelled');
    expect(svc.callState('page-1')).toBeUndefined();
    // The same read connection: a sorted page over 30,000 rows (through a position index) with exact values.
    const p = await ok('tablePage', { table: 'people', offset: 10, limit: 3, sort: [{ column: 'rec_id', dir: 'desc' }] });
    expect(p.total_rows).toBe(30000);
    expect(rows(p.arrow).map((x) => Number(x.rec_id))).toEqual([29989, 29988, 29987]);
    expect(p.sum).toEqual({ column: 'amount', value: 1000 * (29999 * 30000) / 2 });
  });

  it('interrupts a column profile mid-flight, and the next profile is exact', async () => {
    const pending = post('columnProfile', { table: 'big', column: 'name', request_id: 'profile-1' });
    await runningOnBig('profile-1');
    expect(await ok('cancelCall', { request_id: 'profile-1' })).toEqual({ cancelled: true });
    const r = await pending;
    expect(r.ok ? 'answered' : r.error.code).toBe('cancelled');
    const prof = await ok('columnProfile', { table: 'people', column: 'name' });
    expect(prof).toMatchObject({ rows: 30000, nulls: 0, distinct: 5000 });
    expect(prof.top[0]).toEqual({ value: 'NAMA 0', count: 6, share: 6 / 30000 });
  });

  it('interrupts a fuzzy-duplicate run on the write connection: no trail entry, no table; the next tool run is exact and trailed', async () => {
    const trailBefore = (await ok('listTrail', { offset: 0, limit: 1 })).total;
    const pending = post('toolDuplicates', { table: 'big', keys: ['grp'], fuzzy: { name_column: 'name', threshold: 0.99 }, request_id: 'fuzzy-1' });
    await runningOnBig('fuzzy-1');
    expect(await ok('cancelCall', { request_id: 'fuzzy-1' })).toEqual({ cancelled: true });
    const r = await pending;
    expect(r.ok ? 'answered' : r.error.code).toBe('cancelled');
    expect((await ok('listTrail', { offset: 0, limit: 1 })).total).toBe(trailBefore);
    // The write connection is usable and its transaction was rolled back: the next tool run answers and is trailed.
    const dup = await ok('toolDuplicates', { table: 'people', keys: ['grp'] });
    expect(dup.summary).toMatchObject({ groups: 97, records: 30000 });
    const trail = await ok('listTrail', { offset: 0, limit: 100 });
    expect(trail.total).toBe(trailBefore + 1);
    expect(JSON.stringify(trail.rows)).not.toContain('request_id');
  });

  it('a cancel that overtakes its call ends the call at once; an id in flight cannot be reused; bad ids are refused at the boundary', async () => {
    expect(await ok('cancelCall', { request_id: 'early-1' })).toEqual({ cancelled: false });
    const r = await post('columnProfile', { table: 'big', column: 'name', request_id: 'early-1' });
    expect(r.ok ? 'answered' : r.error.code).toBe('cancelled');

    const first = post('tablePage', { table: 'big', offset: 0, limit: 1, search: 'x', request_id: 'twice' });
    await runningOnBig('twice');
    const second = await post('tablePage', { table: 'people', offset: 0, limit: 1, request_id: 'twice' });
    expect(second.ok ? 'answered' : second.error.code).toBe('invalid_args');
    await ok('cancelCall', { request_id: 'twice' });
    expect((await first).ok).toBe(false);

    for (const bad of ['', 'a b', 'x'.repeat(65), 7]) {
      const b = await post('tablePage', { table: 'people', offset: 0, limit: 1, request_id: bad });
      expect(b.ok ? 'answered' : b.error.code).toBe('invalid_args');
    }
    // Calls that are not cancellable take no request_id.
    const nc = await post('listTrail', { offset: 0, limit: 1, request_id: 'nope' });
    expect(nc.ok ? 'answered' : nc.error.code).toBe('invalid_args');
  });
});

describe('concurrent calls through the HTTP transport', () => {
  it('answers 60 calls fired at once — pages (sorted, each through its own position index), profiles, trail — while settings writes run beside them', async () => {
    const jobs: Array<{ name: string; args: unknown; check: (v: any) => void }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < 60; i++) {
      const k = i % 4;
      if (k === 0 || k === 1) {
        // Its own filter, so its own position index (a temp table on the read connection) is built for this page.
        const dir = k === 0 ? 'asc' : 'desc';
        const from = i * 100;
        const offset = i * 37;
        const want = Array.from({ length: 50 }, (_, j) => (dir === 'asc' ? from + offset + j : 29999 - offset - j));
        jobs.push({ name: 'tablePage', args: { table: 'people', offset, limit: 50, filter: [{ column: 'rec_id', op: 'gte', value: from }], sort: [{ column: 'amount', dir }] },
          check: (v) => { expect(v.total_rows).toBe(30000 - from); expect(rows(v.arrow).map((x) => Number(x.rec_id))).toEqual(want); } });
      } else if (k === 2) {
        jobs.push({ name: 'columnProfile', args: { table: 'people', column: i % 8 === 2 ? 'grp' : 'name' },
          check: (v) => { expect(v.rows).toBe(30000); expect(v.distinct).toBe(i % 8 === 2 ? 97 : 5000); } });
      } else {
        jobs.push({ name: 'listTrail', args: { offset: 0, limit: 5 }, check: (v) => { expect(v.total).toBeGreaterThan(0); expect(v.rows[0].seq).toBeGreaterThan(0); } });
      }
    }
    // Writes one after another while the reads run: each (settings + its trail entry) drops the grid's position
    // indexes — those a page in flight still reads only after that page is done.
    const writes = (async () => {
      const out: Result<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
      for (let i = 0; i < 10; i++) out.push(await post('updateSettings', { event_dates: [{ date: '2025-03-01', label: `Peristiwa ${i}` }] }));
      return out;
    })();
    const answers = await Promise.all(jobs.map((j) => post(j.name, j.args)));
    expect(answers.map((a, i) => (a.ok ? 'ok' : `${jobs[i].name}: ${a.error.code} ${a.error.message}`))).toEqual(answers.map(() => 'ok'));
    answers.forEach((a, i) => jobs[i].check((a as { value: unknown }).value));
    const w = await writes;
    expect(w.map((x) => (x.ok ? x.value.event_dates[0].label : x.error.message))).toEqual(Array.from({ length: 10 }, (_, i) => `Peristiwa ${i}`));
    const trail = await ok('listTrail', { offset: 0, limit: 1000 });
    expect(trail.rows.filter((r: { action: string }) => r.action === 'settings.update').length).toBe(10);
  });
});
