/**
 * Scorer options, their defaults and their validation. Bad options throw an Error that names the option and what
 * is allowed.
 *
 * @module
 */

/** Reconstruction error metric: mean squared error (default) or mean absolute error, over the columns. */
export type ErrorMetric = 'mse' | 'mae';

/**
 * How the anomaly threshold is chosen (PyOD style):
 * - `{ contamination: c }`: the expected share of anomalies, `c ∈ (0, 0.5]`; threshold = the `(1 − c)` quantile of the
 *   calibration errors, so about `c` of calibration events are flagged.
 * - `{ quantile: q }`: threshold = the `q` quantile of the calibration errors, `q ∈ (0, 1)`.
 * - `{ value: v }`: a fixed error value `v ≥ 0` (normalised scores still need calibration).
 */
export type ThresholdSpec = { contamination: number } | { quantile: number } | { value: number };

/**
 * How columns are grouped into one reason in explanations.
 * - `'stem'` (default): `family.name_sin`/`family.name_cos` → `family.name`; one-hot `family.name=value` → `family.name`;
 *   every other column is its own reason.
 * - `'family'`: everything before the first `.` (`time.hour_sin`, `time.weekday` → `time`).
 * - `'column'`: no grouping.
 */
export type GroupingMode = 'stem' | 'family' | 'column';

/** Options of {@link ReconstructionScorer}. */
export interface ScorerOptions {
  /** Feature column names, in row order (the encoder's `columns`). Required, unique, non-empty. */
  columns: readonly string[];
  /** Error metric, default `'mse'`. */
  metric?: ErrorMetric;
  /** Threshold rule, default `{ contamination: 0.01 }`. */
  threshold?: ThresholdSpec;
  /**
   * Per-column weights (array in column order, or a map column → weight; missing columns weigh 1). Finite, ≥ 0, not
   * all zero. The row error is the weighted mean `Σ wⱼ·dⱼ / Σ wⱼ`.
   */
  weights?: readonly number[] | Readonly<Record<string, number>>;
  /** t-digest compression δ for the calibration sketch, in [20, 10000], default 500 (see `sketch.ts` for the error). */
  compression?: number;
  /** Explanations drop reasons whose share of the event's error is below this, in [0, 1), default 0.05. */
  minShare?: number;
  /** Column grouping for explanations, default `'stem'`. */
  grouping?: GroupingMode;
  /** Explicit column → group name overrides, applied after `grouping`. */
  groups?: Readonly<Record<string, string>>;
  /**
   * How errors are calibrated (see docs/scoring.md, "Per-kind calibration"):
   * - `'kind'`: one calibration sketch per event kind, read from the row's `what.kind=<kind>` one-hot columns, so an
   *   event is compared with events of its own kind; scores are then in *surprise* units (see `ScoreBatch.scores`).
   *   Needs `what.kind=*` columns.
   * - `'global'`: one sketch for all events; scores are the raw reconstruction errors.
   * - `'auto'` (default): `'kind'` when the columns include `what.kind=*` one-hots, else `'global'`.
   */
  calibrateBy?: CalibrateBy;
  /**
   * With per-kind calibration, a kind needs at least this many calibration errors for its own sketch; rarer kinds
   * use the global sketch. Integer ≥ 20, default 200.
   */
  minGroupCount?: number;
}

/** Calibration grouping rule of {@link ScorerOptions.calibrateBy}. */
export type CalibrateBy = 'auto' | 'kind' | 'global';

/** Prefix of the one-hot columns that name the event kind (the feature encoder's convention). */
export const KIND_COLUMN_PREFIX = 'what.kind=';

/** Options after defaults and validation. */
export interface ResolvedScorerOptions {
  columns: string[];
  metric: ErrorMetric;
  threshold: ThresholdSpec;
  weights: Float64Array | null;
  compression: number;
  minShare: number;
  grouping: GroupingMode;
  groups: Record<string, string> | null;
  /** Resolved calibration grouping (never `'auto'`). */
  calibrateBy: 'kind' | 'global';
  minGroupCount: number;
}

/** Default threshold rule. */
export const DEFAULT_THRESHOLD: ThresholdSpec = { contamination: 0.01 };

/** Validate and fill defaults. @throws Error naming the option on bad input. */
export function resolveScorerOptions(options: ScorerOptions): ResolvedScorerOptions {
  if (options === null || typeof options !== 'object') {
    throw new Error('ReconstructionScorer options must be an object with at least "columns"');
  }
  const columns = validateColumns(options.columns);
  const metric = options.metric ?? 'mse';
  if (metric !== 'mse' && metric !== 'mae') {
    throw new Error(`ReconstructionScorer option "metric" must be 'mse' or 'mae', got ${JSON.stringify(metric)}`);
  }
  const threshold = validateThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  const weights = options.weights === undefined || options.weights === null ? null : validateWeights(options.weights, columns);
  const compression = options.compression ?? 500;
  if (typeof compression !== 'number' || !Number.isFinite(compression) || compression < 20 || compression > 10_000) {
    throw new Error(`ReconstructionScorer option "compression" must be a number in [20, 10000], got ${String(compression)}`);
  }
  const minShare = options.minShare ?? 0.05;
  if (typeof minShare !== 'number' || !(minShare >= 0 && minShare < 1)) {
    throw new Error(`ReconstructionScorer option "minShare" must be a number in [0, 1), got ${String(minShare)}`);
  }
  const grouping = options.grouping ?? 'stem';
  if (grouping !== 'stem' && grouping !== 'family' && grouping !== 'column') {
    throw new Error(`ReconstructionScorer option "grouping" must be 'stem', 'family' or 'column', got ${JSON.stringify(grouping)}`);
  }
  let groups: Record<string, string> | null = null;
  if (options.groups !== undefined && options.groups !== null) {
    if (typeof options.groups !== 'object') throw new Error('ReconstructionScorer option "groups" must be an object column → group name');
    groups = {};
    for (const key of Object.keys(options.groups).sort()) {
      const g = options.groups[key];
      if (!columns.includes(key)) throw new Error(`ReconstructionScorer option "groups" names unknown column ${JSON.stringify(key)}`);
      if (typeof g !== 'string' || g.length === 0) {
        throw new Error(`ReconstructionScorer option "groups" must map ${JSON.stringify(key)} to a non-empty string`);
      }
      groups[key] = g;
    }
  }
  const hasKinds = columns.some((c) => c.startsWith(KIND_COLUMN_PREFIX) && c.length > KIND_COLUMN_PREFIX.length);
  const by = options.calibrateBy ?? 'auto';
  if (by !== 'auto' && by !== 'kind' && by !== 'global') {
    throw new Error(`ReconstructionScorer option "calibrateBy" must be 'auto', 'kind' or 'global', got ${JSON.stringify(by)}`);
  }
  if (by === 'kind' && !hasKinds) {
    throw new Error(`ReconstructionScorer option "calibrateBy" 'kind' needs one-hot columns named ${KIND_COLUMN_PREFIX}<kind>; use 'global' or 'auto'`);
  }
  const calibrateBy = by === 'auto' ? (hasKinds ? 'kind' : 'global') : by;
  const minGroupCount = options.minGroupCount ?? 200;
  if (typeof minGroupCount !== 'number' || !Number.isInteger(minGroupCount) || minGroupCount < 20) {
    throw new Error(`ReconstructionScorer option "minGroupCount" must be an integer ≥ 20, got ${String(minGroupCount)}`);
  }
  return { columns, metric, threshold, weights, compression, minShare, grouping, groups, calibrateBy, minGroupCount };
}

function validateColumns(columns: readonly string[] | undefined): string[] {
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new Error('ReconstructionScorer option "columns" must be a non-empty array of column names');
  }
  const seen = new Set<string>();
  for (const c of columns) {
    if (typeof c !== 'string' || c.length === 0) {
      throw new Error('ReconstructionScorer option "columns" must contain only non-empty strings');
    }
    if (seen.has(c)) throw new Error(`ReconstructionScorer option "columns" has a duplicate name ${JSON.stringify(c)}`);
    seen.add(c);
  }
  return [...columns];
}

/** Validate a threshold rule. @throws Error naming `threshold.<key>` and the allowed range. */
export function validateThreshold(t: ThresholdSpec): ThresholdSpec {
  if (t === null || typeof t !== 'object') {
    throw new Error('ReconstructionScorer option "threshold" must be { contamination } | { quantile } | { value }');
  }
  const keys = Object.keys(t);
  if (keys.length !== 1) {
    throw new Error(
      `ReconstructionScorer option "threshold" must have exactly one of contamination, quantile, value; got ${JSON.stringify(keys)}`,
    );
  }
  if ('contamination' in t) {
    const c = t.contamination;
    if (typeof c !== 'number' || !(c > 0 && c <= 0.5)) {
      throw new Error(`ReconstructionScorer option "threshold.contamination" must be in (0, 0.5], got ${String(c)}`);
    }
    return { contamination: c };
  }
  if ('quantile' in t) {
    const q = t.quantile;
    if (typeof q !== 'number' || !(q > 0 && q < 1)) {
      throw new Error(`ReconstructionScorer option "threshold.quantile" must be in (0, 1), got ${String(q)}`);
    }
    return { quantile: q };
  }
  if ('value' in t) {
    const v = t.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`ReconstructionScorer option "threshold.value" must be a finite number ≥ 0, got ${String(v)}`);
    }
    return { value: v };
  }
  throw new Error(
    `ReconstructionScorer option "threshold" must have exactly one of contamination, quantile, value; got ${JSON.stringify(keys)}`,
  );
}

function validateWeights(
  weights: readonly number[] | Readonly<Record<string, number>>,
  columns: readonly string[],
): Float64Array {
  const out = new Float64Array(columns.length).fill(1);
  if (Array.isArray(weights)) {
    if (weights.length !== columns.length) {
      throw new Error(`ReconstructionScorer option "weights" has ${weights.length} entries but there are ${columns.length} columns`);
    }
    for (let i = 0; i < weights.length; i++) out[i] = weights[i];
  } else if (typeof weights === 'object') {
    const rec = weights as Readonly<Record<string, number>>;
    for (const key of Object.keys(rec)) {
      const idx = columns.indexOf(key);
      if (idx < 0) throw new Error(`ReconstructionScorer option "weights" names unknown column ${JSON.stringify(key)}`);
      out[idx] = rec[key];
    }
  } else {
    throw new Error('ReconstructionScorer option "weights" must be an array or an object column → weight');
  }
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const w = out[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`ReconstructionScorer option "weights" must be finite numbers ≥ 0 (column ${JSON.stringify(columns[i])})`);
    }
    sum += w;
  }
  if (sum <= 0) throw new Error('ReconstructionScorer option "weights" must not be all zero');
  return out;
}

/** The explanation group of each column under a grouping mode and overrides. */
export function columnGroups(columns: readonly string[], mode: GroupingMode, overrides: Record<string, string> | null): string[] {
  return columns.map((c) => overrides?.[c] ?? groupOf(c, mode));
}

/** The explanation group of one column name (see {@link GroupingMode}). */
export function groupOf(column: string, mode: GroupingMode): string {
  if (mode === 'column') return column;
  if (mode === 'family') {
    const dot = column.indexOf('.');
    return dot > 0 ? column.slice(0, dot) : column;
  }
  const eq = column.indexOf('=');
  if (eq > 0) return column.slice(0, eq);
  const m = /_(sin|cos)$/.exec(column);
  if (m !== null) return column.slice(0, m.index);
  return column;
}
