// The quality report's distinct counts take three forms by size (src/engine/ingest/canonical.ts distinctCount): the
// list form for small files and count(DISTINCT) up to 200k rows must give the same figure for every column type the
// canonical and 'other' tables hold, NULLs and an empty column included.
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { distinctCount } from '../../src/engine/ingest/canonical';

describe('quality report: distinct counts', () => {
  it('the list form equals count(DISTINCT) on text, NIK-like ids, dates, decimals, doubles, booleans, NULLs and no rows', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    try {
      await c.run(`CREATE TABLE t AS SELECT
          CASE WHEN i % 7 = 0 THEN NULL ELSE 'Nama ' || (i % 13) || CASE WHEN i % 2 = 0 THEN ' José' ELSE '' END END AS txt,
          lpad((3201010101900000 + i % 41)::VARCHAR, 16, '0') AS nik,
          CASE WHEN i % 5 = 0 THEN NULL ELSE DATE '2025-01-01' + (i % 17)::INTEGER END AS d,
          ((i % 9) * 100000)::DECIMAL(18,2) AS amount,
          CASE WHEN i % 3 = 0 THEN NULL ELSE (i % 4) / 3.0 END AS dbl,
          i % 2 = 0 AS flag,
          NULL::VARCHAR AS empty
        FROM range(3000) r(i)`);
      const cols = ['txt', 'nik', 'd', 'amount', 'dbl', 'flag', 'empty'];
      const q = (rows: number, where = '') => `SELECT ${cols.map((x) => distinctCount(x, rows, { exact: true })).join(', ')} FROM t ${where}`;
      const row = async (sql: string) => (await c.runAndReadAll(sql)).getRows()[0].map(Number);
      expect(q(3000)).toContain('list_distinct');
      expect(q(50_000)).toContain('count(DISTINCT');
      const byList = await row(q(3000));
      expect(byList).toEqual(await row(q(50_000)));
      expect(byList).toEqual([26, 41, 17, 9, 4, 2, 0]);
      // no rows (every row rejected): 0 either way, not NULL
      expect(await row(q(3000, 'WHERE false'))).toEqual(cols.map(() => 0));
      expect(await row(q(50_000, 'WHERE false'))).toEqual(cols.map(() => 0));
      // above 200k rows the canonical report estimates (and says so); the 'other' tables stay exact
      expect(distinctCount('x', 300_000)).toBe('approx_count_distinct(x)');
      expect(distinctCount('x', 300_000, { exact: true })).toBe('count(DISTINCT x)');
    } finally { c.closeSync(); inst.closeSync(); }
  });
});
