/**
 * Delimited text: encoding sniffing, delimiter sniffing and a streaming, quote-aware record splitter that reports the
 * physical line each record starts on. No values are interpreted here.
 */
import { open } from 'node:fs/promises';

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

export interface TextRecord { fields: string[]; line: number; raw: string }

/**
 * Incremental CSV splitter (RFC 4180 plus leniency): quotes only open at a field start, "" escapes a quote,
 * quoted fields may contain delimiters and newlines, CRLF/LF/CR-less lines. Text is pushed chunk by chunk; complete
 * records are handed to onRecord with the 1-based physical line where they start and their verbatim text.
 */
export class RecordSplitter {
  private buf = '';
  private line = 1;
  constructor(private readonly delim: string, private readonly onRecord: (r: TextRecord) => void) {}

  push(text: string, final = false): void {
    this.buf = this.buf.length ? this.buf + text : text;
    const buf = this.buf;
    const d = this.delim;
    let p = 0;
    const n = buf.length;
    while (p < n) {
      const nl = buf.indexOf('\n', p);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? n : nl;
      let lineText = buf.slice(p, end);
      if (lineText.indexOf('"') === -1) {
        if (lineText.endsWith('\r')) lineText = lineText.slice(0, -1);
        this.onRecord({ fields: lineText.split(d), line: this.line, raw: lineText });
        this.line++;
        p = end + 1;
        continue;
      }
      // slow path: quote-aware scan that may span lines
      const r = this.parseQuoted(buf, p, final);
      if (!r) break; // need more text
      this.onRecord({ fields: r.fields, line: this.line, raw: r.raw });
      this.line += r.lines;
      p = r.next;
    }
    this.buf = p >= n ? '' : buf.slice(p);
  }

  private parseQuoted(buf: string, start: number, final: boolean): { fields: string[]; raw: string; lines: number; next: number } | null {
    const d = this.delim;
    const n = buf.length;
    const fields: string[] = [];
    let i = start;
    for (;;) {
      let field = '';
      if (buf[i] === '"') {
        i++;
        for (;;) {
          const j = buf.indexOf('"', i);
          if (j === -1) {
            if (!final) return null;
            field += buf.slice(i); i = n; break; // unterminated quote at end of file: take the rest
          }
          field += buf.slice(i, j);
          if (j + 1 >= n && !final) return null;
          if (buf[j + 1] === '"') { field += '"'; i = j + 2; continue; }
          i = j + 1;
          break;
        }
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
        let raw = buf.slice(start, n);
        if (raw.endsWith('\r')) raw = raw.slice(0, -1);
        return { fields, raw, lines: countNl(raw) + 1, next: n };
      }
      if (buf[i] === d) { i++; if (i >= n && !final) return null; if (i >= n) { fields.push(''); let raw = buf.slice(start, n); if (raw.endsWith('\r')) raw = raw.slice(0, -1); return { fields, raw, lines: countNl(raw) + 1, next: n }; } continue; }
      // newline
      let raw = buf.slice(start, i);
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      return { fields, raw, lines: countNl(raw) + 1, next: i + 1 };
    }
  }
}

function countNl(s: string): number {
  let c = 0, k = -1;
  while ((k = s.indexOf('\n', k + 1)) !== -1) c++;
  return c;
}
