/**
 * {@link train}: history logs → fitted encoder, trained autoencoder, calibrated scorer, saved as one model directory.
 *
 * Passes: (1) read, parse, assemble, spool the events to a temp file and fit the encoder's scaling in the same
 * streaming pass; (2) reset the encoder's behavioural state and transform the spooled events again (no look-ahead),
 * caching the rows as raw Float32 on disk; (3) train the model for N epochs on batches read back from the row cache
 * (batch order shuffled per epoch); (4) calibrate the scorer on the training errors, streaming. Memory is bounded
 * by the batch size plus the encoder's and scorer's capped state.
 *
 * @module
 */
import { FeatureEncoder, type FeatureEncoderOptions, type FeatureSpec } from '../features/index.js';
import { Autoencoder, type AutoencoderOptions } from '../model/index.js';
import { ReconstructionScorer } from '../score/index.js';
import { EventSpool } from './event-spool.js';
import { RowCache } from './row-cache.js';
import { flattenCounters, openEvents, parseOptionsOf } from './source.js';
import type { PipelineCounters, ReconstructionModel, TrainedModel, TrainOptions, TrainResult } from './types.js';
import type { LoginEvent } from '../assemble/event.js';
import { InputError } from '../cli/command.js';

/** Format tag of the pipeline attachment in a model directory. */
export const PIPELINE_FORMAT = 'loginsight.pipeline';
/** Version of the pipeline attachment. */
export const PIPELINE_VERSION = 1;

/** The pipeline's own attachment in a model directory. */
export interface PipelineState {
  /** Always {@link PIPELINE_FORMAT}. */
  format: typeof PIPELINE_FORMAT;
  /** {@link PIPELINE_VERSION}. */
  version: number;
  /** Parse options used in training (year, timezone). */
  parse: { year?: number; timezone?: string };
}

/** Internal result of training, with the caches kept for {@link detect}. */
export interface TrainRun {
  /** The public result. */
  result: TrainResult;
  /** Spooled events (in training order), when `keepCache`. */
  spool: EventSpool | null;
  /** Cached rows aligned with the spool, when `keepCache`. */
  rows: RowCache | null;
  /** Files read. */
  files: readonly string[];
}

function now(): number {
  return performance.now();
}

/**
 * The pipeline's defaults on top of the `Autoencoder`'s own: tanh hidden layers and 10 epochs. Measured on the
 * default-scale simulation (docs/benchmarks.md): relu networks and longer training learn to reconstruct the attacks
 * too (ROC-AUC 0.95-0.96, AP 0.2-0.4) while tanh with 10 epochs ranks them high (ROC-AUC ~0.97, AP ~0.6).
 * `loginsight tune` searches around these values.
 */
export const PIPELINE_MODEL_DEFAULTS: Readonly<AutoencoderOptions> = { activation: 'tanh', epochs: 10 };

/** Builds the model for a width from the hooks and shorthands. */
export async function createModel(options: TrainOptions, width: number): Promise<ReconstructionModel> {
  if (options.createModel) return options.createModel(width);
  const model = new Autoencoder({
    ...PIPELINE_MODEL_DEFAULTS,
    ...(options.model ?? {}),
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
  });
  return model as unknown as ReconstructionModel;
}

/** Trains on history logs; writes a model directory when `out` is given. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const run = await trainRun({ ...options, keepCache: false });
  return run.result;
}

/** Like {@link train}, returning the temp caches too when `keepCache` (the caller must dispose them). */
export async function trainRun(options: TrainOptions): Promise<TrainRun> {
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`option batchSize must be a positive integer, got ${batchSize}`);
  const epochRows = options.epochRows;
  if (epochRows !== undefined && !(Number.isInteger(epochRows) && epochRows >= 1)) {
    throw new Error(`option epochRows must be a positive integer, got ${String(epochRows)}`);
  }
  const signal = options.signal;
  const progress = options.onProgress;
  const timings: Record<string, number> = {};
  const source = openEvents(options.input, options, batchSize);
  const encoder = options.createEncoder ? options.createEncoder() : new FeatureEncoder(options.features);
  const spool = await EventSpool.create(options.tempDir);
  let rows: RowCache | null = null;
  let model: ReconstructionModel | null = null;
  let ok = false;
  try {
    // Pass 1: read, parse, assemble, spool; fit scaling on the same stream.
    let t = now();
    let n = 0;
    let periodStart: number | null = null;
    let periodEnd: number | null = null;
    async function* tee(): AsyncGenerator<LoginEvent[]> {
      for await (const batch of source.events) {
        signal?.throwIfAborted();
        await spool.append(batch);
        n += batch.length;
        for (const e of batch) {
          if (periodStart === null || e.timestamp < periodStart) periodStart = e.timestamp;
          const end = e.end ?? e.timestamp;
          if (periodEnd === null || end > periodEnd) periodEnd = end;
        }
        progress?.({ stage: 'read', lines: source.lines(), events: n, bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes });
        yield batch;
      }
    }
    await encoder.fit(tee());
    await spool.seal();
    timings.read = now() - t;
    if (n === 0) {
      throw new InputError(
        source.lines() === 0 ? 'empty input: no lines to train on' : `no login events in ${source.lines()} input lines: nothing to train on`,
      );
    }

    // Pass 2: no-look-ahead rows from the start of history, cached on disk.
    t = now();
    encoder.resetHistory();
    const width = encoder.width;
    rows = await RowCache.create(width, options.tempDir);
    let done = 0;
    for await (const batch of spool.batches(batchSize)) {
      signal?.throwIfAborted();
      await rows.append(encoder.transform(batch, { update: true }));
      done += batch.length;
      progress?.({ stage: 'encode', lines: source.lines(), events: done, bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes });
    }
    await rows.seal();
    timings.encode = now() - t;

    // Pass 3: train.
    t = now();
    model = await createModel(options, width);
    const cache = rows;
    let epochCalls = 0;
    const seed = options.seed ?? options.model?.seed ?? 1;
    const loss: number[] = [];
    const valLoss: number[] = [];
    const epochs = options.createModel ? (options.epochs ?? options.model?.epochs) : (options.epochs ?? options.model?.epochs ?? PIPELINE_MODEL_DEFAULTS.epochs);
    // Out-of-sample calibration: the newest `calibrationHoldout` share of the history is kept out of training and
    // calibrates the threshold (in-sample errors are lower than errors on new logs, so a threshold calibrated on
    // them flags far more than `contamination` of new events). Skipped when the held-out part would be tiny.
    const holdout = options.calibrationHoldout ?? 0.1;
    if (!(holdout >= 0 && holdout < 0.5)) throw new Error(`option calibrationHoldout must be in [0, 0.5), got ${holdout}`);
    const heldOut = Math.floor(rows.rows * holdout);
    const split = heldOut >= 200 ? rows.rows - heldOut : rows.rows;
    await model.fit(() => cache.batches({ batchRows: batchSize, end: split, shuffle: true, seed: seed * 7919 + epochCalls++, maxRows: epochRows }), {
      width,
      epochs,
      signal,
      onEpochEnd: (logs) => {
        const epoch = logs.epoch;
        loss.push(logs.loss);
        if (logs.valLoss !== null) valLoss.push(logs.valLoss);
        progress?.({
          stage: 'train',
          lines: source.lines(),
          events: n,
          bytesRead: source.read.bytesRead,
          totalBytes: source.read.totalBytes,
          epoch: epoch + 1,
          epochs,
          loss: logs.loss,
        });
      },
    });
    signal?.throwIfAborted();
    timings.train = now() - t;

    // Pass 4: calibrate the scorer on the training errors.
    t = now();
    const scorer = new ReconstructionScorer({ ...(options.scorer ?? {}), columns: encoder.columns, threshold: options.threshold });
    done = 0;
    for await (const batch of rows.batches({ batchRows: batchSize, start: split < rows.rows ? split : 0 })) {
      signal?.throwIfAborted();
      const rec = await model.reconstruct(batch);
      scorer.partialFit(scorer.errors(batch, rec).errors, batch);
      done += batch.length / width;
      progress?.({ stage: 'calibrate', lines: source.lines(), events: done, bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes });
    }
    timings.calibrate = now() - t;

    const parse = parseOptionsOf(options);
    const f = options.features as (FeatureSpec & FeatureEncoderOptions) | undefined;
    const trained: TrainedModel = {
      customFeatures: f?.spec?.custom ?? f?.custom ?? [],
      encoder,
      model,
      scorer,
      parse: { ...(parse.year !== undefined ? { year: parse.year } : {}), ...(parse.timezone !== undefined ? { timezone: parse.timezone } : {}) },
    };
    const counters: PipelineCounters = {
      ...source.counters(),
      scorer: flattenCounters(scorer.counters),
      train: {
        events: n,
        rows: rows.rows,
        trainingRows: split,
        rowsPerEpoch: Math.min(split, epochRows ?? split),
        calibrationRows: split < rows.rows ? rows.rows - split : rows.rows,
        rowCacheBytes: rows.bytes,
        epochs: loss.length,
      },
    };
    const result: TrainResult = {
      trained,
      events: n,
      lines: source.lines(),
      columns: encoder.columns,
      threshold: scorer.threshold,
      loss,
      valLoss,
      counters,
      timings,
      modelDir: null,
      period: { start: periodStart, end: periodEnd },
    };
    if (options.out !== undefined) {
      t = now();
      await saveTrained(trained, options.out, {
        events: n,
        lines: result.lines,
        files: [...source.files],
        period: result.period,
        loss,
        valLoss,
        threshold: result.threshold,
        counters,
      });
      result.modelDir = options.out;
      timings.save = now() - t;
    }
    ok = true;
    const keep = options.keepCache === true;
    return { result, spool: keep ? spool : null, rows: keep ? rows : null, files: source.files };
  } finally {
    if (!ok || options.keepCache !== true) {
      await spool.dispose();
      await rows?.dispose();
    }
    if (!ok) model?.dispose?.();
  }
}

/** Saves a trained pipeline as a model directory (the model's files plus encoder, scorer and pipeline state). */
export async function saveTrained(trained: TrainedModel, dir: string, summary: Record<string, unknown>): Promise<void> {
  if (!trained.model.save) throw new Error('the model has no save(dir) method: it cannot be written to a model directory');
  const pipeline: PipelineState = { format: PIPELINE_FORMAT, version: PIPELINE_VERSION, parse: trained.parse };
  await trained.model.save(dir, {
    attachments: {
      encoder: trained.encoder.toJSON() as unknown as Record<string, unknown>,
      scorer: trained.scorer.toJSON() as unknown as Record<string, unknown>,
      pipeline: pipeline as unknown as Record<string, unknown>,
    },
    featureNames: [...trained.encoder.columns],
    trainingSummary: summary,
  });
}
