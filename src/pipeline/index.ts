/**
 * The whole job as an API: {@link train} on history logs and save one model directory, {@link score} new logs with
 * it (behavioural state carried forward), or {@link detect} (train and score the same logs) in one call. Every stage
 * can be swapped through {@link StageHooks}; memory stays bounded whatever the input size.
 *
 * @module
 */
export { train, trainRun, saveTrained, createModel, PIPELINE_MODEL_DEFAULTS, PIPELINE_FORMAT, PIPELINE_VERSION, type PipelineState, type TrainRun } from './train.js';
export { score, scoreStream, openScoring, type ScoringSession } from './score.js';
export { detect, DOMINANT_FAILURE_SHARE, type DetectOptions, type DetectResult } from './detect.js';
export { loadTrained, ModelDirError } from './load.js';
export { ScoreCollector, scoredEventToEcs, scoredEventColumns, toReportIncident, rankIncidents, ANOMALY_FIELDS, type CollectorOptions } from './collect.js';
export { openEvents, flattenCounters, PIPELINE_ASSEMBLER_DEFAULTS, type EventSource } from './source.js';
export { RowCache, seededRandom, type RowBatchOptions } from './row-cache.js';
export { EventSpool } from './event-spool.js';
export { RunStats, SpaceSaving, CappedDistinct, type RunStatsOptions } from './stats.js';
export { TopK } from './heap.js';
export {
  modelFingerprint,
  lockStateDir,
  readScoringState,
  writeScoringState,
  SCORING_STATE_FILE,
  SCORING_STATE_LOCK,
  SCORING_STATE_FORMAT,
  SCORING_STATE_VERSION,
  type ScoringStateFile,
} from './scoring-state.js';
export type {
  PipelineInput,
  PipelineProgress,
  PipelineCounters,
  ReconstructionModel,
  StageHooks,
  RunOptions,
  TrainOptions,
  ScoreOptions,
  TrainedModel,
  TrainResult,
  ScoreResult,
  ScoringStateSummary,
} from './types.js';
export { tune, choose as chooseTuneRow, type TuneGrid, type TuneOptions, type TuneRow, type TuneResult } from './tune.js';
