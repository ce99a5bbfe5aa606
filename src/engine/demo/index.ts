export { generateDemo, TRUTH_MAX_HOUSEHOLDS, PLANTS, type DemoOptions, type DemoResult, type DemoFile, type DemoProgress } from './generate';
export { computeTruth } from './truth';
export type { Truth, CheckTruth, TargetingTruth, InputTruth } from './model';
export { isValidNik, normNik } from './nik';
export { jaroWinkler, nameNorm, nameSimilarity } from './similarity';
export { compareSummary } from './compare';
