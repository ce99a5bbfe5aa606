/**
 * Types of the continuity calls (issue 15): period comparison, recommendation follow-up (TLHP), audit recipes.
 * Plain data only (no Node/DOM imports).
 */
export interface StatusFigures { keys: number; records: number; amount: number }

export interface CheckComparisonView {
  check_id: string;
  evaluated_now: boolean;
  evaluated_previous: boolean;
  new: StatusFigures;
  persisting: StatusFigures & { records_previous: number; amount_previous: number };
  resolved: StatusFigures;
}

export interface PeriodComparisonView {
  previous: { path: string; name: string; period: string | null; run_id: number | null; trail_head: string };
  current: { name: string; period: string | null; run_id: number | null };
  checks: CheckComparisonView[];
  totals: { new: StatusFigures; persisting: StatusFigures; resolved: StatusFigures };
}

export const COMPARISON_STATUSES = ['new', 'persisting', 'resolved'] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

/** BPK's four follow-up categories. */
export const TLHP_STATUSES = ['sesuai', 'belum_sesuai', 'belum_ditindaklanjuti', 'tidak_dapat'] as const;
export type TlhpStatus = (typeof TLHP_STATUSES)[number];
/** Their wording in workbooks and the CLI. */
export const TLHP_STATUS_LABEL: Record<TlhpStatus, string> = {
  sesuai: 'Sesuai dengan rekomendasi',
  belum_sesuai: 'Belum sesuai / dalam proses tindak lanjut',
  belum_ditindaklanjuti: 'Belum ditindaklanjuti',
  tidak_dapat: 'Tidak dapat ditindaklanjuti dengan alasan yang sah',
};

export interface TlhpRecommendationView {
  rec_key: string; origin: string; check_id: string; finding_ref: string; finding_title: string; kondisi: string;
  recommendation: string; finding_amount: number; status: TlhpStatus; action: string | null; evidence: string | null;
  action_date: string | null; recovered: number | null; judged_by: string | null; judged_at: string | null;
  carried_from: string | null; created_at: string | null;
}

export interface RecipeInputView { kind: string; file: string; format: string | null; sheet: string | null; mapping: Record<string, string>; list?: string | null }
/** A workbook the recipe's engagement produced, with its options (telisik audit --recipe --out-dir writes them again). */
export interface RecipeWorkbookView { kind: string; mask_nik: boolean; row_limit?: number | null; prepared_by?: string | null; reviewed_by?: string | null;
  sample?: number | null; seed?: number | null; checks?: string[] | null; with_previous?: boolean }

/**
 * The recipe input whose mapping a new file of `kind` takes: the same file name, else the same extension, else the same
 * format, else the first input of that kind (the import wizard and `telisik audit --recipe` alike).
 */
export function recipeInputFor<I extends RecipeInputView>(inputs: readonly I[], kind: string, path: string): I | undefined {
  const of = inputs.filter((i) => i.kind === kind);
  const name = path.split(/[\\/]/).pop() ?? path;
  const extOf = (f: string) => (/\.([^.\\/]+)$/.exec(f)?.[1] ?? '').toLowerCase();
  const ext = extOf(name);
  const fmt = (i: I) => (i.format ?? extOf(i.file)).toLowerCase();
  const extFormat = ext === 'tsv' || ext === 'txt' ? 'csv' : ext;
  return of.find((i) => i.file === name) ?? of.find((i) => extOf(i.file) === ext) ?? of.find((i) => fmt(i) === extFormat) ?? of[0];
}

export interface RecipeView {
  path: string;
  format: string;
  inputs: RecipeInputView[];
  profiles: number;
  rules: boolean;
  /** The engagement's own programme-rules override (rules also counts the last run's effective rules). */
  engagement_rules: boolean;
  /** The last run of the recipe's engagement: checks (null = all), every check's parameters, the programme rules it used. */
  run: { only: string[] | null; params: Record<string, Record<string, unknown>>; rules: Record<string, unknown> | null } | null;
  event_dates: { date: string; label: string }[];
  workbooks: RecipeWorkbookView[];
}
