/**
 * The workbook reader takes each zip part by its offset from the central directory (src/engine/ingest/zip.ts): the
 * sheets come in the workbook's tab order with their names, whatever the order of the parts in the file, and a
 * workbook that lost its tail is refused instead of read in part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile } from '../../src/engine/ingest';
import { readXlsx, xlsxSheetNames } from '../../src/engine/ingest/xlsx';
import { zipDirectory } from '../../src/engine/ingest/zip';
import { writeZip } from '../../scripts/make-bad-inputs';

/** A zip of stored (uncompressed) parts in the given order, as some writers produce. */
const storedZip = (path: string, entries: { name: string; data: Buffer }[]) => writeZip(path, entries, { stored: true });

let dir: string;
let ws: Workspace;
const NIK = '3201014101900001';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-xlsxparts-'));
  ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'xlsx parts' });
});
afterAll(async () => { await ws?.close(); rmSync(dir, { recursive: true, force: true }); });

async function rowsOf(path: string, sheet?: string): Promise<{ sheet: string; rows: string[][] }> {
  const rows: string[][] = [];
  const used = await readXlsx(path, { sheet, onRow: (r) => rows.push(r.cells), tick: async () => {} });
  return { sheet: used, rows };
}

/** Every part of a zip, inflated, in the file's order. */
async function parts(path: string): Promise<{ name: string; data: Buffer }[]> {
  const buf = readFileSync(path);
  return (await zipDirectory(path))!.map((e) => {
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const raw = buf.subarray(start, start + e.compressed);
    return { name: e.name, data: e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw) };
  });
}

describe('XLSX parts read by offset', () => {
  it('sheets come in tab order with their names when the tabs were reordered (parts keep their old names)', async () => {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet('Alpha'); a.addRow(['NIK', 'NAMA']); a.addRow([NIK, 'dari Alpha']);
    const b = wb.addWorksheet('Beta'); b.addRow(['NIK', 'NAMA']); b.addRow([NIK, 'dari Beta']);
    // Beta is the first tab; its part is still xl/worksheets/sheet2.xml (orderNo: the tab position exceljs writes, untyped)
    (a as unknown as { orderNo: number }).orderNo = 2;
    (b as unknown as { orderNo: number }).orderNo = 1;
    const src = join(dir, 'reordered-src.xlsx');
    await wb.xlsx.writeFile(src);
    // the parts stored by name, as Excel keeps them: Alpha's part comes first in the file, Beta's tab first in the book
    const p = join(dir, 'reordered.xlsx');
    storedZip(p, (await parts(src)).filter((e) => !e.name.endsWith('/')).sort((x, y) => x.name.localeCompare(y.name)));
    expect((await zipDirectory(p))!.map((e) => e.name).filter((n) => n.startsWith('xl/worksheets/'))).toEqual(['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
    expect(await xlsxSheetNames(p)).toEqual(['Beta', 'Alpha']);
    expect(await rowsOf(p)).toEqual({ sheet: 'Beta', rows: [['NIK', 'NAMA'], [NIK, 'dari Beta']] });
    expect(await rowsOf(p, 'alpha')).toEqual({ sheet: 'Alpha', rows: [['NIK', 'NAMA'], [NIK, 'dari Alpha']] });
  });

  it('stored parts, the workbook part first, a sheet part not named sheetN.xml behind an absolute target: read as written', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Catatan').addRow(['lembar catatan']);
    const s = wb.addWorksheet('Data Salur'); s.addRow(['NIK', 'NAMA', 'NOMINAL']); s.addRow([NIK, 'Budi', 200000]);
    const src = join(dir, 'plain.xlsx');
    await wb.xlsx.writeFile(src);
    const all = await parts(src);
    const rename = (n: string) => (n === 'xl/worksheets/sheet2.xml' ? 'xl/worksheets/salur.xml' : n);
    const fixed = all.map(({ name, data }) => ({
      name: rename(name),
      data: name === 'xl/_rels/workbook.xml.rels' ? Buffer.from(data.toString('utf8').replace('Target="worksheets/sheet2.xml"', 'Target="/xl/worksheets/salur.xml"')) : data,
    }));
    const order = ['xl/workbook.xml', ...fixed.map((e) => e.name).filter((n) => n !== 'xl/workbook.xml').reverse()];
    const p = join(dir, 'stored.xlsx');
    storedZip(p, order.map((n) => fixed.find((e) => e.name === n)!));
    expect((await zipDirectory(p))!.every((e) => e.method === 0)).toBe(true);
    expect(await xlsxSheetNames(p)).toEqual(['Catatan', 'Data Salur']);
    expect(await rowsOf(p, 'Data Salur')).toEqual({ sheet: 'Data Salur', rows: [['NIK', 'NAMA', 'NOMINAL'], [NIK, 'Budi', '200000']] });
  });

  it('a workbook part not at xl/workbook.xml is found through the package relationships', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('Registri'); s.addRow(['NIK', 'NAMA']); s.addRow([NIK, 'Siti']);
    const src = join(dir, 'book-src.xlsx');
    await wb.xlsx.writeFile(src);
    const moved = (await parts(src)).filter((e) => !e.name.endsWith('/')).map(({ name, data }) => ({
      name: name === 'xl/workbook.xml' ? 'xl/buku.xml' : name === 'xl/_rels/workbook.xml.rels' ? 'xl/_rels/buku.xml.rels' : name,
      data: name === '_rels/.rels' ? Buffer.from(data.toString('utf8').replace('Target="xl/workbook.xml"', 'Target="/xl/buku.xml"')) : data,
    }));
    expect(moved.find((e) => e.name === '_rels/.rels')!.data.toString('utf8')).toContain('Target="/xl/buku.xml"');
    const p = join(dir, 'buku.xlsx');
    storedZip(p, moved);
    expect(await rowsOf(p)).toEqual({ sheet: 'Registri', rows: [['NIK', 'NAMA'], [NIK, 'Siti']] });
  });

  it('a workbook cut before its last part and central directory is refused as truncated; nothing is loaded', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Salur').addRows([['NIK', 'NAMA', 'PROGRAM', 'NOMINAL'], [NIK, 'Budi', 'BPNT', 200000]]);
    const whole = join(dir, 'whole.xlsx');
    await wb.xlsx.writeFile(whole);
    const last = (await zipDirectory(whole))!.reduce((m, e) => (e.offset > m.offset ? e : m));
    expect(last.name).toBe('xl/workbook.xml'); // exceljs writes the workbook part last
    const cut = join(dir, 'cut.xlsx');
    writeFileSync(cut, readFileSync(whole).subarray(0, last.offset));
    const before = Number(await ws.scalar('SELECT count(*) FROM import_log'));
    await expect(importFile(ws, { kind: 'other', path: cut, table: 'potong' })).rejects.toThrow(/cut\.xlsx rusak atau terpotong \(corrupt or truncated XLSX\)/);
    expect(await ws.tableExists('potong')).toBe(false);
    expect(Number(await ws.scalar(`SELECT count(*) FROM import_log WHERE status = 'completed'`))).toBe(0);
    expect(Number(await ws.scalar('SELECT count(*) FROM import_log'))).toBeGreaterThanOrEqual(before);
    // the whole file still imports
    const r = await importFile(ws, { kind: 'other', path: whole, table: 'utuh' });
    expect([r.sheet, r.rows_loaded]).toEqual(['Salur', 1]);
  });

  it('a sheet part the workbook names but the zip lacks is refused, not skipped', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Satu').addRow(['a']);
    wb.addWorksheet('Dua').addRow(['b']);
    const src = join(dir, 'two.xlsx');
    await wb.xlsx.writeFile(src);
    const p = join(dir, 'missing-part.xlsx');
    storedZip(p, (await parts(src)).filter((e) => e.name !== 'xl/worksheets/sheet2.xml'));
    await expect(rowsOf(p)).rejects.toThrow(/xl\/worksheets\/sheet2\.xml \(sheet "Dua"\) is missing/);
  });
});
