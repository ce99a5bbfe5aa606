/**
 * writeReport: one entry point for the CLI (`telisik report`, `telisik audit --out`) and the UI. Writes FILE.tmp,
 * renames it when complete, hashes it and appends an `report.export` trail entry with the path and SHA-256.
 * A cancelled or failed export removes the partial file and records nothing.
 */
import type { Workspace } from '../workspace/workspace';
import { appendTrail } from '../trail/trail';
import { type ExportProgress, ExportCancelled, ReportBook } from './format';
import { writeBpkWorkbook } from './bpk';
import { comparePeriods } from '../continuity/compare';
import { writeKkpWorkbook } from './kkp';
import { writeEvaluatorWorkbook } from './evaluator';
import { writeFieldSampleWorkbook } from './field-sample';
import { writeTlhpWorkbook } from './tlhp';
import { type QueryParams, writeQueryTable } from './common';
import { checkOutputPath, engagementPolicy, prepareOutputDir, type OutputPolicy } from '../output';
import { InvalidInputError } from '../../shared/errors';

export { ExportCancelled, maskId, maskText, RUPIAH_FMT, DEFAULT_ROW_LIMIT } from './format';
export type { ExportProgress } from './format';
export { importReviewWorkbook, ReviewImportError } from './review-import';
export type { ReviewImportResult, ReviewImportRow } from './review-import';
export { HASIL_VALUES, HASIL_STATUS } from './field-sample';

import { REPORT_KINDS as KINDS_OF_REPORTS, type ReportFileKind as ReportKind } from '../../shared/types';
export type { ReportKind };
export const REPORT_KINDS: ReportKind[] = [...KINDS_OF_REPORTS];

export interface ReportOptions {
  kind: ReportKind;
  out: string;
  /** Mask NIK, KK and account numbers by content (src/shared/masking.ts: 4 first + 4 last) in every sheet: for distribution. */
  maskNik?: boolean;
  /** Data rows per sheet before continuing on a numbered sheet (default 1,048,575; lower it in tests). */
  rowLimit?: number;
  // KKP
  preparedBy?: string;
  reviewedBy?: string;
  preparedAt?: Date;
  reviewedAt?: Date;
  /** Engagement fields printed on the KKP cover (default: the engagement's own). */
  entity?: string;
  period?: string;
  team?: string;
  /** BPK/KKP: a previous engagement (path) — adds the sheet "Perbandingan Periode" (issue 15.3). */
  previous?: string;
  // field-sample
  sample?: number;
  seed?: number;
  sampleTable?: string;
  checks?: string[];
  recIds?: (number | string)[];
  /** Aliases used by the service layer (src/engine/service): mask = maskNik, sampleSize = sample. */
  mask?: boolean;
  sampleSize?: number;
  /** The control may also be passed inside the options (service layer style). */
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Output-path policy additions (src/engine/output.ts): allowed folders and the user's confirmation (service). */
  output?: Pick<OutputPolicy, 'allowedRoots' | 'confirmOutside'>;
}

export interface ReportResult {
  kind: ReportKind;
  path: string;
  sha256: string;
  bytes: number;
  sheets: string[];
  /** Data rows written (all tables, trail included). */
  rows: number;
  ms: number;
  details: Record<string, unknown>;
}

export interface ReportControl {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

export async function writeReport(ws: Workspace, given: ReportOptions, control: ReportControl = {}): Promise<ReportResult> {
  const opts: ReportOptions = { ...given, maskNik: given.maskNik ?? given.mask, sample: given.sample ?? given.sampleSize };
  const ctl: ReportControl = { signal: control.signal ?? given.signal, onProgress: control.onProgress ?? given.onProgress };
  if (!REPORT_KINDS.includes(opts.kind)) throw new InvalidInputError(`Unknown report kind: ${String(opts.kind)} (${REPORT_KINDS.join('|')})`);
  const t0 = Date.now();
  // One output-path policy for every writer: never the workspace, its WAL/temp, a source file, another extension.
  const out = checkOutputPath(opts.out, await engagementPolicy(ws, '.xlsx', opts.output));
  prepareOutputDir(out);
  await ws.exportBegin(`${out}.tmp`); // a killed process's .tmp is removed at the next open of the workspace
  const book = new ReportBook(out, { maskNik: opts.maskNik, rowLimit: opts.rowLimit, onProgress: ctl.onProgress, signal: ctl.signal });
  let details: Record<string, unknown>;
  try {
    book.checkAbort();
    const comparison = opts.previous && (opts.kind === 'bpk' || opts.kind === 'kkp') ? await comparePeriods(ws, opts.previous) : undefined;
    switch (opts.kind) {
      case 'bpk': details = await writeBpkWorkbook(book, ws, { comparison }); break;
      case 'kkp': details = await writeKkpWorkbook(book, ws, { ...opts, comparison }); break;
      case 'evaluator': details = await writeEvaluatorWorkbook(book, ws); break;
      case 'field-sample': details = await writeFieldSampleWorkbook(book, ws, opts); break;
      case 'tlhp': details = await writeTlhpWorkbook(book, ws); break;
    }
    ctl.onProgress?.({ phase: 'finishing', rows: book.totalRows, totalRows: book.totalRows || undefined });
  } catch (e) {
    await book.abort();
    await ws.exportEnd(`${out}.tmp`);
    throw e;
  }
  const done = await book.finish().catch(async (e: unknown) => { await book.abort(); throw e; })
    .finally(() => ws.exportEnd(`${out}.tmp`));
  const ms = Date.now() - t0;
  const inputs = (await ws.tableExists('import_log'))
    ? await ws.all(`SELECT import_id, kind, file, sha256, rows_loaded FROM import_log WHERE status = 'completed' ORDER BY import_id`)
    : [];
  await appendTrail(ws, {
    inputs,
    action: 'report.export',
    params: {
      kind: opts.kind, mask_nik: !!opts.maskNik, row_limit: book.rowLimit, prepared_by: opts.preparedBy ?? null, reviewed_by: opts.reviewedBy ?? null,
      prepared_at: opts.preparedAt?.toISOString().slice(0, 10) ?? null, reviewed_at: opts.reviewedAt?.toISOString().slice(0, 10) ?? null,
      previous: opts.previous ?? null, sample: opts.sample ?? null, seed: opts.seed ?? null, sample_table: opts.sampleTable ?? null, checks: opts.checks ?? null, rec_ids: opts.recIds?.length ?? null,
    },
    result: { path: done.path, sha256: done.sha256, bytes: done.bytes, sheets: done.sheets.length, ms },
  });
  ctl.onProgress?.({ phase: 'done', rows: book.totalRows });
  return { kind: opts.kind, path: done.path, sha256: done.sha256, bytes: done.bytes, sheets: done.sheets, rows: book.rowsWritten, ms, details: details! };
}

export interface QueryExportOptions {
  sql: string;
  params?: Record<string, unknown> | unknown[];
  out: string;
  /** Sheet name (cleaned, ≤ 31 characters); continues on numbered sheets past the row limit. */
  sheet?: string;
  mask?: boolean;
  rowLimit?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  output?: Pick<OutputPolicy, 'allowedRoots' | 'confirmOutside'>;
}

/**
 * Any SELECT (a grid view, a tool result) to an .xlsx with the shared formatting and integrity rules: typed
 * columns, Rupiah, text identifiers, masking, literal text, split past the row limit, FILE.tmp then rename.
 * The caller records the trail entry (it knows what the view was).
 */
export async function exportXlsx(ws: Workspace, o: QueryExportOptions): Promise<{ path: string; sha256: string; bytes: number; rows: number; sheets: string[] }> {
  const out = checkOutputPath(o.out, await engagementPolicy(ws, '.xlsx', o.output));
  prepareOutputDir(out);
  await ws.exportBegin(`${out}.tmp`);
  const book = new ReportBook(out, { maskNik: o.mask, rowLimit: o.rowLimit, onProgress: o.onProgress, signal: o.signal });
  let rows = 0;
  try {
    const t = await writeQueryTable(book, ws, o.sheet ?? 'Data', o.sql, o.params as QueryParams, { phase: 'export' });
    rows = t.rows;
  } catch (e) {
    await book.abort();
    await ws.exportEnd(`${out}.tmp`);
    throw e;
  }
  const done = await book.finish().catch(async (e: unknown) => { await book.abort(); throw e; })
    .finally(() => ws.exportEnd(`${out}.tmp`));
  return { path: done.path, sha256: done.sha256, bytes: done.bytes, rows, sheets: done.sheets };
}

export function isCancelled(e: unknown): boolean {
  return e instanceof ExportCancelled;
}
