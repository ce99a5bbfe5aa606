/**
 * Impact and oversight indicators (DOMAIN.md "Impact indicators", contract 2; "Oversight signals"): the wire types of
 * the engine's results, shared by the engine (src/engine/indicators), the contract and the UI.
 */
export interface CoverageBand { households: number; covered: number; coverage: number | null }
export interface CoverageRow { program: string; desil_1_2: CoverageBand; desil_1_4: CoverageBand }
export interface IncidenceRow { program: string; desil: number | null; households: number; records: number; amount: number; share: number | null }
export interface AdequacyRow {
  program: string; year: number; households: number; households_without_size: number; benefit: number;
  poverty_line_total: number; aggregate_ratio: number | null; median_ratio: number | null; mean_ratio: number | null;
}
export interface Complementarity {
  pkh: number; bpnt: number; both: number; either: number;
  both_share_of_pkh: number | null; both_share_of_bpnt: number | null; jaccard: number | null;
}
/**
 * Graduation between the earliest and the latest registry snapshot by effective date (DOMAIN.md contract 2).
 * `snapshots` lists the snapshots in effective-date order (label = the first raw value seen, date = effective date).
 */
export interface Graduation {
  evaluated: boolean; reason?: string; /** src/shared/reasons.ts INDICATOR_REASONS */ reason_code?: string; snapshots: string[]; earlier?: string; later?: string;
  earlier_date?: string | null; later_date?: string | null;
  poor_earlier?: number; present_later?: number; graduated?: number; rate?: number | null; fell_in?: number;
  graduated_still_paid?: number;
  by_program?: { program: string; poor_earlier: number; present_later: number; graduated: number; rate: number | null }[];
}
export interface ImpactResult {
  evaluated: boolean;
  reason?: string;
  /** src/shared/reasons.ts INDICATOR_REASONS: the reason in the UI's language */
  reason_code?: string;
  params: { poverty_line: number; poverty_line_source: string };
  coverage: CoverageRow[];
  incidence: IncidenceRow[];
  complementarity: Complementarity | null;
  adequacy: AdequacyRow[];
  graduation: Graduation;
}

export interface ComplaintGroup { key: string | null; /** region groups: the region's name (ref_regions), when asked for */ name?: string | null; count: number; resolved: number; open: number; median_days: number | null; p90_days: number | null; avg_days: number | null }
export interface ComplaintsSummary {
  evaluated: boolean;
  reason?: string;
  /** src/shared/reasons.ts INDICATOR_REASONS: the reason in the UI's language */
  reason_code?: string;
  total: number;
  resolved: number;
  open: number;
  median_days: number | null;
  p90_days: number | null;
  avg_days: number | null;
  by_channel: ComplaintGroup[];
  by_category: ComplaintGroup[];
  by_region: ComplaintGroup[];
}

export interface FlaggedComplaint {
  rec_id: number; complaint_id: string | null; received_date: string | null; channel: string | null; category: string | null;
  region_code: string | null; nik: string; status: string | null; resolved_date: string | null; checks: string[];
}

export interface EventDate { date: string; label: string }
export interface TimingRow {
  region: string;           // first regionLength chars of region_code; '*' = all regions together
  region_name?: string | null; // the region's name (ref_regions), when asked for (the Pengawasan screen)
  month: string;            // YYYY-MM
  amount: number;
  records: number;
  new_recipients: number;   // NIKs whose first paid record falls in this month (and region)
  z_amount: number | null;  // robust z = 0.6745 (x - median) / MAD over the region's EARLIER months; null when not judged or MAD = 0
  z_new: number | null;
  history: number;          // earlier months of the region (the baseline)
  judged: boolean;          // history >= minHistory: only then can the month be called a spike
  spike_amount: boolean;
  spike_new: boolean;
  events: string[];         // labels of event dates within ±windowDays of the month
}
export interface TimingResult {
  evaluated: boolean;
  reason?: string;
  /** src/shared/reasons.ts INDICATOR_REASONS: the reason in the UI's language */
  reason_code?: string;
  params: { regionLength: number; threshold: number; windowDays: number; minHistory: number; events: EventDate[] };
  rows: TimingRow[];
  spikes: TimingRow[];
  spikes_near_events: number;
  /** region-months not judged for lack of history (said so instead of flagging) */
  not_judged: number;
}

export interface FlaggedComplaints { evaluated: boolean; total: number; by_check: { check_id: string; complaints: number }[]; rows: FlaggedComplaint[] }

export interface OversightResult {
  summary: ComplaintsSummary;
  flagged: FlaggedComplaints;
  timing: TimingResult;
}

/** Contract call results: the latest run's summary figures and the full tables, computed on the same data. */
export interface ImpactView { run_id: number | null; summary: Record<string, unknown> | null; detail: ImpactResult }
export interface OversightView { run_id: number | null; summary: Record<string, unknown> | null; detail: OversightResult }
