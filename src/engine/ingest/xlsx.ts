/** XLSX rows via exceljs' streaming WorkbookReader: cell values to text as the spreadsheet shows them. */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

export class SheetNotFound extends Error { constructor(public readonly sheets: string[]) { super('sheet not found'); } }

/**
 * Streams the rows of one sheet (by name, case-insensitive; default: the first VISIBLE sheet with data — hidden and
 * veryHidden sheets are skipped unless named; onHidden receives the name of every hidden sheet met). onRow is called
 * synchronously for each row; every `every` rows (and at the end) `tick` is awaited (flush/abort point).
 * Returns the sheet name used.
 */
export async function readXlsx(path: string, opts: { sheet?: string; onRow: (r: SheetRow) => void; tick: (bytes: number) => Promise<void>; every?: number;
  /** receives the SHA-256 and byte count of everything exceljs read (the whole file when it read to the end) */
  onDigest?: (sha256: string, bytes: number) => void;
  onHidden?: (sheet: string) => void }): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({ transform(chunk: Buffer, _e, cb) { hash.update(chunk); bytes += chunk.length; cb(null, chunk); } });
  const src = createReadStream(path);
  src.on('error', (e) => tap.destroy(e));
  src.pipe(tap);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(tap as never, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
  } as never);
  const every = opts.every ?? 5000;
  const seen: string[] = [];
  const visible: string[] = [];
  let used: string | undefined;
  try {
    for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row> & { name: string; state?: string }>) {
      const name = ws.name;
      seen.push(name);
      const hidden = ws.state === 'hidden' || ws.state === 'veryHidden';
      if (hidden) opts.onHidden?.(name); else visible.push(name);
      const wanted = used === undefined && (opts.sheet ? name.trim().toLowerCase() === opts.sheet.trim().toLowerCase() : !hidden);
      let n = 0;
      for await (const row of ws) {
        if (!wanted) continue;
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
        n++;
        opts.onRow({ cells, line: row.number, numeric });
        if (n % every === 0) await opts.tick(bytes);
      }
      if (wanted && (n > 0 || opts.sheet)) { used = name; await opts.tick(bytes); }
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
    return visible[0] ?? seen[0] ?? '';
  }
  return used;
}
