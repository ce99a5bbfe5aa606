/**
 * The direct reader (issue 17): a clean UTF-8 extract of a canonical kind is parsed by one SELECT over DuckDB's
 * read_csv into the stage, without a raw copy of the file; line numbers come from the stage's row order, so the
 * stage's plan must keep the file order. These tests pin when it is taken, what the raw layer then is, and that the
 * lines are right; text-readers.test.ts proves its result equals the line reader's on crafted, random and corpus files.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemo } from '../../src/engine/demo/generate';
import { importFile } from '../../src/engine/ingest';
import { removeImport } from '../../src/engine/ingest/remove';
import { assertOrderKeeping, ReorderingPlan } from '../../src/engine/ingest/canonical';
import { setup, NIK1, NIK2, type Ctx } from './helpers';
import { Workspace } from '../../src/engine/workspace/workspace';
import { rmSync } from 'node:fs';

let c: Ctx;
beforeAll(async () => { c = await setup('telisik-direct-'); });
afterAll(async () => { await c?.close(); });

async function lastImport(): Promise<{ reader: string; raw_layer: string }> {
  const r = await c.ws.one<{ reader: string; raw_layer: string }>(`SELECT json_extract_string(result, '$.reader') AS reader,
    json_extract_string(result, '$.raw_layer') AS raw_layer FROM audit_trail WHERE action = 'import' ORDER BY seq DESC LIMIT 1`);
  return r!;
}

// ID_TRANSAKSI maps to txn_id: the first test checks every row's transaction id against its line
const H = 'NIK;NAMA;PROGRAM;NOMINAL;PERIODE;TGL_SALUR;STATUS;ID_TRANSAKSI';

describe('direct CSV reader', () => {
  it('a clean extract is staged straight from read_csv: raw layer is a view over the file, lines and values in file order', async () => {
    // status texts of every form (an IN list of six constants was once rewritten into a join that reordered rows)
    const statuses = ['TERSALUR', 'SUKSES', 'GAGAL', 'RETUR', '', 'berhasil', 'Gagal Salur', 'DIKEMBALIKAN'];
    const lines = Array.from({ length: 4000 }, (_, i) =>
      `${i % 2 ? NIK1 : NIK2};Nama ${i};${i % 3 ? 'PKH' : 'Program Sembako'};Rp ${(100 + i).toLocaleString('id-ID')}.000;2025-${String(1 + (i % 12)).padStart(2, '0')};${String(1 + (i % 28)).padStart(2, '0')}/01/2025;${statuses[i % statuses.length]};T${i}`);
    const p = c.file('clean.csv', `${H}\n${lines.join('\n')}\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([4000, 4000, 0]);
    expect(await lastImport()).toEqual({ reader: 'duckdb_read_csv', raw_layer: 'view' });
    // NULL-safe: a column left unmapped (NULL) must count as wrong, not drop out of the count
    const bad = await c.ws.one<{ bad: number; txn: number }>(`SELECT count_if(txn_id IS DISTINCT FROM 'T' || (_line - 2)::VARCHAR
      OR name IS DISTINCT FROM 'Nama ' || (_line - 2)::VARCHAR) AS bad, count(txn_id) AS txn FROM disbursements WHERE _import_id = $i`, { i: r.import_id });
    expect({ bad: Number(bad!.bad), txn: Number(bad!.txn) }).toEqual({ bad: 0, txn: 4000 });
    const order = await c.ws.all<{ rec_id: number; _line: number }>(`SELECT rec_id, _line FROM disbursements WHERE _import_id = $i`, { i: r.import_id });
    expect(order.map((x) => x._line)).toEqual(Array.from({ length: 4000 }, (_, i) => i + 2));
    expect(order[0].rec_id).toBe(r.import_id * 1e10 + 2);
    const st = await c.ws.all<{ status: string; n: number }>(`SELECT status, count(*)::INT AS n FROM disbursements WHERE _import_id = $i GROUP BY 1 ORDER BY 1`, { i: r.import_id });
    expect(st).toEqual([{ status: 'FAILED', n: 1000 }, { status: 'PAID', n: 2000 }, { status: 'RETURNED', n: 1000 }]);
    expect(Number(await c.ws.scalar(`SELECT sum(amount) FROM disbursements WHERE _import_id = $i`, { i: r.import_id })))
      .toBe(Array.from({ length: 4000 }, (_, i) => (100 + i) * 1000).reduce((a, b) => a + b, 0));

    // the raw layer: a view that reads the file as the raw table held it
    const kind = await c.ws.scalar(`SELECT count(*) FROM duckdb_views() WHERE view_name = $t`, { t: r.raw_table });
    expect(Number(kind)).toBe(1);
    const raw = await c.ws.all<{ _line: number; ID_TRANSAKSI: string }>(`SELECT _line, "ID_TRANSAKSI" FROM ${r.raw_table} WHERE _line IN (2, 4001) ORDER BY _line`);
    expect(raw).toEqual([{ _line: 2, ID_TRANSAKSI: 'T0' }, { _line: 4001, ID_TRANSAKSI: 'T3999' }]);
    // no stage, no rejects scratch left behind
    expect(Number(await c.ws.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_stg\\_%' ESCAPE '\\' OR table_name LIKE '\\_tl\\_csv%' ESCAPE '\\'`))).toBe(0);

    await removeImport(c.ws, r.import_id, 'test removal');
    expect(Number(await c.ws.scalar(`SELECT count(*) FROM duckdb_views() WHERE view_name = $t`, { t: r.raw_table }))).toBe(0);
  });

  it('rejected lines keep their verbatim text and line; totals are rejected', async () => {
    const p = c.file('rej.csv', `${H}\n${NIK1};Budi;PKH;750000;2025-01;15/01/2025;TERSALUR;A\n;Tanpa NIK;PKH;1;2025-01;15/01/2025;;B\n${NIK2};"Ani; A";BPNT;bukan angka;2025-02;10/02/2025;;C\nJUMLAH;;;750001;;;;\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(await lastImport()).toEqual({ reader: 'duckdb_read_csv', raw_layer: 'view' });
    const rej = await c.ws.all<{ line: number; raw_text: string; column_name: string | null }>(`SELECT line, raw_text, column_name FROM rejects WHERE import_id = $i ORDER BY line`, { i: r.import_id });
    expect(rej).toEqual([
      { line: 3, raw_text: ';Tanpa NIK;PKH;1;2025-01;15/01/2025;;B', column_name: 'nik' },
      { line: 4, raw_text: `${NIK2};"Ani; A";BPNT;bukan angka;2025-02;10/02/2025;;C`, column_name: 'amount' },
      { line: 5, raw_text: 'JUMLAH;;;750001;;;;', column_name: null },
    ]);
    expect(r.quality.total_rows).toBe(1);
  });

  it('a month-first date column or a blank line leaves the file to the raw-table path (same result, other route)', async () => {
    const p = c.file('mdy.csv', `${H}\n${NIK1};Budi;PKH;750000;2025-01;01/15/2025;;A\n${NIK2};Ani;PKH;750000;2025-01;02/03/2025;;B\n`);
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(await lastImport()).toEqual({ reader: 'duckdb_read_csv', raw_layer: 'table' });
    const d = await c.ws.all<{ paid_date: string }>(`SELECT paid_date::VARCHAR AS paid_date FROM disbursements WHERE _import_id = $i ORDER BY _line`, { i: r.import_id });
    expect(d.map((x) => x.paid_date)).toEqual(['2025-01-15', '2025-02-03']);
    expect(r.warnings.join(' ')).toMatch(/month-first/);
    const b = c.file('blank.csv', `${H}\n${NIK1};Budi;PKH;750000;2025-01;15/01/2025;;A\n;;;;;;;\n${NIK2};Ani;PKH;750000;2025-01;15/01/2025;;B\n`);
    const rb = await importFile(c.ws, { kind: 'disbursements', path: b });
    expect([rb.rows_read, rb.quality.blank_lines]).toEqual([2, 1]);
    expect((await lastImport()).raw_layer).toBe('table');
  });

  it('every kind of the demo extracts takes the direct reader when its CSV is clean', async () => {
    const demo = await generateDemo({ outDir: `${c.dir}/demo`, households: 150, seed: 9, truth: false });
    const direct: Record<string, number> = {};
    let csv = 0;
    for (const f of demo.files) {
      if (!f.path.toLowerCase().endsWith('.csv')) continue;
      csv++;
      await importFile(c.ws, { kind: f.kind as never, path: f.path });
      if ((await lastImport()).raw_layer === 'view') direct[f.kind] = (direct[f.kind] ?? 0) + 1;
    }
    // the demo plants messy forms in some files (month-first dates, comma-thousands): those go the raw-table way
    expect(direct.registry).toBeGreaterThan(0);
    expect(direct.disbursements).toBeGreaterThan(0);
    expect(Object.values(direct).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(csv - 2);
  });

  it('the first import of a kind becomes the canonical table itself; later ones append; a removed import leaves room for the next', async () => {
    const t = await setup('telisik-direct-swap-');
    const { ws } = t;
    try {
      const rows = (tag: string, n: number) => Array.from({ length: n }, (_, i) =>
        `${i % 2 ? NIK1 : NIK2};${tag} ${i};PKH;${100 + i}000;2025-01;15/01/2025;TERSALUR;${tag}${i}`).join('\n');
      const cols = async () => (await ws.all<{ c: string; t: string }>(`SELECT column_name AS c, data_type AS t FROM duckdb_columns()
        WHERE table_name = 'disbursements' AND NOT internal ORDER BY column_index`)).map((x) => `${x.c}:${x.t}`);
      const layout = await cols();
      const put = (name: string, text: string) => t.file(name, text);
      const a = await importFile(ws, { kind: 'disbursements', path: put('a.csv', `${H}\n${rows('A', 300)}\n;tanpa NIK;PKH;1;2025-01;15/01/2025;;AX\n`) });
      expect([a.rows_read, a.rows_loaded, a.rows_rejected]).toEqual([301, 300, 1]);
      // exactly the schema's columns, names and types in order: no stage column is left on the canonical table
      expect(await cols()).toEqual(layout);
      const b = await importFile(ws, { kind: 'disbursements', path: put('b.csv', `${H}\n${rows('B', 200)}\n`) });
      expect(b.rows_loaded).toBe(200);
      const per = await ws.all<{ i: number; n: number; lo: number; hi: number; bad_n: number }>(`SELECT _import_id AS i, count(*)::INT AS n, min(_line)::INT AS lo, max(_line)::INT AS hi,
          count_if(rec_id <> _import_id::BIGINT * 10000000000 + _line OR name IS DISTINCT FROM (CASE WHEN _import_id = ${a.import_id} THEN 'A ' ELSE 'B ' END) || (_line - 2)::VARCHAR)::INT AS bad_n
        FROM disbursements GROUP BY 1 ORDER BY 1`);
      expect(per).toEqual([{ i: a.import_id, n: 300, lo: 2, hi: 301, bad_n: 0 }, { i: b.import_id, n: 200, lo: 2, hi: 201, bad_n: 0 }]);
      expect((await ws.all<{ line: number }>(`SELECT line FROM rejects WHERE import_id = $i`, { i: a.import_id })).map((x) => Number(x.line))).toEqual([302]);
      await removeImport(ws, a.import_id, 'test');
      await removeImport(ws, b.import_id, 'test');
      const c2 = await importFile(ws, { kind: 'disbursements', path: put('c.csv', `${H}\n${rows('C', 50)}\n`) });
      expect(Number(await ws.scalar(`SELECT count(*) FROM disbursements WHERE _import_id = $i AND _line BETWEEN 2 AND 51`, { i: c2.import_id }))).toBe(50);
      expect(await cols()).toEqual(layout);
      expect(Number(await ws.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_stg\\_%' ESCAPE '\\' OR table_name LIKE '\\_tl\\_rej%' ESCAPE '\\'`))).toBe(0);
    } finally { await t.close(); }
  });

  it('a stage left by a process killed before its transaction is dropped when the workspace is opened', async () => {
    const t = await setup('telisik-direct-crash-');
    const path = t.ws.path;
    await t.ws.run(`CREATE TABLE _stg_77 AS SELECT 1 AS x`);
    await t.ws.close();
    const ws = await Workspace.open(path);
    try {
      expect(Number(await ws.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '_stg_77'`))).toBe(0);
    } finally { await ws.close(); rmSync(t.dir, { recursive: true, force: true }); }
  });
});

describe('the order-keeping plan check', () => {
  it('refuses a plan that sorts or joins; a statement of a checked shape with other literals is not explained again', async () => {
    const explains = () => all.mock.calls.filter(([sql]) => String(sql).startsWith('EXPLAIN')).length;
    const all = vi.spyOn(c.ws, 'all');
    try {
      await expect(assertOrderKeeping(c.ws, `SELECT i, 'a' AS s FROM range(50) t(i) ORDER BY i DESC`)).rejects.toBeInstanceOf(ReorderingPlan);
      await expect(assertOrderKeeping(c.ws, `SELECT a.i FROM range(50) a(i), range(3) b(j) WHERE a.i = b.j`)).rejects.toBeInstanceOf(ReorderingPlan);
      const keep = (lit: string) => `SELECT i, upper('${lit}') AS s, regexp_matches('${lit}', '[0-9]') AS d FROM range(50) t(i)`;
      await assertOrderKeeping(c.ws, keep('x'));
      const after = explains();
      await assertOrderKeeping(c.ws, keep("o''brien 12"));
      expect(explains()).toBe(after);
      // same literals, one sort more: another shape, explained and refused
      await expect(assertOrderKeeping(c.ws, `${keep('x')} ORDER BY s`)).rejects.toBeInstanceOf(ReorderingPlan);
      expect(explains()).toBe(after + 1);
    } finally { all.mockRestore(); }
  });
});
