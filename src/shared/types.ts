/** Domain types that cross the boundary (results of contract calls). JSON-safe: numbers, strings, booleans, arrays. */

export const KINDS = ['registry', 'disbursements', 'budget', 'deaths', 'civil_servants', 'complaints', 'flags', 'other'] as const;
export type Kind = (typeof KINDS)[number];

export const TASK_KINDS = ['import', 'analysis', 'export', 'demo'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export type ReviewStatus = 'confirmed' | 'cleared' | 'open';
export type Language = 'id' | 'en';

// ---------------------------------------------------------------- app / workspace
export interface AppInfo {
  name: 'telisik';
  version: string;
  mode: 'electron' | 'web';
  platform: string;
  /** Default folder for new engagements (user's documents/Telisik). */
  default_dir: string;
  home_dir: string;
}

export interface WorkspaceInfo {
  path: string;
  name: string;
  entity: string | null;
  period: string | null;
  team: string | null;
  created_at: string | null;
  is_demo: boolean;
  /** Row counts of canonical tables (registry, disbursements, …). */
  tables: Record<string, number>;
  imports: number;
  last_run: { run_id: number; finished_at: string | null; status: string } | null;
}

export interface RecentWorkspace {
  path: string;
  name: string;
  opened_at: string;
  exists: boolean;
}

export interface DirEntry {
  name: string;
  path: string;
  dir: boolean;
  size: number;
  mtime: string;
}

export interface DirListing {
  path: string;
  parent: string | null;
  entries: DirEntry[];
}

// ---------------------------------------------------------------- tasks
export interface TaskRef {
  task_id: string;
}

export interface TaskInfo {
  task_id: string;
  kind: TaskKind;
  label: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  started_at: string;
  finished_at: string | null;
  last: ProgressEvent | null;
}

/** Pushed while a task runs. `total` 0 = unknown; `rows_per_s`/`eta_s` null when not measurable yet. */
export interface ProgressEvent {
  task_id: string;
  kind: TaskKind;
  phase: string;
  done: number;
  total: number;
  rows_per_s: number | null;
  eta_s: number | null;
  message?: string;
}

// ---------------------------------------------------------------- import
export interface ColumnSpec {
  name: string;
  required: boolean;
  type: string;
  headers: string[];
}

export interface KindSpec {
  kind: Kind;
  label_id: string;
  label_en: string;
  columns: ColumnSpec[];
}

export interface FilePreview {
  path: string;
  file: string;
  size_bytes: number;
  format: string;              // csv | tsv | txt | xlsx | parquet | json
  encoding: string | null;
  delimiter: string | null;
  sheets: string[];            // XLSX sheet names (else [])
  sheet: string | null;
  header_line: number;
  headers: string[];
  rows: string[][];            // first rows as text, parsed with the sniffed dialect
  suggested_kind: Kind;
  kind_scores: Partial<Record<Kind, number>>;
  /** canonical column -> source header for the suggested (or requested) kind */
  suggested_mapping: Record<string, string>;
  missing_required: string[];
  warnings: string[];
}

/** The data-quality report of one import (ingest writes it, import_log.quality keeps it, the UI and workbooks show it). */
export interface ColumnQuality {
  nulls: number; unparseable: number; distinct: number; min: unknown; max: unknown; mapped: boolean;
  /** amounts below zero (loaded as given: evidence) */
  negative?: number;
  /** amounts above the plausibility ceiling (AMOUNT_CEILING) */
  above_ceiling?: number;
  /** dates before 1900-01-01 */
  before_1900?: number;
  /** dates after today + 1 year */
  after_next_year?: number;
}

export interface ImportQuality {
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  blank_lines: number;
  title_lines_skipped: number;
  total_rows: number;
  malformed_rows: number;
  rejects_by_reason: Record<string, number>;
  columns: Record<string, ColumnQuality>;
  nik?: { invalid: number; invalid_by_reason: Record<string, number>; damaged: number; unknown_region_prefix: number; empty: number };
  kk?: { invalid: number; invalid_by_reason: Record<string, number> };
  registry_duplicates?: { duplicate_niks: number; duplicate_rows: number };
  inference?: Record<string, unknown>;
  /** text lines that were not valid UTF-8 and were decoded as Windows-1252 (the others stayed UTF-8) */
  transcoded_lines?: number;
  /** distinct counts are HyperLogLog estimates (imports above 200k loaded rows) */
  distinct_approximate?: boolean;
}

export type QualityReport = ImportQuality;

export interface ImportRecord {
  import_id: number;
  kind: Kind;
  file: string;
  path: string;
  sha256: string;
  size_bytes: number;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  mapping: Record<string, string>;
  quality: QualityReport | null;
  target_table: string | null;
  status: string;
  message: string | null;
  started_at: string | null;
  finished_at: string | null;
  warnings: string[];
  /** Line of the header in the source (known to the import that made the record; null in the import log). */
  header_line?: number | null;
}

export interface RejectRow {
  import_id: number;
  file: string;
  line: number;
  reason: string;
  column_name: string | null;
  raw_text: string;
}

export interface MappingProfile {
  name: string;
  kind: Kind;
  mapping: Record<string, string>;
  saved_at: string | null;
}

// ---------------------------------------------------------------- tables
export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableInfo {
  name: string;
  /** canonical | raw | exceptions | tool | other */
  group: 'canonical' | 'raw' | 'exceptions' | 'tool' | 'other';
  kind: Kind | null;
  rows: number;
  columns: ColumnInfo[];
  /** Completed imports into this table (0 for tables the engine or a tool made). */
  imports: number;
}

/**
 * One page of a table: `arrow` is an Arrow IPC stream (one record batch) — decode with apache-arrow `tableFromIPC`.
 * NIK-like columns are masked server-side when `masked` is true.
 */
export interface TablePage {
  table: string;
  offset: number;
  total_rows: number;
  columns: ColumnInfo[];
  masked: boolean;
  arrow: Uint8Array;
  /** The view's rupiah total (sum of its first money column: amount, realization, allocation) — ties a filtered grid to a chart bar. */
  sum?: { column: string; value: number } | null;
}

/** A read-only SQL query's page (`query`): the grid page plus the workspace tables the statement reads. */
export interface QueryPage extends TablePage {
  tables: string[];
}

export interface RowsPage<T> {
  offset: number;
  total: number;
  rows: T[];
}

export interface ColumnProfile {
  table: string;
  column: string;
  type: string;
  rows: number;
  nulls: number;
  distinct: number;
  min: string | number | null;
  max: string | number | null;
  mean: number | null;
  sum: number | null;
  top: { value: string | null; count: number }[];
  [extra: string]: unknown;
}

export interface FileWritten {
  path: string;
  bytes: number;
  rows: number;
  sheets?: string[];
  /** Workbooks: the SHA-256 of the file written (the receipt printed by the CLI). */
  sha256?: string;
}

/** `removeImport`: what went (rows of the target table, its rejects, its raw copy); the import_log row stays as 'removed'. */
export interface ImportRemoved {
  import_id: number;
  file: string;
  rows_removed: number;
  rejects_removed: number;
  table_dropped: string | null;
}

// ---------------------------------------------------------------- analyses
export interface CheckParameter {
  name: string;
  type: 'number' | 'integer' | 'date' | 'string';
  /** Effective default under the engagement's programme rules. */
  default: number | string | null;
  min?: number;
  max?: number;
  label_id: string;
  label_en: string;
}

export interface CheckDefinition {
  id: string;
  family: string;
  family_label_id: string;
  family_label_en: string;
  title_id: string;
  title_en: string;
  description_id: string;
  description_en: string;
  /** Criteria catalogue references, e.g. 'permensos-1-2019'. */
  criteria: string[];
  /** AND of OR-groups of inputs, e.g. [['disbursements'], ['deaths', 'registry.death_date']]. */
  inputs: string[][];
  /** Whether the inputs are loaded in the open engagement. */
  inputs_ready: boolean;
  parameters: CheckParameter[];
  in_potential_loss: boolean;
  source_table: string;
  output_columns: { name: string; type: string; description: string }[];
}

export interface CheckResult {
  run_id: number;
  check_id: string;
  family: string;
  evaluated: boolean;
  records: number;
  recipients: number;
  amount: number;
  extra: Record<string, unknown> | null;
  ms: number | null;
  sql?: string | null;
}

export interface RunSummary {
  run_id: number;
  started_at: string;
  finished_at: string | null;
  status: string;
  checks: CheckResult[];
  potential_loss: { records: number; recipients: number; amount: number };
}

/** `telisik.summary/1` from DOMAIN.md: declared once, in ./summary. */
export type { Summary, SummaryCheck, SummaryImpact, SummaryInput, SummaryTargeting } from './summary';

export interface TargetingFigures {
  beneficiary_households: number;
  target_households: number;
  inclusion_error: number | null;
  exclusion_error: number | null;
  leakage: number | null;
  cgh: number | null;
  targeting_differential: number | null;
  [k: string]: unknown;
}

export interface Dashboard {
  run_id: number | null;
  headline: {
    total_disbursed: number;
    paid_records: number;
    recipients: number;
    potential_loss: { records: number; recipients: number; amount: number };
    /**
     * The same potential loss after review: `after_review` drops records whose every check was cleared
     * (Dikecualikan); `confirmed` keeps records confirmed (Terkonfirmasi) by at least one check. Null before a run.
     */
    potential_loss_reviewed?: { after_review: { records: number; amount: number }; confirmed: { records: number; amount: number } } | null;
    inclusion_error: number | null;
    exclusion_error: number | null;
  };
  loss_by_check: { check_id: string; title_id: string; records: number; recipients: number; amount: number }[];
  targeting: ({ program: string } & TargetingFigures)[];
  incidence_by_desil: { desil: number | null; households: number; records: number; amount: number; share: number }[];
  absorption_by_region: { region_code: string; region_name: string | null; allocation: number; realization: number; absorption: number | null }[];
  /** Paid amount per month (all regions); `spike` = |robust z of amount| ≥ spike_z; `events` = event labels within ±30 days. */
  monthly: { month: string; amount: number; records: number; new_recipients: number; z: number | null; spike: boolean; spike_new: boolean; events: string[] }[];
  event_dates: { date: string; label: string }[];
}

// ---------------------------------------------------------------- findings
export interface FindingText {
  kondisi: string;
  kriteria: string;
  sebab: string;
  akibat: string;
  rekomendasi: string;
  tanggapan: string;
}

export interface FindingSummary {
  check_id: string;
  title_id: string;
  title_en: string;
  family: string;
  records: number;
  recipients: number;
  amount: number;
  in_potential_loss: boolean;
  reviews: { confirmed: number; cleared: number; open: number };
  /** CLI parity (cliservice): the amount counted in potential loss (0 outside it); false = the latest run found none. */
  potential_loss_amount: number;
  active: boolean;
}

export interface Finding extends FindingSummary, FindingText {
  updated_at: string | null;
  criteria_refs: string[];
  /** CLI parity (cliservice): the fields an auditor wrote (a re-draft keeps them); kondisi/akibat edited while the figures changed. */
  edited: string[];
  stale: boolean;
}

// ---------------------------------------------------------------- tools
/** Every tool returns figures + a small result grid; large results are also saved as a table (`result_table`). */
export interface ToolResult {
  tool: string;
  table: string;
  title: string;
  summary: Record<string, unknown>;
  columns: ColumnInfo[];
  rows: Record<string, unknown>[];
  result_table: string | null;
  notes: string[];
  /** The tool's own result object (Benford digits + MAD, strata, gaps …) for charts. */
  data: unknown;
}

// ---------------------------------------------------------------- reports, trail, settings
export type ReportKind = 'bpk' | 'kkp' | 'evaluator' | 'field_sample' | 'tlhp';

export interface TrailEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  params: unknown;
  inputs: unknown;
  result: unknown;
  prev_hash: string;
  hash: string;
}

export interface TrailVerificationView {
  ok: boolean;
  entries: number;
  head: string;
  breaks: { seq: number; problem: string }[];
  sources: { import_id: number; file: string; path: string; status: 'ok' | 'changed' | 'missing'; expected: string; actual?: string }[];
  /** seq of the last entry (0 for an empty trail): a receipt names "seq:hash". */
  head_seq: number;
  /** Sealed results of the latest analysis run; absent when no run has been recorded. */
  results?: { run_id: number | null; seq: number; sealed: boolean; tables: number; problems: { table: string; problem: string }[]; stale: string[] };
}

export interface ProgrammeRule {
  unit: 'household' | 'individual';
  /** rupiah per month; a record's expected amount = this × the months of its period key */
  expected_amount: number | null;
  /** months of a stage (TAHAP, period key YYYY-Tn) */
  months_per_stage: number;
  max_desil: number | null;
  forbidden_overlap: string[];
  note?: string;
  [k: string]: unknown;
}

export interface Settings {
  language: Language;
  masking_default: boolean;
  programme_rules: Record<string, ProgrammeRule>;
  thresholds: {
    identity_similarity: number;      // identity_duplicate: ≥ 0.92
    name_mismatch_similarity: number; // name_mismatch: < 0.80
    realization_tolerance: number;    // Rp 1
    cgh_max_desil: number;            // CGH "poor" = desil ≤ 4
    spike_z: number;                  // robust z-score for timing spikes
  };
  event_dates: { date: string; label: string }[];
  reviewer: string;
}

// ---------------------------------------------------------------- CLI parity (branch cliservice)
// The answers of the calls the command line needed that the UI had no call for (contract.ts, block "CLI parity").
// The engine modules declare these shapes by these names (they re-export them): one declaration, the wire type.

/** A receipt (the chain head printed on a workbook's trail sheet or in a summary) checked against this chain. */
export interface ReceiptHead { seq: number | null; hash: string; source: string }
export interface ReceiptCheck { ok: boolean; message: string; seq: number | null; entries_since: number | null }
export type ReceiptCheckView = ReceiptHead & ReceiptCheck;

/** Re-performance of the latest completed run (verify --reperform). */
export interface ReperformTableDiff {
  table: string;
  stored_rows: number | null;
  reperformed_rows: number;
  /** rows in the stored table not produced again */
  only_stored: number;
  /** rows produced again that the stored table lacks */
  only_reperformed: number;
  /** the first differing rows (JSON, NIK-shaped runs masked) */
  examples: { side: 'stored' | 'reperformed'; row: string }[];
  problem?: string;
}
export interface ReperformSource { import_id: number; kind: string; file: string; path: string; status: 'ok' | 'changed' | 'missing'; expected: string; actual?: string; rows_loaded?: number; stored_rows_loaded?: number }
export interface ReperformResult {
  ok: boolean;
  run_id: number;
  from_sources: boolean;
  checks: string[];
  tables: ReperformTableDiff[];
  figures: { check_id: string; field: string; stored: unknown; reperformed: unknown }[];
  sources: ReperformSource[];
  ms: number;
}

/** Findings drafted from the latest run (kept_edits: the fields an auditor edited, kept). */
export interface DraftResult { run_id: string | null; drafted: string[]; kept_edits: Record<string, string[]>; deactivated: string[] }
/** A finding's exceptions by review status: records, recipients, rupiah. */
export interface FigureSet { records: number; recipients: number; amount: number }
export interface FindingFigures { check_id: string; all: FigureSet; confirmed: FigureSet; cleared: FigureSet; open: FigureSet }

/** A filled field-verification workbook read back (importReviewWorkbook). */
export interface ReviewImportRow { sheet: string; row: number; check_id: string; rec_id: string; hasil: string; reason: string }
export interface ReviewImportResult {
  file: string;
  sha256: string;
  rows: number;
  /** Rows with a HASIL value. */
  filled: number;
  blank: number;
  /** Reviews written (one per matched check × record). */
  applied: number;
  confirmed: number;
  cleared: number;
  open: number;
  unmatched: ReviewImportRow[];
  invalid: ReviewImportRow[];
  /** Rows issued in the sheet (hidden key sheet) that are missing from the returned sheet. */
  deleted: { seq: number; rec_id: string; check_id: string }[];
  /** Rows rejected (invalid + unmatched); > 0 means the caller must exit non-zero. */
  rejected: number;
  /** Whether anything was written (false when refused). */
  written: boolean;
  /** Potential loss of the field-sample records: as found, and confirmed after this import. */
  potential_loss: { found: number; confirmed: number };
  /** Summary: updated = applied, skipped = blank + rejected rows, one message per problem row. */
  updated: number;
  skipped: number;
  messages: string[];
}

/** Synthetic extracts written by generateDemo (no engagement): the files, their rows, truth.json when written. */
export interface DemoFilesView { files: { kind: Kind; path: string }[]; rows: Record<string, number>; truth_path: string | null; ms: number }
/** Households up to which the generator computes truth.json (the expected summary). */
export const DEMO_TRUTH_MAX_HOUSEHOLDS = 200_000;

/** The indicator runs a run's `only` may name beside check ids (runAnalysis, telisik run). */
export const INDICATOR_IDS = ['targeting', 'budget', 'impact', 'oversight'] as const;
/** The workbooks as the engine and the command line name them (the contract's ReportKind spells field_sample). */
export const REPORT_KINDS = ['bpk', 'kkp', 'evaluator', 'field-sample', 'tlhp'] as const;
export type ReportFileKind = (typeof REPORT_KINDS)[number];
/** A DuckDB memory limit as the user writes it (--memory-limit, TELISIK_MEMORY_LIMIT): 2GB, 512MB, 1.5GiB. */
export const isMemoryLimit = (v: string): boolean => /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v);
