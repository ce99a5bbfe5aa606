/**
 * Ingest: importFile() reads one extract (CSV/TSV/TXT, XLSX, Parquet, JSON/NDJSON) into its canonical table.
 *
 * Pipeline: the file is streamed once in Node (SHA-256, decoding, quote-aware record splitting); every record is
 * appended verbatim (all text, with its physical line) to a persistent `raw_<import_id>` table through the DuckDB
 * Appender — or, for clean UTF-8 text, Node only hashes and checks the bytes and DuckDB's parallel read_csv fills the
 * same raw table (loadTextFast; identical result, 2–3× faster); then ONE set-based INSERT … SELECT parses the values with the SQL macros of parse.sql into the canonical
 * table, and rows whose required fields are empty/unparseable (or whose line is malformed) go to `rejects` with their
 * verbatim text. rows_read = rows_loaded + rows_rejected, always. One transaction per file; the import_log row is
 * committed as 'started' before it and completed/failed/cancelled after.
 */
import type { ImportRecord } from '../../shared/types';
import type { DuckDBAppender } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { appendTrail, sha256File } from '../trail/trail';
import { ident, type Row, type Workspace } from '../workspace/workspace';
import { ensureRegions } from '../reference/regions';
import { KIND_SPECS, KINDS, headerScore, isKind, matchHeader, normHeader, normListName, type ColumnSpec, type Kind } from './columns';
import { DuplicateImportError, ImportError, cleanMessage, type EarlierImport } from './errors';
import { MAX_RECORD_CHARS, RecordSplitter, Utf8LineDecoder, decoderFor, readHead, readLines, scanTextLines, sniffDelimiter, sniffEncoding, type TextEncoding } from './text';
import { SheetNotFound, UseSheet, ZIP_LIMITS, ZipTooLarge, readXlsx } from './xlsx';

export { DuplicateImportError, ImportError, cleanMessage, type EarlierImport } from './errors';
export { detectKind, detectKindScores, normHeader, matchHeader, KINDS, KIND_SPECS } from './columns';
export type { Kind } from './columns';

const parseSql = readFileSync(join(__dirname, 'parse.sql'), 'utf8');

/** Installs the value-parsing macros (tl_date, tl_amount, tl_id, …) on the workspace connection. */
export async function installParsers(ws: Workspace): Promise<void> {
  await ws.run(parseSql);
}

export interface ImportProgress { phase: string; rows: number; bytes: number; totalBytes: number }

export interface ImportOptions {
  kind: Kind;
  path: string;
  /** canonical column -> source header (keys may be given as `kind.column`) */
  map?: Record<string, string>;
  profile?: string;
  sheet?: string;
  /** for kind 'other': table name (becomes other_<name>) */
  table?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** kind 'flags' without a list column: the list name (default: the file name without extension); normalised */
  list?: string;
  /** delimited text: 'auto' lets DuckDB read a clean UTF-8 file (loadTextFast); 'lines' always uses the line reader */
  textReader?: 'auto' | 'lines';
  /**
   * Import even when the same bytes (SHA-256) were already imported into the same table (DuplicateImportError
   * otherwise); the trail entry records allow_duplicate and the earlier import.
   */
  allowDuplicate?: boolean;
}

/** A completed earlier import of the same bytes into the same table, if any. */
export async function findEarlierImport(ws: Workspace, sha256: string, target: string, sheet: string | null): Promise<EarlierImport | undefined> {
  // A workbook's sheets are different data: the same workbook with another sheet is not a duplicate.
  const r = await ws.one<EarlierImport>(`SELECT import_id, file, path, kind, target_table, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at, rows_loaded, sha256
    FROM import_log WHERE status = 'completed' AND sha256 = $h AND target_table = $t AND sheet IS NOT DISTINCT FROM $sh ORDER BY import_id LIMIT 1`, { h: sha256, t: target, sh: sheet });
  return r ? { ...r, import_id: Number(r.import_id), rows_loaded: Number(r.rows_loaded) } : undefined;
}

/**
 * The duplicate check every import entry point shares (CLI import/audit, service importFiles): hashes the file only
 * when an earlier completed import into the same table has the same size (cheap), answers that import.
 */
export async function duplicateOf(ws: Workspace, path: string, kind: Kind, table?: string, sheet?: string): Promise<EarlierImport | undefined> {
  const abs = resolve(path);
  // A workbook without a chosen sheet: which sheet is read is known only once it is opened (the load-time check).
  if (sheet === undefined && /\.xls[xm]$/i.test(abs)) return undefined;
  let size: number;
  try { size = statSync(abs).size; } catch { return undefined; }
  const target = kind === 'other' ? otherTableName(table ?? basename(abs)) : kind;
  const n = Number(await ws.scalar(`SELECT count(*) FROM import_log WHERE status = 'completed' AND target_table = $t AND size_bytes = $s`, { t: target, s: size }));
  if (!n) return undefined;
  return findEarlierImport(ws, await sha256File(abs), target, sheet ?? null);
}

export interface ColumnQuality {
  nulls: number; unparseable: number; distinct: number; min: unknown; max: unknown; mapped: boolean;
  /** amounts below zero (loaded as given: evidence) */
  negative?: number;
  /** amounts above the plausibility ceiling (AMOUNT_CEILING) */
  above_ceiling?: number;
  /** dates before 1900-01-01 */
  before_1900?: number;
  /** dates after today + 1 year */
  after_next_year?: number;
}

/** Plausibility ceiling for one amount: Rp 1 billion per record; budget lines (allocations) Rp 1,000 trillion. */
export const AMOUNT_CEILING = { default: 1e9, budget: 1e15 } as const;

export interface ImportQuality {
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  blank_lines: number;
  title_lines_skipped: number;
  total_rows: number;
  malformed_rows: number;
  rejects_by_reason: Record<string, number>;
  columns: Record<string, ColumnQuality>;
  nik?: { invalid: number; invalid_by_reason: Record<string, number>; damaged: number; unknown_region_prefix: number; empty: number };
  kk?: { invalid: number; invalid_by_reason: Record<string, number> };
  registry_duplicates?: { duplicate_niks: number; duplicate_rows: number };
  inference?: Record<string, unknown>;
  /** text lines that were not valid UTF-8 and were decoded as Windows-1252 (the others stayed UTF-8) */
  transcoded_lines?: number;
  /** distinct counts are HyperLogLog estimates (imports above 200k loaded rows) */
  distinct_approximate?: boolean;
}

/** The fields an import shares with its import_log row (the contract's ImportRecord), plus what only the run knows. */
export interface ImportResult extends Pick<ImportRecord, 'import_id' | 'file' | 'path' | 'sha256' | 'size_bytes' | 'format'
  | 'encoding' | 'delimiter' | 'sheet' | 'rows_read' | 'rows_loaded' | 'rows_rejected' | 'mapping' | 'warnings'> {
  kind: Kind;
  header_line: number | null;
  headers: string[];
  quality: ImportQuality;
  target_table: string;
  raw_table: string;
}

type Format = 'csv' | 'xlsx' | 'parquet' | 'json';

const HEADER_SCAN = 30;
const FLUSH_ROWS = 50_000;
const CHUNK = 1 << 20;

const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;
const cancelledError = (file: string) => new ImportError(`Impor dibatalkan (import aborted/cancelled): ${file}`, file, undefined, undefined, true);

function checkAbort(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw cancelledError(file);
}

const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * An OLE/CFB container holding an `EncryptedPackage` stream is an Office-encrypted (password-protected) OOXML file.
 * The stream name (UTF-16LE) is looked for in the head and in the first directory sector named by the CFB header.
 */
async function isEncryptedOoxml(abs: string, head: Buffer): Promise<boolean> {
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

function detectFormat(path: string, head: Buffer): Format {
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

/** Unique raw-table column names: duplicates get _2, _3…; blanks become col_N; the provenance names are reserved. */
export function rawColumnNames(headers: string[]): string[] {
  const used = new Set(['_line', '_nf', '_raw', '_num']);
  return headers.map((h, i) => {
    let base = String(h ?? '').replace(/[\r\n\t]+/g, ' ').trim();
    if (!base) base = `col_${i + 1}`;
    let name = base, k = 2;
    while (used.has(name.toLowerCase())) name = `${base}_${k++}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Strips `kind.` prefixes from map keys. */
function normaliseMap(kind: Kind, map: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) {
    const dot = k.indexOf('.');
    const key = dot > 0 && isKind(k.slice(0, dot)) ? k.slice(dot + 1) : k;
    if (dot > 0 && isKind(k.slice(0, dot)) && k.slice(0, dot) !== kind) continue; // a mapping for another kind
    out[key.trim()] = v;
  }
  return out;
}

function findHeader(headers: string[], wanted: string): number {
  let i = headers.indexOf(wanted);
  if (i >= 0) return i;
  const w = wanted.trim().toLowerCase();
  i = headers.findIndex((h) => h.trim().toLowerCase() === w);
  if (i >= 0) return i;
  const n = normHeader(wanted);
  return n ? headers.findIndex((h) => normHeader(h) === n) : -1;
}

/** Headers for a message: each cut at 40 characters, at most 20 listed (ImportError masks IDs and control characters). */
function headerList(headers: string[]): string {
  const MAX_H = 20, MAX_LEN = 40;
  const shown = headers.slice(0, MAX_H).map((h, i) => {
    const t = h.trim() ? h.trim() : `col_${i + 1}`;
    return t.length > MAX_LEN ? t.slice(0, MAX_LEN) + '…' : t;
  });
  const more = headers.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, … dan ${more.toLocaleString('en-US')} lainnya (and ${more.toLocaleString('en-US')} more)` : '');
}

/** The chosen header row holds a NIK-like value or mostly numbers: the file probably has no header row. */
function looksLikeData(headers: string[]): boolean {
  const vals = headers.map((h) => h.trim().replace(/^'/, '')).filter((h) => h !== '');
  if (vals.some((h) => /^[0-9]{15,17}$/.test(h))) return true;
  return vals.length >= 2 && vals.filter((h) => /^[-+]?[0-9][0-9.,]*$/.test(h)).length * 2 >= vals.length;
}

/** Maps source headers to canonical columns (overrides first, then synonyms; first header wins). */
export function buildMapping(kind: Kind, headers: string[], override: Record<string, string>, file: string): Record<string, number> {
  const idx: Record<string, number> = {};
  if (kind === 'other') return idx;
  const spec = KIND_SPECS[kind];
  const used = new Set<number>();
  for (const [col, hdr] of Object.entries(override)) {
    if (!spec.columns.some((c) => c.name === col)) {
      throw new ImportError(`Kolom kanonik "${col}" tidak dikenal untuk jenis ${kind} (unknown canonical column; yang dikenal: ${spec.columns.map((c) => c.name).join(', ')})`, file, undefined, col);
    }
    const i = findHeader(headers, hdr);
    if (i < 0) {
      throw new ImportError(`Kolom "${hdr}" (dari --map ${kind}.${col}) tidak ditemukan di berkas ${file} (kolom yang ada: ${headerList(headers)}) — header not found`, file, undefined, hdr);
    }
    idx[col] = i;
    used.add(i);
  }
  headers.forEach((h, i) => {
    if (used.has(i)) return;
    const m = matchHeader(kind, h);
    if (m && idx[m] === undefined) { idx[m] = i; used.add(i); }
  });
  for (const c of spec.columns) {
    // a comparison list without a list column takes its name at import (ImportOptions.list)
    if (kind === 'flags' && c.name === 'list') continue;
    if (c.required && idx[c.name] === undefined) {
      const label = c.name === 'nik' ? 'NIK' : c.name;
      const noHeader = looksLikeData(headers)
        ? ' Baris pertama tampak berisi data, bukan header (first line looks like data: file has no header?) —' : '';
      throw new ImportError(
        `Kolom ${label} tidak ditemukan di berkas ${file} (kolom yang ada: ${headerList(headers)}) —${noHeader} pilih kolom ${label} secara manual ` +
        `(--map ${kind}.${c.name}=HEADER). Required column ${c.name} not found.`, file, undefined, c.name);
    }
  }
  return idx;
}

/** Picks the header row among the first records: the one matching most canonical columns (first on ties). */
function pickHeader(kind: Kind, recs: { fields: string[] }[]): number {
  if (recs.length === 0) return -1;
  if (kind === 'other') {
    const freq = new Map<number, number>();
    for (const r of recs) freq.set(r.fields.length, (freq.get(r.fields.length) ?? 0) + 1);
    let mode = recs[0].fields.length, n = 0;
    for (const [len, c] of freq) if (c > n || (c === n && len > mode)) { mode = len; n = c; }
    const i = recs.findIndex((r) => r.fields.length === mode && r.fields.filter((f) => f.trim() !== '').length >= Math.max(1, mode - 1));
    return i >= 0 ? i : 0;
  }
  let best = 0, bestScore = 0;
  recs.forEach((r, i) => {
    const s = headerScore(kind, r.fields);
    if (s > bestScore) { best = i; bestScore = s; }
  });
  return best;
}

const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');

interface RawLoad {
  format: Format;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  headerLine: number | null;
  headers: string[];
  rawCols: string[];
  sha256: string;
  blank: number;
  title: number;
  rows: number;
  idx: Record<string, number>;
  /** text lines that were not valid UTF-8 and were decoded as Windows-1252 */
  transcoded?: number;
  /** warnings found while reading (hidden sheets) */
  notes?: string[];
  /** wide file: the raw table holds _raw (always), _first and the mapped columns only (see RawSink) */
  compact?: boolean;
  /** read by DuckDB (loadTextFast): `_raw` is empty and rejected lines take their verbatim text from the file */
  verbatimFromFile?: boolean;
  /** direct reader (loadTextDirect): the stage holds the records in file order and line = lineBase + rowid */
  lineBase?: number;
}

interface LoadCtx {
  ws: Workspace;
  kind: Kind;
  file: string;
  abs: string;
  size: number;
  rawTable: string;
  override: Record<string, string>;
  sheet?: string;
  /** kind 'flags': list name for a file without a list column (already normalised) */
  listName: string;
  signal?: AbortSignal;
  progress: (phase: string, rows: number, bytes: number) => void;
}

type BadRecord = 'quote' | 'long';
/** `_nf` markers in the raw table for malformed text records (a real field count is never negative) */
const BAD_NF: Record<BadRecord, number> = { quote: -1, long: -2 };
const LONG_MB = Math.round(MAX_RECORD_CHARS / 1048576);
/** SQL reasons for the bad-record markers (rejects.reason) */
const BAD_REASONS_SQL = `WHEN _nf = -1 THEN 'tanda kutip tidak tertutup (unterminated quote) starting at line ' || _line ` +
  `WHEN _nf = -2 THEN 'baris terlalu panjang: lebih dari ${LONG_MB} MB (record longer than ${LONG_MB} MB) at line ' || _line`;

/**
 * Above this many columns the raw table is compact (docs/ingest-requests.md R6): DuckDB keeps per-column buffers,
 * and a 5,000-column table took 1.5 GB to checkpoint for 3 rows. A compact raw table holds `_line, _nf, _raw` (the
 * verbatim line, always), `_num`, `_first` (first non-empty cell) and only the mapped source columns.
 */
export const WIDE_COLUMNS = 1000;

/** Appends records to the raw table; created once the header is known. */
class RawSink {
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
class RowRouter {
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
function sniffText(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): { sample: string; delimiter: string; sepHint: boolean; crOnly: boolean } {
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

async function loadText(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): Promise<RawLoad> {
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

/** JS whitespace (String.prototype.trim), as RE2: a data row whose fields are all blank is a blank line */
const JS_BLANK_RE = "'[\\t\\n\\x0B\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]*'";

/**
 * The fast reader for clean UTF-8 text (docs/perf-notes.md note 2): DuckDB's parallel `read_csv` fills the raw table
 * instead of the record splitter + Appender (3.2 s instead of 7–8 s per million rows). It gives exactly what
 * loadText would give, or nothing: the header is found by the same code on the same first records, Node checks the
 * bytes first (scanTextLines: UTF-8, no stray CR, no empty line inside the data, no quote next to a blank), and
 * DuckDB's result is kept only when it rejected no line and its record count equals the physical line count (so no
 * record spans lines and `_line` = header line + ordinal is exact). Returns null whenever loadText must do the work.
 */
async function loadTextFast(ctx: LoadCtx, encoding: TextEncoding, head: Buffer): Promise<RawLoad | null> {
  if (encoding !== 'utf-8' && encoding !== 'utf-8-bom') return null;
  if (/[*?[\]{}]/.test(ctx.abs)) return null; // read_csv takes glob patterns: such a name could match other files
  const whole = head.length >= ctx.size;
  const { sample, delimiter, sepHint, crOnly } = sniffText(ctx, encoding, head);
  if (crOnly || sepHint) return null;
  // the first records, as RowRouter sees them
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
  const blankBefore = blanks.filter((b) => b < headerLine).length;
  const rawCols = rawColumnNames(headers);
  const idx = buildMapping(ctx.kind, headers, ctx.override, ctx.file);

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

/** The raw layer of a direct import: a view that reads the source file as the raw table would hold it (the import
 *  log and the trail keep the file's SHA-256; the view is hidden from the auditor's lists). */
async function createRawView(ctx: LoadCtx, raw: RawLoad): Promise<void> {
  await ctx.ws.run(`CREATE VIEW ${ident(ctx.rawTable)} AS SELECT (${raw.headerLine} + row_number() OVER ())::INTEGER AS _line, ${raw.rawCols.length}::INTEGER AS _nf,
      NULL::VARCHAR AS _raw, NULL::VARCHAR AS _num, * FROM ${readCsvSql(ctx, raw.delimiter ?? ',', raw.headerLine ?? 0, raw.rawCols)}`);
}

/** The read_csv call both readers use on a clean UTF-8 file: every field as text, exactly as the splitter gives it. */
function readCsvSql(ctx: LoadCtx, delimiter: string, headerLine: number, rawCols: string[], rejects?: { table: string; scan: string }): string {
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
async function loadTextDirect(ctx: LoadCtx, encoding: TextEncoding, head: Buffer, importId: number): Promise<{ raw: RawLoad; inf: Inference } | null> {
  if (ctx.kind === 'other') return null;
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
  const blankBefore = blanks.filter((b) => b < headerLine).length;
  const rawCols = rawColumnNames(headers);
  const idx = buildMapping(ctx.kind, headers, ctx.override, ctx.file);

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
  return { raw, inf: defaults };
}
async function loadXlsx(ctx: LoadCtx): Promise<RawLoad> {
  const sink = new RawSink(ctx);
  let digest: string | undefined;
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
    onDigest: (sha, bytes) => { if (bytes === ctx.size) digest = sha; },
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
    rawCols: router.rawCols, sha256: digest ?? await sha256File(ctx.abs), blank: router.blank, title: router.title, rows: sink.rows, idx: router.idx, compact: router.compact,
  };
}

/** Parquet/JSON: DuckDB reads the file; every column lands as text in the raw table. */
async function loadColumnar(ctx: LoadCtx, format: 'parquet' | 'json', head: Buffer): Promise<RawLoad> {
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

// ---------------------------------------------------------------------------------------------------------------
// SQL generation for the canonical insert

interface Inference { mdy: Record<string, boolean>; us: Record<string, boolean> }

async function inferColumns(ws: Workspace, rawTable: string, specs: { col: ColumnSpec; src: string }[]): Promise<Inference> {
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

const BAD_TYPES = new Set(['date', 'amount', 'sex', 'desil', 'year', 'count']);

type CanonicalResult = { loaded: number; rejected: number; quality: ImportQuality; inference: Inference };
const dbg = process.env.TELISIK_INGEST_DEBUG
  ? (label: string) => { const u = process.cpuUsage(); console.error(`[ingest] ${label} t=${Date.now()} cpu=${((u.user + u.system) / 1e6).toFixed(2)}`); }
  : () => undefined;

function mappedColumns(kind: Kind, raw: Pick<RawLoad, 'idx' | 'rawCols'>): Mapped[] {
  const spec = KIND_SPECS[kind as Exclude<Kind, 'other'>];
  return spec.columns.filter((c) => raw.idx[c.name] !== undefined).map((c) => ({ col: c as ColumnSpec, src: raw.rawCols[raw.idx[c.name]], i: raw.idx[c.name] }));
}
interface Mapped { col: ColumnSpec; src: string; i: number }

function inferenceWarnings(inf: Inference, warnings: string[]): void {
  for (const [c, v] of Object.entries(inf.mdy)) if (v) warnings.push(`Kolom ${c}: tanggal dibaca bulan-dulu (month-first dates detected)`);
  for (const [c, v] of Object.entries(inf.us)) if (v) warnings.push(`Kolom ${c}: angka bergaya koma-ribuan/titik-desimal (comma-thousands style detected)`);
}

/** The raw-table path: infer the column styles over the raw table, stage with value dictionaries, then finish. */
async function loadCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, warnings: string[]): Promise<CanonicalResult> {
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
async function stageCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, inf: Inference, source: { from: string; dictionaries: boolean; direct?: boolean }): Promise<void> {
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
    if (process.env.TELISIK_INGEST_DEBUG_SQL) (await import('node:fs')).writeFileSync(process.env.TELISIK_INGEST_DEBUG_SQL, levels);
    if (direct) await assertOrderKeeping(ws, levels);
    await ws.run(`CREATE TEMP TABLE ${stg} AS ${levels}`);
  } finally {
    for (const dt of dictTables) await ws.run(`DROP TABLE IF EXISTS ${dt}`);
  }
}

/** Physical operators that may emit rows out of input order (an IN list of many constants becomes a join). */
const REORDERING = /\b(HASH_JOIN|NESTED_LOOP_JOIN|PIECEWISE_MERGE_JOIN|BLOCKWISE_NL_JOIN|CROSS_PRODUCT|POSITIONAL_JOIN|ASOF_JOIN|IE_JOIN|DELIM_JOIN|ORDER_BY|TOP_N|WINDOW|HASH_GROUP_BY|PERFECT_HASH_GROUP_BY|UNION|COLUMN_DATA_SCAN)\b/;
export class ReorderingPlan extends Error { override name = 'ReorderingPlan'; }

/** The direct reader numbers lines by position in the stage: its plan must be scan + projections only. */
async function assertOrderKeeping(ws: Workspace, select: string): Promise<void> {
  const rows = await ws.all<Record<string, unknown>>(`EXPLAIN ${select}`);
  const plan = rows.map((r) => Object.values(r).join('\n')).join('\n');
  const m = REORDERING.exec(plan);
  if (m) throw new ReorderingPlan(`the direct stage plan holds ${m[1]}`);
}

/**
 * From the stage: the loaded rows into the canonical table in file order, the rejected ones into `rejects` (with their
 * verbatim text), the quality report. `raw.lineBase` set (direct reader): the stage has no _line and holds the
 * records in file order, so line = lineBase + rowid and no sort is needed.
 */
async function finishCanonical(ctx: LoadCtx, importId: number, raw: RawLoad, inf: Inference): Promise<CanonicalResult> {
  const { ws, kind, file } = ctx;
  const spec = KIND_SPECS[kind as Exclude<Kind, 'other'>];
  const mapped = mappedColumns(kind, raw);
  const rawT = ident(ctx.rawTable);
  const stg = ident(`_stg_${importId}`);
  const direct = raw.lineBase !== undefined;
  const line = direct ? `(rowid + ${raw.lineBase})` : '_line';
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
  if (direct) {
    // the stage is in file order: a plain scan keeps it, no sort (the sort by _line was the import's memory peak)
    await ws.run(`INSERT INTO ${ident(target)} (${tableCols.map(ident).join(', ')}) SELECT ${sel.join(', ')} FROM ${stg} WHERE _reason IS NULL`);
    dbg('rejects');
    await ws.run(`INSERT INTO rejects SELECT ${importId}, ${sqlStr(file)}, ${line}, _reason, _rcol, NULL FROM ${stg} WHERE _reason IS NOT NULL`);
  } else {
    await ws.run(`INSERT INTO ${ident(target)} (${tableCols.map(ident).join(', ')}) SELECT ${sel.join(', ')} FROM ${stg} WHERE _reason IS NULL ORDER BY _line`); // file order (the dictionary joins may reorder the stage)
    const rawText = raw.compact ? 'r._raw' : raw.rawCols.length ? `coalesce(r._raw, concat_ws(${sqlStr(raw.delimiter ?? '\t')}, ${raw.rawCols.map((c) => `r.${ident(c)}`).join(', ')}))` : 'r._raw';
    dbg('rejects');
    await ws.run(`INSERT INTO rejects SELECT ${importId}, ${sqlStr(file)}, s._line, s._reason, s._rcol, ${rawText}
      FROM ${rawT} r JOIN (SELECT _line, _reason, _rcol FROM ${stg} WHERE _reason IS NOT NULL) s ON r._line = s._line ORDER BY s._line`);
  }
  if (raw.verbatimFromFile) await verbatimRejects(ctx, importId);
  checkAbort(ctx.signal, file);
  ctx.progress('quality', raw.rows, ctx.size);

  // quality report
  dbg('quality');
  const qual = await quality(ws, stg, kind, spec.columns, mapped.map((m) => m.col.name), raw);
  dbg('quality done');
  await ws.run(`DROP TABLE IF EXISTS ${stg}`);
  return { loaded: qual.rows_loaded, rejected: qual.rows_rejected, quality: qual, inference: inf };
}

const histogramOf = (entries: unknown): Record<string, number> =>
  Object.fromEntries((Array.isArray(entries) ? (entries as { key: string; value: unknown }[]) : []).map((e) => [e.key, Number(e.value)]));

/** Valid NIKs whose first four digits are no regency of the region reference, from the prefix histogram. */
async function unknownPrefixes(ws: Workspace, entries: unknown): Promise<number> {
  const list = Array.isArray(entries) ? (entries as { key: string; value: unknown }[]) : [];
  if (!list.length) return 0;
  const known = new Set((await ws.all<{ code: string }>(`SELECT code FROM ref_regions WHERE level = 'regency'`)).map((r) => r.code));
  return list.reduce((n, e) => n + (known.has(e.key) ? 0 : Number(e.value)), 0);
}

/** Rejected lines of a file read by DuckDB get their verbatim text from the file (quotes and trailing delimiters
 *  included), as the line reader keeps it. */
async function verbatimRejects(ctx: LoadCtx, importId: number): Promise<void> {
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

async function quality(ws: Workspace, stg: string, kind: Kind, columns: ColumnSpec[], mappedNames: string[], raw: RawLoad): Promise<ImportQuality> {
  const counts = await ws.one<Row>(`SELECT count(*) AS n, count_if(_reason IS NOT NULL) AS rej,
      count_if(_reason = 'baris total (total row)') AS totals, count_if(_reason LIKE 'jumlah kolom tidak sesuai%' OR _reason LIKE 'tanda kutip tidak tertutup%' OR _reason LIKE 'baris terlalu panjang%') AS malformed FROM ${stg}`);
  dbg('quality counts');
  const byReason = await ws.all<{ r: string; n: number }>(`SELECT _reason AS r, count(*) AS n FROM ${stg} WHERE _reason IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`);
  dbg('quality by reason');
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
      `count(DISTINCT ${id}) AS ${ident('d_' + c.name)}`, `min(${id})::VARCHAR AS ${ident('lo_' + c.name)}`, `max(${id})::VARCHAR AS ${ident('hi_' + c.name)}`);
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
  // single pass; exact distinct counts up to 200k rows, HyperLogLog estimate above (quality report only)
  const sql = `SELECT ${parts.join(', ')} FROM ${src}`;
  if (process.env.TELISIK_INGEST_DEBUG_SQL) (await import('node:fs')).writeFileSync(process.env.TELISIK_INGEST_DEBUG_SQL + '.quality', sql);
  const agg = parts.length ? (await ws.one<Row>(loaded > 200_000 ? sql.replace(/count\(DISTINCT /g, 'approx_count_distinct(') : sql)) ?? {} : {};
  dbg('quality agg');
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

async function loadOther(ctx: LoadCtx, importId: number, raw: RawLoad, table: string): Promise<{ loaded: number; rejected: number; quality: ImportQuality }> {
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
  const aggParts = targets.flatMap((c, i) => [`count(*) - count(${ident(c)}) AS "n${i}"`, `count(DISTINCT ${ident(c)}) AS "d${i}"`,
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

// ---------------------------------------------------------------------------------------------------------------

/** Imports one file into the workspace. Throws ImportError for input problems (the workspace is then unchanged
 *  apart from the import_log row, which says failed/cancelled). */
export async function importFile(ws: Workspace, opts: ImportOptions): Promise<ImportResult> {
  const kind = opts.kind;
  if (!isKind(kind)) throw new ImportError(`Jenis data tidak dikenal: ${kind} (unknown kind; one of ${KINDS.join(', ')})`, opts.path);
  const abs = resolve(opts.path);
  const file = basename(abs);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new ImportError(`Berkas tidak ditemukan: ${abs} (file not found)`, file);
  const before = statSync(abs);
  const size = before.size;
  if (size === 0) throw new ImportError(`Berkas ${file} kosong (empty file, 0 bytes)`, file);
  checkAbort(opts.signal, file);
  // Same bytes already imported into the same table: refused before any work (the check inside the load below
  // catches what this size-filtered pre-check cannot, e.g. an earlier size_bytes recorded differently).
  if (!opts.allowDuplicate) {
    const earlier = await duplicateOf(ws, abs, kind, opts.table, opts.sheet);
    if (earlier) throw new DuplicateImportError(file, earlier);
  }

  let override = normaliseMap(kind, opts.map);
  if (opts.profile) {
    const p = await loadProfile(ws, opts.profile);
    if (!p) throw new ImportError(`Profil pemetaan "${opts.profile}" tidak ditemukan (mapping profile not found)`, file);
    override = { ...normaliseMap(kind, p.mapping), ...override };
  }

  await ensureRegions(ws);
  await installParsers(ws);
  const head = await readHead(abs);
  if (head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    if (await isEncryptedOoxml(abs, head)) {
      throw new ImportError(`Berkas XLSX ${file} terenkripsi/dilindungi kata sandi (password-protected) — buka di Excel, simpan tanpa sandi, lalu impor ulang (encrypted workbook: open it in Excel, save it without a password, import again)`, file);
    }
    throw new ImportError(`Berkas ${file} berformat Excel lama (.xls) yang tidak didukung — simpan ulang sebagai .xlsx atau CSV (legacy .xls is not supported; save as .xlsx or CSV)`, file);
  }
  const format = detectFormat(abs, head);
  const importId = Number(await ws.scalar<number>('SELECT coalesce(max(import_id), 0) + 1 FROM import_log'));
  const rawTable = `raw_${importId}`;
  const target = kind === 'other' ? otherTableName(opts.table ?? file) : kind;
  await ws.run(`INSERT INTO import_log (import_id, kind, file, path, size_bytes, format, sheet, raw_table, target_table, status, started_at, actor)
    VALUES ($id, $kind, $file, $path, $size, $format, $sheet, $raw, $target, 'started', now()::TIMESTAMP, $actor)`, {
    id: importId, kind, file, path: abs, size, format, sheet: opts.sheet ?? null, raw: rawTable, target, actor: ws.actor(),
  });

  const t0 = Date.now();
  let lastProgress = 0;
  const ctx: LoadCtx = {
    ws, kind, file, abs, size, rawTable, override, sheet: opts.sheet, signal: opts.signal,
    listName: normListName(opts.list?.trim() ? opts.list : file.replace(/\.[^.]*$/, '')),
    progress: (phase, rows, bytes) => {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (phase === 'read' && now - lastProgress < 100 && bytes < size) return;
      lastProgress = now;
      opts.onProgress({ phase, rows, bytes, totalBytes: size });
    },
  };
  const warnings: string[] = [];
  // a cancel while DuckDB is busy interrupts the running statement; the transaction then rolls back
  const onAbort = () => { try { ws.conn.interrupt(); } catch { /* nothing running */ } };
  opts.signal?.addEventListener('abort', onAbort);
  try {
    // The direct reader stages the canonical values as it reads (no raw table). Its stage is a TEMP table (scratch,
    // like the check's prepared tables) built before the transaction: committed, it has statistics and row ids in
    // file order (rows appended inside a transaction get transaction-local ids). Its stage is finished below.
    const direct = format === 'csv' && opts.textReader !== 'lines' ? await loadTextDirect(ctx, sniffEncoding(head), head, importId) : null;
    const result = await ws.transaction(async () => {
      let raw: RawLoad;
      if (direct) {
        raw = direct.raw;
        await createRawView(ctx, raw);
      } else if (format === 'csv') {
        const enc = sniffEncoding(head);
        raw = (opts.textReader !== 'lines' ? await loadTextFast(ctx, enc, head) : null) ?? await loadText(ctx, enc, head);
        const tr = raw.transcoded ?? 0;
        if (tr > 0 && raw.encoding === 'windows-1252') {
          warnings.push(`Berkas bukan UTF-8 yang sah; dibaca sebagai Windows-1252 (not valid UTF-8; read as Windows-1252; ${tr} lines transcoded)`);
        } else if (tr > 0) {
          warnings.push(`${tr} baris bukan UTF-8 yang sah; baris itu dibaca sebagai Windows-1252, baris lain tetap UTF-8 (${tr} lines not valid UTF-8, decoded as Windows-1252)`);
        }
      } else if (format === 'xlsx') { raw = await loadXlsx(ctx); warnings.push(...(raw.notes ?? [])); }
      else raw = await loadColumnar(ctx, format, head);
      if (raw.compact) {
        warnings.push(`Berkas sangat lebar (${raw.headers.length.toLocaleString('en-US')} kolom): tabel ${rawTable} menyimpan baris verbatim (_raw) dan kolom yang dipetakan saja (wide file: raw table keeps the verbatim line and the mapped columns)`);
      }
      checkAbort(opts.signal, file);
      const earlier = await findEarlierImport(ws, raw.sha256, target, raw.sheet ?? null);
      if (earlier && !opts.allowDuplicate) throw new DuplicateImportError(file, earlier);
      // size_bytes and sha256 must describe the same bytes: a file that changed while it was read is refused.
      const after = statSync(abs);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        throw new ImportError(`Berkas ${file} berubah selama impor (${before.size} → ${after.size} byte) — impor ulang setelah berkas selesai ditulis (the file changed while it was imported; import it again once it is complete)`, file);
      }
      ctx.progress('parse', raw.rows, size);

      const mapping: Record<string, string> = {};
      for (const [c, i] of Object.entries(raw.idx)) mapping[c] = raw.headers[i] || raw.rawCols[i];
      let loadRes: { loaded: number; rejected: number; quality: ImportQuality };
      if (kind === 'other') loadRes = await loadOther(ctx, importId, raw, target);
      else {
        let r: CanonicalResult;
        if (direct) { inferenceWarnings(direct.inf, warnings); r = await finishCanonical(ctx, importId, raw, direct.inf); }
        else r = await loadCanonical(ctx, importId, raw, warnings);
        r.quality.inference = { month_first: r.inference.mdy, comma_thousands: r.inference.us };
        loadRes = r;
      }
      const quality = loadRes.quality;
      if (quality.rows_read !== loadRes.loaded + loadRes.rejected || quality.rows_read !== raw.rows) {
        throw new ImportError(`Invarian gagal: rows_read ${raw.rows} ≠ loaded ${loadRes.loaded} + rejected ${loadRes.rejected} (nothing-lost invariant broken)`, file);
      }
      if (raw.transcoded) quality.transcoded_lines = raw.transcoded;
      // implausible values are loaded (they are evidence) and pointed out (R10)
      for (const [c, cq] of Object.entries(quality.columns)) {
        const ceil = kind === 'budget' ? AMOUNT_CEILING.budget : AMOUNT_CEILING.default;
        if (cq.negative) warnings.push(`Kolom ${c}: ${cq.negative} nilai negatif (negative amounts; loaded, check them)`);
        if (cq.above_ceiling) warnings.push(`Kolom ${c}: ${cq.above_ceiling} nilai di atas Rp ${ceil.toLocaleString('id-ID')} (amounts above the plausibility ceiling; loaded, check them)`);
        if (cq.before_1900) warnings.push(`Kolom ${c}: ${cq.before_1900} tanggal sebelum 1900 (dates before 1900; loaded, check them)`);
        if (cq.after_next_year) warnings.push(`Kolom ${c}: ${cq.after_next_year} tanggal lebih dari setahun ke depan (dates after today + 1 year; loaded, check them)`);
      }
      if (quality.total_rows) warnings.push(`${quality.total_rows} baris total ditolak (total rows rejected)`);
      if (quality.nik?.damaged) warnings.push(`${quality.nik.damaged} NIK rusak oleh spreadsheet (damaged by spreadsheet)`);
      for (let i = 0; i < warnings.length; i++) warnings[i] = cleanMessage(warnings[i]);
      const res: ImportResult = {
        import_id: importId, kind, file, path: abs, sha256: raw.sha256, size_bytes: size, format: raw.format,
        encoding: raw.encoding, delimiter: raw.delimiter, sheet: raw.sheet, header_line: raw.headerLine,
        rows_read: raw.rows, rows_loaded: loadRes.loaded, rows_rejected: loadRes.rejected, mapping, headers: raw.headers,
        quality, warnings, target_table: target, raw_table: rawTable,
      };
      await ws.run(`UPDATE import_log SET sha256 = $sha, encoding = $enc, delimiter = $delim, sheet = $sheet, header_line = $hl,
          rows_read = $rr, rows_loaded = $rl, rows_rejected = $rj, mapping = $mapping, headers = $headers, quality = $quality,
          status = 'completed', message = $msg, finished_at = now()::TIMESTAMP WHERE import_id = $id`, {
        sha: res.sha256, enc: res.encoding, delim: res.delimiter, sheet: res.sheet, hl: res.header_line,
        rr: res.rows_read, rl: res.rows_loaded, rj: res.rows_rejected, mapping: JSON.stringify(mapping),
        headers: JSON.stringify(res.headers), quality: JSON.stringify(quality), msg: warnings.join('; ') || null, id: importId,
      });
      await appendTrail(ws, {
        action: 'import',
        params: { kind, mapping, sheet: res.sheet, table: target, profile: opts.profile ?? null, ...(kind === 'flags' ? { list: opts.list ?? null } : {}),
          ...(earlier ? { allow_duplicate: true, duplicate_of: earlier.import_id } : {}) },
        inputs: [{ file, path: abs, sha256: res.sha256, size_bytes: size }],
        result: { import_id: importId, raw_layer: direct ? 'view' : 'table', reader: raw.verbatimFromFile ? 'duckdb_read_csv' : raw.format === 'csv' ? 'lines' : raw.format, rows_read: res.rows_read, rows_loaded: res.rows_loaded, rows_rejected: res.rows_rejected, format: res.format, encoding: res.encoding, delimiter: res.delimiter, header_line: res.header_line, ms: Date.now() - t0 },
      });
      return res;
    });
    ctx.progress('done', result.rows_read, size);
    return result;
  } catch (e) {
    const cancelled = (e instanceof ImportError && e.cancelled) || !!opts.signal?.aborted;
    const err = e instanceof ImportError ? e
      : cancelled ? cancelledError(file)
      : new ImportError(`Impor ${file} gagal (import failed): ${(e as Error).message}`, file);
    await ws.run(`UPDATE import_log SET status = $s, message = $m, finished_at = now()::TIMESTAMP WHERE import_id = $id`,
      { s: cancelled ? 'cancelled' : 'failed', m: err.message, id: importId }).catch(() => undefined);
    await ws.run(`DROP TABLE IF EXISTS ${ident(`_stg_${importId}`)}`).catch(() => undefined);
    await ws.run(`DROP TABLE IF EXISTS ${ident(`_json_${rawTable}`)}`).catch(() => undefined);
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping profiles

export async function saveProfile(ws: Workspace, name: string, kind: Kind, mapping: Record<string, string>): Promise<void> {
  await ws.run(`INSERT OR REPLACE INTO mapping_profiles VALUES ($n, $k, $m, now()::TIMESTAMP)`, { n: name, k: kind, m: JSON.stringify(normaliseMap(kind, mapping)) });
  await appendTrail(ws, { action: 'mapping_profile.save', params: { name, kind, mapping } });
}

export async function loadProfile(ws: Workspace, name: string): Promise<{ name: string; kind: Kind; mapping: Record<string, string> } | undefined> {
  const r = await ws.one<{ name: string; kind: Kind; mapping: string }>(`SELECT name, kind, mapping::VARCHAR AS mapping FROM mapping_profiles WHERE name = $n`, { n: name });
  return r ? { name: r.name, kind: r.kind, mapping: JSON.parse(r.mapping) } : undefined;
}

export async function listProfiles(ws: Workspace): Promise<{ name: string; kind: Kind; mapping: Record<string, string>; saved_at: string }[]> {
  const rows = await ws.all<{ name: string; kind: Kind; mapping: string; saved_at: string }>(`SELECT name, kind, mapping::VARCHAR AS mapping, saved_at FROM mapping_profiles ORDER BY name`);
  return rows.map((r) => ({ ...r, mapping: JSON.parse(r.mapping) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Tables and paging

export const CANONICAL_TABLES = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints'] as const;

export interface TableInfo { table: string; kind: Kind; rows: number; columns: number; imports: number }

export async function listTables(ws: Workspace): Promise<TableInfo[]> {
  const tables = await ws.all<{ table_name: string; ncol: number }>(
    `SELECT t.table_name, count(c.column_name) AS ncol FROM duckdb_tables() t JOIN duckdb_columns() c ON c.table_oid = t.table_oid
      WHERE NOT t.temporary AND t.database_name <> 'temp' AND t.schema_name = 'main' AND (t.table_name IN (${CANONICAL_TABLES.map(sqlStr).join(', ')}) OR t.table_name LIKE 'other\\_%' ESCAPE '\\')
      GROUP BY t.table_name`);
  const out: TableInfo[] = [];
  for (const t of tables) {
    const rows = Number(await ws.scalar(`SELECT count(*) FROM ${ident(t.table_name)}`));
    const imports = Number(await ws.scalar(`SELECT count(*) FROM import_log WHERE target_table = $t AND status = 'completed'`, { t: t.table_name }));
    out.push({ table: t.table_name, kind: (CANONICAL_TABLES as readonly string[]).includes(t.table_name) ? t.table_name as Kind : 'other', rows, columns: Number(t.ncol), imports });
  }
  const order = (n: string) => { const i = (CANONICAL_TABLES as readonly string[]).indexOf(n); return i < 0 ? 100 : i; };
  return out.sort((a, b) => order(a.table) - order(b.table) || a.table.localeCompare(b.table));
}

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'starts_with' | 'is_null' | 'not_null' | 'in';
export interface PageRequest {
  table: string;
  offset?: number;
  limit?: number;
  sort?: { column: string; dir?: 'asc' | 'desc' }[];
  filter?: { column: string; op: FilterOp; value?: unknown }[];
}
export interface PageResult { table: string; columns: { name: string; type: string }[]; rows: Row[]; total: number; offset: number; limit: number }

export class TableError extends Error { override name = 'TableError'; }

/** One page of any workspace table; sort and filter run in SQL (identifiers checked against the table, values bound). */
export async function pageTable(ws: Workspace, req: PageRequest): Promise<PageResult> {
  const cols = await ws.all<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = $t AND database_name <> 'temp' AND schema_name = 'main' ORDER BY column_index`, { t: req.table });
  if (cols.length === 0) throw new TableError(`Tabel tidak ditemukan: ${req.table} (table not found)`);
  const byName = new Map(cols.map((c) => [c.name, c]));
  const col = (n: string) => {
    const c = byName.get(n) ?? cols.find((x) => x.name.toLowerCase() === String(n).toLowerCase());
    if (!c) throw new TableError(`Kolom tidak ada di ${req.table}: ${n} (unknown column)`);
    return c;
  };
  const params: Record<string, unknown> = {};
  const where: string[] = [];
  (req.filter ?? []).forEach((f, i) => {
    const c = col(f.column);
    const id = ident(c.name);
    const p = `p${i}`;
    const castTo = /^(VARCHAR|JSON)$/i.test(c.type) ? 'VARCHAR' : c.type;
    switch (f.op) {
      case 'is_null': where.push(`${id} IS NULL`); return;
      case 'not_null': where.push(`${id} IS NOT NULL`); return;
      case 'contains': params[p] = String(f.value ?? ''); where.push(`contains(lower(${id}::VARCHAR), lower($${p}))`); return;
      case 'starts_with': params[p] = String(f.value ?? ''); where.push(`starts_with(${id}::VARCHAR, $${p})`); return;
      case 'in': {
        const vals = Array.isArray(f.value) ? f.value : [f.value];
        const names = vals.map((v, j) => { params[`${p}_${j}`] = v === null || v === undefined ? null : String(v); return `TRY_CAST($${p}_${j} AS ${castTo})`; });
        where.push(names.length ? `${id} IN (${names.join(', ')})` : 'false');
        return;
      }
      case '=': case '!=': case '<': case '<=': case '>': case '>=':
        params[p] = f.value === null || f.value === undefined ? null : String(f.value);
        where.push(`${id} ${f.op} TRY_CAST($${p} AS ${castTo})`);
        return;
      default: throw new TableError(`Operator filter tidak dikenal: ${String(f.op)} (unknown filter op)`);
    }
  });
  const order = (req.sort ?? []).map((s) => `${ident(col(s.column).name)} ${s.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`);
  if (byName.has('_line') && byName.has('_import_id')) order.push('_import_id', '_line');
  const limit = Math.max(0, Math.min(Number(req.limit ?? 100) | 0, 100_000));
  const offset = Math.max(0, Number(req.offset ?? 0) | 0);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(await ws.scalar(`SELECT count(*) FROM ${ident(req.table)} ${w}`, params as never));
  const rows = await ws.all(`SELECT * FROM ${ident(req.table)} ${w} ${order.length ? 'ORDER BY ' + order.join(', ') : ''} LIMIT ${limit} OFFSET ${offset}`, params as never);
  return { table: req.table, columns: cols, rows, total, offset, limit };
}
