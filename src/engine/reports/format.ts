/**
 * Shared styling, formatting and integrity rules for every Telisik workbook (BPK, KKP, evaluator, uji petik).
 *
 * Why the rules are here and not in each workbook:
 * - NIK/KK masking must reach EVERY cell (cover, kondisi texts, trail params), so every string goes through one gate.
 * - Formula injection: a cell whose text starts with = + - @ TAB or CR must stay literal text. exceljs writes a
 *   plain string as `t="str"` (a formula's cached string), which some readers re-evaluate on edit; such values are
 *   written as inline rich text (`t="inlineStr"`), which every reader treats as a literal string.
 * - Excel holds 1,048,576 rows per sheet: long result sets continue on numbered sheets, nothing is truncated.
 * - The file is written to FILE.tmp and renamed only when complete; a cancelled export leaves nothing behind.
 */
import type ExcelJS from 'exceljs';
import { excel } from '../exceljs';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { isAccountColumn, isIdentifierColumn, maskAccountText, maskIdDigits, maskText, maskValue } from '../../shared/masking';
import { type ColumnKind as VocabKind, KIND_FORMAT, columnSpec } from '../../shared/vocabulary';
import { CancelledError, TelisikError } from '../../shared/errors';

export const RUPIAH_FMT = '"Rp "#,##0';
export const DATE_FMT = 'dd/mm/yyyy';
export const DATETIME_FMT = 'dd/mm/yyyy hh:mm:ss';
export const INT_FMT = '#,##0';
export const NUM_FMT = '#,##0.00';
export const PCT_FMT = '0.0%';
export const RATIO_FMT = '0.00';
/** Rows in one Excel sheet. */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Data rows per sheet when the header takes row 1. */
export const DEFAULT_ROW_LIMIT = EXCEL_MAX_ROWS - 1;

export const YEAR_FMT = '0';
export type ColumnKind = 'text' | 'id' | 'rupiah' | 'int' | 'number' | 'pct' | 'ratio' | 'date' | 'datetime' | 'bool' | 'json' | 'year';

export interface ColumnSpec {
  key: string;
  header: string;
  kind: ColumnKind;
  width?: number;
  hidden?: boolean;
  /** Identifier that is masked as a NIK/KK when masking is on (any length). */
  personalId?: boolean;
}

export interface ExportProgress {
  phase: string;
  sheet?: string;
  rows: number;
  totalRows?: number;
  /** Same as totalRows (name used by the service layer). */
  total?: number;
}

export class ExportCancelled extends CancelledError {
  constructor() { super('Ekspor dibatalkan (export cancelled)'); }
}

/**
 * Writing the file failed (disk full, I/O error, permission): the export ends, its `.tmp` is removed. Code `internal`
 * as before (the machine, not the user's input); params carry the errno for the UI.
 */
export class ExportWriteError extends TelisikError {
  constructor(override readonly cause: NodeJS.ErrnoException, path: string) {
    const why = cause.code === 'ENOSPC' ? 'disk penuh (no space left on device)'
      : cause.code === 'EIO' ? 'kesalahan I/O pada disk (I/O error)'
        : cause.code === 'EACCES' || cause.code === 'EPERM' ? 'tidak ada izin menulis (permission denied)'
          : cause.code === 'EDQUOT' ? 'kuota disk habis (disk quota exceeded)' : String(cause.message ?? cause);
    super('internal', `Gagal menulis ${path}: ${why} — berkas sementara dihapus (write failed; the partial file was removed)`, { reason: 'write_failed', errno: cause.code ?? null, path });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Masking and literal text

/** Masking lives in one place (src/shared/masking.ts): by content, 4 first + 4 last digits (`3201********0001`). */
export { maskText } from '../../shared/masking';
/** A whole identifier value masked (any length ≥ 9 keeps 4 + 4; shorter values are starred). */
export function maskId(v: string): string {
  const s = v.trim();
  return /^\d+$/.test(s) ? maskIdDigits(s) : maskText(s);
}

const FORMULA_START = /^[=+\-@\t\r]/;
export function looksLikeFormula(s: string): boolean {
  return FORMULA_START.test(s);
}

/** Excel rejects control characters other than TAB/LF/CR in cell text. */
// eslint-disable-next-line no-control-regex -- the characters Excel rejects
const BAD_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export type TextCell = string | { richText: { text: string }[] };

/** The one gate for every string written to a workbook. */
export function textCell(s: string, mask: boolean): TextCell {
  let t = s.replace(BAD_XML, '\uFFFD');
  if (mask) t = maskText(t);
  if (t.length > 32767) t = t.slice(0, 32700) + ' …[dipotong: batas sel Excel 32.767 karakter]';
  return looksLikeFormula(t) ? { richText: [{ text: t }] } : t;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'object' && v !== null && 'valueOf' in v) {
    const n = Number((v as { valueOf(): unknown }).valueOf());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** Dates from DuckDB arrive as JS Date (UTC midnight for DATE) or 'YYYY-MM-DD'. Excel dates carry no zone. */
function toDate(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(v);
    if (m) return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)));
  }
  return null;
}

export type CellOut = string | number | boolean | Date | TextCell | null;

export function cellValue(v: unknown, col: Pick<ColumnSpec, 'kind' | 'personalId'> & { key?: string }, mask: boolean): CellOut {
  if (v === null || v === undefined) return null;
  switch (col.kind) {
    case 'rupiah': case 'int': case 'number': case 'pct': case 'ratio': case 'year': {
      const n = toNumber(v);
      return n === null ? textCell(toText(v), mask) : n;
    }
    case 'date': case 'datetime': {
      const d = toDate(v);
      return d ?? textCell(toText(v), mask);
    }
    case 'bool':
      return typeof v === 'boolean' ? (v ? 'Ya' : 'Tidak') : textCell(toText(v), mask);
    case 'id': {
      const s = toText(v);
      if (!mask) return textCell(s, false);
      // One masking function: an account keeps its last four, a NIK/KK its first and last four.
      if (col.key && isAccountColumn(col.key)) return textCell(maskAccountText(s), false);
      return textCell(String(maskValue(col.personalId && /^\d+$/.test(s.trim()) ? maskId(s) : s, col.key)), false);
    }
    default:
      return textCell(toText(v), mask);
  }
}

export const KIND_FMT: Partial<Record<ColumnKind, string>> = {
  rupiah: RUPIAH_FMT, int: INT_FMT, number: NUM_FMT, pct: PCT_FMT, ratio: RATIO_FMT, date: DATE_FMT, datetime: DATETIME_FMT, year: YEAR_FMT,
};
/** Widths wide enough that the largest value of a kind never prints as ### (from the shared vocabulary). */
export const KIND_WIDTH: Record<ColumnKind, number> = {
  text: KIND_FORMAT.text.width, id: KIND_FORMAT.code.width, rupiah: KIND_FORMAT.rupiah.width, int: KIND_FORMAT.count.width,
  number: KIND_FORMAT.number.width, pct: KIND_FORMAT.ratio.width, ratio: KIND_FORMAT.number.width, date: KIND_FORMAT.date.width,
  datetime: 20, bool: KIND_FORMAT.boolean.width, json: 40, year: KIND_FORMAT.year.width,
};
const KIND_ALIGN: Record<ColumnKind, 'left' | 'right' | 'center'> = {
  text: 'left', id: 'left', rupiah: 'right', int: 'right', number: 'right', pct: 'right', ratio: 'right', date: 'center',
  datetime: 'center', bool: 'center', json: 'left', year: 'center',
};

/** The workbook kind of a vocabulary kind (src/shared/vocabulary.ts): the vocabulary alone decides the format. */
export function workbookKind(k: VocabKind): { kind: ColumnKind; personalId: boolean } {
  switch (k) {
    case 'rupiah': return { kind: 'rupiah', personalId: false };
    case 'count': return { kind: 'int', personalId: false };
    case 'ratio': return { kind: 'pct', personalId: false };
    case 'year': return { kind: 'year', personalId: false };
    case 'date': return { kind: 'date', personalId: false };
    case 'boolean': return { kind: 'bool', personalId: false };
    case 'number': return { kind: 'number', personalId: false };
    case 'code': return { kind: 'id', personalId: false };
    case 'nik': case 'kk': case 'account': return { kind: 'id', personalId: true };
    default: return { kind: 'text', personalId: false };
  }
}

/**
 * A column spec from the shared vocabulary: its Indonesian label, kind, width and masking. A name not in the
 * vocabulary gets a humanised label and a kind inferred from its DuckDB type. `label` overrides the header only.
 */
export function vocabColumn(name: string, duckType?: string, label?: string): ColumnSpec {
  const v = columnSpec(name);
  const t = (duckType ?? '').toUpperCase();
  let { kind, personalId } = workbookKind(v.kind);
  if (v.fallback && duckType) { kind = inferKind(name, duckType); personalId = isPersonalIdColumn(name); }
  if (t === 'JSON' || t.startsWith('STRUCT') || t.startsWith('MAP')) kind = 'json';
  if (/\[\]$/.test(t) && !personalId) kind = 'json';
  if (t.startsWith('TIMESTAMP') && kind === 'date') kind = 'datetime';
  const width = kind === 'json' || kind === 'datetime' ? KIND_WIDTH[kind] : v.fallback ? undefined : KIND_FORMAT[v.kind].width;
  return { key: name, header: label ?? v.id, kind, personalId, width };
}

/**
 * Columns whose values are personal identifiers (NIK, KK) wherever they appear, evidence columns included:
 * `nik`, `kk`, `other_nik`, `first_kk`, `nik_a`… — not derived facts such as `nik_count`, `nik_day`, `nik_damaged`.
 */
export function isPersonalIdColumn(name: string): boolean {
  return isIdentifierColumn(name);
}

/**
 * Column kind from a DuckDB type string and the column name. Identifiers are text whatever their type, money
 * columns get the Rupiah format, rates a percent format.
 */
export function inferKind(name: string, duckType: string): ColumnKind {
  const n = name.toLowerCase();
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return 'bool';
  if (isPersonalIdColumn(n) || /(^|_)(account|rekening|norek|kks|txn_id|rec_id|household_key|region_code|kode)/.test(n)) return 'id';
  if (t.startsWith('DATE')) return 'date';
  if (t.startsWith('TIMESTAMP')) return 'datetime';
  if (t === 'BOOLEAN') return 'bool';
  if (t === 'JSON' || t.startsWith('STRUCT') || t.endsWith('[]') || t.startsWith('MAP')) return 'json';
  const numeric = /^(DECIMAL|DOUBLE|FLOAT|REAL|HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|NUMERIC)/.test(t);
  if (!numeric) return 'text';
  if (/(amount|nominal|rupiah|paid|allocation|realization|realisasi|pagu|alokasi|cost|biaya|excess|shortfall|diff|selisih|loss|kerugian|expected|budget|dana)/.test(n)
    && !/(share|rate|ratio|pct|error|leakage|absorption|incidence|coverage|count|records|recipients|households)/.test(n)) return 'rupiah';
  if (/^cgh$|(^|_)cgh|ratio/.test(n)) return 'ratio';
  if (/(error|leakage|share|rate|coverage|absorption|incidence|differential|pct|persen|proportion)/.test(n)) return 'pct';
  if (/^(DECIMAL|DOUBLE|FLOAT|REAL|NUMERIC)/.test(t)) return 'number';
  return 'int';
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet names

/** Sheet names: ≤ 31 characters, none of []:*?/\ (and no apostrophe, which breaks print-title references), unique. */
export class SheetNamer {
  private used = new Set<string>();

  static clean(s: string): string {
    // eslint-disable-next-line no-control-regex -- sheet names may not hold control characters
    const c = s.replace(/[[\]:*?/\\']/g, '-').replace(/[\u0000-\u001F]/g, ' ').replace(/\s+/g, ' ').trim();
    return c.length === 0 ? 'Sheet' : c;
  }

  take(base: string, suffix = ''): string {
    const b = SheetNamer.clean(base);
    for (let i = 1; ; i++) {
      const tail = (i === 1 ? '' : ` ~${i}`) + suffix;
      const name = (b.slice(0, 31 - tail.length).trimEnd() + tail).slice(0, 31);
      if (!this.used.has(name.toLowerCase())) { this.used.add(name.toLowerCase()); return name; }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Styles

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E78' } };
export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
export const LABEL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
export const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } }, bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } }, right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};

export function appVersion(): string {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version as string;
  } catch { return 'unknown'; }
}

export async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// The workbook being written

export interface BookOptions {
  maskNik?: boolean;
  /** Data rows per sheet before a table continues on a numbered sheet (default 1,048,575). */
  rowLimit?: number;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

export interface FinishedBook {
  path: string;
  sha256: string;
  bytes: number;
  sheets: string[];
}

type Sheet = ExcelJS.Worksheet;

/**
 * A streaming workbook written to `out.tmp`. Sheets are written strictly one after the other (exceljs streams one
 * zip entry at a time; an open second sheet would buffer in memory), so `sheet()` commits the previous one.
 */
export class ReportBook {
  readonly mask: boolean;
  readonly rowLimit: number;
  readonly names = new SheetNamer();
  readonly sheets: string[] = [];
  private readonly tmp: string;
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private current: Sheet | null = null;
  private rowsDone = 0;
  get rowsWritten(): number { return this.rowsDone; }
  private lastProgress = 0;
  totalRows = 0;

  constructor(readonly out: string, readonly opts: BookOptions = {}) {
    this.mask = !!opts.maskNik;
    this.rowLimit = Math.max(1, Math.min(opts.rowLimit ?? DEFAULT_ROW_LIMIT, DEFAULT_ROW_LIMIT));
    this.tmp = `${out}.tmp`;
    if (existsSync(this.tmp)) unlinkSync(this.tmp);
    // Deflate level 1: with 2 cores the zip side, not the XML, limits throughput; files grow ~25%.
    // Our own file stream, with an 'error' listener from the first byte: exceljs listens for stream errors only in its
    // final commit, so a full disk mid-export used to stall the zip forever (issue 14: epoll_wait, workspace in use).
    this.file = createWriteStream(this.tmp, { mode: 0o600 });
    this.failed = new Promise<never>((_ok, fail) => {
      this.file.on('error', (e: NodeJS.ErrnoException) => { this.failure = new ExportWriteError(e, this.out); fail(this.failure); });
    });
    this.failed.catch(() => undefined); // observed through checkAbort()/finish()
    this.wb = new (excel().stream.xlsx.WorkbookWriter)({ stream: this.file, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
    this.wb.creator = 'Telisik';
    this.wb.created = new Date();
  }

  private readonly file: WriteStream;
  private readonly failed: Promise<never>;
  private failure: ExportWriteError | null = null;

  checkAbort(): void {
    if (this.failure) throw this.failure;
    if (this.opts.signal?.aborted) throw new ExportCancelled();
  }

  /** Counts written data rows, reports progress (at most ~10×/s) and lets I/O and cancellation through. */
  async tick(n: number, phase: string, sheet?: string): Promise<void> {
    this.rowsDone += n;
    const now = Date.now();
    if (now - this.lastProgress > 100) {
      this.lastProgress = now;
      this.opts.onProgress?.({ phase, sheet, rows: this.rowsDone, totalRows: this.totalRows || undefined, total: this.totalRows || undefined });
      await new Promise<void>((r) => setImmediate(r));
    }
    this.checkAbort();
  }

  /** Starts a new sheet (committing the previous one). `name` must come from `this.names`. */
  async sheet(name: string, o: { frozenRows?: number; frozenCols?: number; landscape?: boolean; tabColor?: string; hidden?: boolean } = {}): Promise<Sheet> {
    await this.commitSheet();
    this.checkAbort();
    const ws = this.wb.addWorksheet(name, {
      views: o.frozenRows || o.frozenCols
        ? [{ state: 'frozen', xSplit: o.frozenCols ?? 0, ySplit: o.frozenRows ?? 0 }]
        : [{ state: 'normal' }],
      pageSetup: {
        paperSize: 9, orientation: o.landscape === false ? 'portrait' : 'landscape',
        fitToPage: true, fitToWidth: 1, fitToHeight: 0,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      properties: o.tabColor ? { tabColor: { argb: o.tabColor } } : undefined,
      state: o.hidden ? 'hidden' : 'visible',
    });
    ws.headerFooter = { oddFooter: `&L${name.replace(/&/g, '&&')}&RHalaman &P dari &N` };
    this.current = ws;
    this.sheets.push(name);
    return ws;
  }

  async commitSheet(): Promise<void> {
    if (this.current) {
      (this.current as unknown as { commit(): void }).commit();
      this.current = null;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  text(v: unknown): CellOut {
    return v === null || v === undefined ? null : textCell(typeof v === 'string' ? v : toText(v), this.mask);
  }

  async finish(): Promise<FinishedBook> {
    this.checkAbort();
    await this.commitSheet();
    // exceljs waits for the zip to drain: a write error (or a cancel) must end that wait.
    await Promise.race([this.wb.commit(), this.failed, this.aborted()]);
    if (this.opts.signal?.aborted) { this.discard(); throw new ExportCancelled(); }
    renameSync(this.tmp, this.out);
    const sha256 = await sha256Of(this.out);
    return { path: this.out, sha256, bytes: statSync(this.out).size, sheets: [...this.sheets] };
  }

  /** Closes the zip and removes the partial file. */
  async abort(): Promise<void> {
    if (!this.failure && !this.opts.signal?.aborted) {
      // A normal failure elsewhere (a query error): close the zip so its descriptor is released, bounded by a write
      // error or a cancel.
      try { await this.commitSheet(); } catch { /* already broken */ }
      try { await Promise.race([this.wb.commit(), this.failed, this.aborted()]); } catch { /* partial */ }
    }
    this.discard();
  }

  /** Resolves when the export is cancelled (never, without a signal). */
  private aborted(): Promise<void> {
    const sig = this.opts.signal;
    if (!sig) return new Promise<void>(() => undefined);
    if (sig.aborted) return Promise.resolve();
    return new Promise<void>((r) => sig.addEventListener('abort', () => r(), { once: true }));
  }

  private discard(): void {
    // The descriptor first (a destroyed stream closes it), then the partial file.
    try { this.file.destroy(); } catch { /* closed */ }
    try { if (existsSync(this.tmp)) unlinkSync(this.tmp); } catch { /* best effort */ }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tables that may span several sheets

/**
 * Backpressure. exceljs's sheet stream pushes into the zip (deflate) stream without waiting, so a fast producer
 * piles XML up in memory (1.3 GB for 1M rows). Wait while the zip side holds more than a few MB.
 */
const HIGH_WATER = 8 * 1024 * 1024;
async function drain(ws: Sheet, book?: { checkAbort(): void }): Promise<void> {
  type Pipe = { writableLength?: number; _writableState?: { length?: number } };
  const s = (ws as unknown as { _stream?: { pipes?: Pipe[]; buffers?: unknown[] } })._stream;
  if (!s) return;
  // archiver's PassThrough comes from readable-stream, which has _writableState but not always writableLength.
  const pending = (): number => (s.pipes ?? []).reduce((n, p) => n + (p.writableLength ?? p._writableState?.length ?? 0), 0) + (s.buffers?.length ?? 0) * 65536;
  for (let i = 0; pending() > HIGH_WATER && i < 10_000; i++) {
    book?.checkAbort(); // a write error or a cancel ends the wait (the zip never drains onto a full disk)
    await new Promise<void>((r) => setTimeout(r, 2));
  }
}

export interface TableOptions {
  /** Rows above the header on the first sheet (the count must be known before the sheet opens: it sets the freeze). */
  preamble?: { rows: number; write: (ws: Sheet, ncols: number) => void };
  /** The base name was already taken from book.names (reserved for cross-references). */
  reserved?: boolean;
  phase?: string;
  tabColor?: string;
  /** Called once the header row of each sheet is written (e.g. for data validations). */
  onSheet?: (ws: Sheet, name: string, headerRow: number) => void;
  /** Called before each sheet is committed with the first and last data row written on it. */
  onSheetDone?: (ws: Sheet, name: string, firstRow: number, lastRow: number) => void;
  /**
   * A totals row under each sheet's data: SUBTOTAL(109, …) on the named columns (so a filtered list still totals
   * what is visible) and SUBTOTAL(103, …) counting the rows in the label column; cached values are written.
   */
  totals?: { label?: string; sum: string[] };
  /** The sheet is hidden (key sheets read back on import). */
  hiddenSheet?: boolean;
  /** Protect each sheet without a password; only the named columns stay editable (fill-in columns). */
  protect?: { unlocked: string[] };
}

export function writeHeader(ws: Sheet, rowNo: number, cols: ColumnSpec[]): void {
  const row = ws.getRow(rowNo);
  let lines = 2;
  cols.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.value = c.header;
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
    cell.border = THIN_BORDER;
    // Bold header text is wider than body text: count ~0.9 characters per width unit.
    if (!c.hidden) lines = Math.max(lines, textLines(c.header, ((c.width ?? KIND_WIDTH[c.kind]) - 1) * 0.8));
  });
  row.height = rowHeight(lines);
  row.commit();
}

/**
 * Streams rows into one or more sheets named `base`, `base (2)`, … Each sheet: header row (frozen, autofilter,
 * repeated when printed), typed column formats and widths, hidden key columns.
 */
export class TableWriter {
  readonly sheetNames: string[] = [];
  rows = 0;
  private ws: Sheet | null = null;
  private part = 0;
  private onSheetRows = 0;
  private capacity = 0;
  private headerRow = 1;
  private firstName = '';
  private readonly styles: Partial<ExcelJS.Style>[];
  private readonly sumIdx: number[];
  private readonly wrapWidth: number[];
  private sums: number[] = [];

  constructor(private readonly book: ReportBook, private readonly base: string, readonly cols: ColumnSpec[], private readonly o: TableOptions = {}) {
    this.styles = cols.map((c) => {
      const fmt = KIND_FMT[c.kind];
      const alignment: Partial<ExcelJS.Alignment> = { horizontal: KIND_ALIGN[c.kind], vertical: 'top', wrapText: c.kind === 'text' || c.kind === 'json' };
      const style: Partial<ExcelJS.Style> = fmt ? { numFmt: fmt, alignment } : { alignment };
      if (o.protect?.unlocked.includes(c.key)) {
        style.protection = { locked: false };
        style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
        style.border = THIN_BORDER;
      }
      return style;
    });
    this.sumIdx = (o.totals?.sum ?? []).map((k) => cols.findIndex((c) => c.key === k)).filter((i) => i >= 0);
    this.wrapWidth = cols.map((c) => (c.kind === 'text' || c.kind === 'json') && !c.hidden ? Math.floor(((c.width ?? KIND_WIDTH[c.kind]) - 1) * 1.25) : 0);
  }

  /** The name the first sheet will get (reserve before writing cross-references). */
  async open(): Promise<string> {
    if (!this.ws) await this.nextSheet();
    return this.firstName;
  }

  private async nextSheet(): Promise<void> {
    this.closeSheet();
    this.part++;
    const name = this.part === 1 ? (this.o.reserved ? this.base : this.book.names.take(this.base)) : this.book.names.take(this.firstName, ` (${this.part})`);
    if (this.part === 1) this.firstName = name;
    const pre = this.part === 1 ? this.o.preamble : undefined;
    const headerRow = pre ? pre.rows + 1 : 1;
    const ws = await this.book.sheet(name, { frozenRows: headerRow, tabColor: this.o.tabColor, hidden: this.o.hiddenSheet });
    // Column widths and formats are written with the first row, so they are set before any preamble row.
    this.cols.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width ?? KIND_WIDTH[c.kind];
      if (c.hidden) col.hidden = true;
    });
    if (this.o.protect) {
      // No password: the protection keeps officers out of the key and evidence columns, not out of the file.
      void ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true, sort: false });
    }
    pre?.write(ws, this.cols.length);
    writeHeader(ws, headerRow, this.cols);
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: this.cols.length } };
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
    this.headerRow = headerRow;
    this.capacity = Math.min(this.book.rowLimit, EXCEL_MAX_ROWS - headerRow - (this.o.totals ? 1 : 0));
    this.onSheetRows = 0;
    this.sums = this.sumIdx.map(() => 0);
    this.ws = ws;
    this.sheetNames.push(name);
    this.o.onSheet?.(ws, name, headerRow);
  }

  private closeSheet(): void {
    if (this.ws) {
      const first = this.headerRow + 1;
      const last = this.headerRow + this.onSheetRows;
      this.o.onSheetDone?.(this.ws, this.sheetNames[this.sheetNames.length - 1], first, last);
      if (this.o.totals) this.writeTotals(this.ws, first, last);
      this.ws = null;
    }
  }

  private writeTotals(ws: Sheet, first: number, last: number): void {
    // The filter covers the data rows only, so filtering never hides the totals row.
    ws.autoFilter = { from: { row: this.headerRow, column: 1 }, to: { row: Math.max(last, this.headerRow), column: this.cols.length } };
    const row = ws.getRow(last + 1);
    const L = (i: number): string => { let n = i + 1; let l = ''; while (n > 0) { const m = (n - 1) % 26; l = String.fromCharCode(65 + m) + l; n = Math.floor((n - 1) / 26); } return l; };
    const bold = { bold: true };
    const top: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, bottom: { style: 'double' } };
    const labelIdx = this.cols.findIndex((_, i) => !this.sumIdx.includes(i) && !this.cols[i].hidden);
    const n = last - first + 1;
    if (labelIdx >= 0) {
      const c = row.getCell(labelIdx + 1);
      c.value = n > 0
        ? { formula: `"${this.o.totals!.label ?? 'JUMLAH'} ("&SUBTOTAL(103,${L(labelIdx)}${first}:${L(labelIdx)}${last})&" baris)"`, result: `${this.o.totals!.label ?? 'JUMLAH'} (${n} baris)` } as ExcelJS.CellValue
        : `${this.o.totals!.label ?? 'JUMLAH'} (0 baris)`;
      c.font = bold; c.border = top;
    }
    this.sumIdx.forEach((i, k) => {
      const c = row.getCell(i + 1);
      c.value = n > 0 ? { formula: `SUBTOTAL(109,${L(i)}${first}:${L(i)}${last})`, result: Math.round(this.sums[k] * 100) / 100 } as ExcelJS.CellValue : 0;
      c.numFmt = KIND_FMT[this.cols[i].kind] ?? INT_FMT;
      c.font = bold; c.border = top;
      c.alignment = { horizontal: 'right' };
    });
    row.commit();
  }

  /** Adds one row of raw values in column order. */
  async add(values: unknown[]): Promise<void> {
    if (!this.ws) await this.nextSheet();
    else if (this.onSheetRows >= this.capacity) await this.nextSheet();
    const ws = this.ws!;
    const row = ws.getRow(this.headerRow + this.onSheetRows + 1);
    let lines = 1;
    for (let i = 0; i < this.cols.length; i++) {
      const v = cellValue(values[i], this.cols[i], this.book.mask);
      // Wrapped text needs its row height written: LibreOffice prints the stored height, not an optimal one.
      if (this.wrapWidth[i] > 0 && typeof values[i] === 'string' && (values[i] as string).length > this.wrapWidth[i]) {
        lines = Math.max(lines, Math.min(8, textLines(values[i] as string, this.wrapWidth[i] / 1.1)));
      }
      if (v === null) {
        // An empty fill-in cell still carries its unlocked style (protected sheets).
        if (this.styles[i].protection) row.getCell(i + 1).style = this.styles[i];
        continue;
      }
      const cell = row.getCell(i + 1);
      cell.value = v as ExcelJS.CellValue;
      // One shared style object per column: exceljs caches style ids by object identity (a fresh merged style per
      // cell cost ~25% of the export time).
      cell.style = this.styles[i];
    }
    if (lines > 1) row.height = rowHeight(lines);
    row.commit();
    for (let k = 0; k < this.sumIdx.length; k++) {
      const x = toNumber(values[this.sumIdx[k]]);
      if (x !== null) this.sums[k] += x;
    }
    this.onSheetRows++;
    this.rows++;
    if ((this.rows & 1023) === 0) {
      await this.book.tick(1024, this.o.phase ?? 'rows', this.sheetNames[this.sheetNames.length - 1]);
      await drain(ws, this.book);
    }
  }

  /** Ends the table; an empty table still gets its (header-only) sheet. */
  async close(): Promise<string[]> {
    if (!this.ws && this.part === 0) await this.nextSheet();
    this.closeSheet();
    await this.book.tick(this.rows & 1023, this.o.phase ?? 'rows');
    return this.sheetNames;
  }
}

/** Estimated printed lines of a text in an area `chars` width units wide (Calibri 11: ~1.1 characters per unit). */
export function textLines(text: string, chars: number): number {
  const per = Math.max(8, Math.floor(chars * 1.1));
  return String(text ?? '').split('\n').reduce((s, l) => s + Math.max(1, Math.ceil(l.length / per)), 0);
}

/** Row height in points that prints `lines` lines of 11-pt text (Excel caps a row at 409 points). */
export function rowHeight(lines: number): number {
  return Math.min(409, 15 * lines + 4);
}

/**
 * A two-column block of label/value pairs (cover pages, KKP headers), both wrapped, each row as high as its longer
 * text needs so it prints whole. Returns the next free row.
 */
export function writePairs(book: ReportBook, ws: Sheet, startRow: number, pairs: [string, unknown, string?][]): number {
  let r = startRow;
  const w1 = ws.getColumn(1).width ?? 20;
  const w2 = ws.getColumn(2).width ?? 60;
  for (const [label, value, fmt] of pairs) {
    const row = ws.getRow(r++);
    const a = row.getCell(1);
    a.value = book.text(label);
    a.font = { bold: true };
    a.fill = LABEL_FILL;
    a.border = THIN_BORDER;
    a.alignment = { vertical: 'top', wrapText: true };
    const b = row.getCell(2);
    b.value = value instanceof Date || typeof value === 'number' ? value : book.text(value ?? '');
    if (fmt) b.numFmt = fmt;
    b.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
    b.border = THIN_BORDER;
    const vText = value instanceof Date || typeof value === 'number' ? '' : String(value ?? '');
    row.height = rowHeight(Math.max(textLines(label, w1), textLines(vText, w2)));
    row.commit();
  }
  return r;
}
