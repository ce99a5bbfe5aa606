// Measures grid paging on a 1M-row table through the real service (DuckDB query + Arrow page build). Prints the
// figures; asserts only generous bounds (2 shared cores).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { ArrowBatchBuilder, queryArrow } from '../../src/engine/arrow';
import { createEngineService, type EngineService } from '../../src/engine/service';
import { wireExpr } from '../../src/engine/service/views';
import type { TablePage } from '../../src/shared/types';

let dir: string;
let svc: EngineService;
const N = 1_000_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-perf-'));
  svc = createEngineService({ dataDir: join(dir, 'data'), mode: 'web' });
  const r = await svc.invoke('createWorkspace', { path: join(dir, 'perf.duckdb'), name: 'perf' });
  expect(r.ok).toBe(true);
  // Direct SQL is the fixture here (the import path is tested by the ingest suite): 1M disbursement rows.
  const ws = (svc as unknown as { ws: { run(sql: string): Promise<void> } }).ws;
  await ws.run(`INSERT INTO disbursements (rec_id, _import_id, _file, _line, nik, kk, name, region_code, program, amount, period_key, paid_date, status, txn_id)
    SELECT 10000000000 + i, 1, 'salur.csv', i, (3201000000000000 + (i * 7919) % 1000000000000)::VARCHAR, (3201000000000000 + i // 3)::VARCHAR,
      'PENERIMA ' || (i % 50000), '32010' || (i % 90 + 10), CASE i % 3 WHEN 0 THEN 'PKH' WHEN 1 THEN 'BPNT' ELSE 'BLT_DD' END, (200000 + (i % 17) * 50000)::DECIMAL(18,2),
      CASE WHEN i % 12 < 9 THEN '2025-0' ELSE '2025-' END || (i % 12 + 1), DATE '2025-01-01' + (i % 360)::INTEGER, CASE WHEN i % 41 = 0 THEN 'FAILED' ELSE 'PAID' END, 'TX' || i
    FROM range(${N}) t(i)`);
}, 120_000);

afterAll(async () => {
  await svc.close();
  rmSync(dir, { recursive: true, force: true });
});

async function timed(args: Record<string, unknown>): Promise<{ ms: number; page: TablePage }> {
  const t0 = performance.now();
  const r = await svc.invoke('tablePage', args);
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(r.error.message);
  return { ms, page: r.value as TablePage };
}

describe('paging a 1M-row table', () => {
  it('a deep sorted page served from the position index equals the same page by ORDER BY … LIMIT/OFFSET', async () => {
    const ws = (svc as unknown as { ws: { all<T>(sql: string): Promise<T[]> } }).ws;
    for (const offset of [0, 5_000, 500_000, N - 100]) {
      const first = await timed({ table: 'disbursements', offset, limit: 100, sort: [{ column: 'amount', dir: 'desc' }, { column: 'rec_id', dir: 'asc' }], mask: false });
      const again = await timed({ table: 'disbursements', offset, limit: 100, sort: [{ column: 'amount', dir: 'desc' }, { column: 'rec_id', dir: 'asc' }], mask: false });
      const got = tableFromIPC(first.page.arrow).toArray().map((r) => Number(r.toJSON().rec_id));
      const want = (await ws.all<{ rec_id: number }>(`SELECT rec_id FROM disbursements ORDER BY amount DESC, rec_id ASC LIMIT 100 OFFSET ${offset}`)).map((r) => Number(r.rec_id));
      expect(got).toEqual(want);
      expect(tableFromIPC(again.page.arrow).toArray().map((r) => Number(r.toJSON().rec_id))).toEqual(want);
      console.log(`[perf] sorted page at offset ${offset}: first ${first.ms.toFixed(0)} ms (builds the index), next ${again.ms.toFixed(1)} ms`);
    }
  });

  it('a filtered + sorted view of 20k+ rows (bound filter values) pages through the position index', async () => {
    const ws = (svc as unknown as { ws: { all<T>(sql: string): Promise<T[]> } }).ws;
    const args = { table: 'disbursements', limit: 100, sort: [{ column: 'amount', dir: 'asc' }], filter: [{ column: 'region_code', op: 'starts', value: '320101' }], search: 'penerima', mask: false };
    const total = Number((await ws.all<{ n: number }>(`SELECT count(*) AS n FROM disbursements WHERE region_code LIKE '320101%'`))[0].n);
    expect(total).toBeGreaterThan(20_000);
    for (const offset of [0, Math.floor(total / 2), total - 100]) {
      const { page } = await timed({ ...args, offset });
      expect(page.total_rows).toBe(total);
      const got = tableFromIPC(page.arrow).toArray().map((r) => Number(r.toJSON().rec_id));
      const want = (await ws.all<{ rec_id: number }>(`SELECT rec_id FROM disbursements WHERE region_code LIKE '320101%' ORDER BY amount, rec_id LIMIT 100 OFFSET ${offset}`)).map((r) => Number(r.rec_id));
      expect(got).toEqual(want);
    }
  });

  it('first page, deep page, sorted page, filtered+searched page', async () => {
    await timed({ table: 'disbursements', offset: 0, limit: 100 }); // warm-up
    const figures: Record<string, number> = {};
    const first = await timed({ table: 'disbursements', offset: 0, limit: 100 });
    figures['first page (100 rows)'] = first.ms;
    expect(first.page.total_rows).toBe(N);
    const deep = await timed({ table: 'disbursements', offset: 900_000, limit: 100 });
    figures['offset 900k (100 rows)'] = deep.ms;
    const t = tableFromIPC(deep.page.arrow);
    expect(t.numRows).toBe(100);
    expect(t.get(0)!.toJSON().nik).toMatch(/^3201\*{8}\d{4}$/); // masked by default (4 + 4, DOMAIN.md)
    const sorted = await timed({ table: 'disbursements', offset: 5_000, limit: 100, sort: [{ column: 'amount', dir: 'desc' }, { column: 'paid_date', dir: 'asc' }] });
    figures['sorted by amount, paid_date (100 rows)'] = sorted.ms;
    const filtered = await timed({ table: 'disbursements', offset: 0, limit: 100, filter: [{ column: 'program', op: 'eq', value: 'BPNT' }, { column: 'paid_date', op: 'between', value: '2025-03-01', value2: '2025-03-31' }], search: 'penerima 4999' });
    figures['filter + between + search (100 rows)'] = filtered.ms;
    expect(filtered.page.total_rows).toBeGreaterThan(0);
    const big = await timed({ table: 'disbursements', offset: 0, limit: 10_000, mask: false });
    figures['10k-row page, unmasked'] = big.ms;
    expect(tableFromIPC(big.page.arrow).numRows).toBe(10_000);
    for (const [k, v] of Object.entries(figures)) console.log(`[perf] tablePage ${k}: ${v.toFixed(0)} ms`);
    expect(first.ms).toBeLessThan(3000);
    expect(sorted.ms).toBeLessThan(10_000);
  }, 120_000);

  it('DuckDB chunks → Arrow IPC for 1k and 100k rows of the 1M-row table (all 15 columns)', async () => {
    const ws = (svc as unknown as { ws: { instance: { connect(): Promise<import('@duckdb/node-api').DuckDBConnection> } } }).ws;
    const conn = await ws.instance.connect();
    try {
      for (const rows of [1_000, 1_000, 100_000]) {
        const t0 = performance.now();
        // Same select list as a grid page: DuckDB casts dates to text and DECIMAL/BIGINT to DOUBLE.
        const cols = (await conn.runAndReadAll(`SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'disbursements' ORDER BY ordinal_position`)).getRowObjectsJS() as { name: string; type: string }[];
        const r = await queryArrow(conn, `SELECT ${cols.map(wireExpr).join(', ')} FROM disbursements AS src LIMIT ${rows} OFFSET 500000`);
        const ms = performance.now() - t0;
        console.log(`[perf] query + Arrow build ${rows} rows × ${r.columns.length} cols: ${ms.toFixed(1)} ms, ${(r.arrow.length / 1024).toFixed(0)} KiB`);
        expect(tableFromIPC(r.arrow).numRows).toBe(rows);
      }
    } finally {
      conn.closeSync();
    }
  });

  it('Arrow page build alone (1k and 100k rows × 6 columns)', () => {
    for (const rows of [1_000, 1_000, 100_000]) {
      const t0 = performance.now();
      const b = new ArrowBatchBuilder([
        { name: 'nik', kind: 'utf8' }, { name: 'name', kind: 'utf8' }, { name: 'program', kind: 'utf8' },
        { name: 'paid_date', kind: 'utf8' }, { name: 'amount', kind: 'float64' }, { name: 'ok', kind: 'bool' },
      ], rows);
      for (let i = 0; i < rows; i++) b.appendRow([`320101450890${String(i).padStart(4, '0')}`, `PENERIMA ${i}`, 'BPNT', '2025-03-14', 200000 + i, i % 2 === 0]);
      const bytes = b.finish();
      const ms = performance.now() - t0;
      console.log(`[perf] Arrow build ${rows} rows × 6 cols: ${ms.toFixed(1)} ms, ${(bytes.length / 1024).toFixed(0)} KiB`);
      expect(tableFromIPC(bytes).numRows).toBe(rows);
    }
  });
});
