import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { previewFile, xlsxSheetNames } from '../../src/engine/service/preview';

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'telisik-preview-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import preview', () => {
  it('CSV: title lines skipped, delimiter and kind detected, mapping suggested, quoted fields parsed', async () => {
    const p = join(dir, 'salur.csv');
    writeFileSync(p, 'LAPORAN PENYALURAN BPNT\nDinas Sosial Kab. Contoh\n\nNO_NIK;NAMA_KPM;JENIS_BANSOS;NILAI_BANTUAN;TGL_SALUR;STATUS\n\'3201014508900001;"AMINAH; SITI";SEMBAKO;Rp 200.000;14/03/2025;TERSALUR\n3201014508900002;BUDI;PKH;750.000;15/03/2025;GAGAL\n');
    const r = await previewFile({ path: p, rows: 10 });
    expect(r).toMatchObject({ format: 'csv', delimiter: ';', header_line: 4, suggested_kind: 'disbursements', missing_required: [] });
    expect(r.headers).toEqual(['NO_NIK', 'NAMA_KPM', 'JENIS_BANSOS', 'NILAI_BANTUAN', 'TGL_SALUR', 'STATUS']);
    expect(r.suggested_mapping).toMatchObject({ nik: 'NO_NIK', name: 'NAMA_KPM', program: 'JENIS_BANSOS', amount: 'NILAI_BANTUAN', paid_date: 'TGL_SALUR', status: 'STATUS' });
    expect(r.rows[0][1]).toBe('AMINAH; SITI');
    expect(r.rows).toHaveLength(2);
  });

  it('CSV in Windows-1252 is read, with a warning', async () => {
    const p = join(dir, 'w1252.csv');
    writeFileSync(p, Buffer.from('NIK,NAMA,TGL_MENINGGAL\n3201014508900001,Jos\xe9 \xc9lise,2024-01-02\n', 'latin1'));
    const r = await previewFile({ path: p, rows: 5 });
    expect(r.encoding).toBe('windows-1252');
    expect(r.rows[0][1]).toBe('José Élise');
    expect(r.suggested_kind).toBe('deaths');
  });

  it('XLSX: lists sheets, previews the chosen one', async () => {
    const p = join(dir, 'book.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Catatan & info').addRow(['catatan']);
    const ws = wb.addWorksheet('Registri');
    ws.addRow(['NIK', 'NAMA', 'DESIL', 'TGL_LAHIR']);
    ws.addRow(['3201014508900001', 'SITI', 3, new Date('1990-08-05')]);
    await wb.xlsx.writeFile(p);
    expect(await xlsxSheetNames(p)).toEqual(['Catatan & info', 'Registri']);
    const r = await previewFile({ path: p, sheet: 'Registri', rows: 5 });
    expect(r).toMatchObject({ format: 'xlsx', sheet: 'Registri', sheets: ['Catatan & info', 'Registri'], suggested_kind: 'registry' });
    expect(r.rows[0]).toEqual(['3201014508900001', 'SITI', '3', '1990-08-05']);
  });
});
