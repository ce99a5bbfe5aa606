/**
 * The machine-readable summary `telisik.summary/1` (DOMAIN.md "Machine-readable summary"): the ONE declaration, used
 * by the engine that builds it (src/engine/checks/summary.ts), the contract, the CLI and the UI. Fixed keys and
 * meanings; extra keys are welcome. A check whose inputs were not supplied is exactly {"evaluated": false}.
 */
export interface SummaryInput { kind: string; file: string; sha256: string; rows_read: number; rows_loaded: number; rows_rejected: number }
export type SummaryCheck = { evaluated: false } | ({ evaluated: true; records: number; recipients?: number; amount?: number; pairs?: number; accounts?: number } & Record<string, unknown>);
export type SummaryTargeting = { evaluated: false } | ({
  evaluated: true; beneficiary_households: number; target_households: number | null; inclusion_error: number | null;
  exclusion_error: number | null; leakage: number | null; cgh: number | null; targeting_differential: number | null;
} & Record<string, unknown>);

export interface Summary {
  schema: 'telisik.summary/1';
  inputs: SummaryInput[];
  checks: Record<string, SummaryCheck>;
  targeting: Record<string, SummaryTargeting>;
  budget: { evaluated: false } | { evaluated: true; lines: number; allocation: number; realization: number; absorption: number | null; [k: string]: unknown };
  potential_loss: { records: number; recipients: number; amount: number; evaluated?: boolean; checks?: string[] };
  /** contract 2: coverage, complementarity, graduation (fixed keys) + extra keys; see src/engine/indicators/impact */
  impact?: SummaryImpact;
  /** extra key: complaints, complaints naming flagged recipients, disbursement timing */
  oversight?: Record<string, unknown>;
  not_evaluated?: Record<string, string[]>;
  [k: string]: unknown;
}

export interface SummaryImpact {
  coverage: Record<string, { desil_1_2: number | null; desil_1_4: number | null; [k: string]: unknown }>;
  complementarity: { pkh: number; bpnt: number; both: number; [k: string]: unknown };
  graduation: { evaluated: false; reason?: string } | ({ evaluated: true; poor_earlier: number; present_later: number; graduated: number;
    fell_in: number; graduated_still_paid: number } & Record<string, unknown>);
  [k: string]: unknown;
}
