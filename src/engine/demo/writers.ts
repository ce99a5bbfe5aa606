/** Streaming writers with bounded memory: buffered synchronous CSV writing and an exceljs streaming XLSX writer. */
import { closeSync, openSync, writeSync, readFileSync, createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { excel } from '../exceljs';

const FLUSH_AT = 1 << 20;

export class CsvWriter {
  rows = 0;
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  private hash = createHash('sha256');
  private quoteRe: RegExp;

  constructor(
    readonly path: string,
    private readonly delim: string,
    header: string[],
    private readonly opts: { bom?: boolean; eol?: string; encoding?: 'utf8' | 'utf16le' | 'latin1' } = {},
  ) {
    this.fd = openSync(path, 'w');
    this.quoteRe = new RegExp(`[${delim === '\t' ? '\\t' : delim === '|' ? '\\|' : delim}"\\r\\n]`);
    if (opts.bom) this.push('\ufeff');
    this.push(header.join(delim) + this.eol);
  }

  private get eol(): string {
    return this.opts.eol ?? '\n';
  }

  private push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join(''), this.opts.encoding ?? 'utf8');
    this.hash.update(buf);
    writeSync(this.fd, buf);
    this.parts = [];
    this.size = 0;
  }

  /** Writes one record; returns its 1-based line number in the file (header = line 1). */
  row(fields: string[]): number {
    let line = '';
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (i) line += this.delim;
      line += this.quoteRe.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
    }
    this.push(line + this.eol);
    this.rows++;
    return this.rows + 1;
  }

  private closed = false;

  /** Closes the file; returns its SHA-256 (hex). */
  close(): string {
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    return this.hash.digest('hex');
  }

  /** Closes the file descriptor after an error (the file stays incomplete). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

export type XlsxCell = string | number | Date | null;

/** exceljs streaming workbook with one sheet; rows are committed as they are written. */
export class XlsxWriter {
  rows = 0;
  // exceljs's streaming writer has no type declarations of its own (the package's index.d.ts covers the DOM workbook).
  private wb: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  private ws: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  constructor(readonly path: string, sheet: string, header: string[], textColumns: number[]) {
    const ExcelJS = excel();
    // archiver stamps every zip entry with the current time, and the writer adds entries in its constructor: pin the
    // date (during construction via the prototype, then on the instance) so the bytes depend only on the seed.
    // Local midnight: zip entries store local DOS date/time fields, so this gives the same bytes in every time zone.
    const epoch = new Date(2025, 0, 1);
    const core = createRequire(require.resolve('exceljs'))('archiver/lib/core');
    const protoAppend = core.prototype.append;
    core.prototype.append = function (this: unknown, source: unknown, data: Record<string, unknown>) {
      return protoAppend.call(this, source, { ...data, date: epoch });
    };
    try {
      this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
    } finally {
      core.prototype.append = protoAppend;
    }
    const zip = this.wb.zip;
    const append = zip.append.bind(zip);
    zip.append = (source: unknown, data: Record<string, unknown>) => append(source, { ...data, date: epoch });
    this.wb.creator = 'Telisik demo';
    this.wb.lastModifiedBy = 'Telisik demo';
    this.wb.created = epoch;
    this.wb.modified = epoch;
    this.ws = this.wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    this.ws.columns = header.map((h, i) => ({
      header: h,
      key: `c${i}`,
      width: Math.max(12, h.length + 2),
      style: textColumns.includes(i) ? { numFmt: '@' } : undefined,
    }));
  }

  /** Returns the sheet row number of the record (header = row 1). */
  row(values: XlsxCell[], formats: (string | undefined)[] = []): number {
    const r = this.ws.addRow(values);
    formats.forEach((f, i) => {
      if (f) r.getCell(i + 1).numFmt = f;
    });
    r.commit();
    this.rows++;
    return this.rows + 1;
  }

  /** Stops the workbook after an error (the file stays incomplete). */
  abort(): void {
    try {
      this.wb.zip.abort();
      this.wb.stream?.destroy?.();
    } catch {
      /* nothing more to release */
    }
  }

  async close(): Promise<string> {
    this.ws.commit();
    await this.wb.commit();
    return sha256File(this.path);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

export function sha256FileSync(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
