import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportError } from '../../src/engine/ingest';
import { sha256File } from '../../src/engine/trail/trail';
import { NIK1, NIK2, setup, type Ctx } from './helpers';

let c: Ctx;
beforeAll(async () => { c = await setup(); });
afterAll(async () => { await c.close(); });

const rowsOf = (table: string, id: number) => c.ws.all<Record<string, unknown>>(`SELECT * FROM ${table} WHERE _import_id = $id ORDER BY _line`, { id });

async function workbook(path: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('XLSX', () => {
  it('reads numeric, text, date, formula and rich-text cells; picks the sheet; title rows; numeric NIK is damaged', async () => {
    const p = await workbook(join(c.dir, 'salur.xlsx'), (wb) => {
      wb.addWorksheet('Catatan').addRow(['lembar ini kosong']);
      const ws = wb.addWorksheet('Penyaluran');
      ws.addRow(['REKAP PENYALURAN BPNT 2025']);
      ws.addRow([]);
      ws.addRow(['NIK', 'Nama KPM', 'Program', 'Nominal', 'Tgl Salur', 'Periode', 'Status']);
      ws.addRow([NIK1, { richText: [{ text: 'Bu' }, { font: { bold: true }, text: 'di' }] }, 'BPNT', 200000, new Date(Date.UTC(2025, 0, 15)), '2025-01', 'Tersalur']);
      ws.addRow([3201015505850002, 'Ani', 'PKH', { formula: 'D4*2', result: 400000 }, 45678, 'TAHAP 1 2025', { formula: '"GAGAL"', result: 'GAGAL' }]);
      ws.addRow([`'${NIK2}`, 'Tono', 'PKH', 'Rp 150.000', '16/01/2025', '', '']);
      ws.addRow(['TOTAL', '', '', 750000]);
    });
    const r = await importFile(c.ws, { kind: 'disbursements', path: p, sheet: 'penyaluran' });
    expect(r.format).toBe('xlsx');
    expect(r.sheet).toBe('Penyaluran');
    expect(r.sha256).toBe(await sha256File(p));
    expect(r.header_line).toBe(3);
    expect(r.rows_read).toBe(4);
    expect(r.rows_loaded).toBe(3);
    expect(r.rows_rejected).toBe(1);
    const rows = await rowsOf('disbursements', r.import_id);
    expect(rows.map((x) => x.nik)).toEqual([NIK1, NIK2, NIK2]);
    expect(rows.map((x) => x.nik_damaged)).toEqual([false, true, false]);
    expect(rows.map((x) => x.name)).toEqual(['Budi', 'Ani', 'Tono']);
    expect(rows.map((x) => x.amount)).toEqual([200000, 400000, 150000]);
    expect(rows.map((x) => x.paid_date)).toEqual(['2025-01-15', '2025-01-21', '2025-01-16']);
    expect(rows.map((x) => x.status)).toEqual(['PAID', 'FAILED', 'PAID']);
    expect(rows.map((x) => x.period_key)).toEqual(['2025-01', '2025-T1', '2025-01']);
    expect(rows.map((x) => x._line)).toEqual([4, 5, 6]);
    const rej = await c.ws.all<{ reason: string; line: number }>(`SELECT reason, line FROM rejects WHERE import_id = $id`, { id: r.import_id });
    expect(rej).toEqual([{ reason: 'baris total (total row)', line: 7 }]);
  });

  it('defaults to the first sheet with data and errors clearly on a missing sheet', async () => {
    const p = await workbook(join(c.dir, 'deaths.xlsx'), (wb) => {
      wb.addWorksheet('Kosong');
      const ws = wb.addWorksheet('Data');
      ws.addRow(['NIK', 'TGL_MENINGGAL']);
      ws.addRow([NIK1, new Date(Date.UTC(2024, 11, 31))]);
    });
    const r = await importFile(c.ws, { kind: 'deaths', path: p });
    expect(r.sheet).toBe('Data');
    expect((await rowsOf('deaths', r.import_id))[0].death_date).toBe('2024-12-31');
    await expect(importFile(c.ws, { kind: 'deaths', path: p, sheet: 'Nope' })).rejects.toThrow(/Nope.*tidak ditemukan/);
  });

  it('worksheets stored in the zip before xl/workbook.xml (any writer may order entries so): names, hidden state, rows', async () => {
    const src = await workbook(join(c.dir, 'order-src.xlsx'), (wb) => {
      const hidden = wb.addWorksheet('Rahasia');
      hidden.state = 'hidden';
      hidden.addRow(['NIK', 'Nama', 'Program', 'Nominal']);
      hidden.addRow([NIK2, 'Tersembunyi', 'PKH', 1]);
      const ws = wb.addWorksheet('Salur');
      ws.addRow(['NIK', 'Nama', 'Program', 'Nominal']);
      ws.addRow([NIK1, 'Budi', 'PKH', 750000]);
      ws.addRow([`'${NIK2}`, 'Ani', 'BPNT', 200000]);
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const JSZip = require('jszip');
    const zin = await JSZip.loadAsync(readFileSync(src));
    const names = Object.keys(zin.files).filter((n: string) => !zin.files[n].dir);
    const last = ['xl/workbook.xml'];
    const first = names.filter((n: string) => !last.includes(n)).sort((a: string, b: string) => Number(b.includes('worksheets/sheet')) - Number(a.includes('worksheets/sheet')) || a.localeCompare(b));
    // rels and shared strings before the sheets: exceljs then parses a sheet at once, before the workbook part
    const order = [...first.filter((n: string) => /rels$|sharedStrings|Content_Types|styles/.test(n)), ...first.filter((n: string) => !/rels$|sharedStrings|Content_Types|styles/.test(n)), ...last];
    const zout = new JSZip();
    for (const n of order) zout.file(n, await zin.files[n].async('nodebuffer'));
    const p = join(c.dir, 'order.xlsx');
    writeFileSync(p, await zout.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const entries = Object.keys((await JSZip.loadAsync(readFileSync(p))).files);
    expect(entries.findIndex((n) => n.startsWith('xl/worksheets/sheet'))).toBeLessThan(entries.indexOf('xl/workbook.xml'));
    const r = await importFile(c.ws, { kind: 'disbursements', path: p });
    expect(r.sheet).toBe('Salur');
    expect([r.rows_read, r.rows_loaded, r.rows_rejected]).toEqual([2, 2, 0]);
    expect((await rowsOf('disbursements', r.import_id)).map((x) => [x.nik, x.name, Number(x.amount)])).toEqual([[NIK1, 'Budi', 750000], [NIK2, 'Ani', 200000]]);
    expect(r.warnings.join(' ')).toMatch(/Rahasia/);
  });

  it('truncated XLSX gives a clear error and leaves the workspace unchanged', async () => {
    const good = await workbook(join(c.dir, 'full.xlsx'), (wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['NIK', 'TGL_MENINGGAL']);
      for (let i = 0; i < 2000; i++) ws.addRow([`${NIK1}`, `0${(i % 9) + 1}/01/2024 Nama panjang ${i} ${'x'.repeat(50)}`]);
    });
    const buf = readFileSync(good);
    const bad = join(c.dir, 'truncated.xlsx');
    writeFileSync(bad, buf.subarray(0, Math.floor(buf.length * 0.6)));
    const before = Number(await c.ws.scalar('SELECT count(*) FROM deaths'));
    const err = await importFile(c.ws, { kind: 'deaths', path: bad }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toMatch(/XLSX|rusak|terpotong|truncated|corrupt/i);
    expect(Number(await c.ws.scalar('SELECT count(*) FROM deaths'))).toBe(before);
  });
});

describe('Parquet and JSON', () => {
  it('Parquet: all columns as text; DOUBLE NIK is spreadsheet damage; dates and amounts parse', async () => {
    const p = join(c.dir, 'reg.parquet');
    await c.ws.run(`COPY (SELECT * FROM (VALUES ('${NIK1}', 3201015505850002::DOUBLE, 'Budi', DATE '1990-01-01', 'L', '3'), ('${NIK2}', NULL, 'Ani', DATE '1985-05-15', 'PEREMPUAN', 'DESIL 2')) v(nik, kk, nama, tgl_lahir, jk, desil)) TO '${p}' (FORMAT parquet)`);
    const r = await importFile(c.ws, { kind: 'registry', path: p });
    expect(r.format).toBe('parquet');
    expect(r.rows_loaded).toBe(2);
    const rows = await rowsOf('registry', r.import_id);
    expect(rows.map((x) => x.nik)).toEqual([NIK1, NIK2]);
    expect(rows[0].kk).toBe('3201015505850002');
    expect(rows.map((x) => x.birth_date)).toEqual(['1990-01-01', '1985-05-15']);
    expect(rows.map((x) => x.sex)).toEqual(['L', 'P']);
    expect(rows.map((x) => x.desil)).toEqual([3, 2]);
    expect(rows.map((x) => x._line)).toEqual([1, 2]);
  });

  it('Parquet NIK stored as DOUBLE is flagged damaged', async () => {
    const p = join(c.dir, 'dmg.parquet');
    await c.ws.run(`COPY (SELECT 3201014101900001::DOUBLE AS nik, 'x' AS nama) TO '${p}' (FORMAT parquet)`);
    const r = await importFile(c.ws, { kind: 'civil_servants', path: p });
    const [row] = await rowsOf('civil_servants', r.import_id);
    expect(row.nik).toBe('3201014101900001');
    expect(row.nik_damaged).toBe(true);
  });

  it('JSON array and NDJSON keep every digit of 16-digit numbers', async () => {
    const a = c.file('a.json', JSON.stringify([{ nik: NIK1, program: 'PKH', nominal: 'Rp 100.000' }]).replace(`"${NIK1}"`, NIK1) );
    const r1 = await importFile(c.ws, { kind: 'disbursements', path: a });
    expect(r1.format).toBe('json');
    expect((await rowsOf('disbursements', r1.import_id))[0]).toMatchObject({ nik: NIK1, amount: 100000, program: 'PKH' });
    const n = c.file('b.ndjson', `{"NIK": ${NIK2}, "JENIS_BANSOS": "KIP", "NOMINAL": 450000, "extra": {"a": 1}}\n{"NIK": "${NIK1}", "JENIS_BANSOS": "BLT BBM", "NOMINAL": "600.000"}\n`);
    const r2 = await importFile(c.ws, { kind: 'disbursements', path: n });
    const rows = await rowsOf('disbursements', r2.import_id);
    expect(rows.map((x) => [x.nik, x.program, x.amount])).toEqual([[NIK2, 'PIP', 450000], [NIK1, 'BLT', 600000]]);
  });

  it('non-tabular JSON gives a clear error', async () => {
    const p = c.file('nested.json', JSON.stringify({ data: [{ nik: NIK1 }], meta: { n: 1 } }));
    await expect(importFile(c.ws, { kind: 'disbursements', path: p })).rejects.toThrow(/tidak berbentuk tabel|non-tabular/);
    const q = c.file('scalars.json', '[1, 2, 3]');
    await expect(importFile(c.ws, { kind: 'disbursements', path: q })).rejects.toThrow(/tidak berbentuk tabel|non-tabular/);
  });
});
