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
import {
  encoderFromState,
  lockStateDir,
  modelFingerprint,
  readScoringState,
  SCORING_STATE_FORMAT,
  SCORING_STATE_VERSION,
  writeScoringState,
} from './scoring-state.js';
import { flattenCounters, openEvents, type AssemblerCarry } from './source.js';
import type { AssemblerCheckpoint } from '../assemble/index.js';
import type { PipelineCounters, ScoreOptions, ScoreResult, ScoringStateSummary, TrainedModel } from './types.js';

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
  /**
   * With `stateDir`: saves the behavioural state this run ended with (atomically), when `batches` was consumed to
   * the end; otherwise does nothing. {@link score} and {@link scoreStream} call it themselves after a successful run.
   */
  saveState(): Promise<void>;
  /** What the run did with `stateDir` (null without one). */
  state(): ScoringStateSummary | null;
  /**
   * Releases the state directory's lock without saving (after a failed or abandoned run; {@link
   * ScoringSession.saveState} releases it too). Safe to call twice; a no-op without `stateDir`.
   */
  close(): Promise<void>;
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
  const update = options.updateState ?? true;
  const stateDir = options.stateDir;
  let summary: ScoringStateSummary | null = null;
  let previous: Awaited<ReturnType<typeof readScoringState>> = null;
  let fingerprint = '';
  let unlock: () => Promise<void> = async () => undefined;
  if (stateDir !== undefined) {
    try {
      if (!update) throw new Error('score: option stateDir carries the behavioural state learnt while scoring; it needs updateState: true');
      unlock = await lockStateDir(stateDir);
      fingerprint = modelFingerprint(trained);
      previous = await readScoringState(stateDir, fingerprint);
      if (previous !== null) trained = { ...trained, encoder: encoderFromState(previous, stateDir, trained.customFeatures) };
    } catch (err) {
      if (owned) trained.model.dispose?.();
      await unlock();
      throw err;
    }
    summary = {
      dir: stateDir,
      continued: previous !== null,
      previousRuns: previous?.runs ?? 0,
      previousEvents: previous?.events ?? 0,
      previousLastEventTime: previous?.lastEventTime ?? null,
      overlapEvents: 0,
      saved: false,
    };
  }
  const batchSize = options.batchSize ?? 4096;
  const parse = { ...trained.parse, ...(options.parse ?? {}) };
  let assemblerEnd: AssemblerCheckpoint | null = null;
  const carry: AssemblerCarry | undefined =
    stateDir === undefined ? undefined : { from: previous?.assembler ?? null, save: (cp) => void (assemblerEnd = cp) };
  let scorer: typeof trained.scorer;
  let source: ReturnType<typeof openEvents>;
  try {
    scorer = options.threshold ? trained.scorer.withThreshold(options.threshold) : trained.scorer;
    source = openEvents(options.input, { ...options, parse }, batchSize, carry);
  } catch (err) {
    // a bad option or a bad carried checkpoint: nothing ran, nothing stays held
    if (owned) trained.model.dispose?.();
    await unlock();
    throw err;
  }
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
  let completed = false;
  let firstTime: number | null = null;
  let lastTime: number | null = null;
  const overlapBefore = previous?.lastEventTime ?? -Infinity;
  async function* batches(): AsyncGenerator<ScoredEvent[]> {
    try {
      for await (const events of source.events) {
        options.signal?.throwIfAborted();
        if (summary !== null) {
          for (const e of events) {
            const t = e.timestamp;
            if (!Number.isFinite(t)) continue;
            if (firstTime === null || t < firstTime) firstTime = t;
            if (lastTime === null || t > lastTime) lastTime = t;
            if (t < overlapBefore) summary.overlapEvents++;
          }
        }
        const raw = explain === 'none' ? undefined : new Float64Array(events.length * encoder.width);
        const rows = encoder.transform(events, { update, raw });
        const rec = await trained.model.reconstruct(rows);
        n += events.length;
        options.onProgress?.({ stage: 'score', lines: source.lines(), events: n, bytesRead: source.read.bytesRead, totalBytes: source.read.totalBytes });
        yield scoreEvents(scorer, events, rows, rec, { explain, k, describe, raw });
      }
      completed = true;
    } finally {
      dispose();
    }
  }
  const saveState = async (): Promise<void> => {
    try {
      await writeState();
    } finally {
      await unlock();
    }
  };
  const writeState = async (): Promise<void> => {
    if (stateDir === undefined || summary === null || !completed || summary.saved) return;
    const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
    const max = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
    await writeScoringState(stateDir, {
      format: SCORING_STATE_FORMAT,
      version: SCORING_STATE_VERSION,
      model: fingerprint,
      savedAt: new Date().toISOString(),
      runs: (previous?.runs ?? 0) + 1,
      events: (previous?.events ?? 0) + n,
      firstEventTime: min(previous?.firstEventTime ?? null, firstTime),
      lastEventTime: max(previous?.lastEventTime ?? null, lastTime),
      encoder: encoder.toJSON(),
      assembler: assemblerEnd,
    });
    summary.saved = true;
  };
  return {
    batches: batches(),
    threshold: scorer.threshold,
    files: source.files,
    lines: source.lines,
    counters: () => ({ ...source.counters(), scorer: flattenCounters(scorer.counters) }),
    dispose,
    saveState,
    state: () => (summary === null ? null : { ...summary }),
    close: unlock,
  };
}

/** Scores logs as an async iterable of {@link ScoredEvent} batches (see {@link openScoring}). */
export async function* scoreStream(options: ScoreOptions): AsyncGenerator<ScoredEvent[]> {
  const session = await openScoring(options);
  try {
    yield* session.batches;
    await session.saveState();
  } finally {
    await session.close();
  }
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
    await session.close();
    throw err;
  }
  // the state moves on only once the output is committed: a failed run can simply be run again
  await session.saveState();
  const result = collector.result({
    threshold: session.threshold,
    lines: session.lines(),
    files: session.files,
    counters: session.counters(),
    timings: { score: performance.now() - t0 },
  });
  const state = session.state();
  return state === null ? result : { ...result, state };
}
