// The four workbooks on demo data, read back and printed through LibreOffice: every finding's header figure equals the
// sum of the lampiran column it names (and check_results), no sheet has a raw snake_case header, and the printed PDF
// text has no ### cell, no year with a thousands separator, and the KKP cover labels whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/engine/workspace/workspace';
import { importFile, type Kind } from '../../src/engine/ingest';
import { runChecks } from '../../src/engine/checks';
import { generateDemo } from '../../src/engine/demo/generate';
import { writeReport, type ReportResult } from '../../src/engine/reports';

let dir: string;
let ws: Workspace;
const out: Record<string, ReportResult> = {};
const KINDS = ['bpk', 'kkp', 'evaluator', 'field-sample'] as const;

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return String(o.result);
  }
  return String(v);
}
const num = (v: ExcelJS.CellValue): number => Number(typeof v === 'object' && v !== null && 'result' in (v as object) ? (v as { result: number }).result : v);

async function read(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'telisik-print-'));
  const demo = await generateDemo({ outDir: join(dir, 'demo'), households: 300, seed: 42, truth: false });
  ws = await Workspace.create(join(dir, 'w.duckdb'), { name: 'Demo cetak', entity: 'Dinas Sosial Kabupaten Contoh', period: 'TA 2025', team: 'Tim Inspektorat I' });
  for (const f of demo.files) await importFile(ws, { kind: f.kind as Kind, path: f.path });
  await runChecks(ws);
  for (const kind of KINDS) {
    out[kind] = await writeReport(ws, { kind, out: join(dir, `${kind}.xlsx`), sample: 25, seed: 7, preparedBy: 'Ani Auditor',
      preparedAt: new Date(Date.UTC(2025, 0, 15)) });
  }
}, 240_000);
afterAll(async () => { await ws?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('workbooks read back (demo data)', () => {
  it('every finding: header figure = Σ of the lampiran column it names = check_results; linked both ways', async () => {
    const wb = await read(out.bpk.path);
    const checks = await ws.all<{ check_id: string; records: number; amount: number }>(
      `SELECT check_id, records, amount::DOUBLE AS amount FROM check_results WHERE run_id = (SELECT max(run_id) FROM check_results) AND evaluated AND records > 0`);
    const findings = out.bpk.details.findings as { check_id: string; amount: number; figure_column: string | null; sheet: string; lampiran: string | null }[];
    expect(findings.map((f) => f.check_id).sort()).toEqual(checks.map((c) => c.check_id).sort());
    for (const f of findings) {
      const c = checks.find((x) => x.check_id === f.check_id)!;
      expect({ check: f.check_id, amount: f.amount }).toEqual({ check: f.check_id, amount: Number(c.amount) });
      const lamp = wb.getWorksheet(f.lampiran!)!;
      const h = (lamp.views[0] as { ySplit: number }).ySplit;
      const headers: string[] = [];
      lamp.getRow(h).eachCell((cell, i) => { headers[i] = text(cell.value); });
      let totals: ExcelJS.Row | null = null;
      let n = 0;
      for (let r = h + 1; r <= lamp.rowCount; r++) {
        const t = text(lamp.getRow(r).getCell(1).value);
        if (/^JUMLAH/.test(t)) totals = lamp.getRow(r); else if (/^\d+$/.test(t)) n++;
      }
      expect({ check: f.check_id, rows: n }).toEqual({ check: f.check_id, rows: Number(c.records) });
      if (f.figure_column) {
        const label = { amount: 'Nilai (Rp)', excess: 'Kelebihan Bayar (Rp)', shortfall: 'Kekurangan Bayar (Rp)', abs_difference: 'Selisih Absolut (Rp)' }[f.figure_column]!;
        const col = headers.indexOf(label);
        expect({ check: f.check_id, col: col > 0 }).toEqual({ check: f.check_id, col: true });
        const cell = totals!.getCell(col);
        expect(cell.formula).toMatch(/^SUBTOTAL\(109,/);
        expect(num(cell.value)).toBeCloseTo(Number(c.amount), 2);
        // and the finding sheet states the same figure next to the column it sums
        const fs = wb.getWorksheet(f.sheet)!;
        let stated: number | null = null;
        fs.eachRow((row) => { if (text(row.getCell(1).value).startsWith(`Nilai Temuan = Σ ${label}`)) stated = num(row.getCell(5).value); });
        expect({ check: f.check_id, stated }).toEqual({ check: f.check_id, stated: Number(c.amount) });
      }
    }
    // overpayment: the figure is the excess, the paid amount is shown beside it
    const over = findings.find((f) => f.check_id === 'overpayment');
    if (over) expect(over.figure_column).toBe('excess');
  });

  it('Metodologi re-performs: its preparation and a check SQL, run on a fresh connection, give the check\'s records', async () => {
    const wb = await read(out.bpk.path);
    const s = wb.getWorksheet('Metodologi SQL')!;
    const byPart = new Map<string, string[]>();
    s.eachRow((row, n) => { if (n > 1) { const k = text(row.getCell(1).value); byPart.set(k, [...(byPart.get(k) ?? []), text(row.getCell(2).value)]); } });
    const strip = (x: string) => x.replace(/--[^\n]*/g, '');
    const conn = await ws.instance.connect();
    try {
      for (const stmt of strip(byPart.get('persiapan')!.join('\n')).split(/;\s*(?:\n|$)/)) if (stmt.trim()) await conn.run(stmt);
      for (const id of ['deceased', 'nik_invalid', 'not_in_registry', 'duplicate_payment', 'overpayment']) {
        const lines = byPart.get(id);
        if (!lines) continue;
        const sql = strip(lines.slice(1).join('\n')).trim().replace(/;\s*$/, '');
        const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0][0]);
        const want = Number(await ws.scalar(`SELECT records FROM check_results WHERE check_id = $c AND run_id = (SELECT max(run_id) FROM check_results)`, { c: id }));
        expect({ id, n }).toEqual({ id, n: want });
      }
    } finally { conn.closeSync(); }
  });

  it('no sheet of any workbook has a raw snake_case header; years print without separators', async () => {
    for (const kind of KINDS) {
      const wb = await read(out[kind].path);
      for (const s of wb.worksheets) {
        const h = (s.views[0] as { ySplit?: number } | undefined)?.ySplit;
        if (!h) continue;
        const raw: string[] = [];
        s.getRow(h).eachCell((c) => { const t = text(c.value); if (/^[a-z0-9]+(_[a-z0-9]+)+$/.test(t) || /^[a-z]+$/.test(t)) raw.push(t); });
        expect({ kind, sheet: s.name, raw }).toEqual({ kind, sheet: s.name, raw: [] });
        s.getRow(h).eachCell((c, i) => {
          if (/^Tahun/.test(text(c.value))) expect({ sheet: s.name, fmt: s.getRow(h + 1).getCell(i).numFmt ?? '0' }).toMatchObject({ sheet: s.name, fmt: expect.not.stringMatching(/,/) });
        });
      }
    }
  });

  it('the evaluator carries every impact indicator with its definition above the table', async () => {
    const wb = await read(out.evaluator.path);
    for (const name of ['Cakupan', 'Insidensi Manfaat', 'Komplementaritas', 'Kecukupan Manfaat', 'Graduasi', 'Pengaduan', 'Pengaduan Penerima Ditandai', 'Waktu Penyaluran']) {
      const s = wb.getWorksheet(name);
      expect({ name, present: !!s }).toEqual({ name, present: true });
      expect(text(s!.getRow(2).getCell(1).value)).toMatch(/^Definisi: /);
    }
    const adequacy = wb.getWorksheet('Kecukupan Manfaat')!;
    expect(text(adequacy.getRow(3).getCell(1).value)).toMatch(/^Garis kemiskinan: Rp 595\.242 per kapita per bulan\. Sumber: BPS/);
    const cov = await ws.all<{ program: string; coverage_desil_1_4: number }>(`SELECT program, coverage_desil_1_4 FROM impact_coverage ORDER BY program`);
    const s = wb.getWorksheet('Cakupan')!;
    const h = (s.views[0] as { ySplit: number }).ySplit;
    const headers: string[] = [];
    s.getRow(h).eachCell((c, i) => { headers[i] = text(c.value); });
    for (let r = h + 1; r <= s.rowCount; r++) {
      const row = s.getRow(r);
      const p = cov.find((x) => x.program === text(row.getCell(headers.indexOf('Program')).value))!;
      expect(num(row.getCell(headers.indexOf('Cakupan Desil 1–4')).value)).toBeCloseTo(p.coverage_desil_1_4, 10);
      expect(row.getCell(headers.indexOf('Cakupan Desil 1–4')).numFmt).toBe('0.0%');
    }
  });
});

describe('workbooks printed through LibreOffice', () => {
  it('no ### cell, no year with a thousands separator, KKP cover labels whole', async (ctx) => {
    const soffice = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).stdout.trim();
    const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' }).stdout.trim();
    if (!soffice || !pdftotext) {
      console.log(`print test skipped: ${!soffice ? 'LibreOffice (soffice) is not installed' : 'pdftotext (poppler-utils) is not installed'}`);
      ctx.skip();
    }
    const pdfDir = join(dir, 'pdf');
    execFileSync(soffice, ['--headless', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'pdf', '--outdir', pdfDir,
      ...KINDS.map((k) => out[k].path)], { timeout: 400_000, stdio: 'ignore' });
    for (const kind of KINDS) {
      const pdf = join(pdfDir, `${kind}.pdf`);
      expect(existsSync(pdf)).toBe(true);
      // (The conversion check of test/reports/reports.test.ts lives here: one LibreOffice run prints every kind.)
      expect(statSync(pdf).size).toBeGreaterThan(10_000);
      const t = execFileSync(pdftotext, ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(t.length).toBeGreaterThan(1000);
      const hashes = t.split('\n').filter((l) => l.includes('###'));
      expect({ kind, hashes }).toEqual({ kind, hashes: [] });
      // Pages of sheets with a year column (by the sheet name in the page footer): the year prints as 2025, never 2,025.
      const yearPages = t.split('\f').filter((pg) => /^(Kecukupan Manfaat|L\d\d realization_mismatch|A\.\d+ realization_mismatch)\s+Halaman/m.test(pg));
      if (kind === 'bpk' || kind === 'evaluator' || kind === 'kkp') expect({ kind, yearPages: yearPages.length > 0 }).toEqual({ kind, yearPages: true });
      for (const pg of yearPages) {
        const years = [...pg.matchAll(/(?<![\d.,])20[0-9]{2}(?![\d.,])/g)].map((m) => m[0]);
        const separated = [...pg.matchAll(/(?<![\d.,])2[.,]0[0-9]{2}(?![\d.,])/g)].map((m) => m[0]);
        expect({ kind, years: years.length > 0, separated }).toEqual({ kind, years: true, separated: [] });
      }
      if (kind === 'kkp') {
        for (const label of ['Entitas yang diperiksa', 'Periode yang diperiksa', 'Disusun oleh', 'Direviu oleh', 'Klasifikasi dokumen', 'TANDA PENGUJIAN']) {
          expect({ label, printed: t.includes(label) }).toEqual({ label, printed: true });
        }
        expect(t).toMatch(/Disusun oleh\s+Ani Auditor\s*\n\s*Tanggal\s+15\/01\/2025/);
      }
      if (kind === 'bpk') {
        expect(t).toMatch(/Kabupaten Bogor \(3201\)/);
        expect(t).toMatch(/Kriteria\s+1\. /);
        expect(t).toMatch(/JUMLAH \(\d+ baris\)/);
      }
    }
  }, 600_000);
});
