import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgrammeRules } from '../rules/rules';
import type { CheckFamily } from './families';

/** Inputs a check can need. 'registry.death_date' = the registry carries death dates (column mapped or values present). */
export type InputKey = 'disbursements' | 'registry' | 'deaths' | 'civil_servants' | 'budget' | 'flags' | 'registry.death_date';

export interface Bilingual { id: string; en: string }

export interface ParameterDef {
  name: string;
  type: 'number' | 'integer' | 'date' | 'string';
  /** Default value, or a function of the effective programme rules (thresholds live there). */
  default: number | string | null | ((rules: ProgrammeRules) => number | string | null);
  min?: number;
  max?: number;
  description: Bilingual;
}

export interface ColumnDef { name: string; type: string; description: string }

/** The texts a workbook prints for a check's finding (Indonesian, as BPK/APIP write them) beside its title. */
export interface ReportTexts {
  /** Audit objective (tujuan pengujian). */
  objective: string;
  /** Criteria in words (the criteria catalogue adds the cited articles); '' when none is sourced yet. */
  kriteria: string;
  /** Usual cause (sebab) and recommendation (rekomendasi): a starting draft the auditor edits. */
  sebab: string;
  rekomendasi: string;
}

export interface CheckDefinition {
  id: string;
  family: CheckFamily;
  title: Bilingual;
  /** States the contract and every interpretation choice. */
  description: Bilingual;
  /** Criteria catalogue references, e.g. 'permensos-1-2019'. */
  criteria: string[];
  parameters: ParameterDef[];
  /** AND of OR-groups: [['disbursements'], ['deaths', 'registry.death_date']]. */
  requires: InputKey[][];
  /** Evidence columns that follow the standard first columns. */
  outputColumns: ColumnDef[];
  /** One SELECT producing the exception rows (standard columns first). Parameters are bound as $name. */
  sql: string;
  /** Column of the exceptions table summed for the `amount` figure; null = no amount figure. */
  amountColumn: string | null;
  /** Whether `recipients` (distinct NIKs) is a contract figure of this check. */
  recipientsFigure: boolean;
  /** Optional SELECT returning one row of extra figures (may read exc_<id> and the chk_* prep tables). */
  extraSql?: string;
  /** Keys of extra lifted to the top level of the summary entry (e.g. pairs, accounts). */
  summaryKeys?: string[];
  /** Part of the potential-loss union (DOMAIN.md). */
  potentialLoss: boolean;
  /** The workbook texts of its finding. */
  report: ReportTexts;
  /** 'disbursements' | 'registry' | 'budget' — the table whose rows are the exceptions. */
  sourceTable: 'disbursements' | 'registry' | 'budget';
}

/** The standard first columns of every exc_<check_id> table, in order. */
export const STANDARD_COLUMNS: ColumnDef[] = [
  { name: 'check_id', type: 'VARCHAR', description: 'check id' },
  { name: 'source_table', type: 'VARCHAR', description: 'canonical table of the exception row' },
  { name: 'rec_id', type: 'BIGINT', description: 'row id (= _import_id * 1e10 + _line)' },
  { name: '_file', type: 'VARCHAR', description: 'source file name' },
  { name: '_line', type: 'BIGINT', description: 'line / row number in the source file' },
  { name: 'nik', type: 'VARCHAR', description: 'NIK as loaded' },
  { name: 'name', type: 'VARCHAR', description: 'name as loaded' },
  { name: 'program', type: 'VARCHAR', description: 'programme code' },
  { name: 'period_key', type: 'VARCHAR', description: 'contract period key' },
  { name: 'paid_date', type: 'DATE', description: 'disbursement date' },
  { name: 'amount', type: 'DECIMAL(18,2)', description: 'record amount (rupiah); budget: realization' },
  { name: 'reason', type: 'VARCHAR', description: 'why the row is an exception (Indonesian text, rendered by the SQL macro reason_text from the catalogue)' },
  { name: 'reason_code', type: 'VARCHAR', description: 'reason code: a key of the reason catalogue (src/shared/reasons.ts)' },
  { name: 'reason_params', type: 'JSON', description: 'reason parameters (JSON object of text values) the catalogue template fills in' },
];

export function readSql(dir: string, file = 'check.sql'): string {
  return readFileSync(join(dir, file), 'utf8');
}
