import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { ArrowBatchBuilder, queryArrow } from '../../src/engine/arrow';

describe('Arrow page builder', () => {
  it('round-trips text (incl. multi-byte and nulls), numbers and booleans', () => {
    const b = new ArrowBatchBuilder([
      { name: 'nik', kind: 'utf8' }, { name: 'amount', kind: 'float64' }, { name: 'desil', kind: 'int32' }, { name: 'ok', kind: 'bool' },
    ], 2);
    const rows: unknown[][] = [
      ['3201014508900001', 200000, 1, true],
      [null, null, null, null],
      ['Désa Ciléungsi — 北京 😀', 1234.5, 10, false],
      ['', 0, -3, true],
    ];
    for (let i = 0; i < 3000; i++) rows.push([`nama ${i} ${'x'.repeat(i % 40)}`, i * 1.5, i % 11, i % 3 === 0]);
    for (const r of rows) b.appendRow(r);
    const t = tableFromIPC(b.finish());
    expect(t.numRows).toBe(rows.length);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['nik', 'amount', 'desil', 'ok']);
    const back = t.toArray().map((r) => { const o = r.toJSON(); return [o.nik, o.amount, o.desil, o.ok]; });
    expect(back).toEqual(rows);
  });

  it('masks text through a transform', () => {
    const b = new ArrowBatchBuilder([{ name: 'nik', kind: 'utf8', transform: (s) => s.slice(0, 4) + '*'.repeat(10) + s.slice(14) }]);
    b.appendRow(['3201014508900001']);
    expect(tableFromIPC(b.finish()).getChild('nik')!.get(0)).toBe('3201**********01');
  });

  it('builds from DuckDB chunks with the types the grid needs (NIK stays text, DECIMAL and DATE readable)', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`CREATE TABLE d AS SELECT i::BIGINT AS rec_id, lpad(i::VARCHAR, 16, '3') AS nik, (i * 1000 + 0.25)::DECIMAL(18,2) AS amount,
      DATE '2025-01-01' + (i % 300)::INTEGER AS paid_date, i % 2 = 0 AS even, CASE WHEN i % 7 = 0 THEN NULL ELSE 'PKH' END AS program, (i % 10)::INTEGER AS desil
      FROM range(5000) t(i)`);
    const { arrow, rows, columns } = await queryArrow(conn, 'SELECT * FROM d ORDER BY rec_id');
    expect(rows).toBe(5000);
    expect(columns.map((c) => c.name)).toEqual(['rec_id', 'nik', 'amount', 'paid_date', 'even', 'program', 'desil']);
    const t = tableFromIPC(arrow);
    const r = t.get(4321)!.toJSON();
    expect(r).toEqual({ rec_id: 4321, nik: '3333333333334321', amount: 4321000.25, paid_date: '2025-05-02', even: false, program: 'PKH', desil: 1 });
    expect(t.get(7)!.toJSON().program).toBeNull();
    conn.closeSync();
    db.closeSync();
  });
});
