/**
 * Evaluation of a detector's scores against simulator labels.
 *
 * @module
 */
export { evaluate } from './evaluate.js';
export type { EvaluateOptions, EvaluationReport, ScenarioReport, CoverageEntry, ScoredLike } from './evaluate.js';
export { formatEvaluation } from './format.js';
export { rankItems, rocAuc, averagePrecision, precisionAtK, recallAtFpr, midRanks, median } from './metrics.js';
export type { RankedItems, FprPoint } from './metrics.js';
export { readLabels } from '../simulate/labels.js';
export type { LabelRow, LabelActor } from '../simulate/labels.js';
