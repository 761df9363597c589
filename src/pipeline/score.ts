/**
 * {@link score} and {@link scoreStream}: new logs → events → rows (behavioural state carried forward from training)
 * → reconstructions → scores, flags and reasons, in batches.
 *
 * @module
 */
import { FeatureEncoder } from '../features/index.js';
import { scoreEvents, type ScoredEvent } from '../score/index.js';
import { ScoreCollector } from './collect.js';
import { loadTrained } from './load.js';
import { flattenCounters, openEvents } from './source.js';
import type { PipelineCounters, ScoreOptions, ScoreResult, TrainedModel } from './types.js';

/** An open scoring run: iterate `batches` once, then read the counters. */
export interface ScoringSession {
  /** Scored events in batches, in input order. */
  batches: AsyncIterable<ScoredEvent[]>;
  /** Threshold on the raw score. */
  threshold: number;
  /** Input names. */
  files: readonly string[];
  /** Lines read so far. */
  lines(): number;
  /** Counters so far. */
  counters(): PipelineCounters;
  /** Frees the model when the session loaded it (called automatically at the end of `batches`). */
  dispose(): void;
}

/**
 * Opens a scoring run: loads the model directory (or uses `trained`), then streams the input. The encoder's
 * behavioural state starts where training left it, so what was seen in history is not new; with `updateState`
 * (default true) it keeps learning from the scored logs. Without `updateState` each batch is scored against the
 * frozen history state. A `trained` model passed in memory is not changed: scoring works on a copy of its encoder.
 * @throws ModelDirError when the model directory is unusable.
 */
export async function openScoring(options: ScoreOptions): Promise<ScoringSession> {
  let trained: TrainedModel;
  let owned = false;
  if (options.trained) {
    // Score on a copy of the encoder, so the caller's trained model keeps its end-of-history state.
    const t = options.trained;
    const custom = options.customFeatures ?? t.customFeatures;
    trained = { ...t, encoder: FeatureEncoder.fromJSON(t.encoder.toJSON(), { custom }) };
  } else if (options.modelDir !== undefined) {
    trained = await loadTrained(options.modelDir, { backend: options.backend, customFeatures: options.customFeatures });
    owned = true;
  } else throw new Error('score: give option modelDir (a model directory) or trained (from train())');
  const batchSize = options.batchSize ?? 4096;
  const scorer = options.threshold ? trained.scorer.withThreshold(options.threshold) : trained.scorer;
  const parse = { ...trained.parse, ...(options.parse ?? {}) };
  const source = openEvents(options.input, { ...options, parse }, batchSize);
  const update = options.updateState ?? true;
  const explain = options.explain ?? 'anomalies';
  const k = options.reasons ?? 3;
  const encoder = trained.encoder;
  // explanations read the raw (unscaled) values: scaled values are clipped, and a clipped count reads as "1 failure"
  const describe = encoder.describeRaw.bind(encoder);
  let disposed = false;
  const dispose = (): void => {
    if (owned && !disposed) {
      disposed = true;
      trained.model.dispose?.();
    }
  };
  let n = 0;
  async function* batches(): AsyncGenerator<ScoredEvent[]> {
    try {
      for await (const events of source.events) {
        options.signal?.throwIfAborted();
        const raw = explain === 'none' ? undefined : new Float64Array(events.length * encoder.width);
        const rows = encoder.transform(events, { update, raw });
        const rec = await trained.model.reconstruct(rows);
        n += events.length;
        options.onProgress?.({ stage: 'score', lines: source.lines(), events: n, bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes });
        yield scoreEvents(scorer, events, rows, rec, { explain, k, describe, raw });
      }
    } finally {
      dispose();
    }
  }
  return {
    batches: batches(),
    threshold: scorer.threshold,
    files: source.files,
    lines: source.lines,
    counters: () => ({ ...source.counters(), scorer: flattenCounters(scorer.counters) }),
    dispose,
  };
}

/** Scores logs as an async iterable of {@link ScoredEvent} batches (see {@link openScoring}). */
export async function* scoreStream(options: ScoreOptions): AsyncGenerator<ScoredEvent[]> {
  const session = await openScoring(options);
  yield* session.batches;
}

/**
 * Scores logs with a trained model: writes the scored events to `out` when given (JSON Lines or CSV, atomically:
 * no partial file is left on failure) and returns bounded summaries (top events, incidents, counters, report data).
 */
export async function score(options: ScoreOptions): Promise<ScoreResult> {
  const collector = new ScoreCollector(options);
  const t0 = performance.now();
  const session = await openScoring(options);
  try {
    await collector.open();
    for await (const batch of session.batches) await collector.add(batch);
    await collector.close();
  } catch (err) {
    await collector.abort();
    session.dispose();
    throw err;
  }
  return collector.result({
    threshold: session.threshold,
    lines: session.lines(),
    files: session.files,
    counters: session.counters(),
    timings: { score: performance.now() - t0 },
  });
}
