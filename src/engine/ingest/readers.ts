/** The readers that fill a raw table: the line reader (RecordSplitter + Appender), DuckDB's read_csv for clean
 *  UTF-8 (loadTextFast), XLSX, Parquet and JSON. */
import type { DuckDBAppender } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { sha256File } from '../trail/trail';
import { ident } from '../workspace/workspace';
import { headerScore } from './columns';
import { ImportError } from './errors';
import { RecordSplitter, Utf8LineDecoder, decoderFor, scanTextLines, sniffDelimiter, type TextEncoding } from './text';
import { SheetNotFound, UseSheet, ZIP_LIMITS, ZipTooLarge, readXlsx } from './xlsx';
import { BAD_NF, BadRecord, CHUNK, FLUSH_ROWS, Format, HEADER_SCAN, JS_BLANK_RE, LoadCtx, RawLoad, WIDE_COLUMNS, buildMapping, checkAbort, isBlank, pickHeader, rawColumnNames, sqlStr } from './shared';

export const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * An OLE/CFB container holding an `EncryptedPackage` stream is an Office-encrypted (password-protected) OOXML file.
 * The stream name (UTF-16LE) is looked for in the head and in the first directory sector named by the CFB header.
 */
export async function isEncryptedOoxml(abs: string, head: Buffer): Promise<boolean> {
  if (head.includes(ENCRYPTED_PACKAGE)) return true;
  if (head.length < 512) return false;
  const sectorSize = 1 << head.readUInt16LE(30);
  const dirSid = head.readUInt32LE(48);
  if (sectorSize < 512 || sectorSize > 65536 || dirSid >= 0xfffffffa) return false;
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(sectorSize);
    const { bytesRead } = await fh.read(buf, 0, sectorSize, (dirSid + 1) * sectorSize);
    return buf.subarray(0, bytesRead).includes(ENCRYPTED_PACKAGE);
  } finally { await fh.close(); }
}

export function detectFormat(path: string, head: Buffer): Format {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.json' || ext === '.ndjson' || ext === '.jsonl') return 'json';
  // content sniff: a text file that starts with [ or { is JSON
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i < head.length && (head[i] === 0x7b) && ext !== '.csv' && ext !== '.txt' && ext !== '.tsv') return 'json';
  return 'csv';
}


/** Appends records to the raw table; created once the header is known. */
export class RawSink {
  appender: DuckDBAppender | null = null;
  n = 0;
  rows = 0;
  /** compact mode: indices of the source fields kept as columns */
  keep: number[] | null = null;
  constructor(private readonly ctx: LoadCtx, private readonly delimiter = '\t') {}

  async open(rawCols: string[], keep?: number[]): Promise<void> {
    this.n = rawCols.length;
    if (keep) {
      this.keep = keep;
      const cols = keep.map((i) => `, ${ident(rawCols[i])} VARCHAR`).join('');
      await this.ctx.ws.run(`CREATE TABLE ${ident(this.ctx.rawTable)} (_line INTEGER, _nf INTEGER, _raw VARCHAR, _num VARCHAR, _first VARCHAR${cols})`);
    } else {
      const cols = rawCols.map((c) => `${ident(c)} VARCHAR`).join(', ');
      await this.ctx.ws.run(`CREATE TABLE ${ident(this.ctx.rawTable)} (_line INTEGER, _nf INTEGER, _raw VARCHAR, _num VARCHAR${cols ? ', ' + cols : ''})`);
    }
    this.appender = await this.ctx.ws.conn.createAppender(this.ctx.rawTable);
  }

  private addCompact(fields: string[], line: number, raw: string | null, numeric: number[] | undefined, bad?: BadRecord): void {
    const a = this.appender!;
    a.appendInteger(line);
    a.appendInteger(bad ? BAD_NF[bad] : fields.length);
    a.appendVarchar(raw ?? fields.join(this.delimiter));
    if (numeric && numeric.length) a.appendVarchar(',' + numeric.join(',') + ','); else a.appendNull();
    const first = fields.find((f) => f.trim() !== '');
    if (first === undefined) a.appendNull(); else a.appendVarchar(first);
    for (const i of this.keep!) {
      const f = fields[i];
      if (f === undefined) a.appendNull(); else a.appendVarchar(f);
    }
    a.endRow();
    this.rows++;
  }

  /** `bad`: a malformed text record (unterminated quote / over-long line), stored with _nf -1 / -2 and its raw text */
  add(fields: string[], line: number, raw: string | null, numeric?: number[], keepRaw = false, bad?: BadRecord): void {
    if (this.keep) { this.addCompact(fields, line, raw, numeric, bad); return; }
    const a = this.appender!;
    a.appendInteger(line);
    a.appendInteger(bad ? BAD_NF[bad] : fields.length);
    if (bad) keepRaw = true;
    // the verbatim text is kept only where the fields cannot rebuild it (quoted lines, extra fields); elsewhere
    // concat_ws(delimiter, fields) gives it back exactly (missing fields are NULL and skipped)
    if (raw === null || (!keepRaw && fields.length <= this.n && raw.indexOf('"') === -1)) a.appendNull(); else a.appendVarchar(raw);
    if (numeric && numeric.length) a.appendVarchar(',' + numeric.join(',') + ','); else a.appendNull();
    const n = this.n;
    for (let i = 0; i < n; i++) {
      const f = fields[i];
      if (f === undefined) a.appendNull(); else a.appendVarchar(f);
    }
    a.endRow();
    this.rows++;
  }

  flush(): void { this.appender?.flushSync(); }

  close(): void {
    if (!this.appender) return;
    const a = this.appender;
    this.appender = null;
    try { a.flushSync(); } finally { a.closeSync(); }
  }

  abandon(): void {
    if (!this.appender) return;
    const a = this.appender;
    this.appender = null;
    try { a.closeSync(); } catch { /* already failed */ }
  }
}

/** Shared logic for row-oriented sources (text, xlsx): header detection over the first records, then append. */
export class RowRouter {
  pending: { fields: string[]; line: number; raw: string | null; numeric?: number[]; bad?: BadRecord }[] = [];
  headerFound = false;
  blank = 0;
  title = 0;
  headers: string[] = [];
  rawCols: string[] = [];
  headerLine: number | null = null;
  idx: Record<string, number> = {};
  lastLine = 0;
  compact = false;
  constructor(private readonly ctx: LoadCtx, private readonly sink: RawSink, private readonly countGaps: boolean) {}

  private resolving: Promise<void> | null = null;
  private error: unknown = null;

  push(fields: string[], line: number, raw: string | null, numeric?: number[], bad?: BadRecord): void {
    if (this.countGaps && line > this.lastLine + 1) this.blank += line - this.lastLine - 1;
    this.lastLine = line;
    if (!bad && isBlank(fields)) { this.blank++; return; }
    if (this.headerFound) { this.addFitted(fields, line, raw, numeric, bad); return; }
    this.pending.push({ fields, line, raw, numeric, bad });
    if (this.pending.length >= HEADER_SCAN && !this.resolving) {
      this.resolving = this.resolveHeader().catch((e) => { this.error = e; });
    }
  }

  private addFitted(fields: string[], line: number, raw: string | null, numeric?: number[], bad?: BadRecord): void {
    if (bad) { this.sink.add(fields, line, raw, numeric, true, bad); return; }
    const fitted = this.fit(fields);
    // a trimmed line keeps its verbatim text: the fields alone no longer rebuild it
    this.sink.add(fitted, line, raw, numeric, fitted.length !== fields.length);
  }

  /**
   * Spreadsheet rows end at their last non-empty cell: pad them to the header width. Any row (text too) may carry
   * trailing empty fields beyond the header (exports that end every data line with a delimiter): those are dropped.
   * A text line with fewer fields, or with non-empty extra fields, stays malformed and is rejected.
   */
  private fit(fields: string[]): string[] {
    const n = this.headers.length;
    if (this.countGaps && fields.length < n) return fields.concat(new Array(n - fields.length).fill(''));
    if (fields.length > n && fields.slice(n).every((f) => f.trim() === '')) return fields.slice(0, n);
    return fields;
  }

  /** Waits for a header resolution started by push(); rethrows its error. */
  async settle(): Promise<void> {
    if (this.resolving) await this.resolving;
    if (this.error) throw this.error;
  }

  /** At end of input: resolve the header from whatever was buffered. */
  async finish(): Promise<void> {
    await this.settle();
    if (!this.headerFound) await this.resolveHeader();
  }

  async resolveHeader(): Promise<void> {
    if (this.headerFound) return;
    const { ctx } = this;
    if (this.pending.length === 0) {
      throw new ImportError(`Berkas ${ctx.file} kosong: tidak ada baris header maupun data (empty file, no header row)`, ctx.file);
    }
    const h = pickHeader(ctx.kind, this.pending.filter((r) => !r.bad).length ? this.pending.map((r) => (r.bad ? { fields: [] } : r)) : this.pending);
    const hdr = this.pending[h];
    this.title = h;
    this.headers = hdr.fields.map((f) => f.trim());
    this.headerLine = hdr.line;
    this.rawCols = rawColumnNames(this.headers);
    this.idx = buildMapping(ctx.kind, this.headers, ctx.override, ctx.file);
    if (this.headers.length > WIDE_COLUMNS) {
      if (ctx.kind === 'other') {
        throw new ImportError(`Berkas ${ctx.file} terlalu lebar untuk jenis other: ${this.headers.length.toLocaleString('en-US')} kolom (batas ${WIDE_COLUMNS.toLocaleString('en-US')}) — pilih kolom yang diperlukan dulu (too many columns for kind other)`, ctx.file);
      }
      this.compact = true;
      await this.sink.open(this.rawCols, [...new Set(Object.values(this.idx))].sort((x, y) => x - y));
    } else await this.sink.open(this.rawCols);
    this.headerFound = true;
    for (const r of this.pending.slice(h + 1)) this.addFitted(r.fields, r.line, r.raw, r.numeric, r.bad);
    this.pending = [];
  }
}

/** The decoded head of a text file, its delimiter (a `sep=` first line wins), and whether lines end with CR only
 *  (classic Mac). */
export function sniffText(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): { sample: string; delimiter: string; sepHint: boolean; crOnly: boolean } {
  let sample: string;
  try {
    sample = encoding === 'utf-8' || encoding === 'utf-8-bom' ? new Utf8LineDecoder().decode(head, true)
      : new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : encoding).decode(head);
  } catch { sample = head.toString('latin1'); }
  const ext = extname(ctx.abs).toLowerCase();
  const sepHint = /^(?:\ufeff)?sep=(.)\r?\n/i.exec(sample);
  return {
    sample, sepHint: !!sepHint, crOnly: sample.includes('\r') && !sample.includes('\n'),
    delimiter: sepHint ? sepHint[1] : sniffDelimiter(sample, ext === '.tsv' || ext === '.tab'),
  };
}

export async function loadText(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): Promise<RawLoad> {
  const sink = new RawSink(ctx);
  const router = new RowRouter(ctx, sink, false);
  const hash = createHash('sha256');
  // UTF-8 is decoded line by line (invalid lines as Windows-1252); UTF-16 with the streaming decoder
  const lineDec = encoding === 'utf-8' || encoding === 'utf-8-bom' ? new Utf8LineDecoder() : null;
  const dec = lineDec ? null : decoderFor(encoding);
  const { delimiter, crOnly } = sniffText(ctx, encoding, head);
  const splitter = new RecordSplitter(delimiter, (r) => router.push(r.fields, r.line, r.raw, undefined, r.bad));
  let bytes = 0;
  let sinceFlush = 0;
  try {
    const stream = createReadStream(ctx.abs, { highWaterMark: CHUNK });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        checkAbort(ctx.signal, ctx.file);
        hash.update(chunk);
        bytes += chunk.length;
        const text = lineDec ? lineDec.decode(chunk) : dec!.decode(chunk, { stream: true });
        splitter.push(crOnly ? text.replace(/\r/g, '\n') : text);
        await router.settle();
        if (sink.rows - sinceFlush >= FLUSH_ROWS) { sink.flush(); sinceFlush = sink.rows; }
        ctx.progress('read', sink.rows, bytes);
      }
    } finally { stream.destroy(); }
    const tail = lineDec ? lineDec.decode(Buffer.alloc(0), true) : dec!.decode();
    splitter.push(crOnly ? tail.replace(/\r/g, '\n') : tail, true);
    await router.finish();
    sink.close();
  } catch (e) {
    sink.abandon();
    throw e;
  }
  ctx.progress('read', sink.rows, bytes);
  // no valid non-ASCII UTF-8 anywhere and some lines that are not UTF-8: a Windows-1252 file
  const enc = lineDec && lineDec.transcoded > 0 && !lineDec.sawUtf8 ? 'windows-1252' : encoding;
  return {
    transcoded: lineDec?.transcoded ?? 0,
    format: 'csv', encoding: enc, delimiter, sheet: null, headerLine: router.headerLine, headers: router.headers,
    rawCols: router.rawCols, sha256: hash.digest('hex'), blank: router.blank, title: router.title, rows: sink.rows, idx: router.idx, compact: router.compact,
  };
}


/**
 * The header of a file DuckDB's read_csv may read (both read_csv routes): UTF-8, a name without glob characters, no
 * `sep=` line, LF line ends; the first records, as RowRouter sees them, all well-formed and single-line; the header
 * found by the same code as the line reader; at most WIDE_COLUMNS columns. Null whenever the line reader must read it.
 */
export function readCsvHead(ctx: LoadCtx, encoding: TextEncoding, head: Buffer):
  { delimiter: string; h: number; headers: string[]; headerLine: number; blankBefore: number; rawCols: string[]; idx: Record<string, number> } | null {
  if (encoding !== 'utf-8' && encoding !== 'utf-8-bom') return null;
  if (/[*?[\]{}]/.test(ctx.abs)) return null; // read_csv takes glob patterns: such a name could match other files
  const whole = head.length >= ctx.size;
  const { sample, delimiter, sepHint, crOnly } = sniffText(ctx, encoding, head);
  if (crOnly || sepHint) return null;
  const recs: { fields: string[]; line: number; raw: string; bad?: string }[] = [];
  let over = false;
  const blanks: number[] = [];
  new RecordSplitter(delimiter, (r) => {
    if (over) return;
    if (!r.bad && isBlank(r.fields)) { blanks.push(r.line); return; }
    recs.push(r);
    if (recs.length >= HEADER_SCAN) over = true;
  }).push(whole ? sample : sample.slice(0, sample.lastIndexOf('\n') + 1), whole);
  if (!recs.length || (recs.length < HEADER_SCAN && !whole)) return null;
  if (recs.some((r) => r.bad || r.raw.includes('\n'))) return null;
  const h = pickHeader(ctx.kind, recs);
  const hdr = recs[h];
  const headers = hdr.fields.map((f) => f.trim());
  if (headers.length > WIDE_COLUMNS) return null;
  const headerLine = hdr.line;
  return { delimiter, h, headers, headerLine, blankBefore: blanks.filter((b) => b < headerLine).length,
    rawCols: rawColumnNames(headers), idx: buildMapping(ctx.kind, headers, ctx.override, ctx.file) };
}

/**
 * The fast reader for clean UTF-8 text (docs/perf-notes.md note 2): DuckDB's parallel `read_csv` fills the raw table
 * instead of the record splitter + Appender (3.2 s instead of 7–8 s per million rows). It gives exactly what
 * loadText would give, or nothing: the header is found by the same code on the same first records, Node checks the
 * bytes first (scanTextLines: UTF-8, no stray CR, no empty line inside the data, no quote next to a blank), and
 * DuckDB's result is kept only when it rejected no line and its record count equals the physical line count (so no
 * record spans lines and `_line` = header line + ordinal is exact). Returns null whenever loadText must do the work.
 */
export async function loadTextFast(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): Promise<RawLoad | null> {
  const hd = readCsvHead(ctx, encoding, head);
  if (!hd) return null;
  const { delimiter, h, headers, headerLine, blankBefore, rawCols, idx } = hd;

  const scan = await scanTextLines(ctx.abs, headerLine, delimiter, { signal: ctx.signal, onBytes: (b) => ctx.progress('read', 0, Math.floor(b / 2)) });
  checkAbort(ctx.signal, ctx.file);
  if (!scan.clean || !scan.sha256) return null;
  const expected = scan.lines - headerLine - scan.trailingEmpty;

  const { ws } = ctx;
  const rawT = ident(ctx.rawTable);
  const rejName = `_tl_csvrej_${ctx.rawTable}`, scanName = `_tl_csvscan_${ctx.rawTable}`;
  const rej = ident(rejName), rejScan = ident(scanName);
  const cols = rawCols.map((c) => `${sqlStr(c)}: 'VARCHAR'`).join(', ');
  // DuckDB's own query progress drives the second half of the read progress (the scan above drove the first)
  await ws.run(`SET enable_progress_bar = true`);
  await ws.run(`SET enable_progress_bar_print = false`);
  const poll = setInterval(() => {
    try {
      const pct = ws.conn.progress.percentage;
      if (pct >= 0) ctx.progress('read', Math.floor(expected * pct / 100), Math.floor(ctx.size * (0.5 + pct / 200)));
    } catch { /* no query running */ }
  }, 250);
  // nullstr: an empty field stays '' as in the splitter (a NULL marks a missing field)
  try {
    await ws.run(`CREATE TABLE ${rawT} AS SELECT (${headerLine} + row_number() OVER ())::INTEGER AS _line, ${rawCols.length}::INTEGER AS _nf,
      NULL::VARCHAR AS _raw, NULL::VARCHAR AS _num, * FROM read_csv(${sqlStr(ctx.abs)}, delim = ${sqlStr(delimiter)}, quote = '"', escape = '"',
      header = false, skip = ${headerLine}, auto_detect = false, strict_mode = true, columns = {${cols}}, nullstr = ${sqlStr('\u0001never\u0001')},
      store_rejects = true, rejects_table = ${sqlStr(rejName)}, rejects_scan = ${sqlStr(scanName)})`);
  } finally { clearInterval(poll); }
  const rejected = Number(await ws.scalar(`SELECT count(*) FROM ${rej}`));
  const n = Number(await ws.scalar(`SELECT count(*) FROM ${rawT}`));
  await ws.run(`DROP TABLE IF EXISTS ${rej}`);
  await ws.run(`DROP TABLE IF EXISTS ${rejScan}`);
  if (rejected > 0 || n !== expected) {
    await ws.run(`DROP TABLE ${rawT}`);
    return null;
  }
  // lines of delimiters/blanks only are blank lines, as in RowRouter
  const blankCond = rawCols.map((c) => `(NOT (ascii(${ident(c)}) BETWEEN 33 AND 126) AND regexp_full_match(${ident(c)}, ${JS_BLANK_RE}))`).join(' AND ');
  const blankRows = rawCols.length ? Number(await ws.scalar(`SELECT count(*) FROM ${rawT} WHERE ${blankCond}`)) : 0;
  if (blankRows) await ws.run(`DELETE FROM ${rawT} WHERE ${blankCond}`);
  ctx.progress('read', n - blankRows, ctx.size);
  return {
    format: 'csv', encoding, delimiter, sheet: null, headerLine, headers, rawCols, sha256: scan.sha256,
    blank: blankBefore + scan.trailingEmpty + blankRows, title: h, rows: n - blankRows, idx, transcoded: 0, compact: false, verbatimFromFile: true,
  };
}


export async function loadXlsx(ctx: LoadCtx): Promise<RawLoad> {
  const sink = new RawSink(ctx);
  // The workbook's parts are read by offset (./zip.ts), not in one pass over the file: its SHA-256 is a pass of its
  // own, beside the reading (importFile refuses a file whose size or mtime changed in between).
  const digest = sha256File(ctx.abs);
  digest.catch(() => undefined);
  const router = new RowRouter(ctx, sink, true);
  let sheet: string;
  const hidden: string[] = [];
  // default sheet: the first visible sheet whose first rows hold a header of this kind (R5)
  const accept = ctx.kind === 'other' ? undefined : (rows: { cells: string[] }[]) => rows.some((r) => headerScore(ctx.kind, r.cells) > 0);
  const read = (sheetName: string | undefined) => readXlsx(ctx.abs, {
    sheet: sheetName,
    accept: sheetName ? undefined : accept,
    onHidden: (name) => { if (!hidden.includes(name)) hidden.push(name); },
    onRow: (r) => router.push(r.cells, r.line, null, r.numeric),
    tick: async (bytes) => {
      checkAbort(ctx.signal, ctx.file);
      await router.settle();
      sink.flush();
      ctx.progress('read', sink.rows, bytes);
    },
  });
  try {
    try {
      sheet = await read(ctx.sheet);
    } catch (e) {
      if (!(e instanceof UseSheet)) throw e;
      sheet = await read(e.sheet); // no visible sheet has a header of this kind: the first one with data, as before
    }
    await router.finish();
    sink.close();
  } catch (e) {
    sink.abandon();
    if (e instanceof ImportError) throw e;
    if (e instanceof ZipTooLarge) {
      throw new ImportError(`Berkas XLSX ${ctx.file} terlalu besar setelah dekompresi / kemungkinan zip bomb (${e.message}; batas: sharedStrings ${ZIP_LIMITS.sharedStrings / 1048576} MB atau rasio ${ZIP_LIMITS.ratio}:1, bagian lain ${ZIP_LIMITS.part / 1048576} MB) — workbook too large when inflated / possible zip bomb`, ctx.file);
    }
    if (e instanceof SheetNotFound) {
      throw new ImportError(`Lembar "${ctx.sheet}" tidak ditemukan di ${ctx.file} (sheet not found; lembar yang ada: ${e.sheets.join(', ') || '-'})`, ctx.file);
    }
    throw new ImportError(`Berkas XLSX ${ctx.file} rusak atau terpotong (corrupt or truncated XLSX): ${(e as Error).message}`, ctx.file);
  }
  const notes: string[] = [];
  if (hidden.length) {
    const chosenHidden = hidden.some((h) => h === sheet);
    notes.push(chosenHidden
      ? `Lembar "${sheet}" tersembunyi (hidden sheet) — dipakai karena dipilih; lembar tersembunyi di berkas: ${hidden.join(', ')}`
      : `Lembar tersembunyi dilewati: ${hidden.join(', ')}; dipakai lembar "${sheet}" (hidden sheets skipped)`);
  }
  return {
    notes,
    format: 'xlsx', encoding: null, delimiter: null, sheet, headerLine: router.headerLine, headers: router.headers,
    rawCols: router.rawCols, sha256: await digest, blank: router.blank, title: router.title, rows: sink.rows, idx: router.idx, compact: router.compact,
  };
}

/** Parquet/JSON: DuckDB reads the file; every column lands as text in the raw table. */
export async function loadColumnar(ctx: LoadCtx, format: 'parquet' | 'json', head: Buffer): Promise<RawLoad> {
  const { ws, file } = ctx;
  const p = sqlStr(ctx.abs);
  let headers: string[];
  let select: string;
  let from: string;
  const rawName = ident(ctx.rawTable);
  if (format === 'parquet') {
    let desc: { column_name: string; column_type: string }[];
    try {
      desc = await ws.all(`DESCRIBE SELECT * FROM read_parquet(${p})`);
    } catch (e) {
      throw new ImportError(`Berkas Parquet ${file} tidak dapat dibaca (unreadable Parquet): ${(e as Error).message}`, file);
    }
    headers = desc.map((d) => d.column_name);
    const numeric = desc.map((d, i) => (/^(DOUBLE|FLOAT|REAL)/i.test(d.column_type) ? i : -1)).filter((i) => i >= 0);
    const cols = desc.map((d) => {
      const c = ident(d.column_name);
      if (/^(DOUBLE|FLOAT|REAL)/i.test(d.column_type)) {
        return `CASE WHEN isfinite(${c}) AND ${c} = trunc(${c}) AND abs(${c}) < 1e18 THEN ${c}::HUGEINT::VARCHAR ELSE ${c}::VARCHAR END`;
      }
      return `${c}::VARCHAR`;
    });
    const rawCols = rawColumnNames(headers);
    select = `SELECT (file_row_number + 1)::INTEGER AS _line, ${headers.length}::INTEGER AS _nf, NULL::VARCHAR AS _raw, ` +
      `${numeric.length ? sqlStr(',' + numeric.join(',') + ',') : 'NULL'}::VARCHAR AS _num` +
      cols.map((c, i) => `, ${c} AS ${ident(rawCols[i])}`).join('');
    from = `read_parquet(${p}, file_row_number = true)`;
  } else {
    let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    while (i < head.length && /\s/.test(String.fromCharCode(head[i]))) i++;
    if (i >= head.length) throw new ImportError(`Berkas ${file} kosong (empty file)`, file);
    const fmt = head[i] === 0x5b ? 'array' : 'auto';
    const tmp = `_json_${ctx.rawTable}`;
    try {
      await ws.run(`CREATE TEMP TABLE ${ident(tmp)} AS SELECT row_number() OVER ()::INTEGER AS _line, json FROM read_json_objects(${p}, format = '${fmt}')`);
    } catch (e) {
      throw new ImportError(`Berkas JSON ${file} tidak dapat dibaca (unreadable JSON): ${(e as Error).message}`, file);
    }
    const stats = await ws.one<{ n: number; nonobj: number; nested: number }>(
      `SELECT count(*) AS n, count_if(json_type(json) <> 'OBJECT') AS nonobj,
              count_if(list_contains(list_transform(json_keys(json), k -> json_type(json, '$."' || replace(k, '"', '\\"') || '"')), 'ARRAY')) AS nested
         FROM ${ident(tmp)}`);
    const n = Number(stats?.n ?? 0), nonobj = Number(stats?.nonobj ?? 0), nested = Number(stats?.nested ?? 0);
    if (n === 0) throw new ImportError(`Berkas JSON ${file} kosong: tidak ada objek/baris (empty JSON, no records)`, file);
    if (nonobj > 0 || (n === 1 && nested > 0)) {
      throw new ImportError(`Berkas JSON ${file} tidak berbentuk tabel: harus berupa array objek atau satu objek per baris (non-tabular JSON: expected an array of objects or NDJSON)`, file);
    }
    const keys = await ws.all<{ key: string }>(`SELECT key FROM (SELECT _line, unnest(json_keys(json)) AS key, unnest(range(len(json_keys(json)))) AS pos FROM ${ident(tmp)}) GROUP BY key ORDER BY min(_line::BIGINT * 100000 + pos)`);
    headers = keys.map((k) => k.key);
    const rawCols = rawColumnNames(headers);
    select = `SELECT _line, ${headers.length}::INTEGER AS _nf, json::VARCHAR AS _raw, NULL::VARCHAR AS _num` +
      headers.map((h, j) => `, json_extract_string(json, ${sqlStr('$."' + h.replace(/"/g, '\\"') + '"')}) AS ${ident(rawCols[j])}`).join('');
    from = ident(tmp);
  }
  const rawCols = rawColumnNames(headers);
  const idx = buildMapping(ctx.kind, headers, ctx.override, file);
  checkAbort(ctx.signal, file);
  try {
    await ws.run(`CREATE TABLE ${rawName} AS ${select} FROM ${from}`);
  } catch (e) {
    throw new ImportError(`Berkas ${file} tidak dapat dibaca (unreadable ${format}): ${(e as Error).message}`, file);
  }
  if (format === 'json') await ws.run(`DROP TABLE IF EXISTS ${ident(`_json_${ctx.rawTable}`)}`);
  const rows = Number(await ws.scalar(`SELECT count(*) FROM ${rawName}`));
  if (rows === 0 && headers.length === 0) throw new ImportError(`Berkas ${file} kosong (empty file)`, file);
  return {
    format, encoding: format === 'json' ? 'utf-8' : null, delimiter: null, sheet: null, headerLine: null, headers, rawCols,
    sha256: await sha256File(ctx.abs), blank: 0, title: 0, rows, idx,
  };
}
