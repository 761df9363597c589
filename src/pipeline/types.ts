/**
 * Options, hooks and results of the pipeline functions {@link train}, {@link score} and {@link detect}.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { LoginEvent } from '../assemble/event.js';
import type { AssemblerOptions } from '../assemble/index.js';
import type { CustomFeature, FeatureEncoder, FeatureEncoderOptions, FeatureSpec } from '../features/index.js';
import type { GrammarRegistry, ParseOptions } from '../grammar/index.js';
import type { AutoencoderOptions } from '../model/index.js';
import type { Incident, ReconstructionScorer, ScorerOptions, ScoredEvent, ThresholdSpec } from '../score/index.js';
import type { ReportData } from '../report/types.js';

/**
 * Where log lines come from:
 * - an array of file paths / globs (`.gz` detected by content), or `'-'` for stdin;
 * - `{ files }`: the same, with a base directory and stdin stream;
 * - `{ lines }`: any (async) iterable of lines or batches of lines (a one-shot stream is fine: the pipeline spools);
 * - `{ events }`: already assembled login events (skips parsing and assembling).
 */
export type PipelineInput =
  | readonly string[]
  | '-'
  | { files: readonly string[] | '-'; cwd?: string; stdin?: Readable }
  | { lines: AsyncIterable<string | readonly string[]> | Iterable<string | readonly string[]> }
  | { events: AsyncIterable<readonly LoginEvent[]> | Iterable<readonly LoginEvent[]> };

/** What a pipeline run is doing, for progress bars. */
export interface PipelineProgress {
  /** Current stage. */
  stage: 'read' | 'encode' | 'train' | 'calibrate' | 'score';
  /** Lines read so far (all stages reading logs). */
  lines: number;
  /** Events produced or processed so far in this stage. */
  events: number;
  /** Bytes read from input files, when known. */
  bytesRead: number;
  /** Total input bytes, `null` when unknown (stdin). */
  totalBytes: number | null;
  /** Training epoch (1-based) during `train`. */
  epoch?: number;
  /** Total epochs during `train`. */
  epochs?: number;
  /** Training loss of the last epoch. */
  loss?: number;
}

/**
 * A reconstruction model the pipeline can train and use: the built-in `Autoencoder` or your own.
 * Rows are row-major Float32Array batches of `n × width`.
 */
export interface ReconstructionModel {
  /** Trains on batches produced by `data()` (called once per epoch). */
  fit(
    data: () => AsyncIterable<Float32Array>,
    options: {
      width: number;
      epochs?: number;
      onEpochEnd?: (logs: { epoch: number; loss: number; valLoss: number | null }) => void | boolean | Promise<void | boolean>;
      signal?: AbortSignal;
    },
  ): Promise<unknown>;
  /** Reconstructs a batch of rows (same layout). */
  reconstruct(rows: Float32Array): Promise<Float32Array>;
  /** Writes the model directory with attachments (only needed to save the model). */
  save?(dir: string, extras: { attachments: Record<string, unknown>; featureNames: string[]; trainingSummary: Record<string, unknown> }): Promise<void>;
  /** Frees resources. */
  dispose?(): void;
}

/** Hooks to swap any stage. */
export interface StageHooks {
  /** Grammar options: year and time zone for year-less syslog, envelope, a custom grammar registry. */
  parse?: ParseOptions;
  /** Shorthand for `parse.registry`. */
  registry?: GrammarRegistry;
  /** Assembler options (reorder window, idle timeout, ...). */
  assemble?: AssemblerOptions;
  /** Feature spec or encoder options (extra or re-weighted features). */
  features?: FeatureSpec | FeatureEncoderOptions;
  /** Builds the encoder yourself (wins over `features`). Must return an unfitted encoder. */
  createEncoder?: () => FeatureEncoder;
  /** Autoencoder options (widths, bottleneck, learning rate, epochs, seed, backend, ...). */
  model?: AutoencoderOptions;
  /** Builds your own reconstruction model for the given input width (wins over `model`). */
  createModel?: (width: number) => ReconstructionModel | Promise<ReconstructionModel>;
  /** Scorer options other than `columns` (metric, weights, explanation grouping). */
  scorer?: Omit<ScorerOptions, 'columns' | 'threshold'>;
}

/** Options shared by every pipeline run. */
export interface RunOptions extends StageHooks {
  /** Events per batch through encoder, model and scorer (default 4096). */
  batchSize?: number;
  /** Directory for the temporary event spool and row cache (default: the OS temp dir). */
  tempDir?: string;
  /** Progress callback (called about once per batch). */
  onProgress?: (progress: PipelineProgress) => void;
  /** Cancels the run between batches. */
  signal?: AbortSignal;
}

/** Options of {@link train}. */
export interface TrainOptions extends RunOptions {
  /** The history logs. */
  input: PipelineInput;
  /** Model directory to write (optional: without it the trained model is only returned). */
  out?: string;
  /** Threshold rule stored with the model (default `{ contamination: 0.01 }`). */
  threshold?: ThresholdSpec;
  /** Training epochs (shorthand for `model.epochs`). */
  epochs?: number;
  /**
   * Rows per training epoch, at most (default: all training rows). Each epoch trains on a different random subset
   * of whole row blocks, so a month of history trains in the time of a day's worth of rows per epoch; the encoder,
   * the row cache and the calibration still see every event.
   */
  epochRows?: number;
  /** Seed (shorthand for `model.seed`; also seeds the row-cache shuffle). */
  seed?: number;
  /** tfjs backend (shorthand for `model.backend`). */
  backend?: string;
  /**
   * Newest share of the history kept out of training to calibrate the threshold out of sample, in [0, 0.5)
   * (default 0.1; 0 calibrates on the training rows themselves, as {@link detect} does). Ignored when it would hold
   * fewer than 200 events.
   */
  calibrationHoldout?: number;
  /** Keep the event spool and row cache for a following scoring pass (used by {@link detect}). */
  keepCache?: boolean;
}

/** What a run did with a state directory (in `ScoreResult.state`; see `ScoreOptions.stateDir`). */
export interface ScoringStateSummary {
  /** The state directory. */
  dir: string;
  /** Whether a saved state was continued (false: first run, started from the end of the training history). */
  continued: boolean;
  /** Runs and events before this run, and the end of the time range they covered. */
  previousRuns: number;
  previousEvents: number;
  previousLastEventTime: number | null;
  /** Events of this run that start before `previousLastEventTime` (input scored before, or very late lines). */
  overlapEvents: number;
  /** Whether this run's end state was saved (false when the run failed or was not consumed to the end). */
  saved: boolean;
}

/** Options of {@link score} and {@link scoreStream}. */
export interface ScoreOptions extends RunOptions {
  /** The logs to score. */
  input: PipelineInput;
  /** A model directory written by {@link train} ... */
  modelDir?: string;
  /** ... or a trained model in memory (from {@link train}). */
  trained?: TrainedModel;
  /** tfjs backend to load the model on (default 'auto'). */
  backend?: string;
  /** Keep learning behavioural state while scoring (default true: velocity and novelty features follow the new logs). */
  updateState?: boolean;
  /**
   * A directory that carries the behavioural state from one scoring run to the next (daily jobs): the run starts
   * from the state saved there (or, the first time, from the end of the training history) and saves its end state
   * there after it succeeded. A state from another model is refused (`ModelDirError`). Needs `updateState: true`.
   */
  stateDir?: string;
  /** Custom feature functions the model was trained with (functions are not saved in the model directory). */
  customFeatures?: readonly CustomFeature[];
  /** Override the model's threshold rule. */
  threshold?: ThresholdSpec;
  /** Which events get reasons (default 'anomalies'). */
  explain?: 'anomalies' | 'all' | 'none';
  /** Reasons per event (default 3). */
  reasons?: number;
  /** Write scored events here (JSON Lines or CSV, written atomically). */
  out?: string | NodeJS.WritableStream;
  /** Output format (default 'jsonl'). */
  format?: 'jsonl' | 'csv';
  /** JSON Lines with nested objects instead of dotted keys. */
  nested?: boolean;
  /** Highest-scoring events kept for the summary and report (default 2000). */
  keep?: number;
  /** Write only flagged events to `out`. */
  onlyAnomalies?: boolean;
  /** Leave out null fields (JSON Lines only). */
  omitNull?: boolean;
}

/** A trained pipeline in memory: encoder (with behavioural state at the end of history), model, scorer. */
export interface TrainedModel {
  /** The fitted encoder. */
  encoder: FeatureEncoder;
  /** The trained model. */
  model: ReconstructionModel;
  /** The calibrated scorer. */
  scorer: ReconstructionScorer;
  /** Parse options used in training (reused for scoring unless overridden). */
  parse: { year?: number; timezone?: string };
  /** Custom feature functions of the encoder (needed to copy or reload its state). */
  customFeatures: readonly CustomFeature[];
}

/** Stage counters: stage name → counter → value (nested counters flattened with dots). */
export type PipelineCounters = Record<string, Record<string, number>>;

/** Result of {@link train}. */
export interface TrainResult {
  /** The trained pipeline. */
  trained: TrainedModel;
  /** Events trained on. */
  events: number;
  /** Lines read. */
  lines: number;
  /** Feature columns. */
  columns: readonly string[];
  /** Threshold on the raw score. */
  threshold: number;
  /** Per-epoch training loss. */
  loss: number[];
  /** Per-epoch validation loss (when the model reports one). */
  valLoss: number[];
  /** Counters from every stage. */
  counters: PipelineCounters;
  /** Wall time per stage, ms. */
  timings: Record<string, number>;
  /** The model directory written, if any. */
  modelDir: string | null;
  /** First and last event time. */
  period: { start: number | null; end: number | null };
}

/** Result of {@link score} and {@link detect}. */
export interface ScoreResult {
  /** Events scored. */
  events: number;
  /** Lines read. */
  lines: number;
  /** Events flagged. */
  anomalies: number;
  /** Threshold on the raw score. */
  threshold: number;
  /** The highest-scoring events, best first (at most `keep`). */
  top: ScoredEvent[];
  /** Incidents from the kept anomalies, most severe first. */
  incidents: Incident[];
  /** Counters from every stage. */
  counters: PipelineCounters;
  /** Wall time per stage, ms. */
  timings: Record<string, number>;
  /** Data for the HTML and terminal reports. */
  report: ReportData;
  /** What the run did with `stateDir` (only with that option). */
  state?: ScoringStateSummary;
}
