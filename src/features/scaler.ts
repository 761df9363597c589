/**
 * Scaling learned in `fit`: a fixed-size uniform reservoir sample (Vitter's Algorithm L, seeded and therefore
 * deterministic) of the transformed values of every scaled column, from which `finalize` computes a centre and a
 * scale per column: robust = median and IQR / 1.349 (equal to the standard deviation for normal data), or
 * standard = mean and standard deviation. A column whose IQR is 0 (most zero-inflated counts) falls back to its
 * standard deviation, then to 1.
 *
 * Memory: `sampleSize × columns` float32 values. Error: the sample quantile's rank is within about
 * `±1/sqrt(sampleSize)` (±1.6% at the default 4096) of the true rank with ~95% probability — irrelevant for
 * scaling, which only needs the right order of magnitude.
 *
 * @module
 */
import { fromBase64, toBase64 } from './table.js';

/** Serialised `ReservoirScaler` (the encoder's robust scaling). */
export interface ScalerState {
  /** Scaled columns. */
  columns: number;
  /** Reservoir capacity. */
  sampleSize: number;
  /** Values offered so far. */
  seen: number;
  /** Algorithm L state. */
  next: number;
  /** Algorithm L state. */
  w: number;
  /** PRNG state (uint32). */
  rng: number;
  /** Base64 of the sample (float32, row-major `min(seen, sampleSize) × columns`). */
  sample: string;
  /** Learned centre per column. */
  center: number[];
  /** Learned scale per column. */
  scale: number[];
  /** Whether `finalize` has run on the current sample. */
  fitted: boolean;
}

/** Reservoir-sample-based scaler for `columns` values per row. */
export class ReservoirScaler {
  private sample: Float32Array;
  private seen = 0;
  private next = 0;
  private w = 1;
  private rng: number;
  /** Centre per column (0 before fit). */
  readonly center: Float64Array;
  /** Scale per column (1 before fit). */
  readonly scale: Float64Array;
  /** True once statistics reflect every offered row. */
  fitted = false;

  constructor(
    readonly columns: number,
    readonly sampleSize: number,
    private readonly seed: number,
    private readonly method: 'robust' | 'standard',
    private readonly minScale = 0,
  ) {
    this.sample = new Float32Array(sampleSize * columns);
    this.center = new Float64Array(columns);
    this.scale = new Float64Array(columns).fill(1);
    this.rng = seed >>> 0;
    this.reset();
  }

  private random(): number {
    // mulberry32; never returns exactly 0 or 1.
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  }

  /** Forgets the sample and the learned statistics. */
  reset(): void {
    this.seen = 0;
    this.rng = this.seed >>> 0;
    this.w = Math.exp(Math.log(this.random()) / this.sampleSize);
    this.next = this.sampleSize + Math.floor(Math.log(this.random()) / Math.log(1 - this.w));
    this.center.fill(0);
    this.scale.fill(1);
    this.fitted = false;
  }

  /** Whether the next offered row will be kept (call before computing the row's values if that is costly). */
  wants(): boolean {
    return this.seen < this.sampleSize || this.seen === this.next;
  }

  /** Offers one row (`values[off .. off + columns]`), keeping it with the reservoir's probability. */
  offer(values: Float64Array): void {
    const k = this.sampleSize;
    const c = this.columns;
    let slot = -1;
    if (this.seen < k) slot = this.seen;
    else if (this.seen === this.next) {
      slot = Math.floor(this.random() * k);
      this.w *= Math.exp(Math.log(this.random()) / k);
      this.next += Math.floor(Math.log(this.random()) / Math.log(1 - this.w)) + 1;
    }
    if (slot >= 0) for (let j = 0; j < c; j++) this.sample[slot * c + j] = values[j];
    this.seen++;
    this.fitted = false;
  }

  /** Counts one row that {@link ReservoirScaler.wants} declined (keeps the sampling uniform). */
  skip(): void {
    this.seen++;
    this.fitted = false;
  }

  /** Rows offered so far. */
  get rows(): number {
    return this.seen;
  }

  /** Computes centre and scale from the sample (no-op without rows). */
  finalize(): void {
    const n = Math.min(this.seen, this.sampleSize);
    if (n === 0) return;
    const col = new Float64Array(n);
    for (let j = 0; j < this.columns; j++) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const v = this.sample[i * this.columns + j];
        col[i] = v;
        sum += v;
      }
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (col[i] - mean) * (col[i] - mean);
      const std = Math.sqrt(ss / n);
      let center = mean;
      let scale = std;
      if (this.method === 'robust') {
        col.sort();
        const q = (p: number): number => {
          const x = p * (n - 1);
          const lo = Math.floor(x);
          const hi = Math.min(n - 1, lo + 1);
          return col[lo] + (col[hi] - col[lo]) * (x - lo);
        };
        center = q(0.5);
        scale = (q(0.75) - q(0.25)) / 1.349;
        if (!(scale > 1e-9)) scale = std;
      }
      this.center[j] = Number.isFinite(center) ? center : 0;
      scale = scale > 1e-9 && Number.isFinite(scale) ? scale : 1;
      this.scale[j] = scale < this.minScale ? this.minScale : scale;
    }
    this.fitted = true;
  }

  /** Bytes held by the sample. */
  get bytes(): number {
    return this.sample.byteLength;
  }

  /** Serialises the sample and statistics (deterministic). */
  toJSON(): ScalerState {
    const n = Math.min(this.seen, this.sampleSize);
    return {
      columns: this.columns,
      sampleSize: this.sampleSize,
      seen: this.seen,
      next: this.next,
      w: this.w,
      rng: this.rng,
      sample: toBase64(this.sample.subarray(0, n * this.columns)),
      center: Array.from(this.center),
      scale: Array.from(this.scale),
      fitted: this.fitted,
    };
  }

  /** Restores a serialised scaler with the same columns and sample size. */
  load(s: ScalerState): void {
    if (s === null || typeof s !== 'object') throw new Error('encoder state: scaling must be an object');
    if (s.columns !== this.columns || s.sampleSize !== this.sampleSize) {
      throw new Error(
        `encoder state: scaling has ${String(s.columns)} columns × ${String(s.sampleSize)} samples, the spec gives ${this.columns} × ${this.sampleSize}`,
      );
    }
    const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    if (!ok(s.seen) || !ok(s.next) || !ok(s.w) || !ok(s.rng) || s.seen < 0) throw new Error('encoder state: scaling counters must be finite numbers');
    if (!Array.isArray(s.center) || !Array.isArray(s.scale) || s.center.length !== this.columns || s.scale.length !== this.columns) {
      throw new Error(`encoder state: scaling.center and scaling.scale must have ${this.columns} numbers`);
    }
    if (!s.center.every(ok) || !s.scale.every((x) => ok(x) && x > 0)) throw new Error('encoder state: scaling.center/scale must be finite (scale > 0)');
    const n = Math.min(s.seen, this.sampleSize);
    this.sample = new Float32Array(this.sampleSize * this.columns);
    this.sample.set(fromBase64(s.sample, Float32Array, n * this.columns, 'scaling.sample'));
    this.seen = s.seen;
    this.next = s.next;
    this.w = s.w;
    this.rng = s.rng >>> 0;
    this.center.set(s.center);
    this.scale.set(s.scale);
    this.fitted = s.fitted === true;
  }
}
