export { criteriaCatalogue, criterion, criteriaOfRegulation, checkCriteria, kriteriaText, type Criterion, type CheckCriteria, type CriteriaCatalogue } from './criteria';
export { rupiah, angka, tanggal } from './format';
export { ensureFindingTables, LATEST_REVIEW_SQL } from './store';
export {
  draftFindings, updateFinding, resetFinding, listFindings, getFinding, latestRun, FindingError, FINDING_FIELDS,
  type FindingRow, type FindingTexts, type FindingField, type DraftResult,
} from './findings';
export { reviewExceptions, findingFigures, reviewHistory, REVIEW_STATUSES, type ReviewStatus, type ReviewInput, type FindingFigures, type FigureSet } from './reviews';
