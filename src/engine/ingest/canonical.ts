/** From a raw table or the direct reader's source to the canonical table: column-style inference, the staging
 *  SELECT (every value parsed, every reject reason), the file-order insert, rejects and the quality report. */
import { ident, type Row, type Workspace } from '../workspace/workspace';
import { KIND_SPECS, type ColumnSpec, type Kind } from './columns';
import { cleanMessage } from './errors';
import { readLines } from './text';
import { AMOUNT_CEILING, BAD_REASONS_SQL, ColumnQuality, ImportQuality, JS_BLANK_RE, LoadCtx, RawLoad, checkAbort, sqlStr } from './shared';

// ---------------------------------------------------------------------------------------------------------------
// SQL generation for the canonical insert

export interface Inference { mdy: Record<string, boolean>; us: Record<string, boolean> }

export async function inferColumns(ws: Workspace, rawTable: string, specs: { col: ColumnSpec; src: string }[]): Promise<Inference> {
  const inner: string[] = [];
  const parts: string[] = [];
  specs.forEach(({ col, src }, k) => {
    if (col.type === 'date') {
      inner.push(`tl_dmy_parts(tl_trim(${ident(src)})) AS "p${k}"`);
      parts.push(`coalesce(bool_or(TRY_CAST("p${k}".a AS INTEGER) > 12), false) AS "d1_${k}"`);
      parts.push(`coalesce(bool_or(TRY_CAST("p${k}".b AS INTEGER) > 12), false) AS "d2_${k}"`);
    } else if (col.type === 'amount') {
      inner.push(`tl_amount_clean0(tl_trim(${ident(src)})) AS "s${k}"`);
      parts.push(`count_if(tl_amount_style("s${k}") = 'us') AS "us_${k}"`, `count_if(tl_amount_style("s${k}") = 'id') AS "id_${k}"`);
    }
  });
  const out: Inference = { mdy: {}, us: {} };
  if (!parts.length) return out;
  // one level per macro whose parameter is used several times (macros are inlined)
  const mid = specs.map(({ col }, k) => (col.type === 'amount' ? `tl_amount_clean1("s${k}") AS "s${k}"` : col.type === 'date' ? `"p${k}"` : null)).filter(Boolean);
  const r = (await ws.one<Row>(`SELECT ${parts.join(', ')} FROM (SELECT ${mid.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${ident(rawTable)}))`)) ?? {};
  specs.forEach(({ col }, k) => {
    if (col.type === 'date') out.mdy[col.name] = !!r[`d2_${k}`] && !r[`d1_${k}`];
    if (col.type === 'amount') out.us[col.name] = Number(r[`us_${k}`]) > Number(r[`id_${k}`]);
  });
  return out;
}

export const BAD_TYPES = new Set(['date', 'amount', 'sex', 'desil', 'year', 'count']);

export type CanonicalResult = { loaded: number; rejected: number; quality: ImportQuality; inference: Inference };
export const dbg = process.env.TELISIK_INGEST_DEBUG
  ? (label: string) => { const u = process.cpuUsage(); console.error(`[ingest] ${label} t=${Date.now()} cpu=${((u.user + u.system) / 1e6).toFixed(2)}`); }
  : () => undefined;

export function mappedColumns(kind: Kind, raw: Pick<RawLoad, 'idx' | 'rawCols'>): Mapped[] {
  const spec = KIND_SPECS[kind as Exclude<Kind, 'other'>];
  return spec.columns.filter((c) => raw.idx[c.name] !== undefined).map((c) => ({ col: c as ColumnSpec, src: raw.rawCols[raw.idx[c.name]], i: raw.idx[c.name] }));
}
export interface Mapped { col: ColumnSpec; src: string; i: number }

export function inferenceWarnings(inf: Inference, warnings: string[]): void {
  for (const [c, v] of Object.entries(inf.mdy)) if (v) warnings.push(`Kolom ${c}: tanggal dibaca bulan-dulu (month-first dates detected)`);
  for (const [c, v] of Object.entries(inf.us)) if (v) warnings.push(`Kolom ${c}: angka bergaya koma-ribuan/titik-desimal (comma-thousands style detected)`);
}

/** The raw-table path: infer the column styles over the raw table, stage with value dictionaries, then finish. */
export async function loadCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, warnings: string[]): Promise<CanonicalResult> {
  const mapped = mappedColumns(ctx.kind, raw);
  dbg('infer');
  const inf = await inferColumns(ctx.ws, ctx.rawTable, mapped);
  inferenceWarnings(inf, warnings);
  dbg('stage');
  await stageCanonical(ctx, importId, raw, inf, { from: ident(ctx.rawTable), dictionaries: !raw.compact });
  return finishCanonical(ctx, importId, raw, inf);
}

/**
 * The staging table `_stg_<import_id>`: every canonical value parsed, the reject reason, per row. `source.from` is the
 * raw table (with _line) or, for the direct reader, a read_csv expression without _line: the stage then holds the
 * file's records in file order (rowid = ordinal), a `_blank` flag and the per-row facts the column-style inference
 * needs (`_infd2_<k>`: an unread date with a second part above 12; `_infs_<k>`: amount style), because there is no raw table to
 * infer from first; it is parsed with the default styles and thrown away if the data proves another style.
 */
export async function stageCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, inf: Inference, source: { from: string; dictionaries: boolean; direct?: boolean }): Promise<void> {
  const { ws, kind } = ctx;
  const N = raw.headers.length;
  const mapped = mappedColumns(kind, raw);
  const direct = !!source.direct;

  // Value dictionaries: dates, amounts, periods, programmes and statuses repeat (a few hundred distinct values in a
  // million rows), and their parsers are chains of regular expressions. Each distinct trimmed text is parsed once
  // and joined back (a small win next to the trim fast path and the total-row guard; together the staging of 1M disbursement rows went
  // from 21.8 s to 4.4 s, the whole import from 43.9 s to 19.9 s).
  const DICT_TYPES = new Set(['date', 'amount', 'program', 'status', 'period']);
  const dictOf = new Map<string, string>(); // column name -> join alias
  const joins: string[] = [];
  for (const m of mapped) {
    if (!DICT_TYPES.has(m.col.type) || !source.dictionaries) continue;
    const k = dictOf.size;
    const alias = `_d${k}`;
    const dt = ident(`_dict_${importId}_${k}`);
    let v: string;
    switch (m.col.type) {
      case 'date': v = `tl_date(t, ${inf.mdy[m.col.name] ? 'true' : 'false'})`; break;
      case 'amount': v = `tl_amount(a, ${inf.us[m.col.name] ? 'true' : 'false'})`; break;
      case 'program': v = 'tl_program(u)'; break;
      case 'status': v = 'tl_status(u)'; break;
      default: v = 'tl_period_key(u, NULL::DATE)'; break; // period: only non-empty texts reach the dictionary
    }
    await ws.run(`DROP TABLE IF EXISTS ${dt}`);
    await ws.run(`CREATE TEMP TABLE ${dt} AS SELECT t AS __tl_k, ${v} AS __tl_v FROM (
      SELECT t, u, tl_amount_clean1(a0) AS a FROM (
        SELECT t, tl_upper(t) AS u, tl_amount_clean0(t) AS a0 FROM (SELECT DISTINCT tl_trim(${ident(m.src)}) AS t FROM ${source.from}) WHERE t IS NOT NULL))`);
    joins.push(`LEFT JOIN ${dt} ${alias} ON ${alias}.__tl_k = tl_trim(${source.from}.${ident(m.src)})`);
    dictOf.set(m.col.name, alias);
  }
  const dictTables = [...dictOf.keys()].map((_c, k) => ident(`_dict_${importId}_${k}`));

  // Levels, so that no macro receives a computed expression it would inline several times:
  // L0 trimmed text; L1 upper-cased text / amount pre-clean; L2 amount clean; L3 values; L4 flags + period key; L5 reason.
  const q = (n: string) => ident(n);
  const l0: string[] = direct ? ['_nf'] : ['_line', '_nf'];
  for (const m of mapped) {
    l0.push(`tl_trim(${q(m.src)}) AS ${q('t_' + m.col.name)}`);
    const d = dictOf.get(m.col.name);
    if (d) l0.push(`${d}.__tl_v AS ${q('v_' + m.col.name)}`);
    if (m.col.type === 'nik') l0.push(`coalesce(contains(_num, ',${m.i},'), false) AS _numnik`);
  }
  // the first non-empty cell (total-row label); one lambda over a list keeps the expression small for wide files
  // (a coalesce of one inlined tl_trim per column took 18 s and 1.7 GB to bind for 5,000 columns: R6)
  // The macro argument is a column in L1 (tl_trim inlines its argument several times). Only rows that can be a total
  // row (no NIK, or a NIK without a digit) need it: the guard keeps the lambda off a million ordinary rows (13 s → 0).
  const firstCell = raw.compact ? '_first' : raw.rawCols.length > 8
    ? `list_filter([${raw.rawCols.map((c) => q(c)).join(', ')}], x -> tl_trim(x) IS NOT NULL)[1]`
    : raw.rawCols.length ? `coalesce(${raw.rawCols.map((c) => `tl_trim(${q(c)})`).join(', ')})` : 'NULL';
  const nikSrc = mapped.find((m) => m.col.name === 'nik');
  const guard = nikSrc && !raw.compact ? `tl_trim(${q(nikSrc.src)}) IS NULL OR NOT regexp_matches(${q(nikSrc.src)}, '[0-9]')` : null;
  l0.push(`${guard ? `CASE WHEN ${guard} THEN ${firstCell} END` : firstCell} AS _first`);
  // direct reader: a line of delimiters and blanks only is a blank line, as in RowRouter (only rows without a NIK
  // digit can be one)
  if (direct) {
    const blankCond = raw.rawCols.length ? raw.rawCols.map((c) => `(NOT (ascii(${q(c)}) BETWEEN 33 AND 126) AND regexp_full_match(${q(c)}, ${JS_BLANK_RE}))`).join(' AND ') : 'false';
    l0.push(`${guard ? `CASE WHEN ${guard} THEN ${blankCond} ELSE false END` : blankCond} AS _blank`);
  }
  const l1: string[] = ['*', 'tl_is_total(tl_trim(_first)) AS _total'];
  const l2: string[] = ['*'];
  for (const m of mapped) {
    const t = q('t_' + m.col.name);

    if (m.col.type === 'amount') { l1.push(`tl_amount_clean0(${t}) AS ${q('a0_' + m.col.name)}`); l2.push(`tl_amount_clean1(${q('a0_' + m.col.name)}) AS ${q('a_' + m.col.name)}`); }
    if (m.col.type === 'program' || m.col.type === 'status' || m.col.type === 'period') l1.push(`tl_upper(${t}) AS ${q('u_' + m.col.name)}`);
    if (m.col.type === 'nik' || m.col.type === 'id') l1.push(`tl_id(${t}) AS ${q('i_' + m.col.name)}`);
  }
  const hasNik = mapped.some((m) => m.col.name === 'nik');
  const has = (n: string) => mapped.some((m) => m.col.name === n);
  const l3: string[] = direct ? ['_nf', '_total', '_blank'] : ['_line', '_nf', '_total'];
  const l4: string[] = ['*'];
  const finalCols: string[] = direct ? ['_blank'] : ['_line'];
  if (direct) {
    for (const m of mapped.filter((x) => x.col.type === 'amount')) { l3.push(`tl_amount_style(${q('a_' + m.col.name)}) AS ${q('_infs_' + m.col.name)}`); finalCols.push(q('_infs_' + m.col.name)); }
  }
  for (const m of mapped) {
    const c = m.col;
    const t = q('t_' + c.name);
    let v: string;
    const dv = dictOf.has(c.name) ? q('v_' + c.name) : null;
    switch (c.type) {
      case 'nik': case 'id': v = q('i_' + c.name); break;
      case 'text': case 'period': v = t; break;
      case 'region': v = `tl_region(${t})`; break;
      case 'date': v = dv ?? `tl_date(${t}, ${inf.mdy[c.name] ? 'true' : 'false'})`; break;
      case 'amount': v = dv ?? `tl_amount(${q('a_' + c.name)}, ${inf.us[c.name] ? 'true' : 'false'})`; break;
      case 'sex': v = `tl_sex(${t})`; break;
      case 'desil': v = `tl_desil(${t})`; break;
      case 'program': v = dv ?? `tl_program(${q('u_' + c.name)})`; break;
      // an empty status means PAID (the dictionary holds only non-empty texts)
      case 'status': v = dv ? `coalesce(${dv}, 'PAID')` : `tl_status(${q('u_' + c.name)})`; break;
      case 'year': v = `tl_year(${t})`; break;
      case 'count': v = `tl_count(${t})`; break;
      case 'list': v = `upper(regexp_replace(${t}, '\\s+', ' ', 'g'))`; break;
    }
    l3.push(`${v} AS ${q(c.name)}`, `${t} IS NULL AS ${q('_tnull_' + c.name)}`);
    finalCols.push(q(c.name));
    if (c.type === 'nik') { l3.push(`(tl_is_sci(${q('i_' + c.name)}) OR _numnik) AS nik_damaged`); finalCols.push('nik_damaged'); }
    if (c.type === 'period') l3.push(`${q('u_' + c.name)} AS _pu`, `${dv ?? 'NULL::VARCHAR'} AS _pk`);
    if (c.type === 'program' || c.type === 'status') { l3.push(`${t} AS ${q(c.name + '_raw')}`); finalCols.push(q(c.name + '_raw')); }
    if (BAD_TYPES.has(c.type)) { l4.push(`(NOT ${q('_tnull_' + c.name)} AND ${q(c.name)} IS NULL) AS ${q('_bad_' + c.name)}`); finalCols.push(q('_bad_' + c.name)); }
    if (direct && c.type === 'date') {
      // A date the day-first parse could not read, whose second part is above 12: the column may be month-first
      // (a date read day-first always has its second part ≤ 12). The direct stage is then discarded and the
      // raw-table path infers the column's order over every row, as it always has.
      l3.push(`${t} AS ${q('_tt_' + c.name)}`);
      l4.push(`CASE WHEN ${q(c.name)} IS NULL AND ${q('_tt_' + c.name)} IS NOT NULL THEN coalesce(TRY_CAST(tl_dmy_parts(${q('_tt_' + c.name)}).b AS INTEGER) > 12, false) ELSE false END AS ${q('_infd2_' + c.name)}`);
      finalCols.push(q('_infd2_' + c.name));
    }
  }
  if (kind === 'disbursements') {
    const paid = has('paid_date') ? 'paid_date' : 'NULL::DATE';
    if (has('period') && dictOf.has('period')) l4.push(`CASE WHEN _pu IS NULL THEN strftime(${paid}, '%Y-%m') ELSE _pk END AS period_key`);
    else if (has('period')) l4.push(`tl_period_key(_pu, ${paid}) AS period_key`);
    else if (has('paid_date')) l4.push(`strftime(paid_date, '%Y-%m') AS period_key`);
    else l4.push(`NULL::VARCHAR AS period_key`);
    finalCols.push('period_key');
  }
  const reasons: string[] = [];
  const rcols: string[] = [];
  const totalCond = `_total${hasNik ? " AND (nik IS NULL OR NOT regexp_matches(nik, '[0-9]'))" : ''}`;
  if (!direct) { reasons.push(BAD_REASONS_SQL); rcols.push('WHEN _nf < 0 THEN NULL'); }
  reasons.push(`WHEN ${totalCond} THEN 'baris total (total row)'`); rcols.push(`WHEN ${totalCond} THEN NULL`);
  reasons.push(`WHEN _nf <> ${N} THEN 'jumlah kolom tidak sesuai (expected ${N} fields, found ' || _nf || ')'`); rcols.push(`WHEN _nf <> ${N} THEN NULL`);
  // a header line repeated inside the data (page breaks of printed exports)
  const reqMapped = mapped.filter((x) => x.col.required && raw.headers[x.i]);
  if (reqMapped.length) {
    const cond = reqMapped.map((m) => `lower(${q('t_' + m.col.name)}) = ${sqlStr(raw.headers[m.i].trim().toLowerCase())}`).join(' AND ');
    l3.push(`coalesce(${cond}, false) AS _rephdr`);
    reasons.push(`WHEN _rephdr THEN 'baris header berulang (repeated header row)'`); rcols.push(`WHEN _rephdr THEN NULL`);
  }
  for (const m of mapped.filter((x) => x.col.required)) {
    const c = m.col.name;
    const hdr = cleanMessage(raw.headers[m.i] || raw.rawCols[m.i]).slice(0, 60); // reasons are printed (CLI) and shown: no full NIK, no control characters
    const emptyCond = m.col.type === 'nik' || m.col.type === 'id' ? `${q(c)} IS NULL` : q('_tnull_' + c);
    reasons.push(`WHEN ${emptyCond} THEN ${sqlStr(`kolom wajib kosong: ${c} [${hdr}] (required field empty)`)}`);
    rcols.push(`WHEN ${emptyCond} THEN ${sqlStr(c)}`);
    reasons.push(`WHEN ${q(c)} IS NULL THEN ${sqlStr(`nilai tidak dapat dibaca: ${c} [${hdr}] (unparseable value)`)}`);
    rcols.push(`WHEN ${q(c)} IS NULL THEN ${sqlStr(c)}`);
  }
  const l5 = [...finalCols, `CASE ${reasons.join(' ')} ELSE NULL END AS _reason`, `CASE ${rcols.join(' ')} ELSE NULL END AS _rcol`];
  const levels = `SELECT ${l5.join(', ')} FROM (SELECT ${l4.join(', ')} FROM (SELECT ${l3.join(', ')} FROM (SELECT ${l2.join(', ')} FROM (SELECT ${l1.join(', ')} FROM (SELECT ${l0.join(', ')} FROM ${source.from} ${joins.join(' ')})))))`;

  const stg = ident(`_stg_${importId}`);
  await ws.run(`DROP TABLE IF EXISTS ${stg}`);
  try {
    if (direct) {
      await assertOrderKeeping(ws, levels);
      // The direct stage is a workspace table laid out as the canonical table (its columns first, in order and type)
      // followed by the stage's own columns: once checked and trimmed it can become the canonical table itself
      // (finishDirect), so the rows are written once. rec_id and _line are filled from rowid afterwards.
      // the stage's output columns are the names written above (a DESCRIBE would bind the whole SELECT once more)
      const stageCols = [...finalCols, '_reason', '_rcol'].map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
      await ws.run(`CREATE TABLE ${stg} AS ${await canonicalLayout(ctx, importId, levels, stageCols)}`);
    } else await ws.run(`CREATE TEMP TABLE ${stg} AS ${levels}`);
  } finally {
    for (const dt of dictTables) await ws.run(`DROP TABLE IF EXISTS ${dt}`);
  }
}

/** The direct stage's SELECT: the canonical columns in order and type, then every other column of the stage. */
async function canonicalLayout(ctx: LoadCtx, importId: number, levels: string, stageCols: string[]): Promise<string> {
  const { ws, kind, file } = ctx;
  const have = new Set(stageCols);
  const cols = await ws.columns(kind); // the canonical table, in order (schema.sql makes every one)
  const canon = new Set(cols.map((c) => c.name));
  const sel = cols.map(({ name, type }) => {
    let v: string;
    if (name === 'rec_id' || name === '_line') v = 'NULL';
    else if (name === '_import_id') v = String(importId);
    else if (name === '_file') v = sqlStr(file);
    else if (kind === 'flags' && name === 'list' && !have.has('list')) v = sqlStr(ctx.listName);
    else v = have.has(name) ? ident(name) : 'NULL';
    return `CAST(${v} AS ${type}) AS ${ident(name)}`;
  });
  const extra = [...have].filter((c) => !canon.has(c));
  return `SELECT ${[...sel, ...extra.map(ident)].join(', ')} FROM (${levels})`;
}

/**
 * The direct import's stage becomes the loaded rows (before the import transaction; the stage is scratch until then):
 * line and rec_id from the row order, the rejected rows set aside with their reason, the quality report, then the
 * rejected rows and the stage's own columns removed. What is left has exactly the canonical table's layout.
 */
export async function prepareDirect(ctx: LoadCtx, importId: number, raw: RawLoad): Promise<{ quality: ImportQuality; rejects: string }> {
  const { ws, kind } = ctx;
  const spec = KIND_SPECS[kind as Exclude<Kind, 'other'>];
  const stg = ident(`_stg_${importId}`);
  const line = `(rowid + ${raw.lineBase})`;
  ctx.progress('load', raw.rows, ctx.size);
  await ws.run(`UPDATE ${stg} SET rec_id = ${importId}::BIGINT * 10000000000 + ${line}, _line = ${line}`);
  const rej = `_tl_rej_${importId}`;
  await ws.run(`CREATE OR REPLACE TEMP TABLE ${ident(rej)} AS SELECT _line AS line, _reason AS reason, _rcol AS rcol FROM ${stg} WHERE _reason IS NOT NULL ORDER BY _line`);
  ctx.progress('quality', raw.rows, ctx.size);
  dbg('quality');
  const quality = await computeQuality(ws, stg, kind, spec.columns, mappedColumns(kind, raw).map((m) => m.col.name), raw);
  dbg('quality done');
  if (quality.rows_rejected) await ws.run(`DELETE FROM ${stg} WHERE _reason IS NOT NULL`);
  const canon = new Set((await ws.columns(kind)).map((c) => c.name));
  const own = (await ws.columns(`_stg_${importId}`)).map((c) => c.name).filter((c) => !canon.has(c));
  for (const c of own) await ws.run(`ALTER TABLE ${stg} DROP COLUMN ${ident(c)}`);
  return { quality, rejects: rej };
}

/**
 * Inside the import transaction: the prepared stage joins the canonical table. The first rows of a kind make the
 * stage the table itself (a rename: the rows are not copied again); later imports of the kind are appended.
 */
export async function finishDirect(ctx: LoadCtx, importId: number, raw: RawLoad, inf: Inference, prep: { quality: ImportQuality; rejects: string }): Promise<CanonicalResult> {
  const { ws, kind, file } = ctx;
  const stg = ident(`_stg_${importId}`);
  checkAbort(ctx.signal, file);
  await ws.run(`INSERT INTO rejects SELECT ${importId}, ${sqlStr(file)}, line, reason, rcol, NULL FROM ${ident(prep.rejects)} ORDER BY line`);
  await ws.run(`DROP TABLE IF EXISTS ${ident(prep.rejects)}`);
  if (raw.verbatimFromFile) await verbatimRejects(ctx, importId);
  // Only a table with nothing of its own to lose is replaced: no rows, no constraint, no column default.
  const swap = Number(await ws.scalar(`SELECT count(*) FROM ${ident(kind)}`)) === 0
    && Number(await ws.scalar(`SELECT (SELECT count(*) FROM duckdb_constraints() WHERE table_name = $t AND schema_name = 'main' AND database_name = current_database())
      + (SELECT count(*) FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' AND database_name = current_database() AND column_default IS NOT NULL)`, { t: kind })) === 0;
  if (swap) {
    await ws.run(`DROP TABLE ${ident(kind)}`);
    await ws.run(`ALTER TABLE ${stg} RENAME TO ${ident(kind)}`);
  } else {
    await ws.run(`INSERT INTO ${ident(kind)} SELECT * FROM ${stg}`);
    await ws.run(`DROP TABLE ${stg}`);
  }
  const q = prep.quality;
  return { loaded: q.rows_loaded, rejected: q.rows_rejected, quality: q, inference: inf };
}

/** Physical operators that may emit rows out of input order (an IN list of many constants becomes a join). */
export const REORDERING = /\b(HASH_JOIN|NESTED_LOOP_JOIN|PIECEWISE_MERGE_JOIN|BLOCKWISE_NL_JOIN|CROSS_PRODUCT|POSITIONAL_JOIN|ASOF_JOIN|IE_JOIN|DELIM_JOIN|ORDER_BY|TOP_N|WINDOW|HASH_GROUP_BY|PERFECT_HASH_GROUP_BY|UNION|COLUMN_DATA_SCAN)\b/;
export class ReorderingPlan extends Error { override name = 'ReorderingPlan'; }

/**
 * Statement shapes whose plan was seen to keep the input order. The EXPLAIN binds the whole macro-expanded SELECT
 * (≈ 35 ms, as much as the load of a small file), and every extract of one layout — the monthly file of the same
 * system, the same kind with the same headers — gives the same statement but for its literals (the file's path, the
 * import's scratch-table names). Literals cannot add a join, sort or union to the plan (an IN list keeps its number
 * of constants), so the shape with every literal blanked is the key. Only order-keeping verdicts are kept.
 */
const ORDER_KEEPING_SHAPES = new Set<string>();
const statementShape = (select: string) => select.replace(/'(?:[^']|'')*'/g, "'?'");

/** The direct reader numbers lines by position in the stage: its plan must be scan + projections only. */
export async function assertOrderKeeping(ws: Workspace, select: string): Promise<void> {
  const shape = statementShape(select);
  if (ORDER_KEEPING_SHAPES.has(shape)) return;
  const rows = await ws.all<Record<string, unknown>>(`EXPLAIN ${select}`);
  const plan = rows.map((r) => Object.values(r).join('\n')).join('\n');
  const m = REORDERING.exec(plan);
  if (m) throw new ReorderingPlan(`the direct stage plan holds ${m[1]}`);
  if (ORDER_KEEPING_SHAPES.size >= 256) ORDER_KEEPING_SHAPES.clear();
  ORDER_KEEPING_SHAPES.add(shape);
}

/**
 * From the stage of the raw-table route: the loaded rows into the canonical table in file order, the rejected ones
 * into `rejects` (with their verbatim text), the quality report. (The direct reader finishes with finishDirect.)
 */
export async function finishCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, inf: Inference): Promise<CanonicalResult> {
  const { ws, kind, file } = ctx;
  const spec = KIND_SPECS[kind as Exclude<Kind, 'other'>];
  const mapped = mappedColumns(kind, raw);
  const rawT = ident(ctx.rawTable);
  const stg = ident(`_stg_${importId}`);
  const line = '_line';
  dbg('insert');
  checkAbort(ctx.signal, file);
  ctx.progress('load', raw.rows, ctx.size);

  // canonical insert
  const target = kind;
  const tableCols = (await ws.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' AND database_name <> 'temp' ORDER BY column_index`, { t: target })).map((r) => r.column_name);
  const stgCols = new Set((await ws.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = $t AND database_name = 'temp' ORDER BY column_index`, { t: `_stg_${importId}` })).map((r) => r.column_name));
  const sel = tableCols.map((c) => {
    if (c === 'rec_id') return `${importId}::BIGINT * 10000000000 + ${line}`;
    if (c === '_import_id') return `${importId}`;
    if (c === '_file') return sqlStr(file);
    if (c === '_line') return line;
    if (c === 'nik_damaged' && !stgCols.has('nik_damaged')) return 'NULL';
    if (kind === 'flags' && c === 'list' && !stgCols.has('list')) return sqlStr(ctx.listName);
    return stgCols.has(c) ? ident(c) : 'NULL';
  });
  await ws.run(`INSERT INTO ${ident(target)} (${tableCols.map(ident).join(', ')}) SELECT ${sel.join(', ')} FROM ${stg} WHERE _reason IS NULL ORDER BY _line`); // file order (the dictionary joins may reorder the stage)
  const rawText = raw.compact ? 'r._raw' : raw.rawCols.length ? `coalesce(r._raw, concat_ws(${sqlStr(raw.delimiter ?? '\t')}, ${raw.rawCols.map((c) => `r.${ident(c)}`).join(', ')}))` : 'r._raw';
  dbg('rejects');
  await ws.run(`INSERT INTO rejects SELECT ${importId}, ${sqlStr(file)}, s._line, s._reason, s._rcol, ${rawText}
    FROM ${rawT} r JOIN (SELECT _line, _reason, _rcol FROM ${stg} WHERE _reason IS NOT NULL) s ON r._line = s._line ORDER BY s._line`);
  if (raw.verbatimFromFile) await verbatimRejects(ctx, importId);
  checkAbort(ctx.signal, file);
  ctx.progress('quality', raw.rows, ctx.size);

  // quality report
  dbg('quality');
  const qual = await computeQuality(ws, stg, kind, spec.columns, mapped.map((m) => m.col.name), raw);
  dbg('quality done');
  await ws.run(`DROP TABLE IF EXISTS ${stg}`);
  return { loaded: qual.rows_loaded, rejected: qual.rows_rejected, quality: qual, inference: inf };
}

export const histogramOf = (entries: unknown): Record<string, number> =>
  Object.fromEntries((Array.isArray(entries) ? (entries as { key: string; value: unknown }[]) : []).map((e) => [e.key, Number(e.value)]));

/** Valid NIKs whose first four digits are no regency of the region reference, from the prefix histogram. */
export async function unknownPrefixes(ws: Workspace, entries: unknown): Promise<number> {
  const list = Array.isArray(entries) ? (entries as { key: string; value: unknown }[]) : [];
  if (!list.length) return 0;
  const known = new Set((await ws.all<{ code: string }>(`SELECT code FROM ref_regions WHERE level = 'regency'`)).map((r) => r.code));
  return list.reduce((n, e) => n + (known.has(e.key) ? 0 : Number(e.value)), 0);
}

/** Rejected lines of a file read by DuckDB get their verbatim text from the file (quotes and trailing delimiters
 *  included), as the line reader keeps it. */
export async function verbatimRejects(ctx: LoadCtx, importId: number): Promise<void> {
  const lines = (await ctx.ws.all<{ line: number }>(`SELECT line FROM rejects WHERE import_id = $id`, { id: importId })).map((r) => Number(r.line));
  if (!lines.length) return;
  const text = await readLines(ctx.abs, lines);
  const t = `_tl_verbatim_${importId}`;
  await ctx.ws.run(`CREATE OR REPLACE TEMP TABLE ${ident(t)} (line BIGINT, raw_text VARCHAR)`);
  const a = await ctx.ws.conn.createAppender(t, 'main', 'temp');
  try {
    for (const [line, raw] of text) { a.appendBigInt(BigInt(line)); a.appendVarchar(raw); a.endRow(); }
    a.flushSync();
  } finally { a.closeSync(); }
  await ctx.ws.run(`UPDATE rejects SET raw_text = v.raw_text FROM ${ident(t)} v WHERE rejects.import_id = ${importId} AND rejects.line = v.line`);
  await ctx.ws.run(`DROP TABLE ${ident(t)}`);
}

/**
 * The quality report's distinct count of one column, by size: exact up to 200k rows, a HyperLogLog estimate above
 * (the report says so; `exact` keeps it exact). Up to 10,000 rows the exact count is taken from the column's list:
 * the same figure (NULLs do not count either way) for a fraction of the cost, since a DISTINCT aggregate sets up its
 * own hash table per column, which dominates a small file's import (≈ 75 → 15 ms for a 15-column registry extract);
 * past ≈ 20k rows the list costs more than the hash table.
 */
export function distinctCount(col: string, rows: number, opts: { exact?: boolean } = {}): string {
  if (rows > 200_000 && !opts.exact) return `approx_count_distinct(${col})`;
  if (rows > 10_000) return `count(DISTINCT ${col})`;
  return `coalesce(length(list_distinct(list(${col}))), 0)`;
}

export async function computeQuality(ws: Workspace, stg: string, kind: Kind, columns: ColumnSpec[], mappedNames: string[], raw: RawLoad): Promise<ImportQuality> {
  const counts = await ws.one<Row>(`SELECT count(*) AS n, count_if(_reason IS NOT NULL) AS rej,
      count_if(_reason = 'baris total (total row)') AS totals, count_if(_reason LIKE 'jumlah kolom tidak sesuai%' OR _reason LIKE 'tanda kutip tidak tertutup%' OR _reason LIKE 'baris terlalu panjang%') AS malformed FROM ${stg}`);
  const byReason = await ws.all<{ r: string; n: number }>(`SELECT _reason AS r, count(*) AS n FROM ${stg} WHERE _reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`);
  const n = Number(counts?.n ?? 0), rej = Number(counts?.rej ?? 0);
  const loaded = n - rej;
  const outCols: Record<string, ColumnQuality> = {};
  const parts: string[] = [];
  const all = [...columns.map((c) => ({ name: c.name, type: c.type })),
    ...(kind === 'disbursements' && (mappedNames.includes('period') || mappedNames.includes('paid_date')) ? [{ name: 'period_key', type: 'text' as const }] : [])];
  const present = new Set([...mappedNames, ...(all.some((c) => c.name === 'period_key') ? ['period_key'] : [])]);
  for (const c of all) {
    if (!present.has(c.name)) continue;
    const id = ident(c.name);
    parts.push(`count(*) - count(${id}) AS ${ident('n_' + c.name)}`,
      BAD_TYPES.has(c.type) ? `count_if(${ident('_bad_' + c.name)}) AS ${ident('u_' + c.name)}` : `0 AS ${ident('u_' + c.name)}`,
      `${distinctCount(id, loaded)} AS ${ident('d_' + c.name)}`, `min(${id})::VARCHAR AS ${ident('lo_' + c.name)}`, `max(${id})::VARCHAR AS ${ident('hi_' + c.name)}`);
    if (c.type === 'amount') {
      const ceil = kind === 'budget' ? AMOUNT_CEILING.budget : AMOUNT_CEILING.default;
      parts.push(`count_if(${id} < 0) AS ${ident('neg_' + c.name)}`, `count_if(${id} > ${ceil}) AS ${ident('big_' + c.name)}`);
    }
    if (c.type === 'date') {
      parts.push(`count_if(${id} < DATE '1900-01-01') AS ${ident('early_' + c.name)}`,
        `count_if(${id} > current_date + INTERVAL 1 YEAR) AS ${ident('late_' + c.name)}`);
    }
  }
  const REASONS = ['length', 'province', 'day', 'month', 'date', 'serial'];
  const hasNik = present.has('nik'), hasKk = present.has('kk');
  if (hasNik) {
    // one histogram per reason column: six count_ifs would each re-evaluate the inlined reason macro
    parts.push(`map_entries(histogram(coalesce(_nr, '-'))) AS _nrh`, `count_if(nik_damaged) AS _dmg`, `count_if(nik IS NULL) AS _empty`,
      `map_entries(histogram(left(nik, 4)) FILTER (WHERE _nr IS NULL)) AS _prefixes`);
  }
  if (hasKk) parts.push(`map_entries(histogram(_kr) FILTER (WHERE kk IS NOT NULL)) AS _krh`);
  // the region prefixes of valid NIKs are counted in the same pass and looked up afterwards: a join here would be
  // planned without statistics (the stage is created in the import's open transaction) and carried every column
  const src = `(SELECT s.*${hasNik ? ', nik_invalid_reason(s.nik) AS _nr' : ''}${hasKk ? ', nik_invalid_reason(s.kk) AS _kr' : ''}
      FROM ${stg} s WHERE s._reason IS NULL)`;
  // single pass
  const agg = parts.length ? (await ws.one<Row>(`SELECT ${parts.join(', ')} FROM ${src}`)) ?? {} : {};
  for (const c of all) {
    if (!present.has(c.name)) { outCols[c.name] = { nulls: loaded, unparseable: 0, distinct: 0, min: null, max: null, mapped: false }; continue; }
    outCols[c.name] = {
      nulls: Number(agg['n_' + c.name] ?? 0), unparseable: Number(agg['u_' + c.name] ?? 0), distinct: Number(agg['d_' + c.name] ?? 0),
      min: agg['lo_' + c.name] ?? null, max: agg['hi_' + c.name] ?? null, mapped: true,
    };
    if (c.type === 'amount') Object.assign(outCols[c.name], { negative: Number(agg['neg_' + c.name] ?? 0), above_ceiling: Number(agg['big_' + c.name] ?? 0) });
    if (c.type === 'date') Object.assign(outCols[c.name], { before_1900: Number(agg['early_' + c.name] ?? 0), after_next_year: Number(agg['late_' + c.name] ?? 0) });
  }
  const q: ImportQuality = {
    rows_read: n, rows_loaded: loaded, rows_rejected: rej, blank_lines: raw.blank, title_lines_skipped: raw.title,
    total_rows: Number(counts?.totals ?? 0), malformed_rows: Number(counts?.malformed ?? 0),
    rejects_by_reason: Object.fromEntries(byReason.map((r) => [r.r, Number(r.n)])), columns: outCols,
  };
  if (loaded > 200_000) q.distinct_approximate = true;
  if (hasNik) {
    const by: Record<string, number> = {};
    const h = histogramOf(agg._nrh);
    for (const r of REASONS) if (h[r]) by[r] = h[r];
    q.nik = { invalid: Object.values(by).reduce((x, y) => x + y, 0), invalid_by_reason: by, damaged: Number(agg._dmg ?? 0),
      unknown_region_prefix: await unknownPrefixes(ws, agg._prefixes), empty: Number(agg._empty ?? 0) };
  }
  if (hasKk) {
    const by: Record<string, number> = {};
    const h = histogramOf(agg._krh);
    for (const r of REASONS) if (h[r]) by[r] = h[r];
    q.kk = { invalid: Object.values(by).reduce((x, y) => x + y, 0), invalid_by_reason: by };
  }
  if (kind === 'registry' && present.has('nik')) {
    // within one snapshot (contract 2: a NIK in two snapshots is not a duplicate)
    const snap = present.has('snapshot') ? `, upper(trim(coalesce(snapshot, '')))` : '';
    const d = await ws.one<Row>(`SELECT count(*) AS niks, coalesce(sum(c - 1), 0) AS rows FROM (SELECT nik${snap}, count(*) AS c FROM ${stg} WHERE _reason IS NULL AND nik IS NOT NULL GROUP BY nik${snap} HAVING count(*) > 1)`);
    q.registry_duplicates = { duplicate_niks: Number(d?.niks ?? 0), duplicate_rows: Number(d?.rows ?? 0) };
  }
  return q;
}

// ---------------------------------------------------------------------------------------------------------------
// kind 'other': sectoral tables with inferred types

export function otherTableName(name: string): string {
  let s = name.toLowerCase().replace(/\.[a-z0-9]+$/, '').replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (s.startsWith('other_')) s = s.slice(6);
  return 'other_' + (s || 'data');
}

export async function loadOther(ctx: LoadCtx, importId: number, raw: RawLoad, table: string): Promise<{ loaded: number; rejected: number; quality: ImportQuality }> {
  const { ws, file } = ctx;
  const rawT = ident(ctx.rawTable);
  const N = raw.headers.length;
  const cols = raw.rawCols;
  const parts = cols.flatMap((c, i) => {
    const t = `tl_trim(${ident(c)})`;
    return [`count(${t}) AS "nn${i}"`,
      `count_if(regexp_full_match(${t}, '-?(0|[1-9][0-9]{0,10})')) AS "ni${i}"`,
      `count_if(regexp_full_match(${t}, '-?(0|[1-9][0-9]*)\\.[0-9]+')) AS "nd${i}"`,
      `count_if(NOT regexp_full_match(${t}, '[0-9.]+') AND tl_date(${t}, false) IS NOT NULL) AS "nt${i}"`,
      `coalesce(bool_or(TRY_CAST(tl_dmy_parts(${t}).a AS INTEGER) > 12), false) AS "da${i}"`,
      `coalesce(bool_or(TRY_CAST(tl_dmy_parts(${t}).b AS INTEGER) > 12), false) AS "db${i}"`];
  });
  const st = parts.length ? (await ws.one<Row>(`SELECT ${parts.join(', ')} FROM ${rawT} WHERE _nf = ${N}`)) ?? {} : {};
  const types = cols.map((_, i) => {
    const nn = Number(st[`nn${i}`] ?? 0);
    if (nn === 0) return 'VARCHAR';
    if (Number(st[`ni${i}`]) === nn) return 'BIGINT';
    if (Number(st[`ni${i}`]) + Number(st[`nd${i}`]) === nn) return 'DOUBLE';
    if (Number(st[`nt${i}`]) === nn) return (!!st[`db${i}`] && !st[`da${i}`]) ? 'DATE_MDY' : 'DATE';
    return 'VARCHAR';
  });
  const tq = ident(table);
  let existing = new Map<string, { name: string; type: string }>();
  if (!(await ws.tableExists(table))) {
    await ws.run(`CREATE TABLE ${tq} (rec_id BIGINT, _import_id INTEGER, _file VARCHAR, _line BIGINT${cols.map((c, i) => `, ${ident(c)} ${types[i].startsWith('DATE') ? 'DATE' : types[i]}`).join('')})`);
  }
  const tc = await ws.all<{ column_name: string; data_type: string }>(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' AND database_name <> 'temp'`, { t: table });
  existing = new Map(tc.map((r) => [r.column_name.toLowerCase(), { name: r.column_name, type: r.data_type }]));
  const insertCols: string[] = ['rec_id', '_import_id', '_file', '_line'];
  const sel: string[] = [`${importId}::BIGINT * 10000000000 + _line`, `${importId}`, sqlStr(file), '_line'];
  for (let i = 0; i < cols.length; i++) {
    let target = existing.get(cols[i].toLowerCase());
    if (!target) {
      const ty = types[i].startsWith('DATE') ? 'DATE' : types[i];
      await ws.run(`ALTER TABLE ${tq} ADD COLUMN ${ident(cols[i])} ${ty}`);
      target = { name: cols[i], type: ty };
    }
    const t = `tl_trim(${ident(cols[i])})`;
    let e: string;
    if (target.type === 'DATE') e = `tl_date(${t}, ${types[i] === 'DATE_MDY'})`;
    else if (target.type === 'VARCHAR') e = t;
    else e = `TRY_CAST(${t} AS ${target.type})`;
    insertCols.push(target.name);
    sel.push(e);
  }
  const good = `_nf = ${N}`;
  await ws.run(`INSERT INTO ${tq} (${insertCols.map(ident).join(', ')}) SELECT ${sel.join(', ')} FROM ${rawT} WHERE ${good}`);
  const rawText = cols.length ? `coalesce(_raw, concat_ws(${sqlStr(raw.delimiter ?? '\t')}, ${cols.map((c) => ident(c)).join(', ')}))` : '_raw';
  await ws.run(`INSERT INTO rejects SELECT ${importId}, ${sqlStr(file)}, _line, CASE ${BAD_REASONS_SQL} ELSE 'jumlah kolom tidak sesuai (expected ${N} fields, found ' || _nf || ')' END, NULL, ${rawText} FROM ${rawT} WHERE NOT (${good}) ORDER BY _line`);
  const rej = Number(await ws.scalar(`SELECT count(*) FROM ${rawT} WHERE NOT (${good})`));
  const n = raw.rows;
  const columns: Record<string, ColumnQuality> = {};
  const targets = insertCols.slice(4);
  const aggParts = targets.flatMap((c, i) => [`count(*) - count(${ident(c)}) AS "n${i}"`, `${distinctCount(ident(c), n - rej, { exact: true })} AS "d${i}"`,
    `min(${ident(c)})::VARCHAR AS "lo${i}"`, `max(${ident(c)})::VARCHAR AS "hi${i}"`]);
  const ag = aggParts.length ? (await ws.one<Row>(`SELECT ${aggParts.join(', ')} FROM ${tq} WHERE _import_id = ${importId}`)) ?? {} : {};
  cols.forEach((c, i) => {
    const nn = Number(st[`nn${i}`] ?? 0);
    const nulls = Number(ag[`n${i}`] ?? 0);
    // values present in the text that did not convert to the column's type
    columns[c] = { nulls, unparseable: Math.max(0, nulls - (n - rej - nn)), distinct: Number(ag[`d${i}`] ?? 0), min: ag[`lo${i}`] ?? null, max: ag[`hi${i}`] ?? null, mapped: true };
  });
  const q: ImportQuality = {
    rows_read: n, rows_loaded: n - rej, rows_rejected: rej, blank_lines: raw.blank, title_lines_skipped: raw.title,
    total_rows: 0, malformed_rows: rej, rejects_by_reason: rej ? { [`jumlah kolom tidak sesuai`]: rej } : {}, columns,
    inference: Object.fromEntries(cols.map((c, i) => [c, types[i] === 'DATE_MDY' ? 'DATE (month-first)' : types[i]])),
  };
  return { loaded: n - rej, rejected: rej, quality: q };
}
