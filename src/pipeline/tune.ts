/**
 * {@link tune}: validation and a small hyperparameter search — the part practitioners skip. Each candidate network
 * (hidden widths, bottleneck, activation, learning rate) is trained with several seeds on the older part of the
 * history and judged on:
 * - held-out reconstruction error (the newest `holdout` share of the history, in time order: does it generalise?),
 * - top-k stability across seeds (mean pairwise overlap of the top-k: a ranking that changes with the seed is not
 *   evidence),
 * - and, when labels are given (simulator `labels.csv` or a handful of known incidents), ROC-AUC, average precision
 *   and recall at 1% false-positive rate on the evaluation logs.
 * Epoch counts are checkpoints of one training run (train to 5, evaluate, continue to 15, evaluate), so they cost
 * nothing extra. Encoding happens once; candidates train on an in-memory sample of at most `maxTrainRows` rows.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { evaluate, type EvaluationReport } from '../evaluate/index.js';
import { FeatureEncoder } from '../features/index.js';
import { Autoencoder, type Activation, type AutoencoderOptions } from '../model/index.js';
import { rankingStability } from '../score/index.js';
import type { LabelRow } from '../simulate/index.js';
import { openEvents } from './source.js';
import { trainRun } from './train.js';
import type { PipelineInput, ReconstructionModel, RunOptions } from './types.js';

/** The search space. Every list must be non-empty. */
export interface TuneGrid {
  /** Encoder hidden widths per candidate (default [[32]]). */
  hidden?: number[][];
  /** Bottleneck widths (default [4, 8]). */
  bottleneck?: number[];
  /** Hidden activations (default ['tanh']; relu trains faster but ranked worse in our measurements). */
  activation?: Activation[];
  /** Learning rates (default [0.001, 0.003]). */
  learningRate?: number[];
  /** Epoch checkpoints (default [5, 10, 15]). */
  epochs?: number[];
}

/** Options of {@link tune}. */
export interface TuneOptions extends RunOptions {
  /** Training logs (history). */
  input: PipelineInput;
  /** Logs to rank and evaluate against labels (e.g. the test period); default: the held-out history. */
  evaluation?: PipelineInput;
  /** Ground truth for the evaluation logs (simulator labels or known incidents). */
  labels?: readonly LabelRow[];
  /** Search space (defaults are small: 4 candidates x 3 epoch checkpoints x 2 seeds, a few minutes on the demo data). */
  grid?: TuneGrid;
  /** Seeds per candidate (default [1, 2]). */
  seeds?: number[];
  /** Newest share of the history held out for the reconstruction error (default 0.2). */
  holdout?: number;
  /** Largest training sample per candidate (default 15,000 rows, taken evenly). */
  maxTrainRows?: number;
  /** k of the top-k stability (default 50). */
  k?: number;
  /** tfjs backend (default 'auto'). */
  backend?: string;
  /** Called as each candidate finishes (for progress and streaming tables). */
  onResult?: (row: TuneRow, done: number, total: number) => void;
}

/** One evaluated configuration. */
export interface TuneRow {
  /** The model options of this candidate (including `epochs`). */
  config: Required<Pick<AutoencoderOptions, 'hidden' | 'bottleneck' | 'activation' | 'learningRate' | 'epochs'>>;
  /** Mean per-row reconstruction MSE on the held-out history, averaged over seeds. */
  heldOutError: number;
  /** Mean pairwise top-k overlap across seeds on the evaluation rows (1 = identical top-k), null with one seed. */
  stability: number | null;
  /** Mean ROC-AUC over seeds (null without labels). */
  rocAuc: number | null;
  /** Mean average precision over seeds. */
  averagePrecision: number | null;
  /** Mean recall at 1% false-positive rate over seeds. */
  recallAt1: number | null;
  /** Wall seconds spent on this candidate (all seeds, up to this checkpoint). */
  seconds: number;
}

/** Result of {@link tune}. */
export interface TuneResult {
  /** Every candidate, in grid order. */
  rows: TuneRow[];
  /** The chosen candidate. */
  best: TuneRow;
  /** How `best` was chosen. */
  criterion: string;
  /** Feature columns. */
  width: number;
  /** Rows used: training sample, held-out, evaluation, and all history rows. */
  sizes: { train: number; heldOut: number; evaluation: number; history: number };
  /**
   * The best configuration for `train` on the whole history: `best.config` with `epochs` scaled by the sample
   * ratio, so the number of gradient steps matches what tune measured (15 epochs over a 15,000-row sample are
   * ~4 epochs over 50,000 rows; more steps let the network learn to reconstruct the attacks too).
   */
  recommended: TuneRow['config'];
}

const DEFAULT_GRID: Required<TuneGrid> = {
  hidden: [[32]],
  bottleneck: [4, 8],
  activation: ['tanh'],
  learningRate: [0.001, 0.003],
  epochs: [5, 10, 15],
};

function rowMse(rows: Float32Array, rec: Float32Array, width: number): Float32Array {
  const n = rows.length / width;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * width; j < i * width + width; j++) {
      const d = rows[j] - rec[j];
      s += d * d;
    }
    out[i] = s / width;
  }
  return out;
}

function mean(xs: readonly number[]): number | null {
  const f = xs.filter((x) => Number.isFinite(x));
  return f.length === 0 ? null : f.reduce((a, b) => a + b, 0) / f.length;
}

/** Evenly spaced sample of at most `max` rows out of rows [start, end). */
function sampleRows(all: Float32Array, width: number, start: number, end: number, max: number): Float32Array {
  const n = end - start;
  const take = Math.min(n, max);
  const out = new Float32Array(take * width);
  for (let i = 0; i < take; i++) {
    const src = start + Math.floor((i * n) / take);
    out.set(all.subarray(src * width, src * width + width), i * width);
  }
  return out;
}

function checkList<T>(name: string, xs: T[] | undefined, fallback: T[]): T[] {
  const v = xs ?? fallback;
  if (!Array.isArray(v) || v.length === 0) throw new Error(`tune option grid.${name} must be a non-empty array`);
  return v;
}

/** Runs the search. See the module documentation. */
export async function tune(options: TuneOptions): Promise<TuneResult> {
  const grid = {
    hidden: checkList('hidden', options.grid?.hidden, DEFAULT_GRID.hidden),
    bottleneck: checkList('bottleneck', options.grid?.bottleneck, DEFAULT_GRID.bottleneck),
    activation: checkList('activation', options.grid?.activation, DEFAULT_GRID.activation),
    learningRate: checkList('learningRate', options.grid?.learningRate, DEFAULT_GRID.learningRate),
    epochs: [...checkList('epochs', options.grid?.epochs, DEFAULT_GRID.epochs)].sort((a, b) => a - b),
  };
  const seeds = options.seeds ?? [1, 2];
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) throw new Error('tune option seeds must be a non-empty array of integers');
  const holdout = options.holdout ?? 0.2;
  if (!(holdout > 0 && holdout < 0.9)) throw new Error(`tune option holdout must be in (0, 0.9), got ${holdout}`);
  const maxTrainRows = options.maxTrainRows ?? 15_000;
  const k = options.k ?? 50;
  const backend = options.backend ?? 'auto';

  // Encode the history once (identity model: only the encoder and the row cache are wanted).
  const identity: ReconstructionModel = { fit: async () => undefined, reconstruct: async (r) => r };
  const prepared = await trainRun({ ...options, createModel: () => identity, keepCache: true, out: undefined });
  const encoder = prepared.result.trained.encoder;
  const width = encoder.width;
  const cache = prepared.rows;
  let all: Float32Array;
  try {
    if (!cache) throw new Error('tune: row cache missing');
    all = await cache.read(0, cache.rows);
  } finally {
    await prepared.rows?.dispose();
    await prepared.spool?.dispose();
  }
  const n = all.length / width;
  const split = Math.max(1, Math.floor(n * (1 - holdout)));
  const train = sampleRows(all, width, 0, split, maxTrainRows);
  const heldOut = sampleRows(all, width, split, n, maxTrainRows);

  // Evaluation rows: the evaluation logs (state carried on from the end of history), else the held-out rows.
  let evalRows = heldOut;
  let evalEvents: LoginEvent[] | null = null;
  if (options.evaluation) {
    const enc = FeatureEncoder.fromJSON(encoder.toJSON(), { custom: prepared.result.trained.customFeatures });
    const src = openEvents(options.evaluation, { ...options, parse: { ...prepared.result.trained.parse, ...(options.parse ?? {}) } });
    const parts: Float32Array[] = [];
    evalEvents = [];
    for await (const b of src.events) {
      parts.push(enc.transform(b, { update: true }));
      for (const e of b) evalEvents.push(e);
    }
    evalRows = new Float32Array(evalEvents.length * width);
    let off = 0;
    for (const p of parts) {
      evalRows.set(p, off);
      off += p.length;
    }
  }
  if (options.labels && !evalEvents) throw new Error('tune: labels need option evaluation (the logs the labels describe)');

  const rows: TuneRow[] = [];
  const combos: { hidden: number[]; bottleneck: number; activation: Activation; learningRate: number }[] = [];
  for (const hidden of grid.hidden)
    for (const bottleneck of grid.bottleneck)
      for (const activation of grid.activation)
        for (const learningRate of grid.learningRate) {
          if (hidden.some((h) => h <= bottleneck)) continue;
          combos.push({ hidden, bottleneck, activation, learningRate });
        }
  if (combos.length === 0) throw new Error('tune: no candidate has hidden widths larger than its bottleneck');
  const total = combos.length * grid.epochs.length;
  for (const c of combos) {
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    // Per checkpoint, per seed: held-out error, evaluation scores, evaluation report.
    const perCheckpoint = grid.epochs.map(() => ({ errors: [] as number[], scores: [] as Float32Array[], reports: [] as EvaluationReport[], seconds: 0 }));
    for (const seed of seeds) {
      const ae = new Autoencoder({ ...c, seed, backend, validationSplit: 0, patience: 0, verbose: false });
      try {
        let done = 0;
        for (let i = 0; i < grid.epochs.length; i++) {
          const e = grid.epochs[i];
          await ae.fit(train, { width, epochs: e - done, signal: options.signal });
          done = e;
          const ho = rowMse(heldOut, await ae.reconstruct(heldOut), width);
          perCheckpoint[i].errors.push(mean(Array.from(ho)) ?? NaN);
          const s = evalRows === heldOut ? ho : rowMse(evalRows, await ae.reconstruct(evalRows), width);
          perCheckpoint[i].scores.push(s);
          if (options.labels && evalEvents) {
            const ev = evalEvents;
            perCheckpoint[i].reports.push(evaluate(ev.map((event, j) => ({ event, score: s[j] })), options.labels));
          }
          perCheckpoint[i].seconds = (performance.now() - t0) / 1000;
        }
      } finally {
        ae.dispose();
      }
    }
    for (let i = 0; i < grid.epochs.length; i++) {
      const p = perCheckpoint[i];
      const kk = Math.max(1, Math.min(k, Math.floor(evalRows.length / width)));
      const row: TuneRow = {
        config: { ...c, epochs: grid.epochs[i] },
        heldOutError: mean(p.errors) ?? NaN,
        stability: p.scores.length >= 2 ? rankingStability(p.scores, kk).meanOverlap : null,
        rocAuc: p.reports.length ? mean(p.reports.map((r) => r.rocAuc ?? NaN)) : null,
        averagePrecision: p.reports.length ? mean(p.reports.map((r) => r.averagePrecision ?? NaN)) : null,
        recallAt1: p.reports.length ? mean(p.reports.map((r) => r.recallAtFpr.find((x) => x.fpr === 0.01)?.recall ?? NaN)) : null,
        seconds: p.seconds,
      };
      rows.push(row);
      options.onResult?.(row, rows.length, total);
    }
  }
  const { best, criterion } = choose(rows, options.labels !== undefined);
  const trainRows = train.length / width;
  // `train` fits on all but the newest 10% (calibration holdout) of the history.
  const fullRows = Math.max(1, Math.floor(n * 0.9));
  const epochs = Math.max(1, Math.round((best.config.epochs * trainRows) / fullRows));
  return {
    rows,
    best,
    criterion,
    width,
    sizes: { train: trainRows, heldOut: heldOut.length / width, evaluation: evalRows.length / width, history: n },
    recommended: { ...best.config, epochs },
  };
}

/**
 * Picks the best row. With labels: highest average precision (then ROC-AUC), among rows whose top-k stability is at
 * least 0.5 when stability is known. Without labels: lowest held-out error among rows whose stability is at least
 * 0.6 (or the most stable row when none is); a low held-out error alone would favour the largest network, which
 * also reconstructs the anomalies.
 */
export function choose(rows: readonly TuneRow[], labelled: boolean): { best: TuneRow; criterion: string } {
  if (rows.length === 0) throw new Error('tune: no rows to choose from');
  if (labelled) {
    const stableEnough = rows.filter((r) => r.stability === null || r.stability >= 0.5);
    const pool = stableEnough.length > 0 ? stableEnough : [...rows];
    const best = [...pool].sort(
      (a, b) => (b.averagePrecision ?? -1) - (a.averagePrecision ?? -1) || (b.rocAuc ?? -1) - (a.rocAuc ?? -1) || a.heldOutError - b.heldOutError,
    )[0];
    return { best, criterion: 'labels: highest average precision (top-k stability >= 0.5), then ROC-AUC' };
  }
  const stable = rows.filter((r) => r.stability === null || r.stability >= 0.6);
  if (stable.length > 0) {
    const best = [...stable].sort((a, b) => a.heldOutError - b.heldOutError)[0];
    return { best, criterion: 'no labels: lowest held-out reconstruction error among candidates with top-k stability >= 0.6' };
  }
  const best = [...rows].sort((a, b) => (b.stability ?? 0) - (a.stability ?? 0) || a.heldOutError - b.heldOutError)[0];
  return { best, criterion: 'no labels, no candidate with top-k stability >= 0.6: the most stable candidate' };
}
