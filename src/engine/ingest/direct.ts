/** The direct CSV reader: read_csv feeds the staging SELECT, no raw copy of the file (issue 17). */
import { ident, type Row } from '../workspace/workspace';
import { scanTextLines, type TextEncoding } from './text';
import { LoadCtx, RawLoad, checkAbort, sqlStr } from './shared';
import { readCsvHead } from './readers';
import { Inference, dbg, mappedColumns, prepareDirect, stageCanonical } from './canonical';
import type { ImportQuality } from '../../shared/types';

/** The raw layer of a direct import: a view that reads the source file as the raw table would hold it (the import
 *  log and the trail keep the file's SHA-256; the view is hidden from the auditor's lists). */
export async function createRawView(ctx: LoadCtx, raw: RawLoad): Promise<void> {
  await ctx.ws.run(`CREATE VIEW ${ident(ctx.rawTable)} AS SELECT (${raw.headerLine} + row_number() OVER ())::INTEGER AS _line, ${raw.rawCols.length}::INTEGER AS _nf,
      NULL::VARCHAR AS _raw, NULL::VARCHAR AS _num, * FROM ${readCsvSql(ctx, raw.delimiter ?? ',', raw.headerLine ?? 0, raw.rawCols)}`);
}

/** The read_csv call both readers use on a clean UTF-8 file: every field as text, exactly as the splitter gives it. */
export function readCsvSql(ctx: LoadCtx, delimiter: string, headerLine: number, rawCols: string[], rejects?: { table: string; scan: string }): string {
  const cols = rawCols.map((c) => `${sqlStr(c)}: 'VARCHAR'`).join(', ');
  // nullstr: an empty field stays '' as in the splitter (a NULL marks a missing field)
  return `read_csv(${sqlStr(ctx.abs)}, delim = ${sqlStr(delimiter)}, quote = '"', escape = '"',
      header = false, skip = ${headerLine}, auto_detect = false, strict_mode = true, columns = {${cols}}, nullstr = ${sqlStr('\u0001never\u0001')}` +
    (rejects ? `, store_rejects = true, rejects_table = ${sqlStr(rejects.table)}, rejects_scan = ${sqlStr(rejects.scan)})` : ')');
}

/**
 * The direct reader (docs/perf-notes.md, import): for a clean UTF-8 file of a canonical kind, DuckDB's read_csv feeds
 * the staging SELECT itself — no raw copy of the file, no value dictionaries, no sort — while Node hashes and checks
 * the bytes (scanTextLines) at the same time. The result is kept only under exactly the conditions of loadTextFast
 * (clean bytes, no line rejected by DuckDB, one record per physical line) and when no blank line, no month-first date
 * column and no comma-thousands amount column shows up (those are parsed with the styles that the raw-table path
 * infers first); otherwise it returns null and the raw-table path does the work, with the same result. `raw_<id>` is
 * then a view over the source file (the file is the evidence; its SHA-256 is in the import log and the trail).
 */
export async function loadTextDirect(ctx: LoadCtx, encoding: TextEncoding, head: Buffer, importId: number): Promise<{ raw: RawLoad; inf: Inference; prep: { quality: ImportQuality; rejects: string } } | null> {
  if (ctx.kind === 'other') return null;
  const hd = readCsvHead(ctx, encoding, head);
  if (!hd) return null;
  const { delimiter, h, headers, headerLine, blankBefore, rawCols, idx } = hd;

  const { ws } = ctx;
  const rejName = `_tl_csvrej_${ctx.rawTable}`, scanName = `_tl_csvscan_${ctx.rawTable}`;
  const raw: RawLoad = {
    format: 'csv', encoding, delimiter, sheet: null, headerLine, headers, rawCols, sha256: '',
    blank: blankBefore, title: h, rows: 0, idx, transcoded: 0, compact: false, verbatimFromFile: true, lineBase: headerLine + 1,
  };
  const defaults: Inference = { mdy: {}, us: {} };
  const mapped = mappedColumns(ctx.kind, raw);
  for (const m of mapped) {
    if (m.col.type === 'date') defaults.mdy[m.col.name] = false;
    if (m.col.type === 'amount') defaults.us[m.col.name] = false;
  }
  const from = `(SELECT ${rawCols.length}::INTEGER AS _nf, NULL::VARCHAR AS _num, * FROM ${readCsvSql(ctx, delimiter, headerLine, rawCols, { table: rejName, scan: scanName })})`;
  const stg = ident(`_stg_${importId}`);
  const drop = async () => {
    for (const t of [stg, ident(rejName), ident(scanName)]) await ws.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
  };

  // the bytes are hashed and checked while DuckDB reads and parses (two independent passes over the same file)
  const scanning = scanTextLines(ctx.abs, headerLine, delimiter, { signal: ctx.signal, onBytes: (b) => ctx.progress('read', 0, Math.floor(b / 2)) });
  scanning.catch(() => undefined);
  await ws.run(`SET enable_progress_bar = true`);
  await ws.run(`SET enable_progress_bar_print = false`);
  const poll = setInterval(() => {
    try {
      const pct = ws.conn.progress.percentage;
      if (pct >= 0) ctx.progress('read', 0, Math.floor(ctx.size * (0.5 + pct / 200)));
    } catch { /* no query running */ }
  }, 250);
  dbg('direct stage');
  try {
    await stageCanonical(ctx, importId, raw, defaults, { from, dictionaries: false, direct: true });
  } catch (e) {
    await drop();
    // a read_csv error here (a field it cannot take as text) leaves the file to the line reader, like loadTextFast
    if (ctx.signal?.aborted) throw e;
    await scanning.catch(() => undefined);
    return null;
  } finally { clearInterval(poll); }
  const scan = await scanning;
  checkAbort(ctx.signal, ctx.file);
  if (!scan.clean || !scan.sha256) { await drop(); return null; }
  const expected = scan.lines - headerLine - scan.trailingEmpty;
  const aggs = [`count(*) AS n`, `count_if(_blank) AS blank`];
  for (const m of mapped) {
    if (m.col.type === 'date') aggs.push(`coalesce(bool_or(${ident('_infd2_' + m.col.name)}), false) AS ${ident('d2_' + m.col.name)}`);
    if (m.col.type === 'amount') aggs.push(`count_if(${ident('_infs_' + m.col.name)} = 'us') AS ${ident('us_' + m.col.name)}`, `count_if(${ident('_infs_' + m.col.name)} = 'id') AS ${ident('id_' + m.col.name)}`);
  }
  const a = (await ws.one<Row>(`SELECT ${aggs.join(', ')} FROM ${stg}`)) ?? {};
  const rejected = Number(await ws.scalar(`SELECT count(*) FROM ${ident(rejName)}`));
  const n = Number(a.n ?? 0);
  const inferredOther = mapped.some((m) => (m.col.type === 'date' && !!a['d2_' + m.col.name])
    || (m.col.type === 'amount' && Number(a['us_' + m.col.name]) > Number(a['id_' + m.col.name])));
  dbg(`direct checks n=${n} expected=${expected} rejected=${rejected} blank=${a.blank} other=${inferredOther}`);
  if (rejected > 0 || n !== expected || Number(a.blank) > 0 || inferredOther) { await drop(); return null; }
  await ws.run(`DROP TABLE IF EXISTS ${ident(rejName)}`);
  await ws.run(`DROP TABLE IF EXISTS ${ident(scanName)}`);
  raw.sha256 = scan.sha256;
  raw.blank = blankBefore + scan.trailingEmpty;
  raw.rows = n;
  ctx.progress('read', n, ctx.size);
  const prep = await prepareDirect(ctx, importId, raw);
  return { raw, inf: defaults, prep };
}
