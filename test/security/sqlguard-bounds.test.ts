/**
 * Issue 14 item 8: a guarded query with `repeat('x', 2e9)` ran unbounded (one uninterruptible DuckDB step: 65 s past
 * an interrupt, 2 GB). Size-generating calls are bounded before they run; runGuarded adds a time bound (interrupt),
 * a row limit and a result-size bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../reliability/helpers';
import { Workspace } from '../../src/engine/workspace/workspace';
import { SqlGuardError, guardSelect, runGuarded } from '../../src/engine/sqlguard';

const t = tempDir('telisik-sqlb-');
let ws: Workspace;
beforeAll(async () => {
  ws = await Workspace.create(join(t.dir, 'w.duckdb'), { name: 'x' });
  await ws.run(`CREATE TABLE other_t AS SELECT i AS n, 'nama ' || i AS name FROM range(2000) r(i)`);
});
afterAll(async () => { await ws.close(); t.remove(); });

async function code(p: Promise<unknown>): Promise<string> {
  try { await p; return 'ok'; } catch (e) { return e instanceof SqlGuardError ? e.reason : `other: ${(e as Error).message}`; }
}

describe('time and size bounds on guarded queries', () => {
  it('refuses huge or non-constant sizes for generators before they run', async () => {
    for (const sql of [
      `SELECT repeat('x', 2000000000)`, `SELECT repeat('x', 2e9::BIGINT)`, `SELECT repeat(name, n * 1000000000) FROM other_t`,
      `SELECT lpad('a', 1000000000, 'b')`, `SELECT rpad(name, 2000000000, ' ') FROM other_t`, `SELECT printf('%01000000000d', 1)`,
      `SELECT format('{:>2000000000}', 'x')`, `SELECT printf(name, 1) FROM other_t`,
    ]) expect(await code(guardSelect(ws, sql)), sql).toBe('size');
    expect(await code(guardSelect(ws, `SELECT repeat('x', 10), lpad(name, 20, ' '), printf('%05d', n) FROM other_t`))).toBe('ok');
  });

  it('runGuarded: an endless query is interrupted at the time bound', async () => {
    expect(await code(runGuarded(ws, 'SELECT count(*) FROM other_t a, other_t b, other_t c, other_t d', { timeoutMs: 300 }))).toBe('timeout');
  }, 60_000);

  it('runGuarded: rows are limited and the result size is bounded', async () => {
    const r = await runGuarded(ws, 'SELECT * FROM other_t ORDER BY n', { maxRows: 10 });
    expect(r.rows.length).toBe(10);
    expect(r.tables).toEqual(['other_t']);
    expect(await code(runGuarded(ws, `SELECT repeat('x', 1000000) AS big FROM other_t WHERE n < 20`, { maxBytes: 8 * 1024 * 1024 }))).toBe('size');
  }, 60_000);
});
