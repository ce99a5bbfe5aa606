export { criteriaCatalogue, criterion, criteriaOfRegulation, checkCriteria, kriteriaText, articleText, sourceText, classificationOf, addressedRecommendation, CLASSIFICATION_LABEL, type Criterion, type CheckCriteria, type CriteriaCatalogue, type FindingClassification } from './criteria';
export { rupiah, angka, tanggal } from './format';
export { ensureFindingTables, LATEST_REVIEW_SQL } from './store';
export {
  draftFindings, draftFindingTexts, updateFinding, resetFinding, listFindings, getFinding, latestRun, FindingError, FINDING_FIELDS,
  type FindingRow, type FindingTexts, type FindingField, type DraftResult,
} from './findings';
export { reviewExceptions, findingFigures, reviewHistory, REVIEW_STATUSES, type ReviewStatus, type ReviewInput, type FindingFigures, type FigureSet } from './reviews';
