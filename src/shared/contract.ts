/**
 * THE contract between the UI and the engine: every call (name → argument schema + result type) and every pushed
 * event. Transports (Electron IPC via preload, HTTP + SSE in browser mode, the utility-process host) carry exactly
 * this map and nothing else. Every call answers `Result<T>`; long operations answer `{task_id}` at once and report
 * through `progress` / `completed` / `failed` events; `cancelTask` aborts them.
 *
 * Names are flat camelCase so the preload can expose one function per call: `window.telisik.call.openWorkspace(args)`.
 */
import * as s from './schema';
import type { Schema } from './schema';
import type { AppError, Result } from './result';
import { KINDS } from './types';
import type * as T from './types';
import * as C from './continuity';
import type { ImpactView, OversightView } from './indicators';

// A call = argument schema + phantom result type.
export interface CallSpec<A, R> {
  args: Schema<A>;
  /** Long-running: answers {task_id}; the task's final value arrives in the `completed` event as `R`. */
  task?: T.TaskKind;
  /** Phantom: never set at runtime; carries the result type. */
  readonly __result?: R;
}
export interface TaskCallSpec<A, R> extends CallSpec<A, R> {
  task: T.TaskKind;
}
function call<R>() {
  return <A>(args: Schema<A>): CallSpec<A, R> => ({ args });
}
function task<R>(kind: T.TaskKind) {
  return <A>(args: Schema<A>): TaskCallSpec<A, R> => ({ args, task: kind });
}

// ---------------------------------------------------------------- shared argument pieces
const path = s.string({ min: 1, max: 4096 });
const name = s.string({ min: 1, max: 200 });
const ident = s.string({ min: 1, max: 128 });
const kind = s.oneOf(KINDS);
const mapping = s.record(s.string({ max: 512 }), { maxKeys: 200 });
const offset = s.int({ min: 0 });
const limit = s.int({ min: 1, max: 100_000 });
const sort = s.array(s.object({ column: ident, dir: s.oneOf(['asc', 'desc'] as const) }), { max: 16 });
export const FILTER_OPS = ['eq', 'neq', 'contains', 'not_contains', 'starts', 'ends', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'null', 'notnull'] as const;
const scalar = s.union(s.string({ max: 4096 }), s.number(), s.boolean());
export const filterSchema = s.object({
  column: ident,
  op: s.oneOf(FILTER_OPS),
  value: s.optional(scalar),
  value2: s.optional(scalar),
  values: s.optional(s.array(scalar, { max: 10_000 })),
});
const filters = s.array(filterSchema, { max: 32 });
const view = {
  sort: s.optional(sort),
  filter: s.optional(filters),
  /** free-text search over all text columns */
  search: s.optional(s.string({ max: 500 })),
  columns: s.optional(s.array(ident, { max: 500 })),
};
const taskId = s.string({ min: 1, max: 64 });
const checkId = ident;
const recIds = s.array(s.int({ min: 0 }), { min: 1, max: 1_000_000 });
const reviewStatus = s.oneOf(['confirmed', 'cleared', 'open'] as const);
const findingText = s.object({
  kondisi: s.optional(s.string({ max: 50_000 })),
  kriteria: s.optional(s.string({ max: 50_000 })),
  sebab: s.optional(s.string({ max: 50_000 })),
  akibat: s.optional(s.string({ max: 50_000 })),
  rekomendasi: s.optional(s.string({ max: 50_000 })),
  tanggapan: s.optional(s.string({ max: 50_000 })),
});
const programmeRule = s.object({
  unit: s.optional(s.oneOf(['household', 'individual'] as const)),
  expected_amount: s.optional(s.nullable(s.number({ min: 0 }))),
  months_per_stage: s.optional(s.int({ min: 1, max: 12 })),
  max_desil: s.optional(s.nullable(s.int({ min: 1, max: 10 }))),
  forbidden_overlap: s.optional(s.array(s.string({ min: 1, max: 50 }), { max: 50 })),
  note: s.optional(s.string({ max: 2000 })),
});

// ---------------------------------------------------------------- CLI parity (branch cliservice): argument pieces
/** A tool's figures also kept as table tool_<save> (telisik tool --save; the trail entry names it). */
const toolSave = { save: s.optional(s.string({ pattern: /^[A-Za-z][A-Za-z0-9_]{0,59}$/ })) };
// ---------------------------------------------------------------- end CLI parity

export type FilterSpec = s.Infer<typeof filterSchema>;
export type SortSpec = s.Infer<typeof sort>[number];

// ---------------------------------------------------------------- the call map
export const calls = {
  // app & workspace (penugasan)
  appInfo: call<T.AppInfo>()(s.empty()),
  listDir: call<T.DirListing>()(s.object({ path: s.optional(path), extensions: s.optional(s.array(s.string({ max: 16 }), { max: 20 })) })),
  createWorkspace: call<T.WorkspaceInfo>()(s.object({
    path, name, entity: s.optional(s.string({ max: 500 })), period: s.optional(s.string({ max: 100 })), team: s.optional(s.string({ max: 1000 })),
  })),
  openWorkspace: call<T.WorkspaceInfo>()(s.object({ path })),
  closeWorkspace: call<null>()(s.empty()),
  recentWorkspaces: call<T.RecentWorkspace[]>()(s.empty()),
  workspaceInfo: call<T.WorkspaceInfo | null>()(s.empty()),

  // demo engagement: generate synthetic extracts (planted anomalies) + import them; task result = WorkspaceInfo
  openDemo: task<T.WorkspaceInfo>('demo')(s.object({
    dir: s.optional(path), scale: s.optional(s.oneOf(['small', 'medium', 'large'] as const)), seed: s.optional(s.int({ min: 0 })),
  })),

  // tasks
  cancelTask: call<{ cancelled: boolean }>()(s.object({ task_id: taskId })),
  listTasks: call<T.TaskInfo[]>()(s.empty()),

  // import
  importKinds: call<T.KindSpec[]>()(s.empty()),
  previewFile: call<T.FilePreview>()(s.object({ path, kind: s.optional(kind), sheet: s.optional(s.string({ max: 200 })), rows: s.optional(s.int({ min: 1, max: 1000 })) })),
  importFiles: task<T.ImportRecord[]>('import')(s.object({
    files: s.array(s.object({
      path, kind, map: s.optional(mapping), profile: s.optional(name), sheet: s.optional(s.string({ max: 200 })), table: s.optional(ident),
      /** kind 'flags': list name for a file without a list column (default: the file name) */
      list: s.optional(s.string({ min: 1, max: 200 })),
    }), { min: 1, max: 200 }),
    /** Import a file whose SHA-256 was imported before (the wizard's "import anyway"); recorded in the trail. */
    allow_duplicate: s.optional(s.boolean()),
  })),
  listImports: call<T.ImportRecord[]>()(s.empty()),
  /** Removes an import: its rows, its rejects, its raw copy and quality report; the trail records the removal and why. */
  removeImport: call<T.ImportRemoved>()(s.object({ import_id: s.int({ min: 0 }), reason: s.string({ min: 3, max: 2000 }) })),
  rejectsPage: call<T.RowsPage<T.RejectRow>>()(s.object({ import_id: s.int({ min: 0 }), offset, limit })),
  listProfiles: call<T.MappingProfile[]>()(s.object({ kind: s.optional(kind) })),
  saveProfile: call<T.MappingProfile>()(s.object({ name, kind, mapping })),
  deleteProfile: call<{ deleted: boolean }>()(s.object({ name })),

  // tables & data explorer
  /** Data tables for the explorer and tool pickers; bookkeeping and result tables (analysis_runs, check_results, exc_*, …) only with include_internal. */
  listTables: call<T.TableInfo[]>()(s.object({ include_raw: s.optional(s.boolean()), include_internal: s.optional(s.boolean()) })),
  tablePage: call<T.TablePage>()(s.object({ table: ident, offset, limit, ...view, mask: s.optional(s.boolean()) })),
  columnProfile: call<T.ColumnProfile>()(s.object({ table: ident, column: ident })),
  exportTable: task<T.FileWritten>('export')(s.object({
    table: ident, format: s.oneOf(['csv', 'xlsx'] as const), out: path, ...view, mask: s.optional(s.boolean()),
    /** The user confirmed an output outside the engagement's folder (else refused as confirm_required). */
    confirm_outside: s.optional(s.boolean()),
    /** Export a read-only query's result instead of `table` (then `table` only names the sheet). */
    sql: s.optional(s.string({ min: 1, max: 100_000 })),
  })),
  /** One read-only SELECT over workspace tables (sqlguard), paged like tablePage; offset 0 records the statement in the trail. */
  query: call<T.QueryPage>()(s.object({ sql: s.string({ min: 1, max: 100_000 }), offset, limit, ...view, mask: s.optional(s.boolean()) })),
  /** A file this service wrote (export, workbook): desktop shows it in its folder; answers where it is. */
  revealFile: call<{ path: string; dir: string; revealed: boolean }>()(s.object({ path })),

  // analyses
  listChecks: call<T.CheckDefinition[]>()(s.empty()),
  /** only: check ids (and/or the indicator runs 'targeting', 'budget'); params: { <check_id>: { <param>: value } }. */
  runAnalysis: task<T.RunSummary>('analysis')(s.object({
    only: s.optional(s.array(checkId, { min: 1, max: 200 })), params: s.optional(s.record(s.json())),
    /** Programme rules for this run only, over the engagement's (CLI --rules, a recipe's run); the rules module validates them. */
    rules: s.optional(s.record(s.json(), { maxKeys: 50 })),
  })),
  analysisResults: call<T.RunSummary | null>()(s.object({ run_id: s.optional(s.int({ min: 0 })) })),
  analysisSummary: call<T.Summary | null>()(s.empty()),
  /** The telisik.summary/1 JSON with the trail head (the receipt `verify --receipt` checks) written to a file. */
  writeSummary: call<T.FileWritten>()(s.object({ out: path, confirm_outside: s.optional(s.boolean()) })),
  dashboard: call<T.Dashboard>()(s.empty()),
  // contract 2: impact indicators (Evaluasi) and oversight signals (Pengawasan) — the latest run's summary figures and
  // the full tables computed on the same data; a poverty line / event dates / history given here only change the view
  impactIndicators: call<ImpactView>()(s.object({ poverty_line: s.optional(s.number({ min: 1, max: 1e9 })) })),
  oversightSignals: call<OversightView>()(s.object({
    events: s.optional(s.array(s.object({ date: s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ }), label: s.string({ max: 200 }) }), { max: 100 })),
    min_history: s.optional(s.int({ min: 1, max: 120 })),
    threshold: s.optional(s.number({ min: 0, max: 1000 })),
  })),

  // findings & exceptions review
  listFindings: call<T.FindingSummary[]>()(s.empty()),
  getFinding: call<T.Finding>()(s.object({ check_id: checkId })),
  updateFinding: call<T.Finding>()(s.object({ check_id: checkId, text: findingText })),
  exceptionsPage: call<T.TablePage>()(s.object({
    check_id: checkId, offset, limit, ...view, status: s.optional(reviewStatus), mask: s.optional(s.boolean()),
  })),
  reviewExceptions: call<{ updated: number }>()(s.object({ check_id: checkId, rec_ids: recIds, status: reviewStatus, note: s.optional(s.string({ max: 10_000 })) })),
  /** Bulk review of every exception of a check matching a view (filter/search/status). */
  reviewAll: call<{ updated: number }>()(s.object({
    check_id: checkId, status: reviewStatus, note: s.optional(s.string({ max: 10_000 })),
    filter: s.optional(filters), search: s.optional(s.string({ max: 500 })), only_status: s.optional(reviewStatus),
  })),

  // general audit tools (ACL/IDEA style)
  toolBenford: call<T.ToolResult>()(s.object({ table: ident, column: ident, digits: s.optional(s.oneOf(['first', 'first_two'] as const)), min_value: s.optional(s.number({ min: 0 })), ...toolSave })),
  /** Drill-down: the records behind one Benford digit (bar). */
  benfordRecords: call<T.RowsPage<Record<string, unknown>>>()(s.object({ table: ident, column: ident, digits: s.optional(s.oneOf(['first', 'first_two'] as const)), digit: s.int({ min: 1, max: 99 }), offset, limit, min_value: s.optional(s.number({ min: 0 })) })),
  toolDuplicates: call<T.ToolResult>()(s.object({ table: ident, keys: s.array(ident, { min: 1, max: 10 }), amount_column: s.optional(ident), fuzzy: s.optional(s.object({ name_column: ident, threshold: s.optional(s.number({ min: 0, max: 1 })) })), ...toolSave })),
  toolGaps: call<T.ToolResult>()(s.object({ table: ident, column: ident, step: s.optional(s.oneOf(['day', 'month'] as const)), ...toolSave })),
  toolStratify: call<T.ToolResult>()(s.object({ table: ident, column: ident, bounds: s.optional(s.array(s.number(), { min: 1, max: 100 })), strata: s.optional(s.int({ min: 2, max: 100 })), ...toolSave })),
  toolAgeing: call<T.ToolResult>()(s.object({ table: ident, column: ident, as_of: s.optional(s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ })), amount_column: s.optional(ident), ...toolSave })),
  toolPivot: call<T.ToolResult>()(s.object({ table: ident, rows: s.array(ident, { min: 1, max: 2 }), value: s.optional(ident), ...toolSave })),
  /** CLI parity (cliservice): mus takes size or interval (+ random_start); random needs size. */
  toolSample: call<T.ToolResult>()(s.object({ table: ident, method: s.oneOf(['random', 'mus'] as const), size: s.optional(s.int({ min: 1, max: 100_000 })), seed: s.optional(s.int({ min: 0 })), amount_column: s.optional(ident), name: s.optional(s.string({ pattern: /^[A-Za-z][A-Za-z0-9_]{0,59}$/ })),
    interval: s.optional(s.number({ min: 0 })), random_start: s.optional(s.number({ min: 0 })) })),
  toolProfile: call<T.ToolResult>()(s.object({ table: ident, column: s.optional(ident), top: s.optional(s.int({ min: 1, max: 1000 })) })),

  // reports (workbooks); task result = FileWritten
  writeReport: task<T.FileWritten>('export')(s.object({
    kind: s.oneOf(['bpk', 'kkp', 'evaluator', 'field_sample', 'tlhp'] as const), out: path, mask: s.optional(s.boolean()),
    /** bpk/kkp: a previous engagement — sheet "Perbandingan Periode" */
    previous: s.optional(path),
    prepared_by: s.optional(s.string({ max: 200 })), reviewed_by: s.optional(s.string({ max: 200 })),
    sample_size: s.optional(s.int({ min: 1, max: 100_000 })), seed: s.optional(s.int({ min: 0 })),
    confirm_outside: s.optional(s.boolean()),
    /** field_sample: an existing sample table, chosen records, or checks to draw from */
    sample_table: s.optional(ident), rec_ids: s.optional(s.array(s.int({ min: 0 }), { min: 1, max: 100_000 })),
    checks: s.optional(s.array(checkId, { min: 1, max: 200 })),
    /** KKP cover: engagement fields (default: the engagement's own) and the dates of the paraf blocks */
    entity: s.optional(s.string({ max: 500 })), period: s.optional(s.string({ max: 100 })), team: s.optional(s.string({ max: 1000 })),
    prepared_date: s.optional(s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ })), reviewed_date: s.optional(s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ })),
    /** Data rows per sheet before a numbered continuation sheet (default: the spreadsheet limit). */
    row_limit: s.optional(s.int({ min: 1, max: 1_048_575 })),
  })),
  /** CLI parity (cliservice): the full read-back (the UI reads updated/skipped/messages); reviewer over the session's, partial applies the valid rows. */
  importReviewWorkbook: call<T.ReviewImportResult>()(s.object({ path, reviewer: s.optional(s.string({ min: 1, max: 200 })), partial: s.optional(s.boolean()) })),

  // continuity across periods (issue 15): comparison with a previous engagement (attached read-only), TLHP, recipes
  comparePeriods: call<C.PeriodComparisonView>()(s.object({ previous: path })),
  /** Drill-down: the exception records behind one check and status of the last comparison (resolved: the previous engagement's). */
  comparisonRecords: call<Record<string, unknown>[]>()(s.object({
    previous: path, check_id: checkId, status: s.oneOf(C.COMPARISON_STATUSES), nik: s.optional(s.string({ max: 64 })), limit: s.optional(limit),
  })),
  /** The TLHP register (this engagement's findings' recommendations are added first). */
  tlhpList: call<C.TlhpRecommendationView[]>()(s.empty()),
  tlhpUpdate: call<C.TlhpRecommendationView>()(s.object({
    rec_key: s.string({ min: 1, max: 1000 }), status: s.optional(s.oneOf(C.TLHP_STATUSES)), judged_by: s.optional(s.string({ min: 1, max: 200 })),
    action: s.optional(s.nullable(s.string({ max: 10_000 }))), evidence: s.optional(s.nullable(s.string({ max: 2000 }))),
    action_date: s.optional(s.nullable(s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ }))), recovered: s.optional(s.nullable(s.number({ min: 0, max: 1e15 }))),
  })),
  tlhpCarry: call<{ carried: number; skipped_closed: number; already: number }>()(s.object({ previous: path })),
  /** The one output-path policy applies; outside the engagement's folders the user confirms (confirm_outside). */
  saveRecipe: call<{ path: string; inputs: number; workbooks: number }>()(s.object({ out: path, confirm_outside: s.optional(s.boolean()) })),
  /** Reads and validates a recipe file (the import wizard then takes its mappings). */
  readRecipe: call<C.RecipeView>()(s.object({ path })),
  /** Stores a recipe's settings in the open engagement: programme rules of its run, profiles, event dates. */
  applyRecipe: call<C.RecipeView>()(s.object({ path })),

  // audit trail
  listTrail: call<T.RowsPage<T.TrailEntryView>>()(s.object({ offset, limit })),
  verifyTrail: call<T.TrailVerificationView>()(s.object({ check_sources: s.optional(s.boolean()) })),

  // settings (per engagement, language/masking also remembered per user)
  getSettings: call<T.Settings>()(s.empty()),
  updateSettings: call<T.Settings>()(s.object({
    language: s.optional(s.oneOf(['id', 'en'] as const)),
    masking_default: s.optional(s.boolean()),
    /** Per programme: fields merged over the current rule; null removes an engagement override for it. */
    programme_rules: s.optional(s.record(s.nullable(programmeRule), { maxKeys: 50 })),
    thresholds: s.optional(s.record(s.number(), { maxKeys: 50 })),
    event_dates: s.optional(s.array(s.object({ date: s.string({ pattern: /^\d{4}-\d{2}-\d{2}$/ }), label: s.string({ max: 200 }) }), { max: 200 })),
    reviewer: s.optional(s.string({ max: 200 })),
  })),
  resetProgrammeRules: call<T.Settings>()(s.empty()),

  // ---------------------------------------------------------------- CLI parity (branch cliservice)
  // What the command line needed that no call offered: the CLI is a client of this contract like the UI (issue 16.1).
  /** verify --receipt: the chain head printed on a workbook's trail sheet or in a summary JSON must be an entry of this chain. */
  checkReceipt: call<T.ReceiptCheckView>()(s.object({ path })),
  /**
   * verify --reperform: the latest completed run again in a scratch workspace (its stored rules and parameters), every
   * result table compared row by row; from_sources re-imports every source from its recorded path first. The engagement
   * is closed for the comparison and opened again (same access mode); nothing in it changes.
   */
  reperformRun: task<T.ReperformResult>('analysis')(s.object({ from_sources: s.optional(s.boolean()) })),
  /** (Re)drafts the findings from the latest run (every run drafts them too); reset discards the auditor's edits. */
  draftFindings: call<T.DraftResult>()(s.object({ reset: s.optional(s.boolean()) })),
  /** A finding's exceptions by review status: records, recipients, rupiah. */
  findingFigures: call<T.FindingFigures>()(s.object({ check_id: checkId })),
  /** Adds this engagement's findings' recommendations to the TLHP register (tlhpList does it first too). */
  tlhpSync: call<{ added: number; updated: number }>()(s.empty()),
  /** Writes synthetic extracts (planted anomalies) and truth.json into a folder; no engagement needed (telisik demo). */
  generateDemo: task<T.DemoFilesView>('demo')(s.object({
    out: path, households: s.optional(s.int({ min: 1, max: 100_000_000 })), seed: s.optional(s.int({ min: 0 })), truth: s.optional(s.boolean()),
  })),
  /** A telisik.summary/1 JSON compared with a demo's truth.json figure by figure: the differences (none = equal). */
  compareDemoTruth: call<{ differences: string[] }>()(s.object({ summary: path, truth: path })),
  // ---------------------------------------------------------------- end CLI parity
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<K extends CallName> = s.Infer<Calls[K]['args']>;
/* eslint-disable @typescript-eslint/no-explicit-any -- `any` in the matched positions lets `infer` pick the result type */
export type CallValue<K extends CallName> = Calls[K] extends CallSpec<any, infer R> ? R : never;
/** What the call itself answers: the value, or {task_id} for task calls. */
export type CallReturn<K extends CallName> = Calls[K] extends TaskCallSpec<any, any> ? T.TaskRef : CallValue<K>;
export type TaskCallName = { [K in CallName]: Calls[K] extends TaskCallSpec<any, any> ? K : never }[CallName];
/* eslint-enable @typescript-eslint/no-explicit-any */

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const isCallName = (n: unknown): n is CallName => typeof n === 'string' && Object.prototype.hasOwnProperty.call(calls, n);

// ---------------------------------------------------------------- events
export interface CompletedEvent<V = unknown> {
  task_id: string;
  kind: T.TaskKind;
  call: CallName;
  value: V;
  ms: number;
}
export interface FailedEvent {
  task_id: string;
  kind: T.TaskKind;
  call: CallName;
  error: AppError;
  ms: number;
}
export interface Events {
  progress: T.ProgressEvent;
  completed: CompletedEvent;
  failed: FailedEvent;
  /** The open engagement changed (opened, closed, demo loaded, import finished): refresh views. */
  workspace: { info: T.WorkspaceInfo | null };
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = ['progress', 'completed', 'failed', 'workspace'];
export type AnyEvent = { [K in EventName]: { event: K; data: Events[K] } }[EventName];

// ---------------------------------------------------------------- implementations & clients
/** The engine implements this; transports adapt it. */
export type Service = { [K in CallName]: (args: CallArgs<K>) => Promise<CallReturn<K>> };

/** What any transport exposes to the UI: one `invoke` answering Result, and an event subscription. */
export interface Transport {
  invoke(name: string, args: unknown): Promise<Result<unknown>>;
  subscribe(listener: (e: AnyEvent) => void): () => void;
}

export type Api = { [K in CallName]: (args: CallArgs<K>) => Promise<Result<CallReturn<K>>> };

/** Typed API over any transport (preload bridge, HTTP). Never throws: transport failures become `internal` errors. */
export function createApi(t: Transport): Api & { subscribe: Transport['subscribe'] } {
  const api: Record<string, unknown> = { subscribe: (l: (e: AnyEvent) => void) => t.subscribe(l) };
  for (const n of CALL_NAMES) {
    api[n] = async (args: unknown) => {
      try {
        return await t.invoke(n, args ?? {});
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: String((e as Error)?.message ?? e) } };
      }
    };
  }
  return api as Api & { subscribe: Transport['subscribe'] };
}

/** Validates raw arguments against the contract; the first step of every adapter. */
export function checkArgs(name: unknown, args: unknown): Result<{ name: CallName; args: unknown }> {
  if (!isCallName(name)) {
    // String() itself can throw on a crafted object ({toString: ''}): describe non-strings by their type only
    const shown = typeof name === 'string' ? name.slice(0, 100) : `(${name === null ? 'null' : typeof name})`;
    return { ok: false, error: { code: 'unknown_call', message: `Unknown call: ${shown}` } };
  }
  const r = s.validate(calls[name].args as Schema<unknown>, args === undefined ? {} : args);
  if (!r.ok) {
    const first = r.issues[0];
    return {
      ok: false,
      error: { code: 'invalid_args', message: `${name}: ${first.path || 'args'} ${first.message}`, details: { issues: r.issues.slice(0, 20) } },
    };
  }
  return { ok: true, value: { name, args: r.value } };
}
