/**
 * Scoring: reconstruction errors → scores, thresholds, explanations, roll-ups, incidents and ranking stability.
 *
 * @module
 */
export { ReconstructionScorer, SCORER_FORMAT, SCORER_MIN_VERSION, SCORER_VERSION } from './scorer.js';
export type { ScorerState, ScorerCounters, ErrorBatch, ScoreBatch } from './scorer.js';
export { DEFAULT_THRESHOLD, groupOf, KIND_COLUMN_PREFIX, validateThreshold } from './options.js';
export type { CalibrateBy, ScorerOptions, ThresholdSpec, ErrorMetric, GroupingMode } from './options.js';
export { TDigest, tdigestRankErrorBound } from './sketch.js';
export type { TDigestState } from './sketch.js';
export { genericReason, sanitizeText } from './explain.js';
export type { ColumnStats } from './explain.js';
export { scoreEvents } from './score-events.js';
export type { ScoreEventsOptions } from './score-events.js';
export type { ScoredEvent, Explanation, DescribeFn } from './types.js';
export { rankEntities, entityOf } from './rank.js';
export type { EntityKind, EntityRank, RankEntitiesOptions } from './rank.js';
export { groupIncidents, classify, summarize, duration } from './incidents.js';
export type { Incident, IncidentKind, IncidentLink, IncidentOptions, IncidentSuccess } from './incidents.js';
export { topKOverlap, topKJaccard, topKIds, rankBiasedOverlap, rankingStability, eventKey } from './stability.js';
export type { RankingInput, RankingStability } from './stability.js';
