/**
 * What a BPK finding needs beyond its texts: the lampiran relation (exceptions with region name and bank/channel of
 * the source record), the figure column the header sums, breakdowns of counts and rupiah by programme, kabupaten/kota,
 * period and channel, and small-table writing for the finding sheets (formats from the shared vocabulary).
 */
import type ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace';
import { ident } from '../workspace/workspace';
import { columnSpec } from '../../shared/vocabulary';
import { excAmountColumn } from '../findings/findings';
import { HEADER_FILL, HEADER_FONT, KIND_FMT, LABEL_FILL, THIN_BORDER, type ReportBook, vocabColumn } from './format';
import { reasonMacroSql } from '../../shared/reasons';

/** The lampiran column the header figure sums, under the vocabulary name it is printed with. */
export interface FigureColumn {
  /** Column in exc_<check>. */
  source: string;
  /** Name in the lampiran (vocabulary key): amount, excess, shortfall, abs_difference. */
  name: string;
  label: string;
}

export async function figureColumn(ws: Workspace, checkId: string): Promise<FigureColumn | null> {
  const src = await excAmountColumn(ws, checkId);
  if (!src) return null;
  const name = checkId === 'overpayment' && src === 'difference' ? 'excess'
    : checkId === 'underpayment' && src === 'difference' ? 'shortfall' : src;
  return { source: src, name, label: columnSpec(name).id };
}

const SOURCES: Record<string, { table: string; cols: string[] }> = {
  disbursements: { table: 'disbursements', cols: ['region_code', 'channel', 'account'] },
  registry: { table: 'registry', cols: ['region_code'] },
  budget: { table: 'budget', cols: ['region_code'] },
};

/** SQL expression: the kab/kota code (first 4 digits) of a region code. */
export const KAB_CODE = (expr: string): string => `nullif(left(regexp_replace(coalesce(${expr}, ''), '[^0-9]', '', 'g'), 4), '')`;

/**
 * The exceptions of a check with their source record's region code, kab/kota name (region reference) and bank/channel
 * and account (disbursements), plus the figure column under its printed name. Columns: every exc_ column, then
 * src_region_code, kabupaten, kabupaten_name, src_channel, src_account, figure. Ordered by rec_id.
 */
export async function enrichedExcSql(ws: Workspace, checkId: string): Promise<{ sql: string; cols: Set<string>; source: string | null }> {
  const t = `exc_${checkId}`;
  const cols = new Set((await ws.columns(t)).map((c) => c.name));
  const source = cols.has('source_table') ? await ws.scalar<string | null>(`SELECT any_value(source_table) FROM ${ident(t)}`) : null;
  const s = source ? SOURCES[source] : undefined;
  const srcOk = !!s && (await ws.tableExists(s.table));
  const own = (c: string): string => (cols.has(c) ? `e.${ident(c)}` : 'NULL');
  const src = (c: string): string => (srcOk && s!.cols.includes(c) ? `s.${ident(c)}` : 'NULL');
  const region = `coalesce(${own('region_code')}, ${src('region_code')})`;
  const hasRef = await ws.tableExists('ref_regions');
  const fig = await figureColumn(ws, checkId);
  const sql = `SELECT e.*, ${region}::VARCHAR AS src_region_code, ${KAB_CODE(region)} AS kabupaten,
      ${hasRef ? 'rr.name' : 'NULL::VARCHAR'} AS kabupaten_name,
      coalesce(${own('channel')}, ${src('channel')})::VARCHAR AS src_channel, coalesce(${own('account')}, ${src('account')})::VARCHAR AS src_account,
      ${fig ? `e.${ident(fig.source)}` : 'NULL'}::DECIMAL(18,2) AS figure
    FROM ${ident(t)} e
    ${srcOk ? `LEFT JOIN ${ident(s!.table)} s ON s.rec_id = e.rec_id` : ''}
    ${hasRef ? `LEFT JOIN ref_regions rr ON rr.level = 'regency' AND rr.code = ${KAB_CODE(region)}` : ''}`;
  return { sql, cols, source: source ?? null };
}

/**
 * The lampiran SELECT: identification, region (code and kab/kota name), channel and account, the paid amount, the
 * figure column under its printed name when it is not the amount, the evidence columns, the reason and the latest
 * review. Columns empty for every row of the check are left out (a budget line has no NIK).
 */
export async function lampiranSelect(ws: Workspace, checkId: string, reviewsSql: string | null): Promise<{ sql: string; figure: FigureColumn | null }> {
  const { sql: base, cols } = await enrichedExcSql(ws, checkId);
  const fig = await figureColumn(ws, checkId);
  const lead = ['rec_id', '_file', '_line', 'nik', 'name', 'program', 'period_key', 'paid_date'];
  const skip = new Set(['check_id', 'source_table', 'reason', 'reason_code', 'reason_params', 'amount', 'region_code', 'channel', 'account', ...lead]);
  if (fig) skip.add(fig.source);
  const evidence = [...cols].filter((c) => !skip.has(c));
  const pick: [string, string][] = [
    ...lead.filter((c) => cols.has(c)).map((c) => [`x.${ident(c)}`, c] as [string, string]),
    ['x.src_region_code', 'region_code'], ['x.kabupaten_name', 'kabupaten_name'], ['x.src_channel', 'channel'], ['x.src_account', 'account'],
    ...(cols.has('amount') ? [['x.amount', 'amount'] as [string, string]] : []),
    ...(fig && fig.name !== 'amount' ? [['x.figure', fig.name] as [string, string]] : []),
    ...evidence.map((c) => [`x.${ident(c)}`, c] as [string, string]),
    ...(cols.has('reason') ? [['x.reason', 'reason'] as [string, string]] : []),
  ];
  // Leave out columns that are empty on every row (one pass over the table).
  const counts = await ws.one<Record<string, unknown>>(`SELECT ${pick.map(([e], i) => `count(${e}) AS c${i}`).join(', ')} FROM (${base}) x`);
  const kept = pick.filter((_, i) => Number(counts?.[`c${i}`] ?? 0) > 0 || pick[i][1] === 'rec_id' || (fig && pick[i][1] === fig.name));
  const select = kept.map(([e, n]) => `${e} AS ${ident(n)}`).join(', ');
  const sql = reviewsSql
    ? `WITH lr AS (${reviewsSql}) SELECT ${select}, coalesce(lr.status, 'open') AS review_status, lr.note AS review_note, lr.reviewer, lr.reviewed_at
       FROM (${base}) x LEFT JOIN (SELECT * FROM lr WHERE check_id = '${checkId.replace(/'/g, "''")}') lr ON lr.rec_id = CAST(x.rec_id AS BIGINT)
       ORDER BY x.rec_id`
    : `SELECT ${select}, 'open' AS review_status, NULL::VARCHAR AS review_note, NULL::VARCHAR AS reviewer, NULL::TIMESTAMP AS reviewed_at
       FROM (${base}) x ORDER BY x.rec_id`;
  return { sql, figure: fig };
}

export interface BreakdownRow { key: string; records: number; recipients: number; figure: number; paid: number }
export interface Breakdown { dimension: string; title: string; rows: BreakdownRow[]; others: number }

/** Counts and rupiah of a check's exceptions by programme, kabupaten/kota, period and bank/channel (top rows). */
export async function breakdowns(ws: Workspace, checkId: string, top = 10): Promise<Breakdown[]> {
  const { sql, cols } = await enrichedExcSql(ws, checkId);
  const dims: [string, string, string][] = [
    ['program', 'Menurut program', cols.has('program') ? 'program' : 'NULL'],
    ['kabupaten', 'Menurut kabupaten/kota', `coalesce(kabupaten_name || ' (' || kabupaten || ')', kabupaten)`],
    ['period', 'Menurut periode', cols.has('period_key') ? `coalesce(period_key, strftime(paid_date, '%Y-%m'))` : cols.has('year') ? 'CAST(year AS VARCHAR)' : 'NULL'],
    ['channel', 'Menurut bank/saluran penyalur', 'src_channel'],
  ];
  const out: Breakdown[] = [];
  const nik = cols.has('nik') ? 'nik' : 'NULL';
  const amt = cols.has('amount') ? 'amount' : 'NULL';
  for (const [dimension, title, expr] of dims) {
    if (expr === 'NULL') continue;
    const rows = await ws.all<{ k: string | null; records: number; recipients: number; figure: number | null; paid: number | null }>(
      `SELECT ${expr} AS k, count(*) AS records, count(DISTINCT ${nik}) AS recipients, sum(figure)::DOUBLE AS figure, sum(${amt})::DOUBLE AS paid
       FROM (${sql}) GROUP BY 1 ORDER BY ${dimension === 'period' ? 'k NULLS LAST' : 'figure DESC NULLS LAST, records DESC, k NULLS LAST'}`);
    if (rows.length === 0 || (rows.length === 1 && rows[0].k === null)) continue;
    const mapped = rows.map((r) => ({ key: r.k ?? '(tidak tercatat)', records: Number(r.records), recipients: Number(r.recipients), figure: Number(r.figure ?? 0), paid: Number(r.paid ?? 0) }));
    const shown = mapped.slice(0, top);
    const rest = mapped.slice(top);
    if (rest.length) {
      shown.push({ key: `Lainnya (${rest.length} kelompok)`, records: rest.reduce((s, r) => s + r.records, 0), recipients: NaN,
        figure: rest.reduce((s, r) => s + r.figure, 0), paid: rest.reduce((s, r) => s + r.paid, 0) });
    }
    out.push({ dimension, title, rows: shown, others: rest.length });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Small tables written cell by cell (cover, summary, recap, breakdowns): formats by vocabulary kind.

export type SmallCell = unknown | { link: string; text: string };

export function colLetter(i: number): string {
  let n = i; let l = '';
  while (n > 0) { const m = (n - 1) % 26; l = String.fromCharCode(65 + m) + l; n = Math.floor((n - 1) / 26); }
  return l;
}

/** An internal link as a HYPERLINK formula (works in Excel and LibreOffice; the cached text is the label). */
export function linkCell(book: ReportBook, sheet: string, text: string): ExcelJS.CellValue {
  const target = `#'${sheet.replace(/'/g, "''")}'!A1`;
  return { formula: `HYPERLINK("${target}","${text.replace(/"/g, '""')}")`, result: book.mask ? String(book.text(text)) : text } as ExcelJS.CellValue;
}

export function styleHeader(cell: ExcelJS.Cell): void {
  cell.font = HEADER_FONT;
  cell.fill = HEADER_FILL;
  cell.alignment = { vertical: 'middle', wrapText: true, horizontal: 'center' };
  cell.border = THIN_BORDER;
}

export function styleLabel(cell: ExcelJS.Cell): void {
  cell.font = { bold: true };
  cell.fill = LABEL_FILL;
  cell.border = THIN_BORDER;
  cell.alignment = { vertical: 'top', wrapText: true };
}

/** Writes a value into a cell with the format of a vocabulary column (or a workbook kind). */
export function putValue(book: ReportBook, cell: ExcelJS.Cell, v: unknown, column: string): void {
  const spec = vocabColumn(column);
  if (v && typeof v === 'object' && 'link' in (v as Record<string, unknown>)) {
    const l = v as { link: string; text: string };
    cell.value = linkCell(book, l.link, l.text);
    cell.font = { color: { argb: 'FF0563C1' }, underline: true };
    cell.alignment = { vertical: 'top' };
    return;
  }
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) { cell.value = null; return; }
  if (typeof v === 'number' || typeof v === 'bigint') {
    cell.value = Number(v);
    const fmt = KIND_FMT[spec.kind];
    if (fmt) cell.numFmt = fmt;
    cell.alignment = { horizontal: spec.kind === 'year' ? 'center' : 'right', vertical: 'top' };
    return;
  }
  if (v instanceof Date) { cell.value = v; cell.numFmt = KIND_FMT.date!; return; }
  cell.value = book.text(String(v)) as ExcelJS.CellValue;
  cell.alignment = { vertical: 'top', wrapText: true };
}

export { textLines, rowHeight } from './format';

// ---------------------------------------------------------------------------------------------------------------
// Methodology: the SQL an examiner re-performs

function readSql(rel: string): string {
  try { return readFileSync(join(__dirname, rel), 'utf8'); } catch { return `-- ${rel} tidak terbaca`; }
}

/**
 * The preparation an examiner runs before any check SQL: the workspace macros (nik_is_valid, nik_invalid_reason,
 * name_norm, reason_text generated from the reason catalogue, …), the shared temp tables of the run (chk_paid, chk_reg_nik, chk_death, chk_reg_hh) and the
 * programme-rule tables (chk_rules, chk_overlap) filled with the run's rules.
 */
export function preparationSql(runParams: unknown): { title: string; sql: string }[] {
  const out: { title: string; sql: string }[] = [
    { title: 'Makro workspace (nik_is_valid, nik_invalid_reason, name_norm, reason_text, …)', sql: readSql('../workspace/macros.sql') + '\n' + reasonMacroSql() },
    { title: 'Snapshot registri (makro tl_snap_*, tabel chk_snap: tanggal berlaku tiap snapshot)', sql: readSql('../checks/snapshot.sql') },
    { title: 'Tabel persiapan bersama (chk_reg_nik, chk_reg_snaps, chk_death, chk_paid, chk_reg_hh)', sql: readSql('../checks/prep.sql') },
  ];
  let rules: Record<string, { unit?: string; expected_amount?: number | null; max_desil?: number | null; months_per_stage?: number | null; forbidden_overlap?: string[] }> = {};
  try {
    const p = (typeof runParams === 'string' ? JSON.parse(runParams) : runParams) as { rules?: { programmes?: typeof rules } } | null;
    rules = p?.rules?.programmes ?? {};
  } catch { /* none */ }
  const q = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
  const lines = [
    'CREATE OR REPLACE TEMP TABLE chk_rules (program VARCHAR, unit VARCHAR, expected_amount DECIMAL(18,2), max_desil INTEGER, months_per_stage INTEGER);',
    'CREATE OR REPLACE TEMP TABLE chk_overlap (program VARCHAR, other_program VARCHAR);',
    ...Object.entries(rules).map(([p, r]) => `INSERT INTO chk_rules VALUES (${q(p)}, ${q(r.unit)}, ${q(r.expected_amount)}, ${q(r.max_desil)}, ${q(r.months_per_stage)});`),
    ...Object.entries(rules).flatMap(([p, r]) => (r.forbidden_overlap ?? []).map((o) => `INSERT INTO chk_overlap VALUES (${q(p)}, ${q(o)});`)),
  ];
  // The run loads the programme rules before the shared preparation (prep.sql reads chk_rules).
  out.splice(1, 0, { title: 'Aturan program pada run ini (chk_rules, chk_overlap)', sql: lines.join('\n') });
  return out;
}

/** Temp tables and macros a check's SQL uses (so the sheet names them next to the SQL). */
export function sqlUses(sql: string): string[] {
  const names = new Set<string>();
  for (const m of sql.matchAll(/\b(chk_[a-z_]+|nik_is_valid|nik_invalid_reason|name_norm|reason_text|ind_[a-z_]+)\b/g)) names.add(m[1]);
  return [...names].sort();
}
