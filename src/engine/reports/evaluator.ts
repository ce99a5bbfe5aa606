/**
 * Evaluators' indicator workbook: targeting (inclusion/exclusion error, leakage, CGH, coverage, incidence) by
 * programme, region and desil; impact (coverage of desil 1–2 and 1–4, benefit incidence, complementarity, adequacy
 * with the poverty line and its source, graduation between registry snapshots); budget absorption and cost per
 * household; oversight (complaints by channel, category and region with resolution times, complaints naming flagged
 * recipients, disbursement timing per region with the event dates entered). Each sheet has its definition written
 * above the table; every figure comes from the tables the analysis run wrote (src/engine/indicators) — the workbook
 * computes no indicator of its own. Region codes carry their names from the region reference.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { type ColumnSpec, type ReportBook, rowHeight, textLines, writePairs } from './format';
import { writeMethodology, writeQueryTable, writeTrailSheets } from './common';
import { colLetter, putValue } from './lhp';
import { regionNameSql } from '../reference/regions';

export interface IndicatorTable {
  table: string;
  title: string;
  family: string;
  objective: string;
  /** The definition printed above the table (how every figure of the sheet is computed). */
  procedure: string;
  rows: number;
  /** SQL that produces the sheet. */
  sql: string;
}

const SRC = 'Sumber rumus: Grosh et al. 2022, Revisiting Targeting (Tabel 7.3); Coady, Grosh & Hoddinott 2004; Ravallion WPS 4385.';
const regionName = regionNameSql;

interface Known { title: string; family: string; objective: string; definition: string; sql?: (t: string, hasRef: boolean) => string }

/** The indicator tables of a run, in report order, with their definitions. */
const KNOWN: Record<string, Known> = {
  targeting_results: { title: 'Targeting per Program', family: 'targeting', objective: 'Ketepatan sasaran per program.',
    definition: 'T = rumah tangga registri yang desil terendahnya ≤ batas desil program; B = rumah tangga dengan sedikitnya satu catatan tersalur program. '
      + 'Inclusion error = |B \\ T| / |B|; exclusion error = |T \\ B| / |T|; kebocoran (leakage) = nilai tersalur ke B \\ T / nilai tersalur ke B; '
      + 'indeks CGH = (porsi nilai program ke rumah tangga desil ≤ {cgh_max_desil}, termasuk yang di luar registri) / (porsi rumah tangga registri berdesil yang desil ≤ {cgh_max_desil}); '
      + 'targeting differential = cakupan(T) − cakupan(rumah tangga registri di luar T), cakupan(X) = |X ∩ B| / |X|. ' + SRC },
  targeting_by_region: { title: 'Targeting per Wilayah', family: 'targeting', objective: 'Ketepatan sasaran per kabupaten/kota.',
    definition: 'Seperti Targeting per Program, dihitung per kabupaten/kota (4 digit kode wilayah rumah tangga); nama dari referensi wilayah Kemendagri.',
    sql: (t, ref) => `SELECT program, kabupaten, ${ref ? regionName('kabupaten') : 'NULL::VARCHAR'} AS kabupaten_name, * EXCLUDE (program, kabupaten) FROM ${t} ORDER BY program, kabupaten` },
  targeting_by_desil: { title: 'Targeting per Desil', family: 'targeting', objective: 'Distribusi penerima dan manfaat menurut desil.',
    definition: 'Per program dan desil rumah tangga: rumah tangga penerima, nilai tersalur, insidensi penerima (porsi rumah tangga penerima) dan insidensi manfaat (porsi nilai), serta cakupan = penerima / rumah tangga registri desil itu.' },
  impact_coverage: { title: 'Cakupan', family: 'impact', objective: 'Cakupan program atas rumah tangga termiskin.',
    definition: 'Cakupan program P, desil 1–2 = |rumah tangga registri desil ≤ 2 yang menerima P| / |rumah tangga registri desil ≤ 2|; desil 1–4 dengan cara yang sama. '
      + 'Desil rumah tangga = desil terendah atas seluruh barisnya; rumah tangga penerima menurut kunci rumah tangga (KK catatan, KK registri NIK, atau NIK).' },
  impact_incidence: { title: 'Insidensi Manfaat', family: 'impact', objective: 'Ke desil mana manfaat mengalir.',
    definition: 'Nilai tersalur program P menurut desil rumah tangga penerima; rumah tangga di luar registri pada baris tersendiri (desil kosong). Porsi manfaat = nilai desil itu / total nilai P.' },
  impact_complementarity: { title: 'Komplementaritas', family: 'impact', objective: 'Keterpaduan PKH dan BPNT.',
    definition: 'PKH = |B_PKH|, BPNT = |B_BPNT| (rumah tangga penerima); PKH dan BPNT = |B_PKH ∩ B_BPNT|; PKH atau BPNT = |B_PKH ∪ B_BPNT|; porsi = irisan / masing-masing; indeks Jaccard = irisan / gabungan.' },
  impact_adequacy: { title: 'Kecukupan Manfaat', family: 'impact', objective: 'Besar manfaat terhadap garis kemiskinan.',
    definition: 'Kecukupan = manfaat tahunan per rumah tangga penerima / (garis kemiskinan per kapita per bulan × jumlah anggota rumah tangga registri × 12). '
      + 'Rasio agregat = Σ manfaat / Σ garis kemiskinan rumah tangga; median dan rata-rata atas rumah tangga. Garis kemiskinan dan sumbernya tercetak pada kolom terakhir.' },
  impact_graduation: { title: 'Graduasi', family: 'impact', objective: 'Keluar-masuk kemiskinan antar snapshot registri.',
    definition: 'Antara snapshot registri paling awal dan paling akhir menurut tanggal berlaku: Desil 1–4 pada snapshot awal = rumah tangga desil ≤ 4 di snapshot awal; '
      + 'masih ada = yang juga ada di snapshot akhir; graduasi = yang desilnya > 4 di snapshot akhir; tingkat graduasi = graduasi / masih ada; turun ke desil 1–4 = rumah tangga yang ada di kedua snapshot dengan desil > 4 '
      + 'di awal dan ≤ 4 di akhir; graduasi tetapi masih dibayar = rumah tangga graduasi yang masih menerima pembayaran program berbasis keluarga pada/sesudah tanggal berlaku snapshot akhir.' },
  budget_summary: { title: 'Serapan Anggaran', family: 'budget', objective: 'Penyerapan anggaran bansos.',
    definition: 'Penyerapan = Σ realisasi / Σ pagu atas seluruh baris anggaran; baris tanpa realisasi dihitung tersendiri.' },
  budget_breakdown: { title: 'Anggaran Rinci', family: 'budget', objective: 'Penyerapan per program, wilayah dan tahun.',
    definition: 'Penyerapan = Σ realisasi / Σ pagu per dimensi (program, wilayah, tahun); nama wilayah dari referensi Kemendagri.',
    sql: (t, ref) => `SELECT dimension, key, ${ref ? `CASE WHEN dimension = 'region' THEN ${regionName('key')} END` : 'NULL::VARCHAR'} AS region_name, * EXCLUDE (dimension, key) FROM ${t}` },
  budget_cost_per_household: { title: 'Biaya per Rumah Tangga', family: 'budget', objective: 'Biaya program per rumah tangga penerima.',
    definition: 'Biaya per rumah tangga = Σ realisasi / rumah tangga penerima; tersalur per rumah tangga = Σ nilai tersalur / rumah tangga penerima.' },
  undistributed_funds: { title: 'Dana Tidak Tersalur', family: 'budget', objective: 'Dana gagal salur/retur dan umurnya.',
    definition: 'Catatan berstatus gagal salur atau retur per program, status dan kelompok umur (hari sejak tanggal salur sampai tanggal acuan).' },
  oversight_complaints: { title: 'Pengaduan', family: 'oversight', objective: 'Pengaduan menurut saluran, kategori dan wilayah.',
    definition: 'Jumlah pengaduan, yang selesai dan yang terbuka, serta median, persentil 90 dan rata-rata hari penyelesaian (tanggal selesai − tanggal pengaduan) per saluran, kategori dan wilayah.',
    sql: (t, ref) => `SELECT dimension, key, ${ref ? `CASE WHEN dimension = 'region' THEN ${regionName('key')} END` : 'NULL::VARCHAR'} AS region_name, * EXCLUDE (dimension, key)
      FROM ${t} ORDER BY CASE dimension WHEN 'channel' THEN 1 WHEN 'category' THEN 2 ELSE 3 END, count DESC, key` },
  oversight_flagged_complaints: { title: 'Pengaduan Penerima Ditandai', family: 'oversight', objective: 'Pengaduan yang menyebut penerima yang ditandai uji.',
    definition: 'Pengaduan yang NIK-nya terdapat dalam pengecualian uji mana pun (penerima bermasalah); kolom uji menyebut uji yang menandai NIK itu.' },
  oversight_timing: { title: 'Waktu Penyaluran', family: 'oversight', objective: 'Lonjakan penyaluran per wilayah di sekitar peristiwa.',
    definition: 'Nilai tersalur dan penerima baru per wilayah per bulan dibandingkan dengan bulan-bulan SEBELUMNYA wilayah itu sendiri: robust z = 0,6745 × (x − median) / MAD; '
      + 'bulan dinilai bila riwayatnya cukup, lonjakan bila |z| ≥ ambang; peristiwa = tanggal yang dimasukkan auditor (Pengaturan) dalam jendela ± hari. Wilayah "*" = seluruh wilayah.',
    sql: (t, ref) => `SELECT region, ${ref ? `CASE WHEN region <> '*' THEN ${regionName('region')} END` : 'NULL::VARCHAR'} AS region_name, * EXCLUDE (region) FROM ${t} ORDER BY region, month` },
};
const ORDER = Object.keys(KNOWN);

/** Indicator tables present in the workspace, in report order (targeting, impact, budget, oversight, then ind_*). */
export async function indicatorTables(ws: Workspace): Promise<IndicatorTable[]> {
  const rows = await ws.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`);
  const hasRef = await ws.tableExists('ref_regions');
  // The CGH desil bound the run used (programme rules threshold cgh_max_desil), as the targeting module recorded it.
  const cgh = (await ws.tableExists('indicator_results'))
    ? await ws.scalar<unknown>(`SELECT json_extract(params, '$.cgh_max_desil')::INTEGER FROM indicator_results WHERE indicator_id = 'targeting' ORDER BY run_id DESC LIMIT 1`).catch(() => null)
    : null;
  const words = (s: string) => s.replace(/\{cgh_max_desil\}/g, cgh === null || cgh === undefined ? 'batas desil CGH' : String(cgh));
  const out: IndicatorTable[] = [];
  for (const { table_name: name } of rows) {
    const k = KNOWN[name];
    if (!k && !/^ind_/.test(name)) continue;
    const count = Number(await ws.scalar(`SELECT count(*) FROM ${ident(name)}`));
    out.push({
      table: name, title: k?.title ?? name, family: k?.family ?? 'indicator', objective: k?.objective ?? 'Indikator evaluasi.',
      procedure: k?.definition ? words(k.definition) : 'Tabel indikator.', rows: count, sql: k?.sql ? k.sql(ident(name), hasRef) : `SELECT * FROM ${ident(name)}`,
    });
  }
  const pos = (t: string): number => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  return out.sort((a, b) => pos(a.table) - pos(b.table) || a.table.localeCompare(b.table));
}

/** Colour scales only where a direction is known: red where the value is bad. */
const BAD_HIGH = new Set(['inclusion_error', 'exclusion_error', 'leakage', 'coverage_non_target', 'fell_in', 'graduated_still_paid', 'open', 'median_days', 'p90_days', 'avg_days']);
const GOOD_HIGH = new Set(['coverage', 'coverage_desil_1_2', 'coverage_desil_1_4', 'absorption', 'targeting_differential', 'rate', 'aggregate_ratio',
  'median_ratio', 'mean_ratio', 'both_share_of_pkh', 'both_share_of_bpnt', 'jaccard', 'cgh']);

function addConditionalFormats(s: ExcelJS.Worksheet, cols: ColumnSpec[], first: number, last: number): void {
  if (last < first) return;
  cols.forEach((c, i) => {
    const ref = `${colLetter(i + 1)}${first}:${colLetter(i + 1)}${last}`;
    const bad = BAD_HIGH.has(c.key);
    if (bad || GOOD_HIGH.has(c.key)) {
      const [lo, hi] = bad ? ['FF63BE7B', 'FFF8696B'] : ['FFF8696B', 'FF63BE7B'];
      s.addConditionalFormatting({
        ref,
        rules: [{ type: 'colorScale', priority: 1, cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }], color: [{ argb: lo }, { argb: 'FFFFEB84' }, { argb: hi }] } as ExcelJS.ColorScaleRuleType],
      });
    } else if (c.kind === 'rupiah') {
      s.addConditionalFormatting({
        ref,
        rules: [{ type: 'dataBar', priority: 1, minLength: 0, maxLength: 100, gradient: true, cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: 'FF638EC6' } } as unknown as ExcelJS.DataBarRuleType],
      });
    }
  });
}

/** One indicator sheet: title, the definition (and extra lines) above the table, then the table. */
export async function writeIndicatorTable(book: ReportBook, ws: Workspace, t: IndicatorTable, reservedName?: string, extra: string[] = []): Promise<string[]> {
  let cols: ColumnSpec[] = [];
  const lines = [t.procedure, ...extra];
  const w = await writeQueryTable(book, ws, reservedName ?? t.title, t.sql, undefined, {
    reserved: !!reservedName, phase: 'indicators',
    onColumns: (c) => { cols = c; },
    onSheetDone: (s, _n, first, last) => addConditionalFormats(s, cols, first, last),
    preamble: {
      rows: 2 + lines.length,
      write: (s, ncols) => {
        const span = Math.max(ncols, 4);
        let width = 0;
        for (let i = 1; i <= span; i++) width += s.getColumn(i).width ?? 12;
        const r1 = s.getRow(1);
        r1.getCell(1).value = book.text(`${t.title} — ${t.objective}`);
        r1.getCell(1).font = { bold: true, size: 12 };
        r1.commit();
        lines.forEach((text, i) => {
          const row = s.getRow(2 + i);
          row.getCell(1).value = book.text(i === 0 ? `Definisi: ${text}` : text);
          row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
          row.getCell(1).font = i === 0 ? { italic: true } : {};
          s.mergeCells(2 + i, 1, 2 + i, span);
          row.height = rowHeight(textLines(text, width) + 0);
          row.commit();
        });
      },
    },
  });
  return w.sheetNames;
}

async function eventDates(ws: Workspace): Promise<{ date: string; label: string }[]> {
  const v = await ws.scalar<unknown>(`SELECT CAST(value AS VARCHAR) FROM settings WHERE key = 'event_dates'`).catch(() => undefined);
  try {
    const a = typeof v === 'string' ? JSON.parse(v) : v;
    return Array.isArray(a) ? a.map((e) => ({ date: String(e.date), label: String(e.label ?? e.date) })) : [];
  } catch { return []; }
}

export async function writeEvaluatorWorkbook(book: ReportBook, ws: Workspace): Promise<Record<string, unknown>> {
  const all = await indicatorTables(ws);
  const eng = await ws.engagement();
  const events = await eventDates(ws);
  let poverty: { line: number; source: string } | null = null;
  if (await ws.tableExists('impact_adequacy')) {
    const p = await ws.one<{ line: number; source: string }>(`SELECT any_value(poverty_line_per_capita_month) AS line, any_value(poverty_line_source) AS source FROM impact_adequacy`).catch(() => undefined);
    if (p && p.line !== null) poverty = { line: Number(p.line), source: String(p.source ?? '') };
  }
  let graduation: string | null = null;
  if (await ws.tableExists('impact_graduation')) {
    const g = await ws.one<{ earlier: string | null; later: string | null; note: string | null }>(`SELECT earlier, later, note FROM impact_graduation WHERE program = 'ALL' LIMIT 1`).catch(() => undefined);
    if (g) graduation = g.earlier ? `Snapshot awal: ${g.earlier}; snapshot akhir: ${g.later}.` : `Tidak dinilai: ${g.note ?? 'kurang dari dua snapshot registri'}.`;
  }
  const sheetName = new Map<string, string>();
  const coverName = book.names.take('Indikator');
  for (const x of all) sheetName.set(x.table, book.names.take(x.title));

  const cover = await book.sheet(coverName, { landscape: false });
  cover.getColumn(1).width = 30;
  cover.getColumn(2).width = 70;
  const t = cover.getRow(1);
  t.getCell(1).value = book.text('WORKBOOK INDIKATOR EVALUASI BANSOS');
  t.getCell(1).font = { bold: true, size: 14 };
  t.commit();
  let r = writePairs(book, cover, 3, [
    ['Penugasan', eng.name], ['Entitas', eng.entity ?? ''], ['Periode', eng.period ?? ''], ['Tanggal', new Date().toISOString().slice(0, 10)],
    ['Garis kemiskinan', poverty ? `Rp ${Math.round(poverty.line).toLocaleString('id-ID')} per kapita per bulan — ${poverty.source}` : '(indikator dampak tidak dinilai)'],
    ['Graduasi', graduation ?? '(indikator dampak tidak dinilai)'],
    ['Tanggal peristiwa', events.length ? events.map((e) => `${e.date} ${e.label}`).join('; ') : 'belum dimasukkan (Pengaturan → tanggal peristiwa)'],
    ['Sumber rumus', SRC.replace('Sumber rumus: ', '')],
  ]);
  r++;
  const h = cover.getRow(r++);
  h.getCell(1).value = book.text('ISI (tautan)');
  h.getCell(1).font = { bold: true };
  h.commit();
  for (const x of all) {
    const row = cover.getRow(r++);
    putValue(book, row.getCell(1), { link: sheetName.get(x.table)!, text: x.title }, 'text');
    putValue(book, row.getCell(2), x.objective, 'text');
    row.commit();
  }
  if (all.length === 0) {
    const row = cover.getRow(r++);
    row.getCell(1).value = book.text('Tidak ada data indikator: impor data dan jalankan analisis terlebih dahulu.');
    row.commit();
  }
  const sheets: string[] = [];
  for (const x of all) {
    const extra: string[] = [];
    if (x.table === 'impact_adequacy' && poverty) extra.push(`Garis kemiskinan: Rp ${Math.round(poverty.line).toLocaleString('id-ID')} per kapita per bulan. Sumber: ${poverty.source}.`);
    if (x.table === 'impact_graduation' && graduation) extra.push(graduation);
    if (x.table === 'oversight_timing') extra.push(`Tanggal peristiwa yang dimasukkan: ${events.length ? events.map((e) => `${e.date} (${e.label})`).join('; ') : 'belum ada'}.`);
    sheets.push(...(await writeIndicatorTable(book, ws, x, sheetName.get(x.table)!, extra)));
  }
  await writeMethodology(book, ws);
  const { trail } = await writeTrailSheets(book, ws);
  return { indicator_sheets: sheets, stored: all.map((s) => s.table), poverty_line: poverty, events, trail_head: trail.head };
}
