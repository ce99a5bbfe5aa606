// The field-verification round trip never drops a filled result silently: every way a returned sheet can lose a
// result (not a field sheet, result or key column gone, conflicting duplicates, a date that is not a date, a row that
// matches no exception) is refused with a non-zero exit and a message naming file, sheet and row; deleted rows are
// reported; the sheet is protected with only the fill-in columns editable; only exceptions with a NIK are sampled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile, type Kind } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { generateDemo } from '../../src/engine/demo/generate';
import { writeReport } from '../../src/engine/reports';
import { fieldStatus } from '../../src/engine/reports/field-sample';
import { parseFieldDate } from '../../src/engine/reports/review-import';

let dir: string;
let wsPath: string;
let sample: string;
let bpk: string;

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return String(o.result);
  }
  return String(v);
}

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const { reviewImportCommand } = await import('../../src/cli/commands/review-import');
  const lines: string[] = [];
  const [log, err] = [console.log, console.error];
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    return { code: await reviewImportCommand.run(argv), out: lines.join('\n') };
  } finally { console.log = log; console.error = err; }
}

/** Opens the issued sheet, lets `edit` change it, saves it under `name`. */
async function variant(name: string, edit: (s: ExcelJS.Worksheet, col: (h: string) => number, wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sample);
  const s = wb.getWorksheet('Uji Petik')!;
  const headers: string[] = [];
  s.getRow(1).eachCell((c, i) => { headers[i] = text(c.value); });
  edit(s, (h) => { const i = headers.indexOf(h); if (i < 1) throw new Error(`no column ${h}`); return i; }, wb);
  const out = join(dir, name);
  await wb.xlsx.writeFile(out);
  return out;
}

async function importArgs(file: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  return cli(['--workspace', wsPath, file, ...extra]);
}

async function reviewCount(): Promise<number> {
  const ws = await Workspace.open(wsPath);
  try { return (await ws.tableExists('reviews')) ? Number(await ws.scalar('SELECT count(*) FROM reviews')) : 0; } finally { await ws.close(); }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-field-'));
  const demo = await generateDemo({ outDir: join(dir, 'demo'), households: 400, seed: 5, truth: false });
  wsPath = join(dir, 'w.duckdb');
  const ws = await Workspace.create(wsPath, { name: 'uji petik' });
  try {
    for (const f of demo.files) await importFile(ws, { kind: f.kind as Kind, path: f.path });
    await runChecks(ws);
    sample = (await writeReport(ws, { kind: 'field-sample', out: join(dir, 'uji.xlsx'), sample: 40, seed: 3 })).path;
    bpk = (await writeReport(ws, { kind: 'bpk', out: join(dir, 'bpk.xlsx') })).path;
  } finally { await ws.close(); }
}, 120_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('field sheet as issued', () => {
  it('samples only exceptions with a NIK, protects the sheet and leaves only the fill-in columns editable', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(sample);
    const s = wb.getWorksheet('Uji Petik')!;
    const headers: string[] = [];
    s.getRow(1).eachCell((c, i) => { headers[i] = text(c.value); });
    expect(s.rowCount - 1).toBe(40);
    for (let r = 2; r <= s.rowCount; r++) expect(text(s.getRow(r).getCell(headers.indexOf('NIK')).value)).toMatch(/\S/);
    expect((s as unknown as { sheetProtection?: { sheet?: boolean; password?: string } }).sheetProtection?.sheet).toBe(true);
    for (const h of ['HASIL', 'TANGGAL', 'PETUGAS', 'CATATAN']) expect(s.getRow(2).getCell(headers.indexOf(h)).style.protection?.locked).toBe(false);
    for (const h of ['NIK', 'KUNCI ID Rekaman']) expect(s.getRow(2).getCell(headers.indexOf(h)).style.protection?.locked).not.toBe(false);
    const key = wb.getWorksheet('Kunci Uji Petik')!;
    expect(key.state).toBe('hidden');
    expect(key.rowCount - 1).toBe(40);
    const guide = wb.getWorksheet('Petunjuk')!;
    const cells: string[] = [];
    guide.eachRow((row) => row.eachCell((c) => { cells.push(text(c.value)); }));
    expect(cells.join('\n')).toMatch(/Penerima meninggal \(deceased\)/);
    expect(cells.join('\n')).toMatch(/ditemukan → tetap terbuka \(KONTRADIKSI/);
  });

  it('maps a field result per check family ("ditemukan" on a deceased exception is a contradiction, not a clearance)', () => {
    expect(fieldStatus('deceased', 'ditemukan').status).toBe('open');
    expect(fieldStatus('deceased', 'ditemukan').note).toMatch(/KONTRADIKSI/);
    expect(fieldStatus('deceased', 'meninggal').status).toBe('confirmed');
    expect(fieldStatus('not_in_registry', 'ditemukan').status).toBe('cleared');
    expect(fieldStatus('duplicate_payment', 'ditemukan').status).toBe('open');
    expect(parseFieldDate('kemarin')).toBeNull();
    expect(parseFieldDate('31/02/2025')).toBeNull();
    expect(parseFieldDate('05/03/2025')).toBe('2025-03-05');
    expect(parseFieldDate(new Date(Date.UTC(2025, 2, 5)))).toBe('2025-03-05');
  });
});

describe('review-import refuses what it cannot apply (non-zero exit, file, sheet and row named, nothing written)', () => {
  it('the BPK workbook imported by mistake', async () => {
    const before = await reviewCount();
    const r = await importArgs(bpk);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/bpk\.xlsx: bukan lembar uji petik/);
    expect(r.out).toMatch(/Ringkasan Temuan/);
    expect(await reviewCount()).toBe(before);
  });

  it('the HASIL header renamed to something unknown', async () => {
    const f = await variant('renamed.xlsx', (s, col) => { s.getRow(2).getCell(col('HASIL')).value = 'mampu'; s.getRow(1).getCell(col('HASIL')).value = 'KET'; });
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/renamed\.xlsx, sheet "Uji Petik": kolom hasil tidak ditemukan/);
  });

  it('the HASIL column deleted', async () => {
    const f = await variant('nohasil.xlsx', (s, col) => { s.spliceColumns(col('HASIL'), 1); });
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/nohasil\.xlsx, sheet "Uji Petik": kolom hasil tidak ditemukan/);
  });

  it('the record-id column deleted', async () => {
    const f = await variant('norec.xlsx', (s, col) => { s.getRow(2).getCell(col('HASIL')).value = 'mampu'; s.spliceColumns(col('KUNCI ID Rekaman'), 1); });
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/norec\.xlsx, sheet "Uji Petik": kolom kunci ID Rekaman \(rec_id\) tidak ditemukan/);
  });

  it('the same record twice with conflicting results (both rows named)', async () => {
    const f = await variant('dup.xlsx', (s, col) => {
      const last = s.rowCount;
      s.getRow(2).getCell(col('HASIL')).value = 'mampu';
      const src = s.getRow(2);
      const dst = s.getRow(last + 1);
      src.eachCell({ includeEmpty: true }, (c, i) => { dst.getCell(i).value = c.value; });
      dst.getCell(col('HASIL')).value = 'ditemukan';
      dst.commit();
    });
    const before = await reviewCount();
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/Uji Petik!baris 2: .*hasil bertentangan \(baris 2 dan 42\)/);
    expect(r.out).toMatch(/Uji Petik!baris 42: .*hasil bertentangan \(baris 2 dan 42\)/);
    expect(await reviewCount()).toBe(before);
  });

  it('a TANGGAL that is not a date ("kemarin") with its row', async () => {
    const f = await variant('kemarin.xlsx', (s, col) => { s.getRow(3).getCell(col('HASIL')).value = 'pindah'; s.getRow(3).getCell(col('TANGGAL')).value = 'kemarin'; });
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/kemarin\.xlsx, Uji Petik!baris 3: TANGGAL "kemarin" bukan tanggal/);
  });

  it('a row that matches no exception; with --partial the valid rows apply and the exit stays non-zero', async () => {
    const f = await variant('nomatch.xlsx', (s, col) => {
      s.getRow(2).getCell(col('HASIL')).value = 'mampu';
      s.getRow(4).getCell(col('HASIL')).value = 'tidak ditemukan';
      s.getRow(4).getCell(col('KUNCI ID Rekaman')).value = '999999999999';
    });
    const before = await reviewCount();
    const r = await importArgs(f);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/nomatch\.xlsx, Uji Petik!baris 4: .*999999999999/);
    expect(await reviewCount()).toBe(before);
    const p = await importArgs(f, '--partial');
    expect(p.code).not.toBe(0);
    expect(await reviewCount()).toBeGreaterThan(before);
  });

  it('a clean return imports, reports deleted rows and the potential loss as found and as confirmed', async () => {
    const f = await variant('ok.xlsx', (s, col) => {
      s.getRow(1).getCell(col('HASIL')).value = 'HASIL VERIFIKASI';
      s.getRow(2).getCell(col('HASIL')).value = 'tidak ditemukan';
      s.getRow(2).getCell(col('TANGGAL')).value = '12/03/2025';
      s.getRow(5).getCell(col('HASIL')).value = 'Mampu';
      s.spliceRows(10, 1);
    });
    const before = await reviewCount();
    const r = await importArgs(f, '--reviewer', 'Ketua Tim');
    expect(r.out).toMatch(/baris No 9 \(rec_id \d+.*\) dihapus dari lembar/);
    expect(r.out).toMatch(/potensi kerugian sampel: temuan Rp [\d.]+, terkonfirmasi setelah reviu Rp [\d.]+/);
    expect(r.code).toBe(0);
    expect(await reviewCount()).toBeGreaterThan(before);
  });
});
