/**
 * Delimited text: encoding sniffing, delimiter sniffing and a streaming, quote-aware record splitter that reports the
 * physical line each record starts on. No values are interpreted here.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export async function readHead(path: string, n = 65536): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally { await fh.close(); }
}

/** Encoding from BOM or NUL pattern; 'utf-8' otherwise (the reader falls back to windows-1252 on invalid UTF-8). */
export function sniffEncoding(head: Buffer): TextEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, 4096) & ~1;
  let even = 0, odd = 0;
  for (let i = 0; i < n; i += 2) { if (head[i] === 0) even++; if (head[i + 1] === 0) odd++; }
  if (n >= 4) {
    if (odd > n / 2 * 0.3 && even < odd / 4) return 'utf-16le';
    if (even > n / 2 * 0.3 && odd < even / 4) return 'utf-16be';
  }
  return 'utf-8';
}

export function decoderFor(enc: TextEncoding): TextDecoder {
  switch (enc) {
    case 'utf-8': case 'utf-8-bom': return new TextDecoder('utf-8', { fatal: true });
    case 'utf-16le': return new TextDecoder('utf-16le');
    case 'utf-16be': return new TextDecoder('utf-16be');
    case 'windows-1252': return new TextDecoder('windows-1252');
  }
}

/**
 * UTF-8 decoding line by line (docs/ingest-requests.md R3): bytes are cut at line ends (LF); a part that is valid
 * UTF-8 decodes as UTF-8 in one go; otherwise each line is checked on its own and a line that is not valid UTF-8 is
 * decoded as Windows-1252 (counted in `transcoded`). A genuine Windows-1252 file thus still transcodes fully, and
 * one bad byte no longer turns the valid UTF-8 of the other lines into mojibake. A UTF-8 BOM at the start is dropped.
 */
export class Utf8LineDecoder {
  /** lines decoded as Windows-1252 */
  transcoded = 0;
  /** a valid UTF-8 line with non-ASCII characters was seen (evidence the file is UTF-8) */
  sawUtf8 = false;
  private carry: Buffer | null = null;
  private started = false;
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly cp1252 = new TextDecoder('windows-1252');
  constructor(private readonly maxCarry = 4 << 20) {}

  decode(chunk: Buffer, final = false): string {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (!this.started) {
      if (buf.length < 3 && !final) { this.carry = Buffer.from(buf); return ''; }
      this.started = true;
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    let end = buf.length;
    if (!final) {
      const nl = buf.lastIndexOf(0x0a);
      if (nl >= 0) end = nl + 1;
      else if (buf.length > this.maxCarry) {
        // a very long line: cut it, but not inside a UTF-8 sequence
        let i = buf.length - 1, k = 0;
        while (i > 0 && k < 3 && (buf[i] & 0xc0) === 0x80) { i--; k++; }
        const lead = buf[i];
        const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (i + len > buf.length) end = i;
      } else { this.carry = Buffer.from(buf); return ''; }
    }
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
    return this.part(buf.subarray(0, end));
  }

  private part(b: Buffer): string {
    if (b.length === 0) return '';
    if (isUtf8(b)) {
      if (!this.sawUtf8 && !isAscii(b)) this.sawUtf8 = true;
      return this.utf8.decode(b);
    }
    let out = '';
    let s = 0;
    while (s < b.length) {
      const nl = b.indexOf(0x0a, s);
      const e = nl === -1 ? b.length : nl + 1;
      const line = b.subarray(s, e);
      if (isUtf8(line)) {
        if (!this.sawUtf8 && !isAscii(line)) this.sawUtf8 = true;
        out += this.utf8.decode(line);
      } else {
        this.transcoded++;
        out += this.cp1252.decode(line, { stream: true }); // stream: Node 20 maps 0x80–0x9F as Latin-1 otherwise
      }
      s = e;
    }
    return out;
  }
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Counts a delimiter outside double quotes on each of the first lines; picks the most consistent one. */
export function sniffDelimiter(sample: string, preferTab = false): string {
  const lines = sample.split(/\r?\n/).slice(0, 60).filter((l) => l.trim() !== '');
  if (lines.length && sample.length >= 60000) lines.pop(); // the last line may be cut
  let best = ',', bestScore = -1, bestMode = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => {
      let c = 0, q = false;
      for (let i = 0; i < l.length; i++) {
        const ch = l[i];
        if (ch === '"') q = !q; else if (ch === d && !q) c++;
      }
      return c;
    });
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0, modeN = 0;
    for (const [c, n] of freq) if (n > modeN || (n === modeN && c > mode)) { mode = c; modeN = n; }
    const score = modeN + (preferTab && d === '\t' && modeN > 0 ? 0.5 : 0);
    if (score > bestScore || (score === bestScore && mode > bestMode)) { best = d; bestScore = score; bestMode = mode; }
  }
  return bestScore <= 0 ? (preferTab ? '\t' : ',') : best;
}

export interface TextRecord { fields: string[]; line: number; raw: string; bad?: 'quote' | 'long' }

/** Longest record (characters) the splitter buffers; a longer one is rejected as a whole (docs/ingest-requests.md R7). */
export const MAX_RECORD_CHARS = 16 * 1048576;
/** Verbatim text kept for an over-long record (the rest is cut with a marker). */
const LONG_RAW_KEEP = 1000;

/**
 * Incremental CSV splitter (RFC 4180 plus leniency): quotes only open at a field start, "" escapes a quote,
 * quoted fields may contain delimiters and newlines, CRLF/LF/CR-less lines. Text is pushed chunk by chunk; complete
 * records are handed to onRecord with the 1-based physical line where they start and their verbatim text.
 *
 * Damage is bounded: a quote that is never closed (EOF inside it), or a quoted field that runs past a line end and
 * leaves the record with a field count different from the previous records, makes only its first physical line a
 * bad record (`bad: 'quote'`); splitting restarts on the next line. A record longer than MAX_RECORD_CHARS is
 * reported as `bad: 'long'` (verbatim text cut) and skipped to the next line end without being buffered.
 */
export class RecordSplitter {
  private buf = '';
  private line = 1;
  /** most frequent field count among single-line records with more than one field (-1: none yet) */
  private lastFields = -1;
  private readonly fieldCounts = new Map<number, number>();
  private modeN = 0;
  /** discarding the rest of an over-long line */
  private skipping = false;
  constructor(private readonly delim: string, private readonly onRecord: (r: TextRecord) => void,
    private readonly maxRecord = MAX_RECORD_CHARS) {}

  private count(k: number): void {
    const c = (this.fieldCounts.get(k) ?? 0) + 1;
    if (c > 1000) return; // settled long ago
    this.fieldCounts.set(k, c);
    if (c > this.modeN) { this.modeN = c; this.lastFields = k; }
  }

  private emitLong(text: string): void {
    const raw = text.slice(0, LONG_RAW_KEEP) + ` … [dipotong: baris lebih dari ${Math.round(this.maxRecord / 1048576)} MB (truncated: record too long)]`;
    this.onRecord({ fields: [], line: this.line, raw, bad: 'long' });
  }

  private emitQuoteLine(buf: string, start: number, nl: number): number {
    let raw = buf.slice(start, nl);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    this.onRecord({ fields: raw.split(this.delim), line: this.line, raw, bad: 'quote' });
    this.line++;
    return nl + 1;
  }

  push(text: string, final = false): void {
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        if (final) { this.skipping = false; this.line++; }
        return;
      }
      this.skipping = false;
      this.line++;
      text = text.slice(nl + 1);
    }
    this.buf = this.buf.length ? this.buf + text : text;
    const buf = this.buf;
    const d = this.delim;
    let p = 0;
    const n = buf.length;
    while (p < n) {
      const nl = buf.indexOf('\n', p);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? n : nl;
      if (end - p > this.maxRecord) { this.emitLong(buf.slice(p, p + LONG_RAW_KEEP)); this.line++; p = end + 1; continue; }
      let lineText = buf.slice(p, end);
      if (lineText.indexOf('"') === -1) {
        if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
        const fields = lineText.split(d);
        if (fields.length > 1) this.count(fields.length);
        this.onRecord({ fields, line: this.line, raw: lineText });
        this.line++;
        p = end + 1;
        continue;
      }
      // slow path: quote-aware scan that may span lines
      const r = this.parseQuoted(buf, p, final);
      if (!r) {
        // a quoted field still open after maxRecord characters: its first line is bad, re-split after it
        if (n - p > this.maxRecord && nl !== -1) { p = this.emitQuoteLine(buf, p, nl); continue; }
        break; // need more text
      }
      if (r.unterminated || (r.spanned && this.lastFields >= 0 && r.fields.length !== this.lastFields)) {
        if (nl !== -1) { p = this.emitQuoteLine(buf, p, nl); continue; }
        this.onRecord({ fields: r.fields, line: this.line, raw: r.raw, bad: 'quote' });
      } else {
        if (!r.spanned && r.fields.length > 1) this.count(r.fields.length);
        this.onRecord({ fields: r.fields, line: this.line, raw: r.raw });
      }
      this.line += r.lines;
      p = r.next;
    }
    const rest = p >= n ? '' : buf.slice(p);
    if (!final && rest.length > this.maxRecord && rest.indexOf('\n') === -1) {
      this.emitLong(rest.slice(0, LONG_RAW_KEEP));
      this.skipping = true;
      this.buf = '';
      return;
    }
    this.buf = rest;
  }

  private parseQuoted(buf: string, start: number, final: boolean): { fields: string[]; raw: string; lines: number; next: number; spanned: boolean; unterminated: boolean } | null {
    const d = this.delim;
    const n = buf.length;
    const fields: string[] = [];
    let spanned = false, unterminated = false;
    let i = start;
    const done = (end: number, next: number) => {
      let raw = buf.slice(start, end);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      return { fields, raw, lines: countNl(raw) + 1, next, spanned, unterminated };
    };
    for (;;) {
      let field = '';
      if (buf[i] === '"') {
        i++;
        for (;;) {
          const j = buf.indexOf('"', i);
          if (j === -1) {
            if (!final) return null;
            field += buf.slice(i); unterminated = true; i = n; break; // unterminated quote at end of file: take the rest
          }
          field += buf.slice(i, j);
          if (j + 1 >= n && !final) return null;
          if (buf[j + 1] === '"') { field += '"'; i = j + 2; continue; }
          i = j + 1;
          break;
        }
        if (!spanned && field.indexOf('\n') !== -1) spanned = true;
        // text after the closing quote up to the next delimiter/newline is kept (lenient)
        while (i < n && buf[i] !== d && buf[i] !== '\n') {
          if (buf[i] !== '\r' || (i + 1 < n && buf[i + 1] !== '\n')) field += buf[i];
          i++;
        }
      } else {
        let j = i;
        while (j < n && buf[j] !== d && buf[j] !== '\n') j++;
        field = buf.slice(i, j);
        if (j < n && buf[j] === '\n' && field.endsWith('\r')) field = field.slice(0, -1);
        else if (j >= n && field.endsWith('\r')) field = field.slice(0, -1);
        i = j;
      }
      fields.push(field);
      if (i >= n) {
        if (!final) return null;
        return done(n, n);
      }
      if (buf[i] === d) { i++; if (i >= n && !final) return null; if (i >= n) { fields.push(''); return done(n, n); } continue; }
      // newline
      return done(i, i + 1);
    }
  }
}

function countNl(s: string): number {
  let c = 0, k = -1;
  while ((k = s.indexOf('\n', k + 1)) !== -1) c++;
  return c;
}

/**
 * One pass over a delimited text file in Node for the DuckDB reader (ingest/index.ts loadTextFast): SHA-256 of the
 * bytes, physical line count, and the checks that make DuckDB's `read_csv` give exactly what RecordSplitter gives.
 * `clean` is false (with the reason) when the file needs the line-by-line reader: not valid UTF-8, a NUL byte, a CR
 * that is not part of CRLF, an empty line between data lines (DuckDB skips it silently, which would shift the line
 * numbers), or a quote next to a space/tab (DuckDB drops blanks around a quoted field; RecordSplitter keeps them).
 * Empty lines at the end of the file are counted (`trailingEmpty`). The scan stops at the first unclean finding.
 */
export interface LineScan {
  clean: boolean;
  reason?: string;
  sha256: string | null;
  lines: number;
  trailingEmpty: number;
}

export async function scanTextLines(path: string, from: number, delimiter: string, opts: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<LineScan> {
  // blanks between a field boundary (delimiter, line start/end) and a quote
  const d = delimiter.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
  const quoteBlank = new RegExp(`(?:^|${d})[ \\t]+"|"[ \\t]+(?:$|${d}|\\r)`, 'm');
  const hash = createHash('sha256');
  let line = 1; // number of the line the next segment starts on
  let emptyRun = 0;
  let pend: Buffer | null = null;
  let bytes = 0;
  const unclean = (reason: string): LineScan => ({ clean: false, reason, sha256: null, lines: line, trailingEmpty: 0 });
  /** whole lines (seg ends with LF, or is the last line of the file) */
  const check = (seg: Buffer): string | null => {
    if (seg.indexOf(0) !== -1) return 'NUL byte';
    if (!isUtf8(seg)) return 'not valid UTF-8';
    if (seg.indexOf(34) !== -1 && quoteBlank.test(seg.toString('latin1'))) return 'quote next to a blank';
    for (let k = seg.indexOf(13); k !== -1; k = seg.indexOf(13, k + 1)) if (seg[k + 1] !== 10) return 'CR without LF';
    let s = 0;
    for (;;) {
      const p = seg.indexOf(10, s);
      const end = p === -1 ? seg.length : p;
      if (p === -1 && end === s) break; // nothing after the last LF
      const len = end - s - (end > s && seg[end - 1] === 13 ? 1 : 0);
      if (len === 0) { if (line > from) emptyRun++; }
      else if (emptyRun > 0) return 'empty line between data lines';
      if (p === -1) { line++; break; }
      line++;
      s = p + 1;
    }
    return null;
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) return unclean('aborted');
      hash.update(chunk);
      bytes += chunk.length;
      const last = chunk.lastIndexOf(10);
      if (last === -1) {
        pend = pend ? Buffer.concat([pend, chunk]) : chunk;
        if (pend.length > MAX_RECORD_CHARS) return unclean('line too long');
        continue;
      }
      const seg = pend ? Buffer.concat([pend, chunk.subarray(0, last + 1)]) : chunk.subarray(0, last + 1);
      pend = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
      const bad = check(seg);
      if (bad) return unclean(bad);
      opts.onBytes?.(bytes);
    }
  } finally { stream.destroy(); }
  if (pend && pend.length) {
    const bad = check(pend);
    if (bad) return unclean(bad);
  }
  return { clean: true, sha256: hash.digest('hex'), lines: line - 1, trailingEmpty: emptyRun };
}

/** The verbatim text of the given physical lines (1-based), decoded as UTF-8 without a trailing CR. */
export async function readLines(path: string, wanted: number[]): Promise<Map<number, string>> {
  const want = [...new Set(wanted)].sort((a, b) => a - b);
  const out = new Map<number, string>();
  if (!want.length) return out;
  let w = 0;
  let line = 1;
  let parts: Buffer[] = [];
  const dec = new TextDecoder('utf-8', { ignoreBOM: false });
  const emit = () => {
    let s = dec.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    if (s.endsWith('\r')) s = s.slice(0, -1);
    out.set(line, s);
    parts = [];
    w++;
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let s = 0;
      while (w < want.length) {
        const p = chunk.indexOf(10, s);
        if (line === want[w]) parts.push(chunk.subarray(s, p === -1 ? chunk.length : p));
        if (p === -1) break;
        if (line === want[w]) emit();
        line++;
        s = p + 1;
      }
      if (w >= want.length) break;
    }
  } finally { stream.destroy(); }
  if (w < want.length && line === want[w] && parts.length) emit();
  return out;
}
