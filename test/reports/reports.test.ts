import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, buildRealFixture, type Fixture, INJECTION, KK, NIK } from './fixture';
import { ExportCancelled, RUPIAH_FMT, maskId, writeReport, type ReportResult } from '../../src/engine/reports';
import { ReviewImportError, importReviewWorkbook } from '../../src/engine/reports/review-import';
import { type Hasil, fieldStatus } from '../../src/engine/reports/field-sample';
import { sha256File, verifyTrail } from '../../src/engine/trail/trail';
import { LATEST_REVIEW_SQL } from '../../src/engine/findings';

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('text' in o) return String(o.text);
    if ('result' in o) return String(o.result);
  }
  return v instanceof Date ? v.toISOString() : String(v);
}

/** Every cell of every sheet, as text. */
function allCells(wb: ExcelJS.Workbook): { sheet: string; address: string; cell: ExcelJS.Cell; text: string }[] {
  const out: { sheet: string; address: string; cell: ExcelJS.Cell; text: string }[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => {
      out.push({ sheet: ws.name, address: cell.address, cell, text: text(cell.value) });
    }));
  }
  return out;
}

/** Rows below the header row `h` of a sheet, as objects keyed by header text. */
function tableRows(ws: ExcelJS.Worksheet, h: number): Record<string, ExcelJS.Cell>[] {
  const headers: string[] = [];
  ws.getRow(h).eachCell((c, i) => { headers[i] = text(c.value); });
  const rows: Record<string, ExcelJS.Cell>[] = [];
  for (let r = h + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const o: Record<string, ExcelJS.Cell> = {};
    headers.forEach((name, i) => { if (name) o[name] = row.getCell(i); });
    rows.push(o);
  }
  return rows;
}

function headerRowOf(ws: ExcelJS.Worksheet): number {
  const v = ws.views[0] as { ySplit?: number } | undefined;
  return v?.ySplit ?? 1;
}

// A 16-digit run standing alone (not part of a SHA-256 hex string, not the fraction digits of a rate).
const UNMASKED_ID = /(?<![0-9A-Za-z.])\d{16}(?![0-9A-Za-z])/;

describe('report workbooks (real checks + findings over hand-built canonical rows)', () => {
  let f: Fixture;
  let bpk: ReportResult;
  let bpkWb: ExcelJS.Workbook;
  let checks: { check_id: string; evaluated: boolean; records: number; recipients: number; amount: number; sql: string }[];
  let headBefore: string;

  beforeAll(async () => {
    f = await buildRealFixture();
    checks = await f.ws.all(`SELECT check_id, evaluated, records, recipients, amount::DOUBLE AS amount, sql FROM check_results
      WHERE run_id = (SELECT max(run_id) FROM check_results) ORDER BY check_id`);
    headBefore = (await verifyTrail(f.ws, { checkSources: false })).head;
    bpk = await writeReport(f.ws, { kind: 'bpk', out: join(f.dir, 'temuan.xlsx') });
    bpkWb = await read(bpk.path);
  });
  afterAll(async () => { await f?.ws.close(); if (f) rmSync(f.dir, { recursive: true, force: true }); });

  it('BPK workbook: cover, summary, one sheet per finding, methodology, sources and trail', async () => {
    const names = bpkWb.worksheets.map((w) => w.name);
    const withExc = checks.filter((c) => c.evaluated && c.records > 0);
    expect(withExc.length).toBeGreaterThan(3);
    expect(names.slice(0, 3)).toEqual(['Sampul', 'Ringkasan Temuan', 'Rekap Wilayah & Saluran']);
    for (const c of withExc) expect(names.some((n) => n.endsWith(` ${c.check_id}`) && /^T\d\d /.test(n))).toBe(true);
    for (const c of withExc) expect(names.some((n) => n.endsWith(` ${c.check_id}`) && /^L\d\d /.test(n))).toBe(true);
    expect(names.slice(-4)).toEqual(['Metodologi', 'Metodologi SQL', 'Sumber Data', 'Jejak Audit']);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[[\]:*?/\\]/);
    }
    const cover = allCells(bpkWb).filter((c) => c.sheet === 'Sampul').map((c) => c.text);
    expect(cover).toContain('RAHASIA');
    expect(cover).toContain('Pemeriksaan Bansos 2024');
    expect(cover).toContain('Dinas Sosial Kab. Contoh');
    expect(cover).toContain('Tim Audit A');
    expect(cover).toContain('Telisik 0.1.0');
  });

  it('summary figures equal check_results, ranked by potential loss, amounts in Rupiah format, each finding linked', async () => {
    const ws = bpkWb.getWorksheet('Ringkasan Temuan')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    const rows = tableRows(ws, 3).filter((r) => /^T\d\d /.test(text(r['Ref (tautan)'].value)));
    const idOf = (r: Record<string, ExcelJS.Cell>): string => text(r['Ref (tautan)'].value).replace(/^T\d\d /, '');
    const withExc = checks.filter((c) => c.evaluated && c.records > 0);
    expect(rows.map(idOf).sort()).toEqual(withExc.map((c) => c.check_id).sort());
    for (const r of rows) {
      const c = checks.find((x) => x.check_id === idOf(r))!;
      // the link goes to the finding sheet of the same name
      expect(r['Ref (tautan)'].formula).toMatch(/^HYPERLINK\("#'T\d\d [a-z_]+'!A1"/);
      expect(bpkWb.getWorksheet(text(r['Ref (tautan)'].value))).toBeTruthy();
      expect(r['Jumlah Rekaman'].value).toBe(Number(c.records));
      if (Number(c.recipients)) expect(r['Jumlah Penerima'].value).toBe(Number(c.recipients));
      if (r['Nilai Temuan (Rp)'].value !== null) {
        expect(r['Nilai Temuan (Rp)'].value).toBeCloseTo(Number(c.amount), 2);
        expect(r['Nilai Temuan (Rp)'].numFmt).toBe(RUPIAH_FMT);
      }
      expect(r['Potensi Kerugian (Rp)'].numFmt).toBe(RUPIAH_FMT);
    }
    const losses = rows.map((r) => Number(r['Potensi Kerugian (Rp)'].value));
    expect([...losses].sort((a, b) => b - a)).toEqual(losses);
    // review status of deceased: one confirmed
    const dec = rows.find((r) => idOf(r) === 'deceased')!;
    expect(dec.Dikonfirmasi.value).toBe(1);
    const pl = await f.ws.one<{ amount: number }>('SELECT sum(amount)::DOUBLE AS amount FROM potential_loss');
    const total = tableRows(ws, 3).find((r) => /Potensi kerugian negara/.test(text(r.Temuan.value)))!;
    expect(total['Potensi Kerugian (Rp)'].value).toBeCloseTo(Number(pl!.amount), 2);
  });

  it('finding sheet: the six elements from the findings table, then the lampiran with evidence, review status and totals = header', async () => {
    const ws = bpkWb.worksheets.find((w) => /^T\d\d deceased$/.test(w.name))!;
    const finding = await f.ws.one<Record<string, string>>(`SELECT * FROM findings WHERE check_id = 'deceased'`);
    const labels = new Map<string, ExcelJS.Cell>();
    ws.eachRow((row) => { labels.set(text(row.getCell(1).value), row.getCell(2)); });
    for (const [label, key] of [['Kondisi', 'kondisi'], ['Sebab', 'sebab'], ['Akibat', 'akibat'], ['Rekomendasi', 'rekomendasi']]) {
      expect(text(labels.get(label)!.value)).toBe(finding![key]);
    }
    // Kriteria prints one criterion a row (label on the first): the rows up to the next label are the whole text.
    const kRow = Number(labels.get('Kriteria')!.row);
    const kLines: string[] = [];
    for (let i = Number(kRow); text(ws.getRow(i).getCell(1).value) === (i === Number(kRow) ? 'Kriteria' : ''); i++) kLines.push(text(ws.getRow(i).getCell(2).value));
    expect(kLines.join('\n')).toBe(finding!.kriteria.split('\n').filter((l) => l.trim() !== '').join('\n'));
    expect(kLines.length).toBe(finding!.kriteria.split('\n').filter((l) => l.trim() !== '').length);
    expect(text(labels.get('Klasifikasi')!.value)).toMatch(/^Potensi kerugian negara/);
    const tanggapan = labels.get('Tanggapan entitas')!;
    expect(text(tanggapan.value)).toBe('=1+1 tanggapan dinas');
    expect(tanggapan.type).not.toBe(ExcelJS.ValueType.Formula);
    expect(tanggapan.formula).toBeUndefined();

    const lamp = bpkWb.worksheets.find((w) => /^L\d\d deceased$/.test(w.name))!;
    const h = headerRowOf(lamp);
    expect(lamp.views[0]).toMatchObject({ state: 'frozen' });
    const all = tableRows(lamp, h);
    const rows = all.filter((r) => /^\d+$/.test(text(r['ID Rekaman'].value)));
    const c = checks.find((x) => x.check_id === 'deceased')!;
    expect(rows.length).toBe(Number(c.records));
    for (const r of rows) {
      expect(typeof r.NIK.value).toBe('string');
      expect(r.NIK.value).toMatch(/^\d{16}$/);
      expect(r['Nilai (Rp)'].numFmt).toBe(RUPIAH_FMT);
      expect(r['Tanggal Salur'].value).toBeInstanceOf(Date);
      expect(r).toHaveProperty('Tanggal Meninggal');
    }
    const reviewed = rows.find((r) => text(r['ID Rekaman'].value) === '20000000006')!;
    expect(reviewed['Status Reviu'].value).toBe('confirmed');
    expect(text(reviewed['Catatan Reviu'].value)).toContain('akta kematian');
    // the totals row: SUBTOTAL(109) over the figure column, cached value = the header figure
    const totals = all.find((r) => /^JUMLAH/.test(text(r['ID Rekaman'].value)))!;
    expect(totals['Nilai (Rp)'].formula).toMatch(/^SUBTOTAL\(109,/);
    expect(Number((totals['Nilai (Rp)'].value as { result: number }).result)).toBeCloseTo(Number(c.amount), 2);
  });

  it('formula-looking names and answers stay literal text (the only formulas are the workbook own totals and links)', () => {
    const cells = allCells(bpkWb);
    const own = /^(SUBTOTAL\(10[39],[A-Z]+\d+:[A-Z]+\d+\)|HYPERLINK\("#'[^']+'!A1","[^"]*"\)|"JUMLAH \("&SUBTOTAL\(103,[A-Z]+\d+:[A-Z]+\d+\)&" baris\)")$/;
    expect(cells.filter((c) => c.cell.type === ExcelJS.ValueType.Formula && !own.test(String(c.cell.formula))).map((c) => `${c.sheet}!${c.address} ${c.cell.formula}`)).toEqual([]);
    const inj = cells.filter((c) => c.text === INJECTION);
    expect(inj.length).toBeGreaterThan(0);
    for (const c of inj) expect(c.cell.formula).toBeUndefined();
  });

  it('methodology carries each check with its SQL; sources carry SHA-256 and row counts; trail carries every entry and the chain hash', async () => {
    const meth = tableRows(bpkWb.getWorksheet('Metodologi')!, 1);
    const sqlSheet = bpkWb.getWorksheet('Metodologi SQL')!;
    const sqlRows: [string, string][] = [];
    sqlSheet.eachRow((row, n) => { if (n > 1) sqlRows.push([text(row.getCell(1).value), text(row.getCell(2).value)]); });
    const allSql = sqlRows.map((x) => x[1]).join('\n');
    // the preparation an examiner needs before any check SQL: macros, shared temp tables, the run's rules
    expect(allSql).toMatch(/CREATE OR REPLACE TEMP MACRO nik_is_valid/);
    expect(allSql).toMatch(/CREATE OR REPLACE TEMP TABLE chk_paid/);
    expect(allSql).toMatch(/INSERT INTO chk_rules VALUES \('BPNT'/);
    for (const c of checks) {
      const r = meth.find((m) => m['Kode Uji'].value === c.check_id)!;
      expect(r).toBeTruthy();
      const lines = sqlRows.filter((x) => x[0] === c.check_id).map((x) => x[1]);
      expect(lines.slice(1, -1).join('\n')).toBe(c.sql.replace(/\r\n/g, '\n').replace(/\t/g, '  '));
      expect(text(r.Dinilai.value)).toBe(c.evaluated ? 'ya' : 'tidak (input tidak tersedia)');
      expect(text(r['Uraian Prosedur'].value).length).toBeGreaterThan(20);
      if (/chk_paid/.test(c.sql)) expect(text(r['Tabel/Makro Persiapan yang Dipakai'].value)).toContain('chk_paid');
    }
    const src = tableRows(bpkWb.getWorksheet('Sumber Data')!, 1);
    const log = await f.ws.all<{ sha256: string; rows_loaded: number }>('SELECT sha256, rows_loaded FROM import_log ORDER BY import_id');
    expect(src.map((r) => r['SHA-256'].value)).toEqual(log.map((l) => l.sha256));
    expect(src.map((r) => r['Baris dimuat'].value)).toEqual(log.map((l) => Number(l.rows_loaded)));
    const trailWs = bpkWb.getWorksheet('Jejak Audit')!;
    const cells = allCells(bpkWb).filter((c) => c.sheet === 'Jejak Audit').map((c) => c.text);
    expect(cells).toContain(headBefore);
    const entries = await f.ws.all<{ hash: string; action: string }>('SELECT hash, action FROM audit_trail ORDER BY seq');
    const inSheet = tableRows(trailWs, headerRowOf(trailWs)).map((r) => r.Hash.value);
    expect(inSheet).toEqual(entries.slice(0, -1).map((e) => e.hash));
    // the export itself is the newest trail entry, with the output path and its SHA-256
    const last = await f.ws.one<{ action: string; result: string }>('SELECT action, result FROM audit_trail ORDER BY seq DESC LIMIT 1');
    expect(last!.action).toBe('report.export');
    const res = JSON.parse(last!.result);
    expect(res.path).toBe(bpk.path);
    expect(res.sha256).toBe(await sha256File(bpk.path));
    expect(bpk.sha256).toBe(res.sha256);
    expect(existsSync(`${bpk.path}.tmp`)).toBe(false);
  });

  it('maskNik: no unmasked NIK/KK in any cell of any sheet of any workbook (cover, texts, trail params included)', async () => {
    const kinds = ['bpk', 'kkp', 'evaluator', 'field-sample'] as const;
    for (const kind of kinds) {
      const r = await writeReport(f.ws, { kind, out: join(f.dir, `masked-${kind}.xlsx`), maskNik: true, preparedBy: 'Ani', reviewedBy: 'Budi' });
      const cells = allCells(await read(r.path));
      const leaks = cells.filter((c) => UNMASKED_ID.test(c.text) || [...Object.values(NIK), ...Object.values(KK)].some((id) => c.text.includes(id)));
      expect(leaks.map((l) => `${kind} ${l.sheet}!${l.address}: ${l.text.slice(0, 80)}`)).toEqual([]);
      if (kind !== 'evaluator') expect(cells.some((c) => c.text.includes(maskId(NIK.a)))).toBe(true);
      if (kind === 'bpk') {
        expect(cells.map((c) => c.text)).toContain('UNTUK DISTRIBUSI — NIK, KK DAN NOMOR REKENING DISAMARKAN');
        expect(cells.map((c) => c.text)).not.toContain('RAHASIA');
        expect(cells.some((c) => c.text.includes(`NIK ${maskId(NIK.a)} (KK ${maskId(KK.a)})`))).toBe(true);
      }
    }
    expect(maskId('3201014501900001')).toBe('3201********0001');
  });

  it('KKP: cover with paraf blocks and own dates, one index (A./B.), a block per procedure, cross-references to lampiran sheets', async () => {
    const r = await writeReport(f.ws, { kind: 'kkp', out: join(f.dir, 'kkp.xlsx'), preparedBy: 'Ani Auditor', reviewedBy: 'Budi Ketua Tim',
      preparedAt: new Date(Date.UTC(2025, 0, 15)), reviewedAt: new Date(Date.UTC(2025, 0, 20)) });
    const wb = await read(r.path);
    const cover = wb.getWorksheet('Sampul KKP')!;
    const pairs: [string, ExcelJS.CellValue][] = [];
    cover.eachRow((row) => { pairs.push([text(row.getCell(1).value), row.getCell(2).value]); });
    const after = (label: string, from: number): [number, ExcelJS.CellValue] => { const i = pairs.findIndex((p, k) => k >= from && p[0] === label); return [i, pairs[i]?.[1]]; };
    const [pi, pBy] = after('Disusun oleh', 0);
    expect(pBy).toBe('Ani Auditor');
    expect((after('Tanggal', pi)[1] as Date).toISOString().slice(0, 10)).toBe('2025-01-15');
    const [ri, rBy] = after('Direviu oleh', 0);
    expect(rBy).toBe('Budi Ketua Tim');
    expect((after('Tanggal', ri)[1] as Date).toISOString().slice(0, 10)).toBe('2025-01-20');
    expect(pairs.map((p) => p[0])).toEqual(expect.arrayContaining(['√', 'Σ', '∧', '©', '⊘', 'Entitas yang diperiksa']));
    expect(pairs.find((p) => p[0] === 'Entitas yang diperiksa')![1]).toBe('Dinas Sosial Kab. Contoh');

    const idx = tableRows(wb.getWorksheet('Indeks KKP')!, 1).filter((x) => /^[AB]\.\d+$/.test(text(x.Ref.value)));
    const procs = idx.filter((x) => checks.some((c) => c.check_id === x['Prosedur / Indikator'].value));
    expect(procs.length).toBe(checks.length);
    expect(procs.map((p) => text(p.Ref.value))).toEqual(checks.map((_, i) => `A.${i + 1}`));
    for (const p of procs) {
      const c = checks.find((x) => x.check_id === p['Prosedur / Indikator'].value)!;
      if (c.evaluated && c.records > 0) {
        const xref = text(p['Lampiran (tautan)'].value);
        expect(xref).toBe(`${text(p.Ref.value)} ${c.check_id}`);
        const lamp = wb.getWorksheet(xref)!;
        expect(tableRows(lamp, headerRowOf(lamp)).filter((x) => /^\d+$/.test(text(x['ID Rekaman'].value))).length).toBe(Number(c.records));
      }
      if (!c.evaluated) expect(text(p.Tanda.value)).toBe('⊘');
    }
    expect(idx.some((x) => x['Prosedur / Indikator'].value === 'Targeting per Program' && /^B\.\d+$/.test(text(x.Ref.value)))).toBe(true);
    // the procedure blocks: every element labelled, texts wrapped
    const kkp = wb.getWorksheet('KKP')!;
    const labels: string[] = [];
    kkp.eachRow((row) => { labels.push(text(row.getCell(1).value)); });
    for (const l of ['Tujuan', 'Data', 'Prosedur', 'Hasil', 'Kesimpulan', 'Tanda']) expect(labels.filter((x) => x === l).length).toBeGreaterThanOrEqual(checks.length);
    // no dates when none are given: the paraf blocks stay blank
    const r2 = await writeReport(f.ws, { kind: 'kkp', out: join(f.dir, 'kkp-blank.xlsx') });
    const c2 = (await read(r2.path)).getWorksheet('Sampul KKP')!;
    c2.eachRow((row) => { if (text(row.getCell(1).value) === 'Tanggal') expect(text(row.getCell(2).value)).toBe(''); });
  });

  it('evaluator: targeting and budget indicator sheets with percent formats and conditional formatting', async () => {
    const r = await writeReport(f.ws, { kind: 'evaluator', out: join(f.dir, 'eval.xlsx') });
    const wb = await read(r.path);
    const tg = wb.getWorksheet('Targeting per Program')!;
    expect(tg).toBeTruthy();
    const h = headerRowOf(tg);
    const rows = tableRows(tg, h);
    const stored = await f.ws.all<{ program: string; inclusion_error: number }>('SELECT program, inclusion_error FROM targeting_results ORDER BY program');
    expect(rows.length).toBe(stored.length);
    const prog = rows.map((x) => x.Program.value);
    for (const s of stored) {
      const row = rows[prog.indexOf(s.program)];
      if (s.inclusion_error !== null) expect(row['Inclusion Error'].value).toBeCloseTo(s.inclusion_error, 10);
      expect(row['Inclusion Error'].numFmt).toBe('0.0%');
    }
    expect(text(tg.getRow(2).getCell(1).value)).toMatch(/^Definisi: T = rumah tangga registri/);
    const cf = (tg as unknown as { conditionalFormattings: { rules: { type: string }[] }[] }).conditionalFormattings;
    expect(cf.some((c) => c.rules.some((x) => x.type === 'colorScale'))).toBe(true);
    expect(wb.getWorksheet('Serapan Anggaran')).toBeTruthy();
    const budget = wb.getWorksheet('Serapan Anggaran')!;
    const bcf = (budget as unknown as { conditionalFormattings: { rules: { type: string }[] }[] }).conditionalFormattings;
    expect(bcf.some((c) => c.rules.some((x) => x.type === 'dataBar'))).toBe(true);
  });

  it('field-verification round trip: validations, hidden keys, reproducible sample, import → reviews, unmatched reported', async () => {
    const out1 = join(f.dir, 'uji1.xlsx');
    const r = await writeReport(f.ws, { kind: 'field-sample', out: out1, sample: 4, seed: 42 });
    const r2 = await writeReport(f.ws, { kind: 'field-sample', out: join(f.dir, 'uji2.xlsx'), sample: 4, seed: 42 });
    const wb = await read(r.path);
    const ws = wb.getWorksheet('Uji Petik')!;
    const rows = tableRows(ws, 1);
    expect(rows.length).toBe(4);
    const wb2 = await read(r2.path);
    expect(tableRows(wb2.getWorksheet('Uji Petik')!, 1).map((x) => x['KUNCI ID Rekaman'].value)).toEqual(rows.map((x) => x['KUNCI ID Rekaman'].value));
    const headers: string[] = [];
    ws.getRow(1).eachCell((c, i) => { headers[i] = text(c.value); });
    const col = (name: string): number => headers.indexOf(name);
    expect(ws.getColumn(col('KUNCI Kode Uji')).hidden).toBe(true);
    expect(ws.getColumn(col('KUNCI ID Rekaman')).hidden).toBe(true);
    expect(ws.getColumn(col('HASIL')).hidden).toBe(false);
    const hasilCell = ws.getRow(2).getCell(col('HASIL'));
    const dv = (ws as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }).dataValidations.find(hasilCell.address)!;
    expect(dv.type).toBe('list');
    expect(dv.formulae[0]).toBe('"ditemukan,tidak ditemukan,meninggal,pindah,mampu,lainnya"');
    const dvDate = (ws as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }).dataValidations.find(ws.getRow(2).getCell(col('TANGGAL')).address)!;
    expect(dvDate.type).toBe('date');
    for (const x of rows) if (x.NIK.value !== null) expect(typeof x.NIK.value).toBe('string');
    expect(rows.filter((x) => typeof x.NIK.value === 'string').length).toBeGreaterThan(0);

    // officers fill the sheet
    const fill = ['ditemukan', 'meninggal', 'lainnya', ''];
    for (let i = 0; i < 4; i++) {
      const row = ws.getRow(i + 2);
      if (fill[i]) row.getCell(col('HASIL')).value = fill[i];
      row.getCell(col('TANGGAL')).value = new Date(Date.UTC(2025, 1, 3));
      row.getCell(col('PETUGAS')).value = 'Petugas Desa';
      if (fill[i] === 'lainnya') row.getCell(col('CATATAN')).value = 'rumah kosong saat kunjungan';
    }
    const extra = ws.getRow(6);
    extra.getCell(col('KUNCI Kode Uji')).value = 'deceased';
    extra.getCell(col('KUNCI ID Rekaman')).value = '99999999999';
    extra.getCell(col('HASIL')).value = 'pindah';
    const bad = ws.getRow(7);
    bad.getCell(col('KUNCI Kode Uji')).value = 'deceased';
    bad.getCell(col('KUNCI ID Rekaman')).value = '20000000006';
    bad.getCell(col('HASIL')).value = 'entah';
    const filled = join(f.dir, 'uji-terisi.xlsx');
    await wb.xlsx.writeFile(filled);

    // A row matching no exception and a row with an unknown HASIL refuse the whole import (nothing written) …
    const reviewsBefore = Number(await f.ws.scalar('SELECT count(*) FROM reviews'));
    const refused = await importReviewWorkbook(f.ws, filled, { reviewer: 'Ketua Tim' }).then(() => null, (e: unknown) => e as ReviewImportError);
    expect(refused).toBeInstanceOf(ReviewImportError);
    expect(refused!.message).toMatch(/uji-terisi\.xlsx, Uji Petik!baris 6: tidak ada pengecualian deceased dengan rec_id 99999999999/);
    expect(refused!.message).toMatch(/uji-terisi\.xlsx, Uji Petik!baris 7: HASIL tidak dikenal: "entah"/);
    expect(Number(await f.ws.scalar('SELECT count(*) FROM reviews'))).toBe(reviewsBefore);
    // … and with partial the valid rows apply, the rejected ones are listed.
    const res = await importReviewWorkbook(f.ws, filled, { reviewer: 'Ketua Tim', partial: true });
    expect(res.rejected).toBe(2);
    expect(res.blank).toBe(1);
    expect(res.unmatched.map((u) => [u.row, u.rec_id])).toEqual([[6, '99999999999']]);
    expect(res.invalid.map((u) => u.row)).toEqual([7]);
    const latest = await f.ws.all<{ check_id: string; rec_id: number; status: string; note: string; reviewer: string }>(
      `SELECT * FROM (${LATEST_REVIEW_SQL}) ORDER BY check_id, rec_id`);
    let applied = 0;
    for (let i = 0; i < 3; i++) {
      const recId = Number(text(rows[i]['KUNCI ID Rekaman'].value));
      for (const checkId of text(rows[i]['KUNCI Kode Uji'].value).split(',')) {
        const rv = latest.find((l) => l.check_id === checkId && Number(l.rec_id) === recId)!;
        expect(rv.status).toBe(fieldStatus(checkId, fill[i] as Hasil).status);
        expect(rv.reviewer).toBe('Ketua Tim');
        expect(rv.note).toContain(`Uji petik: ${fill[i]}`);
        expect(rv.note).toContain('2025-02-03');
        if (fill[i] === 'lainnya') expect(rv.note).toContain('rumah kosong');
        applied++;
      }
    }
    expect(res.applied).toBe(applied);
    const trail = await f.ws.one<{ action: string; inputs: string }>('SELECT action, inputs FROM audit_trail ORDER BY seq DESC LIMIT 1');
    expect(trail!.action).toBe('review.import');
    expect(JSON.parse(trail!.inputs)[0].sha256).toBe(res.sha256);
  });

  it('field sheet from a sample_<name> table (tools/sampling) and from chosen records', async () => {
    const { sampleRandom } = await import('../../src/engine/tools/sampling');
    await sampleRandom(f.ws, { name: 'uji_salur', table: 'disbursements', size: 3, seed: 9 });
    const r = await writeReport(f.ws, { kind: 'field-sample', out: join(f.dir, 'uji-sample.xlsx'), sampleTable: 'uji_salur' });
    const rows = tableRows((await read(r.path)).getWorksheet('Uji Petik')!, 1);
    const sampled = await f.ws.all<{ rec_id: number }>('SELECT rec_id FROM sample_uji_salur ORDER BY _sample_seq');
    expect(rows.map((x) => text(x['KUNCI ID Rekaman'].value))).toEqual(sampled.map((x) => String(x.rec_id)));
    // a sampled record flagged by checks carries every check id; an unflagged one carries none (reported back on import)
    const flagged = await f.ws.all<{ rec_id: number; ids: string }>(`SELECT rec_id, string_agg(DISTINCT check_id, ',' ORDER BY check_id) AS ids FROM (
      SELECT 'deceased' AS check_id, rec_id FROM exc_deceased UNION ALL SELECT 'duplicate_payment', rec_id FROM exc_duplicate_payment) GROUP BY rec_id`);
    for (const x of rows) {
      const fl = flagged.find((g) => String(g.rec_id) === text(x['KUNCI ID Rekaman'].value));
      if (fl) for (const id of fl.ids.split(',')) expect(text(x['KUNCI Kode Uji'].value).split(',')).toContain(id);
    }
    const chosen = await writeReport(f.ws, { kind: 'field-sample', out: join(f.dir, 'uji-pilih.xlsx'), recIds: [20000000006] });
    const one = tableRows((await read(chosen.path)).getWorksheet('Uji Petik')!, 1);
    expect(one.map((x) => text(x['KUNCI ID Rekaman'].value))).toEqual(['20000000006']);
    expect(text(one[0]['KUNCI Kode Uji'].value).split(',')).toContain('deceased');
    expect(text(one[0].Alamat.value)).toBe('Gg. Mawar 3');
  });
  // Printing through LibreOffice (every kind, a PDF of more than 10 KB each, no ### cell…) is checked by
  // test/reports/print.test.ts in one LibreOffice run, instead of a second run for this BPK workbook alone.
});

describe('large results and cancellation (hand-built exception tables)', () => {
  let f: Fixture;
  beforeAll(async () => { f = await buildFixture({ bulk: 2500 }); });
  afterAll(async () => { await f?.ws.close(); if (f) rmSync(f.dir, { recursive: true, force: true }); });

  it('a result longer than the row limit continues on numbered sheets, nothing truncated', async () => {
    const r = await writeReport(f.ws, { kind: 'bpk', out: join(f.dir, 'split.xlsx'), rowLimit: 1000 });
    const wb = await read(r.path);
    const parts = wb.worksheets.filter((w) => /^L\d\d duplicate_payment/.test(w.name));
    expect(parts.map((p) => p.name)).toEqual(['L01 duplicate_payment', 'L01 duplicate_payment (2)', 'L01 duplicate_payment (3)']);
    const ids: string[] = [];
    for (const p of parts) {
      const h = headerRowOf(p);
      expect(p.views[0]).toMatchObject({ state: 'frozen', ySplit: h });
      expect(p.pageSetup.printTitlesRow).toBe(`${h}:${h}`);
      const rows = tableRows(p, h).filter((x) => /^\d+$/.test(text(x['ID Rekaman'].value)));
      expect(rows.length).toBeLessThanOrEqual(1000);
      for (const x of rows) ids.push(text(x['ID Rekaman'].value));
    }
    const expected = await f.ws.all<{ rec_id: number }>('SELECT rec_id FROM exc_duplicate_payment ORDER BY rec_id');
    expect(ids).toEqual(expected.map((e) => String(e.rec_id)));
    expect(ids.length).toBe(2501);
  });

  it('a cancelled export removes the partial file and records no export', async () => {
    const out = join(f.dir, 'cancel.xlsx');
    const ac = new AbortController();
    const before = Number(await f.ws.scalar('SELECT count(*) FROM audit_trail'));
    const progress: number[] = [];
    await expect(writeReport(f.ws, { kind: 'bpk', out }, {
      signal: ac.signal,
      onProgress: (p) => { progress.push(p.rows); if (p.rows > 0) ac.abort(); },
    })).rejects.toBeInstanceOf(ExportCancelled);
    expect(progress.length).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tmp`)).toBe(false);
    expect(readdirSync(f.dir).filter((n) => n.startsWith('cancel'))).toEqual([]);
    expect(Number(await f.ws.scalar('SELECT count(*) FROM audit_trail'))).toBe(before);
  });
});

describe('CLI: telisik report / review-import, and exportXlsx for grid views', () => {
  it('writes each kind from the command line and imports a filled sheet back', async () => {
    // The command objects are called directly (the registry's require() of .ts files is for the tsx-run binary).
    const { reportCommand } = await import('../../src/cli/commands/report');
    const { reviewImportCommand } = await import('../../src/cli/commands/review-import');
    const { UsageError } = await import('../../src/cli/args');
    const main = async (argv: string[]): Promise<number> => {
      const cmd = argv[0] === 'report' ? reportCommand : reviewImportCommand;
      try { return await cmd.run(argv.slice(1)); } catch (e) { if (e instanceof UsageError) return 2; throw e; }
    };
    const f = await buildRealFixture();
    const { path, dir } = f;
    // a generic view export with the same formatting rules (used by the service layer)
    const { exportXlsx } = await import('../../src/engine/reports');
    const v = await exportXlsx(f.ws, { sql: `SELECT nik, name, amount, paid_date FROM disbursements WHERE amount >= $min ORDER BY rec_id`, params: { min: 200000 }, out: join(dir, 'view.xlsx'), sheet: 'disbursements [view]', mask: true });
    const vw = (await read(v.path)).worksheets[0];
    expect(vw.name).toBe('disbursements -view-');
    expect(tableRows(vw, 1).length).toBe(v.rows);
    expect(tableRows(vw, 1)[0].NIK.value).toBe(maskId(NIK.a));
    expect(tableRows(vw, 1)[0]['Nilai (Rp)'].numFmt).toBe(RUPIAH_FMT);
    await f.ws.close();

    const logs: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
    try {
      for (const kind of ['bpk', 'kkp', 'evaluator']) {
        expect(await main(['report', '--workspace', path, '--kind', kind, '--out', join(dir, `cli-${kind}.xlsx`), '--mask-nik', '--prepared-by', 'Ani', '--reviewed-by', 'Budi'])).toBe(0);
        expect(existsSync(join(dir, `cli-${kind}.xlsx`))).toBe(true);
      }
      expect(await main(['report', '--workspace', path, '--kind', 'field-sample', '--out', join(dir, 'cli-uji.xlsx'), '--sample', '2', '--seed', '5'])).toBe(0);
      expect(await main(['report', '--workspace', path, '--kind', 'nope', '--out', join(dir, 'x.xlsx')])).toBe(2);
      const wb = await read(join(dir, 'cli-uji.xlsx'));
      const ws = wb.getWorksheet('Uji Petik')!;
      const headers: string[] = [];
      ws.getRow(1).eachCell((c, i) => { headers[i] = text(c.value); });
      ws.getRow(2).getCell(headers.indexOf('HASIL')).value = 'mampu';
      await wb.xlsx.writeFile(join(dir, 'cli-uji-terisi.xlsx'));
      expect(await main(['review-import', '--workspace', path, join(dir, 'cli-uji-terisi.xlsx'), '--reviewer', 'Ketua'])).toBe(0);
      expect(logs.join('\n')).toMatch(/terkonfirmasi [1-9]/);
    } finally {
      console.log = orig;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
