/**
 * Import wizard preview: sniff a file without importing it — format, encoding, delimiter, header line, headers, the
 * first rows as parsed, the suggested kind (with scores) and the suggested mapping. Uses the ingest module's own
 * sniffers and header matching so the preview agrees with what importFile will do.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { FilePreview, Kind } from '../../shared/types';
import { ServiceError } from '../../shared/result';
import { KIND_SPECS, detectKindScores, matchHeader } from '../ingest';
import { headerScore } from '../ingest/columns';
import { RecordSplitter, Utf8LineDecoder, decoderFor, readHead, sniffDelimiter, sniffEncoding, type TextEncoding } from '../ingest/text';
import { readXlsx, SheetNotFound, xlsxSheetNames } from '../ingest/xlsx';

export { xlsxSheetNames };

class Enough extends Error {}

/**
 * Refuses a file that is not text nor a workbook/Parquet (a garbage binary renamed .csv) before the wizard maps it:
 * NUL bytes outside UTF-16 text, or more than 10 % control characters in the first 64 KiB.
 */
export async function assertNotBinary(path: string): Promise<void> {
  const head = await readHead(path, 64 * 1024);
  if (head.length === 0) return;
  const format = detectFormat(path, head);
  if (format !== 'csv' && format !== 'json') return;
  const enc = sniffEncoding(head);
  if (/utf-?16/i.test(enc)) return;
  let nul = 0;
  let ctrl = 0;
  for (const b of head) {
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) ctrl++;
  }
  if (nul > 0 || ctrl / head.length > 0.1) {
    throw new ServiceError('invalid_input',
      `Berkas ${basename(path)} bukan teks (CSV/TXT), XLSX atau Parquet — berkas biner tidak dapat diimpor. Ekspor ulang data dari sistem sumber sebagai CSV atau XLSX. (binary file refused)`,
      { reason: 'binary_file', file: basename(path) });
  }
}

function detectFormat(path: string, head: Buffer): 'csv' | 'xlsx' | 'parquet' | 'json' {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  if (head.length >= 4 && head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.ndjson' || ext === '.jsonl') return 'json';
  return 'csv';
}

function pickHeader(kind: Kind | undefined, recs: string[][]): number {
  if (recs.length === 0) return -1;
  let best = 0;
  let bestScore = 0;
  const kinds: Kind[] = kind && kind !== 'other' ? [kind] : (Object.keys(KIND_SPECS) as Kind[]);
  recs.forEach((r, i) => {
    for (const k of kinds) {
      const s = headerScore(k, r);
      if (s > bestScore) { best = i; bestScore = s; }
    }
  });
  if (bestScore > 0) return best;
  const i = recs.findIndex((r) => r.some((c) => c.trim() !== ''));
  return i < 0 ? 0 : i;
}

export async function previewFile(opts: { path: string; kind?: Kind; sheet?: string; rows: number }): Promise<FilePreview> {
  const { path } = opts;
  const size = statSync(path).size;
  const head = await readHead(path, 256 * 1024);
  const format = detectFormat(path, head);
  const warnings: string[] = [];
  let encoding: string | null = null;
  let delimiter: string | null = null;
  let sheets: string[] = [];
  let sheet: string | null = null;
  let records: string[][] = [];
  let lines: number[] = [];
  const want = opts.rows + 30;

  if (format === 'csv') {
    let enc: string = sniffEncoding(head);
    let text: string;
    if (enc === 'utf-8' || enc === 'utf-8-bom') {
      // as the import does (R3): line by line, a line that is not valid UTF-8 is read as Windows-1252
      const dec = new Utf8LineDecoder();
      text = dec.decode(head, true);
      if (dec.transcoded > 0 && !dec.sawUtf8) {
        enc = 'windows-1252';
        warnings.push('Berkas bukan UTF-8; dibaca sebagai Windows-1252.');
      } else if (dec.transcoded > 0) {
        warnings.push(`${dec.transcoded} baris bukan UTF-8 yang sah; baris itu dibaca sebagai Windows-1252.`);
      }
    } else {
      text = decoderFor(enc as TextEncoding).decode(head);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    encoding = enc;
    delimiter = sniffDelimiter(text, extname(path).toLowerCase() === '.tsv');
    const sp = new RecordSplitter(delimiter, (r) => { if (records.length < want) { records.push(r.fields); lines.push(r.line); } });
    // The sample may end mid-record: drop the last partial line unless the whole file fit.
    const cut = head.length < size ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
    sp.push(cut, true);
  } else if (format === 'xlsx') {
    try {
      sheet = await readXlsx(path, {
        sheet: opts.sheet,
        every: 50,
        onRow: (r) => { if (records.length < want) { records.push(r.cells); lines.push(r.line); } },
        tick: async () => { if (records.length >= want) throw new Enough(); },
      });
    } catch (e) {
      if (e instanceof SheetNotFound) { sheets = e.sheets; warnings.push(`Lembar "${opts.sheet}" tidak ada; lembar: ${e.sheets.join(', ')}`); }
      else if (!(e instanceof Enough)) throw e;
    }
    if (sheet === null && records.length) sheet = opts.sheet ?? null;
    try { if (sheets.length === 0) sheets = await xlsxSheetNames(path); } catch { /* listing is a convenience */ }
    if (sheet === null && sheets.length) sheet = opts.sheet ?? sheets[0];
  } else {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const lit = `'${path.replace(/'/g, "''")}'`;
      const src = format === 'parquet' ? `read_parquet(${lit})` : `read_json_auto(${lit})`;
      const reader = await conn.runAndReadAll(`SELECT * FROM ${src} LIMIT ${opts.rows}`);
      const names = reader.columnNames();
      const rows = reader.getRowsJS();
      records = [names, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v))))];
      lines = records.map((_r, i) => i);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }

  const hIdx = format === 'parquet' || format === 'json' ? 0 : pickHeader(opts.kind, records);
  const headers = hIdx >= 0 ? (records[hIdx] ?? []).map((h) => h.trim()) : [];
  const body = hIdx >= 0 ? records.slice(hIdx + 1).filter((r) => r.some((c) => c.trim() !== '')).slice(0, opts.rows) : [];
  if (hIdx > 0) warnings.push(`${hIdx} baris judul di atas header dilewati.`);
  const scores = detectKindScores(headers);
  const suggested: Kind = opts.kind ?? (scores[0]?.kind ?? 'other');
  const kind_scores: Partial<Record<Kind, number>> = {};
  for (const s of scores) kind_scores[s.kind] = Math.round(s.score * 100) / 100;
  const mapping: Record<string, string> = {};
  if (suggested !== 'other') {
    for (const h of headers) {
      const m = matchHeader(suggested, h);
      if (m && mapping[m] === undefined) mapping[m] = h;
    }
  }
  const spec = suggested === 'other' ? undefined : KIND_SPECS[suggested as Exclude<Kind, 'other'>];
  const missing_required = spec ? spec.columns.filter((c) => c.required && mapping[c.name] === undefined).map((c) => c.name) : [];
  return {
    path, file: basename(path), size_bytes: size, format: format === 'csv' ? (delimiter === '\t' ? 'tsv' : 'csv') : format,
    encoding, delimiter, sheets, sheet, header_line: hIdx >= 0 ? (lines[hIdx] ?? 1) : 0, headers,
    rows: body.map((r) => headers.map((_h, i) => r[i] ?? '')), suggested_kind: suggested, kind_scores,
    suggested_mapping: mapping, missing_required, warnings,
  };
}

