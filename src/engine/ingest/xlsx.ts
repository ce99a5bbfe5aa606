/** XLSX rows via exceljs' streaming WorkbookReader: cell values to text as the spreadsheet shows them. */
import { TelisikError } from '../../shared/errors';
import type ExcelJS from 'exceljs';
import { excel } from '../exceljs';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';

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

/**
 * Streams the rows of one sheet (by name, case-insensitive; default: the first VISIBLE sheet with data — hidden and
 * veryHidden sheets are skipped unless named; onHidden receives the name of every hidden sheet met). onRow is called
 * synchronously for each row; every `every` rows (and at the end) `tick` is awaited (flush/abort point).
 * Returns the sheet name used.
 */
export async function readXlsx(path: string, opts: { sheet?: string; onRow: (r: SheetRow) => void; tick: (bytes: number) => Promise<void>; every?: number;
  /** receives the SHA-256 and byte count of everything exceljs read (the whole file when it read to the end) */
  onDigest?: (sha256: string, bytes: number) => void;
  onHidden?: (sheet: string) => void;
  /** default sheet only: judges the first rows (up to 30) of each visible sheet; a sheet not accepted is skipped, and
   *  when none is accepted readXlsx throws UseSheet(first visible sheet with data) so the caller can read that one */
  accept?: (rows: SheetRow[]) => boolean }): Promise<string> {
  await checkZipSizes(path); // before any inflating: a zip bomb is refused from its central directory
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { hash.update(chunk); bytes += chunk.length; cb(null, chunk); } });
  const src = createReadStream(path);
  src.on('error', (e) => tap.destroy(e));
  src.pipe(tap);
  const reader = new (excel().stream.xlsx.WorkbookReader)(tap as never, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  } as never);
  // A worksheet stored in the zip before xl/workbook.xml made exceljs read `this.model.sheets` of a model not parsed
  // yet ("Cannot read properties of undefined (reading 'sheets')"): it parses a sheet at once when the shared strings
  // and workbook rels are known, else keeps it in a temp file for after the loop. Until the workbook part is parsed
  // the rels read as absent, so such a sheet waits for it (zip entry order is the writer's choice, not the format's).
  {
    const rd = reader as unknown as { model?: unknown; workbookRels?: unknown };
    let rels: unknown;
    Object.defineProperty(rd, 'workbookRels', {
      configurable: true,
      get: () => (rd.model ? rels : undefined),
      set: (v: unknown) => { rels = v; },
    });
  }
  // sharedStrings is cached whole: count the bytes really inflated (declared sizes can lie)
  const r = reader as unknown as { _parseSharedStrings: (entry: NodeJS.ReadableStream) => AsyncGenerator<unknown> };
  const parseShared = r._parseSharedStrings.bind(reader);
  r._parseSharedStrings = (entry) => {
    const counted = byteLimit(ZIP_LIMITS.sharedStrings, 'xl/sharedStrings.xml');
    entry.on('error', (e: Error) => counted.destroy(e));
    entry.pipe(counted);
    return parseShared(counted);
  };
  const every = opts.every ?? 5000;
  const seen: string[] = [];
  const visible: string[] = [];
  let fallback: string | undefined;
  let used: string | undefined;
  try {
    for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row> & { name: string; state?: string }>) {
      const name = ws.name;
      seen.push(name);
      const hidden = ws.state === 'hidden' || ws.state === 'veryHidden';
      if (hidden) opts.onHidden?.(name); else visible.push(name);
      const wanted = used === undefined && (opts.sheet ? name.trim().toLowerCase() === opts.sheet.trim().toLowerCase() : !hidden);
      let n = 0;
      // default sheet with accept(): the first rows are held back until the sheet's header is judged
      let probe: SheetRow[] | null = wanted && !opts.sheet && opts.accept ? [] : null;
      let skip = false;
      const judge = async (rows: SheetRow[]) => {
        if (opts.accept!(rows)) {
          for (const r of rows) opts.onRow(r);
          n += rows.length;
          await opts.tick(bytes);
        } else {
          skip = true;
          if (fallback === undefined) fallback = name;
        }
      };
      for await (const row of ws) {
        if (!wanted || skip) continue;
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
          if (probe.length >= PROBE_ROWS) { const rows = probe; probe = null; await judge(rows); }
          continue;
        }
        n++;
        opts.onRow({ cells, line: row.number, numeric });
        if (n % every === 0) await opts.tick(bytes);
      }
      if (probe && probe.length) await judge(probe);
      if (wanted && !skip && (n > 0 || opts.sheet)) { used = name; await opts.tick(bytes); }
    }
  } catch (e) {
    src.destroy();
    tap.destroy();
    throw e;
  }
  if (!tap.readableEnded) await new Promise<void>((res) => { tap.on('end', res); tap.on('close', res); tap.resume(); });
  opts.onDigest?.(hash.digest('hex'), bytes);
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

export interface ZipEntryInfo { name: string; compressed: number; uncompressed: number }

/** Entries of a zip from its central directory (zip64 aware); null when there is no readable directory. */
export async function zipDirectory(path: string): Promise<ZipEntryInfo[] | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65557 + 20);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return null;
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOff = tail.readUInt32LE(eocd + 16);
    if ((cdOff === 0xffffffff || cdSize === 0xffffffff || count === 0xffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
      const z64 = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const rec = Buffer.alloc(56);
      await fh.read(rec, 0, 56, z64);
      if (rec.readUInt32LE(0) === 0x06064b50) {
        count = Number(rec.readBigUInt64LE(32));
        cdSize = Number(rec.readBigUInt64LE(40));
        cdOff = Number(rec.readBigUInt64LE(48));
      }
    }
    if (cdSize > 64 * MB || cdOff + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOff);
    const out: ZipEntryInfo[] = [];
    let p = 0;
    while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
      let compressed = cd.readUInt32LE(p + 20);
      let uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // zip64 extended information: the 64-bit sizes of the fields that hold 0xFFFFFFFF, in this order
      let e = p + 46 + nameLen;
      const eEnd = Math.min(e + extraLen, cd.length);
      while (e + 4 <= eEnd) {
        const id = cd.readUInt16LE(e), len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressed === 0xffffffff && q + 8 <= e + 4 + len) { uncompressed = Number(cd.readBigUInt64LE(q)); q += 8; }
          if (compressed === 0xffffffff && q + 8 <= e + 4 + len) { compressed = Number(cd.readBigUInt64LE(q)); q += 8; }
        }
        e += 4 + len;
      }
      out.push({ name, compressed, uncompressed });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  } finally { await fh.close(); }
}

/** Throws ZipTooLarge when a declared part of the workbook is above the limits. */
export async function checkZipSizes(path: string, limits = ZIP_LIMITS): Promise<void> {
  const entries = await zipDirectory(path);
  for (const e of entries ?? []) {
    const shared = /(^|\/)sharedStrings\.xml$/i.test(e.name);
    if (e.uncompressed > limits.part) throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    if (shared && e.uncompressed > limits.sharedStrings) throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    if (shared && e.uncompressed > limits.ratioFrom && e.uncompressed > limits.ratio * Math.max(1, e.compressed)) {
      throw new ZipTooLarge(e.name, e.uncompressed, e.compressed);
    }
  }
}

/** A stream that passes bytes through and fails once more than `limit` went by (inflated bytes actually read). */
function byteLimit(limit: number, part: string): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      n += chunk.length;
      if (n > limit) cb(new ZipTooLarge(part, n, null)); else cb(null, chunk);
    },
  });
}
