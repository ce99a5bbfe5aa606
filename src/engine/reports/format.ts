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
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { isIdentifierColumn, maskIdDigits, maskText, maskValue } from '../../shared/masking';

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

export type ColumnKind = 'text' | 'id' | 'rupiah' | 'int' | 'number' | 'pct' | 'ratio' | 'date' | 'datetime' | 'bool' | 'json';

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

export class ExportCancelled extends Error {
  constructor() { super('Ekspor dibatalkan (export cancelled)'); this.name = 'ExportCancelled'; }
}

/** Writing the file failed (disk full, I/O error, permission): the export ends, its `.tmp` is removed. */
export class ExportWriteError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException, path: string) {
    const why = cause.code === 'ENOSPC' ? 'disk penuh (no space left on device)'
      : cause.code === 'EIO' ? 'kesalahan I/O pada disk (I/O error)'
        : cause.code === 'EACCES' || cause.code === 'EPERM' ? 'tidak ada izin menulis (permission denied)'
          : cause.code === 'EDQUOT' ? 'kuota disk habis (disk quota exceeded)' : String(cause.message ?? cause);
    super(`Gagal menulis ${path}: ${why} — berkas sementara dihapus (write failed; the partial file was removed)`);
    this.name = 'ExportWriteError';
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
// eslint-disable-next-line no-control-regex
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
    case 'rupiah': case 'int': case 'number': case 'pct': case 'ratio': {
      const n = toNumber(v);
      return n === null ? textCell(toText(v), mask) : n;
    }
    case 'date': case 'datetime': {
      const d = toDate(v);
      return d ?? textCell(toText(v), mask);
    }
    case 'bool':
      return typeof v === 'boolean' ? (v ? 'ya' : 'tidak') : textCell(toText(v), mask);
    case 'id': {
      const s = toText(v);
      return textCell(mask ? String(maskValue(col.personalId && /^\d+$/.test(s.trim()) ? maskId(s) : s, col.key)) : s, false);
    }
    default:
      return textCell(toText(v), mask);
  }
}

const KIND_FMT: Partial<Record<ColumnKind, string>> = {
  rupiah: RUPIAH_FMT, int: INT_FMT, number: NUM_FMT, pct: PCT_FMT, ratio: RATIO_FMT, date: DATE_FMT, datetime: DATETIME_FMT,
};
const KIND_WIDTH: Record<ColumnKind, number> = {
  text: 24, id: 20, rupiah: 16, int: 11, number: 14, pct: 10, ratio: 10, date: 12, datetime: 19, bool: 8, json: 40,
};

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
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.file, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
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
    ws.headerFooter = { oddFooter: `&L${name}&RHalaman &P dari &N` };
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
}

export function writeHeader(ws: Sheet, rowNo: number, cols: ColumnSpec[]): void {
  const row = ws.getRow(rowNo);
  cols.forEach((c, i) => {
    const cell = row.getCell(i + 1);
    cell.value = c.header;
    cell.font = HEADER_FONT;
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
    cell.border = THIN_BORDER;
  });
  row.height = 30;
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

  constructor(private readonly book: ReportBook, private readonly base: string, readonly cols: ColumnSpec[], private readonly o: TableOptions = {}) {
    this.styles = cols.map((c) => {
      const fmt = KIND_FMT[c.kind];
      return fmt ? { numFmt: fmt } : {};
    });
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
    const ws = await this.book.sheet(name, { frozenRows: headerRow, tabColor: this.o.tabColor });
    // Column widths and formats are written with the first row, so they are set before any preamble row.
    this.cols.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width ?? KIND_WIDTH[c.kind];
      if (c.hidden) col.hidden = true;
    });
    pre?.write(ws, this.cols.length);
    writeHeader(ws, headerRow, this.cols);
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: this.cols.length } };
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
    this.headerRow = headerRow;
    this.capacity = Math.min(this.book.rowLimit, EXCEL_MAX_ROWS - headerRow);
    this.onSheetRows = 0;
    this.ws = ws;
    this.sheetNames.push(name);
    this.o.onSheet?.(ws, name, headerRow);
  }

  private closeSheet(): void {
    if (this.ws) {
      this.o.onSheetDone?.(this.ws, this.sheetNames[this.sheetNames.length - 1], this.headerRow + 1, this.headerRow + this.onSheetRows);
      this.ws = null;
    }
  }

  /** Adds one row of raw values in column order. */
  async add(values: unknown[]): Promise<void> {
    if (!this.ws) await this.nextSheet();
    else if (this.onSheetRows >= this.capacity) await this.nextSheet();
    const ws = this.ws!;
    const row = ws.getRow(this.headerRow + this.onSheetRows + 1);
    for (let i = 0; i < this.cols.length; i++) {
      const v = cellValue(values[i], this.cols[i], this.book.mask);
      if (v === null) continue;
      const cell = row.getCell(i + 1);
      cell.value = v as ExcelJS.CellValue;
      // One shared style object per column: exceljs caches style ids by object identity (a fresh merged style per
      // cell cost ~25% of the export time).
      cell.style = this.styles[i];
    }
    row.commit();
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

/** A two-column block of label/value pairs (cover pages, KKP headers). Returns the next free row. */
export function writePairs(book: ReportBook, ws: Sheet, startRow: number, pairs: [string, unknown, string?][]): number {
  let r = startRow;
  for (const [label, value, fmt] of pairs) {
    const row = ws.getRow(r++);
    const a = row.getCell(1);
    a.value = book.text(label);
    a.font = { bold: true };
    a.fill = LABEL_FILL;
    a.border = THIN_BORDER;
    a.alignment = { vertical: 'top' };
    const b = row.getCell(2);
    b.value = value instanceof Date || typeof value === 'number' ? value : book.text(value ?? '');
    if (fmt) b.numFmt = fmt;
    b.alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
    b.border = THIN_BORDER;
    row.commit();
  }
  return r;
}
