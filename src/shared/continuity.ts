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

export interface RecipeView {
  path: string;
  format: string;
  inputs: RecipeInputView[];
  profiles: number;
  rules: boolean;
  run: { only: string[] | null; params: Record<string, Record<string, unknown>> } | null;
  event_dates: { date: string; label: string }[];
  workbooks: { kind: string; mask_nik: boolean }[];
}
