/** XLSX rows: the zip parts read by offset (./zip.ts), each parsed by exceljs; cell values to text as the spreadsheet shows them. */
import { TelisikError } from '../../shared/errors';
import type ExcelJS from 'exceljs';
import { excel } from '../exceljs';
import type { Readable } from 'node:stream';
import { type ZipEntryInfo, ZipPartError, openZipPart, zipDirectory } from './zip';

export interface SheetRow { cells: string[]; line: number; numeric: number[] }

function pad2(n: number): string { return n < 10 ? '0' + n : String(n); }

export function dateText(d: Date): string {
  if (isNaN(d.getTime())) return '';
  const ymd = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  return h || m || s ? `${ymd} ${pad2(h)}:${pad2(m)}:${pad2(s)}` : ymd;
}

function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}

/** Text of one cell value and whether it was a numeric cell. */
export function cellText(v: unknown): { text: string; numeric: boolean } {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: numberText(v), numeric: true };
  if (typeof v === 'string') return { text: v, numeric: false };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', numeric: false };
  if (v instanceof Date) return { text: dateText(v), numeric: false };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return { text: (o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''), numeric: false };
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return { text: String(o.error), numeric: false };
  }
  return { text: String(v), numeric: false };
}

const PROBE_ROWS = 30;

/** No visible sheet was accepted: read this one (the first visible sheet with data) by name. */
export class UseSheet extends Error { constructor(public readonly sheet: string) { super('use sheet ' + sheet); } }

export class SheetNotFound extends TelisikError { constructor(public readonly sheets: string[]) { super('invalid_input', 'sheet not found', { sheets }); } }

/** A worksheet of the workbook, in tab order: its name, visibility and zip part. */
interface SheetPart { name: string; state: string; part: ZipEntryInfo; no: string }

interface ReaderInternals {
  model?: { sheets?: { name: string; id: number; rId: string; state?: string }[] };
  workbookRels?: { Id: string; Target: string; Type?: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: WorksheetIterable }>;
}
type WorksheetIterable = AsyncIterable<ExcelJS.Row> & { name: string; state?: string; id: number | string };

/** The zip part a relationship points at: targets are relative to the folder of the part that holds them, or absolute. */
function relTarget(target: string, base: string): string {
  const t = target.replace(/\\/g, '/');
  const parts = (t.startsWith('/') ? t.slice(1) : `${base}${t}`).split('/');
  const out: string[] = [];
  for (const x of parts) { if (x === '..') out.pop(); else if (x !== '.' && x !== '') out.push(x); }
  return out.join('/');
}

/**
 * The workbook's parts read by offset from the zip's central directory (./zip.ts): relationships, workbook, shared
 * strings and styles first, then each worksheet on demand. The reader's structure comes from exceljs' WorkbookReader
 * (its parsers of each part); the order of reading is ours, so no part can be missed or read before the workbook.
 */
async function openWorkbook(path: string) {
  const entries = await zipDirectory(path);
  if (!entries) throw new ZipPartError('no zip central directory (not a workbook, or a truncated file)');
  checkZipEntries(entries);
  const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  const reader = new (excel().stream.xlsx.WorkbookReader)(path, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  } as never) as unknown as ReaderInternals;
  const partLimit = (e: ZipEntryInfo) => (isSharedStrings(e.name) ? ZIP_LIMITS.sharedStrings : ZIP_LIMITS.part);
  let rawBase = 0, rawRead = 0;
  const part = (e: ZipEntryInfo) => {
    rawBase = e.offset;
    rawRead = 0;
    return openZipPart(path, e, { limit: partLimit(e), onLimit: (n) => new ZipTooLarge(e.name, n, null), onRaw: (n) => { rawRead = n; } });
  };
  // The workbook part: xl/workbook.xml as every common writer names it, else where the package relationships say
  let book = byName.get('xl/workbook.xml');
  if (!book) {
    const root = byName.get('_rels/.rels');
    let xml = '';
    if (root) for await (const chunk of await part(root)) xml += String(chunk);
    const target = /<Relationship\b(?=[^>]*\bType="[^"]*\/officeDocument")[^>]*\bTarget="([^"]+)"/.exec(xml)?.[1];
    book = target ? byName.get(relTarget(target, '').toLowerCase()) : undefined;
    if (!book) throw new ZipPartError('no workbook part (xl/workbook.xml)');
  }
  const bookDir = book.name.includes('/') ? book.name.slice(0, book.name.lastIndexOf('/') + 1) : '';
  const rels = byName.get(`${bookDir}_rels/${book.name.slice(bookDir.length)}.rels`.toLowerCase());
  if (rels) await reader._parseRels(await part(rels));
  await reader._parseWorkbook(await part(book));
  const relsList = reader.workbookRels ?? [];
  const related = (type: string, fallback: string) => {
    const rel = relsList.find((r) => r.Type?.endsWith(`/${type}`));
    return byName.get((rel ? relTarget(rel.Target, bookDir) : `${bookDir}${fallback}`).toLowerCase());
  };

  // Worksheets in the workbook's tab order (a tab dragged in Excel reorders workbook.xml, not the part names)
  const sheets: SheetPart[] = [];
  for (const s of reader.model?.sheets ?? []) {
    const rel = relsList.find((r) => r.Id === s.rId);
    if (!rel || (rel.Type && !/\/worksheet$/.test(rel.Type))) continue; // chart and dialog sheets hold no rows
    const target = relTarget(rel.Target, bookDir);
    const e = byName.get(target.toLowerCase());
    if (!e) throw new ZipPartError(`${target} (sheet "${s.name}") is missing`);
    sheets.push({ name: s.name, state: s.state ?? 'visible', part: e, no: /(\d+)\.xml$/i.exec(e.name)?.[1] ?? String(s.id) });
  }
  let cellsReady = false;
  return {
    sheets,
    /** position in the file, for progress: the current part's offset plus the compressed bytes read of it */
    position: () => rawBase + rawRead,
    async rows(sheet: SheetPart): Promise<{ stream: Readable; rows: WorksheetIterable }> {
      // shared strings and styles only when cells are read (listing the sheets needs neither)
      if (!cellsReady) {
        const shared = related('sharedStrings', 'sharedStrings.xml');
        if (shared) for await (const _ of reader._parseSharedStrings(await part(shared))) { /* 'cache': nothing is yielded */ }
        const styles = related('styles', 'styles.xml');
        if (styles) await reader._parseStyles(await part(styles));
        cellsReady = true;
      }
      const stream = await part(sheet.part);
      const gen = reader._parseWorksheet(stream, sheet.no);
      const ws = gen.next().value!.value;
      ws.name = sheet.name;
      ws.state = sheet.state;
      return { stream, rows: ws };
    },
  };
}

/** Sheet names of a workbook in tab order (hidden ones too). */
export async function xlsxSheetNames(path: string): Promise<string[]> {
  return (await openWorkbook(path)).sheets.map((s) => s.name);
}

/**
 * Streams the rows of one sheet (by name, case-insensitive; default: the first VISIBLE sheet with data — hidden and
 * veryHidden sheets are skipped unless named; onHidden receives the name of every hidden sheet met). onRow is called
 * synchronously for each row; every `every` rows (and at the end) `tick` is awaited (flush/abort point) with the
 * position reached in the file. Returns the sheet name used.
 */
export async function readXlsx(path: string, opts: { sheet?: string; onRow: (r: SheetRow) => void; tick: (bytes: number) => Promise<void>; every?: number;
  onHidden?: (sheet: string) => void;
  /** default sheet only: judges the first rows (up to 30) of each visible sheet; a sheet not accepted is skipped, and
   *  when none is accepted readXlsx throws UseSheet(first visible sheet with data) so the caller can read that one */
  accept?: (rows: SheetRow[]) => boolean }): Promise<string> {
  const book = await openWorkbook(path);
  const every = opts.every ?? 5000;
  const seen: string[] = [];
  const visible: string[] = [];
  let fallback: string | undefined;
  let used: string | undefined;
  let current: Readable | undefined;
  try {
    for (const sheet of book.sheets) {
      const name = sheet.name;
      seen.push(name);
      const hidden = sheet.state === 'hidden' || sheet.state === 'veryHidden';
      if (hidden) opts.onHidden?.(name); else visible.push(name);
      const wanted = used === undefined && (opts.sheet ? name.trim().toLowerCase() === opts.sheet.trim().toLowerCase() : !hidden);
      // a sheet not read is not inflated at all (its name and state come from the workbook part)
      if (!wanted) continue;
      let n = 0;
      // default sheet with accept(): the first rows are held back until the sheet's header is judged
      let probe: SheetRow[] | null = !opts.sheet && opts.accept ? [] : null;
      let skip = false;
      const judge = async (rows: SheetRow[]) => {
        if (opts.accept!(rows)) {
          for (const r of rows) opts.onRow(r);
          n += rows.length;
          await opts.tick(book.position());
        } else {
          skip = true;
          if (fallback === undefined) fallback = name;
        }
      };
      const { stream, rows } = await book.rows(sheet);
      current = stream;
      for await (const row of rows) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        const numeric: number[] = [];
        let any = false;
        for (let c = 1; c < values.length; c++) {
          const { text, numeric: isNum } = cellText(values[c]);
          cells.push(text);
          if (isNum) numeric.push(c - 1);
          if (text.trim() !== '') any = true;
        }
        if (!any) continue;
        if (probe) {
          probe.push({ cells, line: row.number, numeric });
          if (probe.length >= PROBE_ROWS) { const r = probe; probe = null; await judge(r); if (skip) break; }
          continue;
        }
        n++;
        opts.onRow({ cells, line: row.number, numeric });
        if (n % every === 0) await opts.tick(book.position());
      }
      stream.destroy();
      current = undefined;
      if (probe && probe.length) await judge(probe);
      if (!skip && (n > 0 || opts.sheet)) { used = name; await opts.tick(book.position()); }
    }
  } finally {
    current?.destroy();
  }
  if (used === undefined) {
    if (opts.sheet) throw new SheetNotFound(seen);
    if (fallback !== undefined) throw new UseSheet(fallback);
    return visible[0] ?? seen[0] ?? '';
  }
  return used;
}

// ---------------------------------------------------------------------------------------------------------------
// Zip-bomb guard (docs/ingest-requests.md R1)

const MB = 1048576;
/** Limits on the inflated parts of a workbook: sharedStrings is held in memory whole, sheets are streamed. */
export const ZIP_LIMITS = { part: 1024 * MB, sharedStrings: 256 * MB, ratio: 100, ratioFrom: 8 * MB };

export class ZipTooLarge extends Error {
  constructor(public readonly part: string, public readonly uncompressed: number, public readonly compressed: number | null) {
    super(`${part}: ${Math.round(uncompressed / MB)} MB uncompressed${compressed !== null ? ` from ${Math.max(1, Math.round(compressed / 1024))} KB` : ''}`);
  }
}

const isSharedStrings = (name: string) => /(^|\/)sharedStrings\.xml$/i.test(name);

/** Throws ZipTooLarge when a declared part of the workbook is above the limits (before anything is inflated). */
function checkZipEntries(entries: ZipEntryInfo[], limits = ZIP_LIMITS): void {
  for (const e of entries) {
    const shared = isSharedStrings(e.name);
    if (e.uncompressed > limits.part) throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    if (shared && e.uncompressed > limits.sharedStrings) throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    if (shared && e.uncompressed > limits.ratioFrom && e.uncompressed > limits.ratio * Math.max(1, e.compressed)) {
      throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    }
  }
}
