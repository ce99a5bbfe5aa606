/**
 * Evaluators' indicator workbook: targeting (inclusion/exclusion error, leakage, CGH, coverage, benefit incidence)
 * by programme, region and desil; budget absorption and cost per beneficiary; impact and oversight indicators when
 * their tables exist. Rates carry colour scales, rupiah columns data bars.
 *
 * The indicator tables are produced by src/engine/indicators; this module reports whatever indicator tables the
 * workspace holds. When no targeting table exists it computes the contract's per-programme targeting figures
 * itself (DOMAIN.md "Targeting"), so the workbook is never empty of the headline numbers.
 */
import type ExcelJS from 'exceljs';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { type ColumnSpec, type ReportBook, writePairs } from './format';
import { writeMethodology, writeQueryTable, writeTrailSheets } from './common';

export interface IndicatorTable {
  table: string;
  title: string;
  family: string;
  objective: string;
  procedure: string;
  rows: number;
  /** SQL that produces the sheet (a plain SELECT * for stored tables). */
  sql: string;
}

const PATTERNS: [RegExp, string, string, string][] = [
  [/^(ind_)?targeting/, 'targeting', 'Menilai ketepatan sasaran (inclusion/exclusion error, leakage, CGH, cakupan).', 'Membandingkan rumah tangga penerima dengan rumah tangga sasaran registri per program/wilayah/desil.'],
  [/^(ind_)?(benefit|incidence)/, 'targeting', 'Menilai distribusi manfaat menurut desil.', 'Menghitung porsi nilai bantuan per desil kesejahteraan.'],
  [/^(ind_)?(budget_|absorption|serapan|undistributed)/, 'budget', 'Menilai penyerapan anggaran dan biaya per penerima.', 'Membandingkan realisasi dengan pagu per program, wilayah dan tahun.'],
  [/^(ind_)?impact/, 'impact', 'Menilai indikator dampak sosial-ekonomi.', 'Menyajikan indikator dampak yang tersedia.'],
  [/^(ind_)?(oversight|complaint_|timing)/, 'oversight', 'Menilai sinyal pengawasan (pengaduan, pola waktu penyaluran).', 'Menghitung pengaduan dan lonjakan penyaluran terhadap baseline wilayah.'],
  [/^ind_|^indicator/, 'indicator', 'Indikator evaluasi.', 'Menyajikan tabel indikator.'],
];

/** Titles and order of the tables the indicators module writes (src/engine/indicators); others follow by name. */
const KNOWN: Record<string, string> = {
  targeting_results: 'Targeting per Program', targeting_by_region: 'Targeting per Wilayah', targeting_by_desil: 'Targeting per Desil',
  budget_summary: 'Serapan Anggaran', budget_breakdown: 'Anggaran Rinci', budget_cost_per_household: 'Biaya per Rumah Tangga',
  undistributed_funds: 'Dana Tidak Tersalur',
};
const KNOWN_ORDER = Object.keys(KNOWN);

/** Indicator tables present in the workspace, in a stable order (targeting, budget, impact, oversight, others). */
export async function indicatorTables(ws: Workspace): Promise<IndicatorTable[]> {
  const rows = await ws.all<{ table_name: string; estimated_size: number }>(
    `SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name`);
  const out: IndicatorTable[] = [];
  for (const r of rows) {
    const name = r.table_name;
    if (name === 'budget' || name === 'indicator_results') continue;
    const m = PATTERNS.find(([re]) => re.test(name.toLowerCase()));
    if (!m) continue;
    const count = Number(await ws.scalar(`SELECT count(*) FROM ${ident(name)}`));
    out.push({ table: name, title: KNOWN[name] ?? name, family: m[1], objective: m[2], procedure: m[3], rows: count, sql: `SELECT * FROM ${ident(name)}` });
  }
  const order = ['targeting', 'budget', 'impact', 'oversight', 'indicator'];
  const known = (t: string): number => (KNOWN_ORDER.includes(t) ? KNOWN_ORDER.indexOf(t) : KNOWN_ORDER.length);
  return out.sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family) || known(a.table) - known(b.table) || a.table.localeCompare(b.table));
}

const BAD_WHEN_HIGH = /error|leakage|gap|selisih|mismatch|undistributed/i;

/** Colour scales on rates (green = good), data bars on rupiah and counts of the whole data range of a sheet. */
function addConditionalFormats(s: ExcelJS.Worksheet, cols: ColumnSpec[], first: number, last: number): void {
  if (last < first) return;
  const letter = (i: number): string => {
    let n = i + 1; let l = '';
    while (n > 0) { const m = (n - 1) % 26; l = String.fromCharCode(65 + m) + l; n = Math.floor((n - 1) / 26); }
    return l;
  };
  cols.forEach((c, i) => {
    const ref = `${letter(i)}${first}:${letter(i)}${last}`;
    if (c.kind === 'pct' || c.kind === 'ratio') {
      const bad = BAD_WHEN_HIGH.test(c.key);
      const [lo, hi] = bad ? ['FF63BE7B', 'FFF8696B'] : ['FFF8696B', 'FF63BE7B'];
      s.addConditionalFormatting({
        ref,
        rules: [{ type: 'colorScale', priority: 1, cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }], color: [{ argb: lo }, { argb: 'FFFFEB84' }, { argb: hi }] } as ExcelJS.ColorScaleRuleType],
      });
    } else if (c.kind === 'rupiah' || (c.kind === 'int' && /households|recipients|records|beneficiar|penerima|kpm|count/i.test(c.key))) {
      s.addConditionalFormatting({
        ref,
        rules: [{ type: 'dataBar', priority: 1, minLength: 0, maxLength: 100, gradient: true, cfvo: [{ type: 'min' }, { type: 'max' }], color: { argb: 'FF638EC6' } } as unknown as ExcelJS.DataBarRuleType],
      });
    }
  });
}

export async function writeIndicatorTable(book: ReportBook, ws: Workspace, t: IndicatorTable, reservedName?: string): Promise<string[]> {
  let cols: ColumnSpec[] = [];
  const w = await writeQueryTable(book, ws, reservedName ?? t.title, t.sql, undefined, {
    reserved: !!reservedName, phase: 'indicators',
    onColumns: (c) => { cols = c; },
    onSheetDone: (s, _n, first, last) => addConditionalFormats(s, cols, first, last),
    preamble: {
      rows: 2,
      write: (s) => {
        const r = s.getRow(1);
        r.getCell(1).value = book.text(`${t.title} — ${t.objective}`);
        r.getCell(1).font = { bold: true };
        r.commit();
      },
    },
  });
  return w.sheetNames;
}

/** Programme max desil (contract default 4), overridable by settings key programme_rules. */
async function maxDesilSql(ws: Workspace): Promise<string> {
  let rules: Record<string, { max_desil?: number; maxDesil?: number }> = {};
  try {
    const v = await ws.scalar<string>(`SELECT CAST(value AS VARCHAR) FROM settings WHERE key = 'programme_rules'`);
    if (v) {
      const parsed = JSON.parse(v) as Record<string, unknown>;
      rules = ((parsed.programs ?? parsed.programmes ?? parsed) as typeof rules) ?? {};
    }
  } catch { /* defaults */ }
  const cases = Object.entries(rules)
    .map(([p, r]) => [p, r?.max_desil ?? r?.maxDesil] as const)
    .filter(([p, d]) => /^[A-Z0-9_]+$/.test(p) && Number.isInteger(d))
    .map(([p, d]) => `WHEN '${p}' THEN ${d}`);
  return cases.length ? `CASE program ${cases.join(' ')} ELSE 4 END` : '4';
}

/** Contract targeting per programme (DOMAIN.md), computed here only when the indicators module left no table. */
async function fallbackTargeting(ws: Workspace): Promise<IndicatorTable[]> {
  const has = async (t: string): Promise<boolean> => (await ws.tableExists(t)) && Number(await ws.scalar(`SELECT count(*) FROM ${ident(t)}`)) > 0;
  const out: IndicatorTable[] = [];
  const hasDisb = await has('disbursements');
  const hasReg = await has('registry');
  if (hasDisb && hasReg) {
    const maxd = await maxDesilSql(ws);
    const base = `
      WITH reg_first AS (SELECT nik, arg_min(kk, rec_id) AS kk FROM registry GROUP BY nik),
      rh AS (SELECT coalesce(nullif(trim(kk), ''), 'NIK:' || nik) AS hh, min(desil) AS desil, any_value(substr(region_code, 1, 4)) AS region FROM registry GROUP BY 1),
      paid AS (
        SELECT d.program, coalesce(nullif(trim(d.kk), ''), nullif(trim(rf.kk), ''), 'NIK:' || d.nik) AS hh, d.amount
        FROM disbursements d LEFT JOIN reg_first rf ON rf.nik = d.nik WHERE d.status = 'PAID'),
      b AS (SELECT program, hh, sum(amount) AS amt FROM paid GROUP BY program, hh),
      progs AS (SELECT program, ${maxd} AS max_desil FROM (SELECT DISTINCT program FROM b))`;
    out.push({
      table: 'targeting (dihitung)', title: 'Targeting per Program', family: 'targeting',
      objective: 'Ketepatan sasaran per program (dihitung dari data salur dan registri).',
      procedure: 'inclusion = |B\\T|/|B|; exclusion = |T\\B|/|T|; leakage = nilai ke B\\T / nilai ke B; CGH; targeting differential.',
      rows: 0,
      sql: `${base},
      x AS (
        SELECT p.program, p.max_desil,
          (SELECT count(*) FROM b WHERE b.program = p.program) AS beneficiary_households,
          (SELECT count(*) FROM rh WHERE rh.desil <= p.max_desil) AS target_households,
          (SELECT count(*) FROM b LEFT JOIN rh USING (hh) WHERE b.program = p.program AND NOT coalesce(rh.desil <= p.max_desil, false)) AS b_not_t,
          (SELECT count(*) FROM rh WHERE rh.desil <= p.max_desil AND rh.hh NOT IN (SELECT hh FROM b WHERE b.program = p.program)) AS t_not_b,
          (SELECT coalesce(sum(amt), 0) FROM b WHERE b.program = p.program)::DOUBLE AS paid_amount,
          (SELECT coalesce(sum(amt), 0) FROM b LEFT JOIN rh USING (hh) WHERE b.program = p.program AND NOT coalesce(rh.desil <= p.max_desil, false))::DOUBLE AS leaked_amount,
          (SELECT coalesce(sum(amt), 0) FROM b JOIN rh USING (hh) WHERE b.program = p.program AND rh.desil <= 4)::DOUBLE AS paid_desil_le4,
          (SELECT count(*) FILTER (WHERE desil <= 4)::DOUBLE / nullif(count(*) FILTER (WHERE desil IS NOT NULL), 0) FROM rh) AS share_le4,
          (SELECT count(*) FROM rh JOIN b USING (hh) WHERE b.program = p.program AND rh.desil <= p.max_desil) AS t_and_b,
          (SELECT count(*) FROM rh WHERE NOT coalesce(rh.desil <= p.max_desil, false)) AS not_t,
          (SELECT count(*) FROM rh JOIN b USING (hh) WHERE b.program = p.program AND NOT coalesce(rh.desil <= p.max_desil, false)) AS not_t_and_b
        FROM progs p)
      SELECT program, max_desil, beneficiary_households, target_households,
        b_not_t::DOUBLE / nullif(beneficiary_households, 0) AS inclusion_error,
        t_not_b::DOUBLE / nullif(target_households, 0) AS exclusion_error,
        leaked_amount / nullif(paid_amount, 0) AS leakage,
        (paid_desil_le4 / nullif(paid_amount, 0)) / nullif(share_le4, 0) AS cgh,
        t_and_b::DOUBLE / nullif(target_households, 0) - not_t_and_b::DOUBLE / nullif(not_t, 0) AS targeting_differential,
        t_and_b::DOUBLE / nullif(target_households, 0) AS coverage_target,
        paid_amount, leaked_amount
      FROM x ORDER BY program`,
    });
    out.push({
      table: 'benefit_incidence (dihitung)', title: 'Insidensi Manfaat per Desil', family: 'targeting',
      objective: 'Distribusi nilai bantuan menurut desil kesejahteraan.', procedure: 'Nilai tersalur per program dan desil rumah tangga (registri); rumah tangga di luar registri sebagai kelompok tersendiri.',
      rows: 0,
      sql: `${base}
      SELECT program, coalesce(CAST(desil AS VARCHAR), 'di luar registri / tanpa desil') AS desil, beneficiary_households, paid_amount,
        paid_amount / sum(paid_amount) OVER (PARTITION BY program) AS benefit_share
      FROM (SELECT b.program, rh.desil, count(*) AS beneficiary_households, sum(b.amt)::DOUBLE AS paid_amount
            FROM b LEFT JOIN rh USING (hh) GROUP BY b.program, rh.desil)
      ORDER BY program, desil NULLS LAST`,
    });
    out.push({
      table: 'coverage_region (dihitung)', title: 'Cakupan per Wilayah', family: 'targeting',
      objective: 'Cakupan sasaran per kabupaten/kota.', procedure: 'Rumah tangga sasaran (desil ≤ batas program) di registri per kode wilayah 4 digit dan yang menerima bantuan.',
      rows: 0,
      sql: `${base}
      SELECT p.program, rh.region AS region_code, count(*) FILTER (WHERE rh.desil <= p.max_desil) AS target_households,
        count(b.hh) FILTER (WHERE rh.desil <= p.max_desil) AS target_households_paid,
        count(b.hh) FILTER (WHERE rh.desil <= p.max_desil)::DOUBLE / nullif(count(*) FILTER (WHERE rh.desil <= p.max_desil), 0) AS coverage_target,
        count(b.hh) FILTER (WHERE NOT coalesce(rh.desil <= p.max_desil, false))::DOUBLE / nullif(count(b.hh), 0) AS inclusion_error
      FROM progs p CROSS JOIN rh LEFT JOIN b ON b.program = p.program AND b.hh = rh.hh
      GROUP BY ALL ORDER BY p.program, region_code`,
    });
  }
  if (await has('budget')) {
    out.push({
      table: 'budget_absorption (dihitung)', title: 'Serapan Anggaran', family: 'budget',
      objective: 'Penyerapan anggaran dan biaya per penerima.', procedure: 'absorption = Σ realisasi / Σ pagu per program, wilayah dan tahun; biaya per KPM = Σ realisasi / target KPM' + (hasDisb ? ' dan per penerima tersalur.' : '.'),
      rows: 0,
      sql: `SELECT program, region_code, year, count(*) AS lines, sum(allocation)::DOUBLE AS allocation, sum(realization)::DOUBLE AS realization,
          sum(realization)::DOUBLE / nullif(sum(allocation), 0) AS absorption,
          (sum(allocation) - coalesce(sum(realization), 0))::DOUBLE AS unabsorbed_amount,
          sum(target_recipients) AS target_recipients,
          sum(realization)::DOUBLE / nullif(sum(target_recipients), 0) AS cost_per_beneficiary
        FROM budget GROUP BY ALL ORDER BY program, region_code NULLS FIRST, year NULLS FIRST`,
    });
  }
  if (hasDisb) {
    out.push({
      table: 'cost_per_beneficiary (dihitung)', title: 'Biaya per Penerima', family: 'budget',
      objective: 'Nilai tersalur dan dana tidak tersalur per program dan tahun.', procedure: 'Σ nilai tersalur / penerima (NIK) tersalur; gagal salur dan retur terpisah.',
      rows: 0,
      sql: `SELECT program, year(paid_date) AS year, count(DISTINCT nik) FILTER (WHERE status = 'PAID') AS recipients,
          coalesce(sum(amount) FILTER (WHERE status = 'PAID'), 0)::DOUBLE AS paid_amount,
          coalesce(sum(amount) FILTER (WHERE status = 'PAID'), 0)::DOUBLE / nullif(count(DISTINCT nik) FILTER (WHERE status = 'PAID'), 0) AS cost_per_beneficiary,
          coalesce(sum(amount) FILTER (WHERE status IN ('FAILED', 'RETURNED')), 0)::DOUBLE AS undistributed_amount
        FROM disbursements GROUP BY ALL ORDER BY program, year NULLS FIRST`,
    });
  }
  return out;
}

export async function writeEvaluatorWorkbook(book: ReportBook, ws: Workspace): Promise<Record<string, unknown>> {
  const stored = await indicatorTables(ws);
  const computed = (await fallbackTargeting(ws)).filter((f) => !stored.some((s) => s.family === f.family && (f.family !== 'targeting' || /targeting/.test(s.table))));
  const all = [...stored, ...computed];
  const eng = await ws.engagement();

  const cover = await book.sheet(book.names.take('Indikator'), { landscape: false });
  cover.getColumn(1).width = 34;
  cover.getColumn(2).width = 90;
  const t = cover.getRow(1);
  t.getCell(1).value = book.text('WORKBOOK INDIKATOR EVALUASI BANSOS');
  t.getCell(1).font = { bold: true, size: 14 };
  t.commit();
  let r = writePairs(book, cover, 3, [
    ['Penugasan', eng.name], ['Entitas', eng.entity ?? ''], ['Periode', eng.period ?? ''], ['Tanggal', new Date().toISOString().slice(0, 10)],
    ['Sumber rumus', 'Grosh et al. 2022 Revisiting Targeting (Tabel 7.3); Coady, Grosh & Hoddinott 2004; Ravallion WPS 4385.'],
  ]);
  r++;
  for (const x of all) {
    const row = cover.getRow(r++);
    row.getCell(1).value = book.text(x.title);
    row.getCell(1).font = { bold: true };
    row.getCell(2).value = book.text(`${x.objective} ${x.procedure}${x.table.includes('(dihitung)') ? ' (dihitung oleh modul laporan: tabel indikator belum ada)' : ` (tabel ${x.table})`}`);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  if (all.length === 0) {
    const row = cover.getRow(r++);
    row.getCell(1).value = book.text('Tidak ada data indikator: impor data salur, registri atau anggaran terlebih dahulu.');
    row.commit();
  }
  const sheets: string[] = [];
  for (const x of all) sheets.push(...(await writeIndicatorTable(book, ws, x)));
  await writeMethodology(book, ws);
  const { trail } = await writeTrailSheets(book, ws);
  return { indicator_sheets: sheets, stored: stored.map((s) => s.table), computed: computed.map((c) => c.title), trail_head: trail.head };
}
