/** Ingest internals shared by the readers, the staging SQL and importFile: load context, raw-load shape, header
 *  detection and mapping, the quality report's types. */
import { type Workspace } from '../workspace/workspace';
import { KIND_SPECS, headerScore, isKind, matchHeader, normHeader, type Kind } from './columns';
import { ImportError } from './errors';
import { MAX_RECORD_CHARS } from './text';

export type { ColumnQuality, ImportQuality } from '../../shared/types';

/** Plausibility ceiling for one amount: Rp 1 billion per record; budget lines (allocations) Rp 1,000 trillion. */
export const AMOUNT_CEILING = { default: 1e9, budget: 1e15 } as const;

export type Format = 'csv' | 'xlsx' | 'parquet' | 'json';

export const HEADER_SCAN = 30;
export const FLUSH_ROWS = 50_000;
export const CHUNK = 1 << 20;

export const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;
export const cancelledError = (file: string) => new ImportError(`Impor dibatalkan (import aborted/cancelled): ${file}`, file, undefined, undefined, true);

export function checkAbort(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw cancelledError(file);
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
export function normaliseMap(kind: Kind, map: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) {
    const dot = k.indexOf('.');
    const key = dot > 0 && isKind(k.slice(0, dot)) ? k.slice(dot + 1) : k;
    if (dot > 0 && isKind(k.slice(0, dot)) && k.slice(0, dot) !== kind) continue; // a mapping for another kind
    out[key.trim()] = v;
  }
  return out;
}

export function findHeader(headers: string[], wanted: string): number {
  let i = headers.indexOf(wanted);
  if (i >= 0) return i;
  const w = wanted.trim().toLowerCase();
  i = headers.findIndex((h) => h.trim().toLowerCase() === w);
  if (i >= 0) return i;
  const n = normHeader(wanted);
  return n ? headers.findIndex((h) => normHeader(h) === n) : -1;
}

/** Headers for a message: each cut at 40 characters, at most 20 listed (ImportError masks IDs and control characters). */
export function headerList(headers: string[]): string {
  const MAX_H = 20, MAX_LEN = 40;
  const shown = headers.slice(0, MAX_H).map((h, i) => {
    const t = h.trim() ? h.trim() : `col_${i + 1}`;
    return t.length > MAX_LEN ? t.slice(0, MAX_LEN) + '…' : t;
  });
  const more = headers.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, … dan ${more.toLocaleString('en-US')} lainnya (and ${more.toLocaleString('en-US')} more)` : '');
}

/** The chosen header row holds a NIK-like value or mostly numbers: the file probably has no header row. */
export function looksLikeData(headers: string[]): boolean {
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
export function pickHeader(kind: Kind, recs: { fields: string[] }[]): number {
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

export const isBlank = (fields: string[]) => fields.every((f) => f.trim() === '');

export interface RawLoad {
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

export interface LoadCtx {
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

export type BadRecord = 'quote' | 'long';
/** `_nf` markers in the raw table for malformed text records (a real field count is never negative) */
export const BAD_NF: Record<BadRecord, number> = { quote: -1, long: -2 };
export const LONG_MB = Math.round(MAX_RECORD_CHARS / 1048576);
/** SQL reasons for the bad-record markers (rejects.reason) */
export const BAD_REASONS_SQL = `WHEN _nf = -1 THEN 'tanda kutip tidak tertutup (unterminated quote) starting at line ' || _line ` +
  `WHEN _nf = -2 THEN 'baris terlalu panjang: lebih dari ${LONG_MB} MB (record longer than ${LONG_MB} MB) at line ' || _line`;

/**
 * Above this many columns the raw table is compact (docs/ingest-requests.md R6): DuckDB keeps per-column buffers,
 * and a 5,000-column table took 1.5 GB to checkpoint for 3 rows. A compact raw table holds `_line, _nf, _raw` (the
 * verbatim line, always), `_num`, `_first` (first non-empty cell) and only the mapped source columns.
 */
export const WIDE_COLUMNS = 1000;


/** JS whitespace (String.prototype.trim), as RE2: a data row whose fields are all blank is a blank line */
export const JS_BLANK_RE = "'[\\t\\n\\x0B\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]*'";
