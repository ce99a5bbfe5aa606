import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFixture, buildRealFixture, type Fixture, INJECTION, KK, NIK } from './fixture';
import { ExportCancelled, RUPIAH_FMT, maskId, writeReport, type ReportResult } from '../../src/engine/reports';
import { importReviewWorkbook } from '../../src/engine/reports/review-import';
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
    expect(names.slice(0, 2)).toEqual(['Sampul', 'Ringkasan Temuan']);
    for (const c of withExc) expect(names.some((n) => n.endsWith(` ${c.check_id}`) && /^T\d\d /.test(n))).toBe(true);
    expect(names.slice(-3)).toEqual(['Metodologi', 'Sumber Data', 'Jejak Audit']);
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

  it('summary figures equal check_results, ranked by potential loss, amounts in Rupiah format', async () => {
    const ws = bpkWb.getWorksheet('Ringkasan Temuan')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.printTitlesRow).toBe('1:1');
    const rows = tableRows(ws, 1).filter((r) => text(r.Prosedur.value));
    const withExc = checks.filter((c) => c.evaluated && c.records > 0);
    expect(rows.map((r) => r.Prosedur.value).sort()).toEqual(withExc.map((c) => c.check_id).sort());
    for (const r of rows) {
      const c = checks.find((x) => x.check_id === r.Prosedur.value)!;
      expect(r.Catatan.value).toBe(Number(c.records));
      expect(r.Penerima.value).toBe(Number(c.recipients));
      expect(r['Nilai (Rp)'].value).toBeCloseTo(Number(c.amount), 2);
      expect(r['Nilai (Rp)'].numFmt).toBe(RUPIAH_FMT);
      expect(r['Potensi kerugian (Rp)'].numFmt).toBe(RUPIAH_FMT);
    }
    const losses = rows.map((r) => Number(r['Potensi kerugian (Rp)'].value));
    expect([...losses].sort((a, b) => b - a)).toEqual(losses);
    // review status of deceased: one confirmed
    const dec = rows.find((r) => r.Prosedur.value === 'deceased')!;
    expect(dec.Terkonfirmasi.value).toBe(1);
    const pl = await f.ws.one<{ amount: number }>('SELECT sum(amount)::DOUBLE AS amount FROM potential_loss');
    const total = tableRows(ws, 1).find((r) => /Potensi kerugian negara/.test(text(r.Temuan.value)))!;
    expect(total['Potensi kerugian (Rp)'].value).toBeCloseTo(Number(pl!.amount), 2);
  });

  it('finding sheet: the six elements from the findings table, then the lampiran with evidence and review status', async () => {
    const ws = bpkWb.worksheets.find((w) => w.name.endsWith(' deceased'))!;
    const finding = await f.ws.one<Record<string, string>>(`SELECT * FROM findings WHERE check_id = 'deceased'`);
    const labels = new Map<string, ExcelJS.Cell>();
    ws.eachRow((row) => { labels.set(text(row.getCell(1).value), row.getCell(2)); });
    for (const [label, key] of [['Kondisi', 'kondisi'], ['Kriteria', 'kriteria'], ['Sebab', 'sebab'], ['Akibat', 'akibat'], ['Rekomendasi', 'rekomendasi']]) {
      expect(text(labels.get(label)!.value)).toBe(finding![key]);
    }
    const tanggapan = labels.get('Tanggapan entitas')!;
    expect(text(tanggapan.value)).toBe('=1+1 tanggapan dinas');
    expect(tanggapan.type).not.toBe(ExcelJS.ValueType.Formula);
    expect(tanggapan.formula).toBeUndefined();

    const h = headerRowOf(ws);
    expect(ws.views[0]).toMatchObject({ state: 'frozen' });
    expect(text(ws.getRow(h).getCell(6).value)).toBe('NIK');
    const rows = tableRows(ws, h);
    const c = checks.find((x) => x.check_id === 'deceased')!;
    expect(rows.length).toBe(Number(c.records));
    for (const r of rows) {
      expect(typeof r.NIK.value).toBe('string');
      expect(r.NIK.value).toMatch(/^\d{16}$/);
      expect(r['Nilai (Rp)'].numFmt).toBe(RUPIAH_FMT);
      expect(r['Tanggal salur'].value).toBeInstanceOf(Date);
      expect(r).toHaveProperty('death_date');
    }
    const reviewed = rows.find((r) => text(r['ID catatan'].value) === '20000000006')!;
    expect(reviewed['Status reviu'].value).toBe('confirmed');
    expect(text(reviewed['Catatan reviu'].value)).toContain('akta kematian');
  });

  it('formula-looking names and answers stay literal text (no cell in the workbook is a formula)', () => {
    const cells = allCells(bpkWb);
    expect(cells.filter((c) => c.cell.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const inj = cells.filter((c) => c.text === INJECTION);
    expect(inj.length).toBeGreaterThan(0);
    for (const c of inj) expect(c.cell.formula).toBeUndefined();
  });

  it('methodology carries each check with its SQL; sources carry SHA-256 and row counts; trail carries every entry and the chain hash', async () => {
    const meth = tableRows(bpkWb.getWorksheet('Metodologi')!, 1);
    for (const c of checks) {
      const r = meth.find((m) => m.Prosedur.value === c.check_id)!;
      expect(r).toBeTruthy();
      expect(text(r.SQL.value)).toBe(c.sql.length > 32700 ? text(r.SQL.value) : c.sql);
      expect(text(r.Dievaluasi.value)).toBe(c.evaluated ? 'ya' : 'tidak (input tidak tersedia)');
      expect(text(r['Uraian prosedur'].value).length).toBeGreaterThan(20);
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
        expect(cells.map((c) => c.text)).toContain('UNTUK DISTRIBUSI — NIK/KK DISAMARKAN');
        expect(cells.map((c) => c.text)).not.toContain('RAHASIA');
        expect(cells.some((c) => c.text.includes(`NIK ${maskId(NIK.a)} (KK ${maskId(KK.a)})`))).toBe(true);
      }
    }
    expect(maskId('3201014501900001')).toBe('3201********0001');
  });

  it('KKP: one row per procedure with prepared/reviewed by and dates, cross-references to lampiran sheets', async () => {
    const r = await writeReport(f.ws, { kind: 'kkp', out: join(f.dir, 'kkp.xlsx'), preparedBy: 'Ani Auditor', reviewedBy: 'Budi Ketua Tim',
      preparedAt: new Date(Date.UTC(2025, 0, 15)), reviewedAt: new Date(Date.UTC(2025, 0, 20)) });
    const wb = await read(r.path);
    const ws = wb.getWorksheet('KKP')!;
    const rows = tableRows(ws, headerRowOf(ws));
    const procs = rows.filter((x) => checks.some((c) => c.check_id === x.Prosedur.value));
    expect(procs.length).toBe(checks.length);
    for (const p of procs) {
      const c = checks.find((x) => x.check_id === p.Prosedur.value)!;
      expect(p['Disusun oleh'].value).toBe('Ani Auditor');
      expect(p['Direviu oleh'].value).toBe('Budi Ketua Tim');
      expect((p['Tgl disusun'].value as Date).toISOString().slice(0, 10)).toBe('2025-01-15');
      expect((p['Tgl direviu'].value as Date).toISOString().slice(0, 10)).toBe('2025-01-20');
      expect(text(p.Tujuan.value).length).toBeGreaterThan(5);
      if (c.evaluated && c.records > 0) {
        const xref = text(p['Referensi silang (sheet)'].value);
        expect(wb.getWorksheet(xref)).toBeTruthy();
        const lamp = wb.getWorksheet(xref)!;
        expect(tableRows(lamp, headerRowOf(lamp)).length).toBe(Number(c.records));
      }
      if (!c.evaluated) expect(text(p.Hasil.value)).toMatch(/Tidak dievaluasi/);
    }
    expect(rows.some((x) => x.Prosedur.value === 'targeting_results')).toBe(true);
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
      if (s.inclusion_error !== null) expect(row.inclusion_error.value).toBeCloseTo(s.inclusion_error, 10);
      expect(row.inclusion_error.numFmt).toBe('0.0%');
    }
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
    expect(tableRows(wb2.getWorksheet('Uji Petik')!, 1).map((x) => x.rec_id.value)).toEqual(rows.map((x) => x.rec_id.value));
    const headers: string[] = [];
    ws.getRow(1).eachCell((c, i) => { headers[i] = text(c.value); });
    const col = (name: string): number => headers.indexOf(name);
    expect(ws.getColumn(col('check_id')).hidden).toBe(true);
    expect(ws.getColumn(col('rec_id')).hidden).toBe(true);
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
    extra.getCell(col('check_id')).value = 'deceased';
    extra.getCell(col('rec_id')).value = '99999999999';
    extra.getCell(col('HASIL')).value = 'pindah';
    const bad = ws.getRow(7);
    bad.getCell(col('check_id')).value = 'deceased';
    bad.getCell(col('rec_id')).value = '20000000006';
    bad.getCell(col('HASIL')).value = 'entah';
    const filled = join(f.dir, 'uji-terisi.xlsx');
    await wb.xlsx.writeFile(filled);

    const res = await importReviewWorkbook(f.ws, filled, { reviewer: 'Ketua Tim' });
    expect(res.blank).toBe(1);
    expect(res.unmatched.map((u) => [u.row, u.rec_id])).toEqual([[6, '99999999999']]);
    expect(res.invalid.map((u) => u.row)).toEqual([7]);
    const latest = await f.ws.all<{ check_id: string; rec_id: number; status: string; note: string; reviewer: string }>(
      `SELECT * FROM (${LATEST_REVIEW_SQL}) ORDER BY check_id, rec_id`);
    const expected = { ditemukan: 'cleared', meninggal: 'confirmed', lainnya: 'open' } as Record<string, string>;
    let applied = 0;
    for (let i = 0; i < 3; i++) {
      const recId = Number(text(rows[i].rec_id.value));
      for (const checkId of text(rows[i].check_id.value).split(',')) {
        const rv = latest.find((l) => l.check_id === checkId && Number(l.rec_id) === recId)!;
        expect(rv.status).toBe(expected[fill[i]]);
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
    expect(rows.map((x) => text(x.rec_id.value))).toEqual(sampled.map((x) => String(x.rec_id)));
    // a sampled record flagged by checks carries every check id; an unflagged one carries none (reported back on import)
    const flagged = await f.ws.all<{ rec_id: number; ids: string }>(`SELECT rec_id, string_agg(DISTINCT check_id, ',' ORDER BY check_id) AS ids FROM (
      SELECT 'deceased' AS check_id, rec_id FROM exc_deceased UNION ALL SELECT 'duplicate_payment', rec_id FROM exc_duplicate_payment) GROUP BY rec_id`);
    for (const x of rows) {
      const fl = flagged.find((g) => String(g.rec_id) === text(x.rec_id.value));
      if (fl) for (const id of fl.ids.split(',')) expect(text(x.check_id.value).split(',')).toContain(id);
    }
    const chosen = await writeReport(f.ws, { kind: 'field-sample', out: join(f.dir, 'uji-pilih.xlsx'), recIds: [20000000006] });
    const one = tableRows((await read(chosen.path)).getWorksheet('Uji Petik')!, 1);
    expect(one.map((x) => text(x.rec_id.value))).toEqual(['20000000006']);
    expect(text(one[0].check_id.value).split(',')).toContain('deceased');
    expect(text(one[0].Alamat.value)).toBe('Gg. Mawar 3');
  });

  it('converts to PDF with LibreOffice (when installed)', async (ctx) => {
    const soffice = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).stdout.trim();
    if (!soffice) ctx.skip(); // LibreOffice is not installed on this machine: the PDF conversion check cannot run.
    const outDir = join(f.dir, 'pdf');
    execFileSync(soffice, ['--headless', `-env:UserInstallation=file://${join(f.dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', outDir, bpk.path], { timeout: 90_000, stdio: 'ignore' });
    const pdf = join(outDir, 'temuan.pdf');
    expect(existsSync(pdf)).toBe(true);
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
  }, 120_000);
});

describe('large results and cancellation (hand-built exception tables)', () => {
  let f: Fixture;
  beforeAll(async () => { f = await buildFixture({ bulk: 2500 }); });
  afterAll(async () => { await f?.ws.close(); if (f) rmSync(f.dir, { recursive: true, force: true }); });

  it('a result longer than the row limit continues on numbered sheets, nothing truncated', async () => {
    const r = await writeReport(f.ws, { kind: 'bpk', out: join(f.dir, 'split.xlsx'), rowLimit: 1000 });
    const wb = await read(r.path);
    const parts = wb.worksheets.filter((w) => /duplicate_payment/.test(w.name));
    expect(parts.map((p) => p.name)).toEqual(['T01 duplicate_payment', 'T01 duplicate_payment (2)', 'T01 duplicate_payment (3)']);
    const ids: string[] = [];
    for (const p of parts) {
      const h = headerRowOf(p);
      expect(p.views[0]).toMatchObject({ state: 'frozen', ySplit: h });
      expect(p.pageSetup.printTitlesRow).toBe(`${h}:${h}`);
      const rows = tableRows(p, h);
      expect(rows.length).toBeLessThanOrEqual(1000);
      for (const x of rows) ids.push(text(x['ID catatan'].value));
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
