/**
 * {@link detect}: the one-shot job. Train on the logs and score the same logs (unsupervised): every event is scored
 * with its no-look-ahead training row (its features depend only on the events before it), against a threshold set
 * by the expected share of anomalies (`contamination`).
 *
 * @module
 */
import { scoreEvents } from '../score/index.js';
import { ScoreCollector } from './collect.js';
import { trainRun } from './train.js';
import type { ScoreResult, TrainOptions, TrainResult } from './types.js';
import { flattenCounters } from './source.js';

/** Options of {@link detect}. */
export interface DetectOptions extends Omit<TrainOptions, 'keepCache' | 'threshold' | 'calibrationHoldout'> {
  /** Expected share of anomalies, in (0, 0.5] (default 0.01). */
  contamination?: number;
  /** Write scored events here (JSON Lines or CSV, atomically). */
  eventsOut?: string | NodeJS.WritableStream;
  /** Output format (default 'jsonl'). */
  format?: 'jsonl' | 'csv';
  /** Nested JSON objects. */
  nested?: boolean;
  /** Write only flagged events. */
  onlyAnomalies?: boolean;
  /** Highest-scoring events kept (default 2000). */
  keep?: number;
  /** Which events get reasons (default 'anomalies'). */
  explain?: 'anomalies' | 'all' | 'none';
  /** Reasons per event (default 3). */
  reasons?: number;
}

/** Result of {@link detect}: the scoring result plus the training result. */
export interface DetectResult extends ScoreResult {
  /** Training result (trained model in memory, loss, counters). */
  training: TrainResult;
  /**
   * Plain-language warnings about the result itself, e.g. when failed logins are most of the events: `detect`
   * learns from the logs it scores, so what dominates them looks normal.
   */
  warnings: string[];
}

/** Share of failed logins above which {@link detect} warns that they may be learnt as normal. */
export const DOMINANT_FAILURE_SHARE = 0.5;

/** Trains on the logs, scores the same logs, returns top anomalies, incidents and counters. */
export async function detect(options: DetectOptions): Promise<DetectResult> {
  const contamination = options.contamination ?? 0.01;
  if (typeof contamination !== 'number' || !(contamination > 0 && contamination <= 0.5)) {
    throw new Error(`option contamination must be a number in (0, 0.5], got ${String(contamination)}`);
  }
  const collector = new ScoreCollector({
    out: options.eventsOut,
    format: options.format,
    nested: options.nested,
    onlyAnomalies: options.onlyAnomalies,
    keep: options.keep,
  });
  // Open the output first: an unwritable path fails now, not after training.
  await collector.open();
  let run: Awaited<ReturnType<typeof trainRun>>;
  try {
    run = await trainRun({ ...options, threshold: { contamination }, keepCache: true, calibrationHoldout: 0 });
  } catch (err) {
    await collector.abort();
    throw err;
  }
  const { spool, rows } = run;
  const training = run.result;
  const { encoder, model, scorer } = training.trained;
  // Explanations read raw (unscaled) values: scaled values are clipped, and a clipped count reads as "1 failure".
  // The row cache holds scaled rows only, so the scoring pass re-encodes the spooled events from the start of the
  // history (deterministic: the same rows the model was trained on) and asks the encoder for the raw values too.
  const describe = encoder.describeRaw.bind(encoder);
  const explain = options.explain ?? 'anomalies';
  const batchSize = options.batchSize ?? 4096;
  const t0 = performance.now();
  try {
    if (!spool) throw new Error('detect: training caches missing');
    encoder.resetHistory();
    let done = 0;
    for await (const events of spool.batches(batchSize)) {
      options.signal?.throwIfAborted();
      const raw = explain === 'none' ? undefined : new Float64Array(events.length * encoder.width);
      const batch = encoder.transform(events, { raw });
      const rec = await model.reconstruct(batch);
      await collector.add(scoreEvents(scorer, events, batch, rec, { explain, k: options.reasons ?? 3, describe, raw }));
      done += events.length;
      options.onProgress?.({ stage: 'score', lines: training.lines, events: done, bytesRead: 0, totalBytes: null });
    }
    await collector.close();
  } catch (err) {
    await collector.abort();
    throw err;
  } finally {
    await spool?.dispose();
    await rows?.dispose();
  }
  const counters = { ...training.counters, scorer: flattenCounters(scorer.counters) };
  const result = collector.result({
    threshold: scorer.threshold,
    lines: training.lines,
    files: run.files,
    counters,
    timings: { ...training.timings, score: performance.now() - t0 },
  });
  const warnings: string[] = [];
  const failed = collector.stats.failures;
  if (result.events >= 1000 && failed > DOMINANT_FAILURE_SHARE * result.events) {
    warnings.push(
      `${failed.toLocaleString('en-US')} of ${result.events.toLocaleString('en-US')} login events ` +
        `(${Math.round((100 * failed) / result.events)}%) are failed logins. detect learns from these same logs, so ` +
        'failures at this volume count as normal: background internet noise, but also an attack that makes up most ' +
        "of the logs. To see such an attack, train on a clean history period and score these logs with that model " +
        "('loginsight train', then 'loginsight score').",
    );
  }
  return { ...result, report: { ...result.report, warnings }, training, warnings };
}
