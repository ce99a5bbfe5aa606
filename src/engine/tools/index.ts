export { ToolError, ToolTable, tableColumns, resultTableName } from './table';
export { fieldProfile, maskFieldProfile, type FieldProfile } from './profile';
export { benford, benfordDrill, benfordExpected, conformity, NIGRINI_RANGES, type BenfordResult, type BenfordDigit, type BenfordOptions } from './benford';
export { duplicates, fuzzyDuplicates, type ExactDuplicatesResult, type FuzzyDuplicatesResult } from './duplicates';
export { gaps, type GapsResult } from './gaps';
export { stratify, type StratifyResult } from './stratify';
export { ageing, AGE_BUCKETS, type AgeingResult } from './ageing';
export { pivot, type PivotResult } from './pivot';
export { sampleRandom, sampleMus, listSamples, seedUniform, musRandomStartCents, type SampleResult } from './sampling';
