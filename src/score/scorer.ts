/**
 * {@link ReconstructionScorer}: reconstruction errors → raw scores, calibrated normalised scores, anomaly flags and
 * per-feature explanations. Calibration streams errors into a bounded-memory, mergeable t-digest.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { explainRow, type ColumnStats } from './explain.js';
import {
  columnGroups,
  KIND_COLUMN_PREFIX,
  type CalibrateBy,
  resolveScorerOptions,
  validateThreshold,
  type ErrorMetric,
  type GroupingMode,
  type ResolvedScorerOptions,
  type ScorerOptions,
  type ThresholdSpec,
} from './options.js';
import { TDigest, type TDigestState } from './sketch.js';
import type { DescribeFn, Explanation } from './types.js';

/** Format tag of {@link ScorerState}. */
export const SCORER_FORMAT = 'loginsight.scorer';
/**
 * Current version of {@link ScorerState}. Version 2 added per-kind calibration (`calibrateBy`, `minGroupCount`,
 * `groupCalibration`); version-1 states still load, as globally calibrated scorers (their scores stay raw errors).
 */
export const SCORER_VERSION = 2;
/** Oldest {@link ScorerState} version {@link ReconstructionScorer.fromJSON} reads. */
export const SCORER_MIN_VERSION = 1;
/**
 * Smallest tail probability read directly from a calibration sketch before the exponential tail takes over (the
 * sketch holds at least ~2 errors beyond that point: `max(0.001, 2 / n)`).
 */
const MIN_TAIL = 0.001;
/**
 * Per-kind calibration ranks an event by its own kind's calibration only in the tail (surprise above this, i.e. beyond
 * its kind's 99th percentile); below it, events keep the order of the global calibration, capped at this value.
 */
const KIND_TAIL_SURPRISE = 2;
/** Compression of the per-column value sketches used for typical ranges in explanations. */
const COLUMN_COMPRESSION = 50;
/** Rows fed in full to the per-column value sketches before sampling starts. */
const STATS_FULL = 65_536;

/** Counters of what the scorer has seen. */
export interface ScorerCounters {
  /** Errors added to the calibration sketch. */
  calibrated: number;
  /** Calibration errors skipped because they were NaN/±Infinity. */
  calibrationSkipped: number;
  /** Rows offered to the per-column statistics (`partialFit(errors, rows)` / `partialFitRows`). */
  statsRows: number;
  /** Of those, rows actually added (all of the first 65,536, then every 2nd row up to 2×65,536, every 4th up to 4×65,536, ...: about 32,768 more per doubling). */
  statsSampled: number;
  /** Rows scored by {@link ReconstructionScorer.errors} whose error is NaN (a non-finite cell in rows or reconstructions). */
  nonFiniteRows: number;
  /** Events passed through {@link ReconstructionScorer.score}. */
  scored: number;
  /** Of those, flagged anomalous. */
  flagged: number;
}

/** Serialised scorer (versioned JSON; `toJSON` is deterministic). */
export interface ScorerState {
  /** Always {@link SCORER_FORMAT}. */
  format: typeof SCORER_FORMAT;
  /** {@link SCORER_VERSION}. */
  version: number;
  /** Column names. */
  columns: string[];
  /** Error metric. */
  metric: ErrorMetric;
  /** Per-column weights, `null` for all 1. */
  weights: number[] | null;
  /** Threshold rule. */
  threshold: ThresholdSpec;
  /** Calibration sketch compression. */
  compression: number;
  /** Explanation share cut-off. */
  minShare: number;
  /** Explanation grouping mode. */
  grouping: GroupingMode;
  /** Explicit grouping overrides. */
  groups: Record<string, string> | null;
  /** Calibration error distribution. */
  calibration: TDigestState;
  /** Per-column value distributions (for typical ranges), `null` when never given rows. */
  columnStats: TDigestState[] | null;
  /** Counters at save time. */
  counters: ScorerCounters;
  /** Calibration grouping (version ≥ 2; absent in version 1 = `'global'`). */
  calibrateBy?: 'kind' | 'global';
  /** Minimum calibration errors for a kind's own sketch (version ≥ 2). */
  minGroupCount?: number;
  /** Per-kind calibration sketches, keys sorted (version ≥ 2; `null` when not calibrating by kind). */
  groupCalibration?: Record<string, TDigestState> | null;
}

/** Tail parameters of one calibration sketch, for {@link ReconstructionScorer.surprise}. */
interface TailParams {
  /** Tail probability where the empirical part ends. */
  a: number;
  /** Error at quantile 1 − a. */
  qa: number;
  /** Errors per decade of tail probability beyond `qa` (from quantiles 1 − 10a and 1 − a). */
  span: number;
}

/** Output of {@link ReconstructionScorer.errors}. */
export interface ErrorBatch {
  /** Per-row error (length n). NaN when a cell was non-finite. */
  errors: Float32Array;
  /** Per-row, per-column contribution, row-major n × width; each row sums to its error. */
  contributions: Float32Array;
}

/** Output of {@link ReconstructionScorer.score}. */
export interface ScoreBatch {
  /**
   * Ranking scores. Globally calibrated: the errors. Calibrated by kind: a *surprise* `−log10(p)` in three bands:
   * below its kind's 99th percentile, `p` comes from the global calibration, capped at 2 (the bulk keeps the global
   * order: kinds that are rebuilt well, like sudo, stay low); from the kind's 99th percentile to the end of its reliable
   * tail (99.9th percentile with ≥ 2,000 calibration events of the kind), `p` is the share of calibration events **of
   * its kind** with a larger error (2 = 99th, 3 = 99.9th percentile), so the tails of all kinds compare fairly; beyond
   * that, `3 + ` the global surprise (events off the chart for their kind, ordered by the size of their error).
   */
  scores: Float32Array;
  /** Calibrated CDF of the error (within the event's kind when calibrated by kind), in [0, 1]; NaN for NaN errors. */
  normalized: Float32Array;
  /** 1 when the error is strictly above the threshold. */
  isAnomaly: Uint8Array;
}

/**
 * Turns reconstruction errors into scores and explanations.
 *
 * Typical use: `errors()` on held-out (or training) rows → `partialFit()` to calibrate (any number of batches, or
 * `merge()` scorers calibrated by several workers) → for new rows `errors()` → `score()` → `explain()` the flagged ones.
 */
export class ReconstructionScorer {
  /** Column names in row order. */
  readonly columns: readonly string[];
  /** Number of columns. */
  readonly width: number;
  /** Error metric. */
  readonly metric: ErrorMetric;
  /** Threshold rule. */
  readonly thresholdSpec: ThresholdSpec;
  /** Calibration grouping in effect: `'kind'` (one sketch per event kind) or `'global'`. */
  readonly calibrateBy: 'kind' | 'global';
  /** What the scorer has seen. */
  readonly counters: ScorerCounters = {
    calibrated: 0,
    calibrationSkipped: 0,
    statsRows: 0,
    statsSampled: 0,
    nonFiniteRows: 0,
    scored: 0,
    flagged: 0,
  };
  private readonly opts: ResolvedScorerOptions;
  private readonly groupNames: string[];
  private readonly weightSum: number;
  private sketch: TDigest;
  private stats: TDigest[] | null = null;
  private cachedThreshold: number | null = null;
  /** Kind one-hot columns: kind names and column indexes (empty unless calibrating by kind). */
  private readonly kindNames: string[] = [];
  private readonly kindCols: number[] = [];
  /** Per-kind calibration sketches, index-aligned with `kindNames`. */
  private groupSketches: TDigest[] = [];
  /** Cached tail parameters per sketch (index = kind; `kindNames.length` = global); cleared on calibration. */
  private tails: (TailParams | null)[] = [];

  /** @throws Error naming the option when options are invalid. */
  constructor(options: ScorerOptions) {
    this.opts = resolveScorerOptions(options);
    this.columns = this.opts.columns;
    this.width = this.columns.length;
    this.metric = this.opts.metric;
    this.thresholdSpec = this.opts.threshold;
    this.groupNames = columnGroups(this.columns, this.opts.grouping, this.opts.groups);
    let ws = this.width;
    if (this.opts.weights !== null) {
      ws = 0;
      for (let i = 0; i < this.width; i++) ws += this.opts.weights[i];
    }
    this.weightSum = ws;
    this.sketch = new TDigest(this.opts.compression);
    this.calibrateBy = this.opts.calibrateBy;
    if (this.calibrateBy === 'kind') {
      this.columns.forEach((c, j) => {
        if (c.startsWith(KIND_COLUMN_PREFIX) && c.length > KIND_COLUMN_PREFIX.length) {
          this.kindNames.push(c.slice(KIND_COLUMN_PREFIX.length));
          this.kindCols.push(j);
        }
      });
      this.groupSketches = this.kindNames.map(() => new TDigest(this.opts.compression));
    }
  }

  /**
   * Index of the event kind of row `i` (the `what.kind=*` one-hot with the largest positive value), or -1 when the
   * scorer does not calibrate by kind or the row names no kind.
   */
  kindIndexOf(rows: ArrayLike<number>, i: number): number {
    const cols = this.kindCols;
    let best = -1;
    let bestV = 0;
    const off = i * this.width;
    for (let g = 0; g < cols.length; g++) {
      const v = rows[off + cols[g]];
      if (v > bestV) {
        bestV = v;
        best = g;
      }
    }
    return best;
  }

  /** Per-kind calibration counts (empty unless calibrating by kind). */
  get kindCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    this.kindNames.forEach((k, g) => (out[k] = this.groupSketches[g].count));
    return out;
  }

  /**
   * Per-row error and per-column contributions. `rows` and `reconstructions` are row-major n × width.
   * Row error = `Σⱼ wⱼ·dⱼ / Σⱼ wⱼ` with `dⱼ = (xⱼ − x̂ⱼ)²` (mse) or `|xⱼ − x̂ⱼ|` (mae); contribution ⱼ = `wⱼ·dⱼ / Σ w`.
   * A non-finite cell makes that row's error NaN (its contribution is 0), counted in `counters.nonFiniteRows`.
   * @throws Error when the lengths do not match each other or are not a multiple of the width (a programming error).
   */
  errors(rows: Float32Array, reconstructions: Float32Array): ErrorBatch {
    const w = this.width;
    if (rows.length !== reconstructions.length) {
      throw new Error(`errors(): rows has ${rows.length} values but reconstructions has ${reconstructions.length}`);
    }
    if (rows.length % w !== 0) throw new Error(`errors(): rows length ${rows.length} is not a multiple of width ${w}`);
    const n = rows.length / w;
    const errors = new Float32Array(n);
    const contributions = new Float32Array(rows.length);
    const weights = this.opts.weights;
    const inv = 1 / this.weightSum;
    const mse = this.metric === 'mse';
    for (let i = 0; i < n; i++) {
      const off = i * w;
      let sum = 0;
      let bad = false;
      for (let j = 0; j < w; j++) {
        const diff = rows[off + j] - reconstructions[off + j];
        if (!Number.isFinite(diff)) {
          bad = true;
          continue;
        }
        let d = mse ? diff * diff : Math.abs(diff);
        if (weights !== null) d *= weights[j];
        d *= inv;
        contributions[off + j] = d;
        sum += d;
      }
      if (bad) {
        errors[i] = NaN;
        this.counters.nonFiniteRows++;
      } else {
        errors[i] = sum;
      }
    }
    return { errors, contributions };
  }

  /**
   * Calibrate: stream a batch of errors into the quantile sketch; optionally also the rows they came from (per-column
   * value ranges used by explanations). Non-finite errors are skipped and counted.
   */
  partialFit(errors: Float32Array, rows?: Float32Array): this {
    const skipped = this.sketch.addBatch(errors);
    this.counters.calibrated += errors.length - skipped;
    this.counters.calibrationSkipped += skipped;
    this.invalidate();
    if (rows !== undefined) {
      if (rows.length !== errors.length * this.width) {
        throw new Error(`partialFit(): ${errors.length} errors need ${errors.length * this.width} row values, got ${rows.length}`);
      }
      if (this.calibrateBy === 'kind') {
        for (let i = 0; i < errors.length; i++) {
          const g = this.kindIndexOf(rows, i);
          if (g >= 0) this.groupSketches[g].add(errors[i]);
        }
      }
      this.partialFitRows(rows);
    }
    return this;
  }

  /** Learn per-column value ranges (1st, 50th, 99th percentile) from row-major rows, for explanation texts. */
  partialFitRows(rows: Float32Array): this {
    const w = this.width;
    if (rows.length % w !== 0) throw new Error(`partialFitRows(): rows length ${rows.length} is not a multiple of width ${w}`);
    if (this.stats === null) this.stats = this.columns.map(() => new TDigest(COLUMN_COMPRESSION));
    const stats = this.stats;
    const n = rows.length / w;
    // the ranges only feed explanation texts: after STATS_FULL rows, sample every 2^m-th row so the cost stays
    // small on hundreds of millions of rows (deterministic: depends only on the running row count)
    let seen = this.counters.statsRows;
    for (let i = 0; i < n; i++, seen++) {
      if (seen >= STATS_FULL) {
        const stride = 2 ** (Math.floor(Math.log2(seen / STATS_FULL)) + 1);
        if (seen % stride !== 0) continue;
      }
      const off = i * w;
      for (let j = 0; j < w; j++) stats[j].add(rows[off + j]);
      this.counters.statsSampled++;
    }
    this.counters.statsRows += n;
    return this;
  }

  /**
   * Merge another scorer's calibration (same columns, metric and weights) into this one — for calibration split over
   * workers. Counters are summed.
   * @throws Error when the scorers are not compatible.
   */
  merge(other: ReconstructionScorer): this {
    if (other.width !== this.width || other.columns.some((c, i) => c !== this.columns[i])) {
      throw new Error('merge(): scorers have different columns');
    }
    if (other.metric !== this.metric) throw new Error('merge(): scorers use different metrics');
    if (other.calibrateBy !== this.calibrateBy) throw new Error('merge(): scorers use different calibrateBy');
    const a = this.opts.weights;
    const b = other.opts.weights;
    if ((a === null) !== (b === null) || (a !== null && b !== null && a.some((x, i) => x !== b[i]))) {
      throw new Error('merge(): scorers use different weights');
    }
    this.sketch.merge(other.sketch);
    for (let g = 0; g < this.groupSketches.length; g++) this.groupSketches[g].merge(other.groupSketches[g]);
    if (other.stats !== null) {
      if (this.stats === null) this.stats = this.columns.map(() => new TDigest(COLUMN_COMPRESSION));
      for (let j = 0; j < this.width; j++) this.stats[j].merge(other.stats[j]);
    }
    const c = this.counters;
    const o = other.counters;
    c.calibrated += o.calibrated;
    c.calibrationSkipped += o.calibrationSkipped;
    c.statsRows += o.statsRows;
    c.statsSampled += o.statsSampled;
    c.nonFiniteRows += o.nonFiniteRows;
    c.scored += o.scored;
    c.flagged += o.flagged;
    this.invalidate();
    return this;
  }

  /** Number of calibration errors seen. */
  get calibrationCount(): number {
    return this.sketch.count;
  }

  /** True once at least one finite calibration error was seen. */
  get isCalibrated(): boolean {
    return this.sketch.count > 0;
  }

  /**
   * The anomaly threshold on the score. Globally calibrated (scores are errors): `{value}` as given; `{quantile: q}` →
   * the q-quantile of calibration errors; `{contamination: c}` → the (1 − c)-quantile. Calibrated by kind (scores are
   * surprises): `{value}` as given; `{quantile: q}` → `−log10(1 − q)`; `{contamination: c}` → `−log10(c)` — i.e. each
   * kind's own (1 − c)-quantile, so about `c` of every kind's calibration events are flagged.
   * @throws Error when the rule needs calibration and none happened.
   */
  get threshold(): number {
    if (this.cachedThreshold !== null) return this.cachedThreshold;
    const t = this.thresholdSpec;
    let value: number;
    if ('value' in t) value = t.value;
    else if (this.calibrateBy === 'kind') {
      this.requireCalibration('threshold');
      value = -Math.log10('quantile' in t ? 1 - t.quantile : t.contamination);
    } else {
      this.requireCalibration('threshold');
      value = this.sketch.quantile('quantile' in t ? t.quantile : 1 - t.contamination);
    }
    this.cachedThreshold = value;
    return value;
  }

  /** A copy of this scorer with a different threshold rule (calibration shared by copy). */
  withThreshold(threshold: ThresholdSpec): ReconstructionScorer {
    const state = this.toJSON();
    state.threshold = validateThreshold(threshold);
    return ReconstructionScorer.fromJSON(state);
  }

  /** The error at calibration quantile `q` (e.g. to report the threshold a contamination would give). */
  quantile(q: number): number {
    this.requireCalibration('quantile()');
    return this.sketch.quantile(q);
  }

  /** Calibrated CDF of one error value (the normalised score). */
  normalize(error: number): number {
    this.requireCalibration('normalize()');
    return this.sketch.cdf(error);
  }

  /**
   * Scores for a batch of errors: raw scores (copy of the errors), normalised scores (the calibrated CDF: the share
   * of calibration errors ≤ this error, in [0, 1], comparable across models and runs) and anomaly flags
   * (error > threshold). NaN errors get NaN scores and are never flagged.
   * @throws Error when not calibrated.
   */
  score(errors: Float32Array, rows?: Float32Array): ScoreBatch {
    this.requireCalibration('score()');
    const threshold = this.threshold;
    const n = errors.length;
    let scores: Float32Array;
    let normalized: Float32Array;
    // per-kind rule (contamination / quantile): flagged when beyond the kind's own threshold quantile
    let own: Float32Array | null = null;
    if (this.calibrateBy === 'kind') {
      own = new Float32Array(n);
      if (rows !== undefined && rows.length !== n * this.width) {
        throw new Error(`score(): ${n} errors need ${n * this.width} row values, got ${rows.length}`);
      }
      scores = new Float32Array(n);
      normalized = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const g = rows === undefined ? -1 : this.kindIndexOf(rows, i);
        const e = errors[i];
        if (Number.isNaN(e)) {
          scores[i] = NaN;
          normalized[i] = NaN;
          continue;
        }
        const gi = g >= 0 && this.groupSketches[g].count >= this.opts.minGroupCount ? g : this.kindNames.length;
        const sketch = gi < this.kindNames.length ? this.groupSketches[gi] : this.sketch;
        const cdf = sketch.cdf(e);
        normalized[i] = cdf;
        const mine = this.surpriseOf(sketch, gi, e, cdf);
        const global = gi === this.kindNames.length ? mine : this.surpriseOf(this.sketch, this.kindNames.length, e, this.sketch.cdf(e));
        own[i] = mine;
        scores[i] = this.combine(mine, global, this.tails[gi] as TailParams);
      }
    } else {
      scores = new Float32Array(errors);
      normalized = this.sketch.cdfBatch(errors);
    }
    const isAnomaly = new Uint8Array(n);
    let flagged = 0;
    const rule = own !== null && !('value' in this.thresholdSpec) ? own : scores;
    for (let i = 0; i < n; i++) {
      if (rule[i] > threshold) {
        isAnomaly[i] = 1;
        flagged++;
      }
    }
    this.counters.scored += n;
    this.counters.flagged += flagged;
    return { scores, normalized, isAnomaly };
  }

  /**
   * Explain one row: the top-`k` reasons (column groups) by share of the row's error, dropping groups below
   * `minShare` (at least one reason is kept when the error is positive), each rendered with `describe` on the
   * group's strongest column. When `describe` throws or returns an empty string, a generic sentence with the
   * column's typical range (from `partialFit` rows) is used. `describe` receives the row value, or the value from
   * `values` when given (same layout as the rows, e.g. the encoder's raw values for `describeRaw`: scaled values can
   * be clipped, and a clipped value no longer says how many failures there were).
   */
  explain(
    contributions: Float32Array,
    rowIndex: number,
    event: LoginEvent,
    describe: DescribeFn,
    rows?: Float32Array,
    k = 3,
    values?: ArrayLike<number>,
  ): Explanation[] {
    const w = this.width;
    if (contributions.length % w !== 0) {
      throw new Error(`explain(): contributions length ${contributions.length} is not a multiple of width ${w}`);
    }
    const n = contributions.length / w;
    if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex >= n) {
      throw new Error(`explain(): rowIndex must be an integer in [0, ${n - 1}], got ${String(rowIndex)}`);
    }
    if (!Number.isInteger(k) || k < 1) throw new Error(`explain(): k must be a positive integer, got ${String(k)}`);
    if (rows !== undefined && rows.length !== contributions.length) {
      throw new Error(`explain(): rows has ${rows.length} values but contributions has ${contributions.length}`);
    }
    if (values !== undefined && values.length !== contributions.length) {
      throw new Error(`explain(): values has ${values.length} values but contributions has ${contributions.length}`);
    }
    return explainRow({
      values: values ?? null,
      columns: this.columns,
      groups: this.groupNames,
      contributions,
      offset: rowIndex * w,
      event,
      describe,
      rows: rows ?? null,
      k,
      minShare: this.opts.minShare,
      stats: this.columnStats(),
    });
  }

  /**
   * The surprise of an error against the calibration of one event kind (or the global calibration when `kind` is
   * omitted or the kind has fewer than `minGroupCount` calibration errors): `−log10(1 − cdf)` up to the sketch's
   * reliable tail probability `a = max(0.001, 2 / n)`, beyond it `−log10(a) + (error − q₁₋ₐ) / (q₁₋ₐ − q₁₋₁₀ₐ)`
   * (an exponential tail fitted on the last decade). Monotone in the error; 2 = the 99th percentile.
   */
  surprise(error: number, kind?: string): number {
    this.requireCalibration('surprise()');
    let gi = kind === undefined ? -1 : this.kindNames.indexOf(kind);
    if (gi < 0 || this.groupSketches[gi].count < this.opts.minGroupCount) gi = this.kindNames.length;
    const sketch = gi < this.kindNames.length ? this.groupSketches[gi] : this.sketch;
    return this.surpriseOf(sketch, gi, error, sketch.cdf(error));
  }

  private surpriseOf(sketch: TDigest, gi: number, error: number, cdf: number): number {
    let t = this.tails[gi] ?? null;
    if (t === null) {
      const a = Math.min(0.1, Math.max(MIN_TAIL, 2 / sketch.count));
      const qa = sketch.quantile(1 - a);
      const qb = sketch.quantile(1 - 10 * a);
      t = { a, qa, span: Math.max(qa - qb, 1e-9 * Math.max(1, Math.abs(qa))) };
      this.tails[gi] = t;
    }
    const base = -Math.log10(t.a);
    if (error > t.qa) return base + (error - t.qa) / t.span;
    return Math.min(base, -Math.log10(Math.max(1 - cdf, t.a)));
  }

  /**
   * The ranking score of kind calibration from an event's surprise against its kind (`own`) and against all events
   * (`global`): the global order in the bulk (capped at 2), the kind's own surprise from its 99th percentile to the end
   * of its reliable tail (`−log10(a)`), and beyond that — where the kind's calibration has no data left to say how
   * rare the event is — `3 + global`, so events off the chart for their kind are ordered by how large their error is.
   * Monotone in the error for each kind.
   */
  private combine(own: number, global: number, tail: TailParams): number {
    if (own <= KIND_TAIL_SURPRISE) return Math.min(global, KIND_TAIL_SURPRISE);
    if (own < -Math.log10(tail.a)) return own;
    return -Math.log10(MIN_TAIL) + global;
  }

  private invalidate(): void {
    this.cachedThreshold = null;
    this.tails = [];
  }

  /** Per-column typical ranges learned from rows, `null` when no rows were given. */
  columnStats(): ColumnStats[] | null {
    if (this.stats === null) return null;
    return this.stats.map((s) =>
      s.count === 0 ? null : { p01: s.quantile(0.01), p50: s.quantile(0.5), p99: s.quantile(0.99) },
    );
  }

  /** Versioned, deterministic JSON state (store it with the model). */
  toJSON(): ScorerState {
    return {
      format: SCORER_FORMAT,
      version: SCORER_VERSION,
      columns: [...this.columns],
      metric: this.metric,
      weights: this.opts.weights === null ? null : Array.from(this.opts.weights),
      threshold: { ...this.thresholdSpec } as ThresholdSpec,
      compression: this.opts.compression,
      minShare: this.opts.minShare,
      grouping: this.opts.grouping,
      groups: this.opts.groups === null ? null : { ...this.opts.groups },
      calibration: this.sketch.toJSON(),
      columnStats: this.stats === null ? null : this.stats.map((s) => s.toJSON()),
      counters: { ...this.counters },
      calibrateBy: this.calibrateBy,
      minGroupCount: this.opts.minGroupCount,
      groupCalibration: this.calibrateBy === 'kind' ? this.groupState() : null,
    };
  }

  private groupState(): Record<string, TDigestState> {
    const order = this.kindNames.map((k, g) => [k, g] as const).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const out: Record<string, TDigestState> = {};
    for (const [k, g] of order) out[k] = this.groupSketches[g].toJSON();
    return out;
  }

  /**
   * Rebuild a scorer from {@link ReconstructionScorer.toJSON} output.
   * @throws Error naming the field when the state is malformed or of an unknown version.
   */
  static fromJSON(state: ScorerState): ReconstructionScorer {
    if (state === null || typeof state !== 'object') throw new Error('Scorer state must be an object');
    if (state.format !== SCORER_FORMAT) {
      throw new Error(`Scorer state "format" must be ${JSON.stringify(SCORER_FORMAT)}, got ${JSON.stringify(state.format)}`);
    }
    if (typeof state.version !== 'number' || !Number.isInteger(state.version) || state.version < SCORER_MIN_VERSION || state.version > SCORER_VERSION) {
      throw new Error(
        `Scorer state "version" ${String(state.version)} is not supported (this build reads ${SCORER_MIN_VERSION}..${SCORER_VERSION})`,
      );
    }
    // version 1 had no per-kind calibration: keep its meaning (global, scores = errors)
    const calibrateBy: CalibrateBy = state.version === 1 ? 'global' : (state.calibrateBy ?? 'global');
    if (calibrateBy !== 'kind' && calibrateBy !== 'global') {
      throw new Error(`Scorer state "calibrateBy" must be 'kind' or 'global', got ${JSON.stringify(calibrateBy)}`);
    }
    const scorer = new ReconstructionScorer({
      calibrateBy,
      ...(state.version >= 2 && state.minGroupCount !== undefined ? { minGroupCount: state.minGroupCount } : {}),
      columns: state.columns,
      metric: state.metric,
      threshold: state.threshold,
      weights: state.weights ?? undefined,
      compression: state.compression,
      minShare: state.minShare,
      grouping: state.grouping,
      groups: state.groups ?? undefined,
    });
    let calibration: TDigest;
    try {
      calibration = TDigest.fromJSON(state.calibration);
    } catch (e) {
      throw new Error(`Scorer state "calibration": ${(e as Error).message}`);
    }
    if (calibration.compression !== scorer.opts.compression) {
      throw new Error('Scorer state "calibration.compression" differs from "compression"');
    }
    scorer.sketch = calibration;
    if (scorer.calibrateBy === 'kind') {
      const gc = state.groupCalibration;
      if (gc === null || typeof gc !== 'object') throw new Error('Scorer state "groupCalibration" must be an object kind → sketch');
      const keys = Object.keys(gc).sort();
      const names = [...scorer.kindNames].sort();
      if (keys.length !== names.length || keys.some((k, i) => k !== names[i])) {
        throw new Error(`Scorer state "groupCalibration" must have one sketch per kind column (${names.join(', ')}), got ${keys.join(', ')}`);
      }
      scorer.groupSketches = scorer.kindNames.map((k) => {
        try {
          return TDigest.fromJSON(gc[k]);
        } catch (e) {
          throw new Error(`Scorer state "groupCalibration.${k}": ${(e as Error).message}`);
        }
      });
    }
    if (state.columnStats !== null && state.columnStats !== undefined) {
      if (!Array.isArray(state.columnStats) || state.columnStats.length !== scorer.width) {
        throw new Error(`Scorer state "columnStats" must be null or an array of ${scorer.width} sketches`);
      }
      try {
        scorer.stats = state.columnStats.map((s) => TDigest.fromJSON(s));
      } catch (e) {
        throw new Error(`Scorer state "columnStats": ${(e as Error).message}`);
      }
    }
    const c = state.counters;
    if (c !== null && typeof c === 'object') {
      for (const key of Object.keys(scorer.counters) as (keyof ScorerCounters)[]) {
        const v = c[key];
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0) scorer.counters[key] = v;
      }
    }
    return scorer;
  }

  private requireCalibration(what: string): void {
    if (this.sketch.count === 0) {
      throw new Error(`ReconstructionScorer: ${what} needs calibration — call partialFit(errors) with calibration errors first`);
    }
  }
}
