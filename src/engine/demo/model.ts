/**
 * Canonical (post-ingestion, per DOMAIN.md) values of the rows the demo generator writes. The generator records
 * these alongside the raw text it writes so truth.ts can apply the contract definitions in plain TypeScript.
 */
export type DemoKind = 'registry' | 'disbursements' | 'budget' | 'deaths' | 'civil_servants' | 'complaints' | 'flags';

export interface RegRow {
  nik: string;
  kk: string; // '' when empty
  name: string;
  birth: string | null; // YYYY-MM-DD
  sex: 'L' | 'P' | null;
  desil: number | null;
  death: string | null;
  /** PERIODE_DATA as written (trimmed); null when empty (DOMAIN.md "Registry snapshot"). */
  snapshot: string | null;
}

/** One row of a comparison list (kind `flags`): canonical NIK and the normalised list name. */
export interface FlagRow {
  nik: string;
  list: string;
}

export interface DisbRow {
  /** Index of the file in import order, then its line (row) number: the contract's "file row number". */
  file: number;
  line: number;
  nik: string;
  kk: string;
  name: string;
  region: string; // without dots
  program: string; // normalised code
  cents: number; // amount in sen (rupiah × 100)
  pkey: string; // contract period key
  paid: string | null; // YYYY-MM-DD
  account: string;
  status: string; // PAID | FAILED | RETURNED | other upper-cased
  txn: string;
}

export interface DeathRow {
  nik: string;
  date: string;
}

export interface BudgetRow {
  program: string;
  year: number | null;
  region: string | null; // without dots
  allocationCents: number;
  realizationCents: number;
}

export interface ProgrammeRule {
  unit: 'household' | 'individual';
  expected: number | null; // rupiah per month
  /** Months a `TAHAP` (stage) period key covers. */
  stageMonths: number;
  maxDesil: number | null;
}

/** DOMAIN.md "Programme rules (defaults)". */
export const DEFAULT_RULES: Record<string, ProgrammeRule> = {
  PKH: { unit: 'household', expected: null, stageMonths: 3, maxDesil: 4 },
  BPNT: { unit: 'household', expected: 200000, stageMonths: 3, maxDesil: 4 },
  BLT_DD: { unit: 'household', expected: 300000, stageMonths: 3, maxDesil: 4 },
  BLT: { unit: 'household', expected: null, stageMonths: 3, maxDesil: 4 },
  PIP: { unit: 'individual', expected: null, stageMonths: 6, maxDesil: 4 },
};

export interface InputTruth {
  kind: DemoKind;
  file: string;
  sha256: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
}

export interface CheckTruth {
  evaluated: boolean;
  records: number;
  recipients?: number;
  amount?: number;
  pairs?: number;
  accounts?: number;
  /** Records that cannot be judged: deceased — paid records of a NIK with a death date but no paid_date;
   *  name_mismatch — a name empty after normalisation (either side); ineligible_desil — NIK without registry desil. */
  not_evaluated_records?: number;
  not_evaluated_amount?: number;
  /** flagged_recipient: figures per normalised list name. */
  lists?: Record<string, { records: number; recipients: number; amount: number }>;
  /** flagged_recipient: paid NIKs on two or more lists. */
  multi_list_recipients?: number;
}

export interface TargetingTruth {
  beneficiary_households: number;
  target_households: number;
  inclusion_error: number | null;
  exclusion_error: number | null;
  leakage: number | null;
  cgh: number | null;
  targeting_differential: number | null;
}

export interface Truth {
  schema: 'telisik.summary/1';
  generator: { name: 'telisik-demo'; households: number; seed: number };
  inputs: InputTruth[];
  checks: Record<string, CheckTruth>;
  targeting: Record<string, TargetingTruth>;
  budget: { lines: number; allocation: number; realization: number; absorption: number | null };
  potential_loss: { records: number; recipients: number; amount: number };
  impact: ImpactTruth;
  /** What the generator deliberately planted (a lower bound for the checks' counts, not the oracle). */
  planted: Record<string, number>;
}

export type GraduationTruth =
  | { evaluated: false; reason: string }
  | { evaluated: true; poor_earlier: number; present_later: number; graduated: number; fell_in: number; graduated_still_paid: number };

/** DOMAIN.md "Impact indicators" as fixed in the summary's `impact` key. */
export interface ImpactTruth {
  coverage: Record<string, { desil_1_2: number | null; desil_1_4: number | null }>;
  complementarity: { pkh: number; bpnt: number; both: number };
  graduation: GraduationTruth;
}
