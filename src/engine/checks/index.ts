export { runChecks, inputPresence, inputFingerprints, resolveParams, ensureResultTables, CheckParamError, RunCancelledError, INDICATOR_IDS } from './run';
export type { RunOptions, RunProgress, RunResult, CheckResult } from './run';
export { buildSummary } from './summary';
export type { Summary, SummaryCheck, SummaryTargeting, SummaryInput } from './summary';
export { CHECKS, CHECK_IDS, FAMILY_LABELS, POTENTIAL_LOSS_CHECKS, getCheck } from './registry';
export type { CheckDefinition, ParameterDef, InputKey, ColumnDef } from './types';
export { STANDARD_COLUMNS } from './types';
