export { runChecks, inputPresence, inputFingerprints, resolveParams, ensureResultTables, CheckParamError, RunCancelledError, INDICATOR_IDS } from './run';
export type { RunOptions, RunProgress, RunResult, CheckResult } from './run';
export { buildSummary } from './summary';
export type { Summary, SummaryCheck, SummaryTargeting, SummaryInput } from './summary';
export { CHECKS, CHECK_IDS, POTENTIAL_LOSS_CHECKS, getCheck } from './registry';
export { FAMILY, type CheckFamily } from './families';
export type { CheckDefinition, ParameterDef, InputKey, ColumnDef, ReportTexts } from './types';
export { STANDARD_COLUMNS } from './types';
