/**
 * Baseline detectors for the detection benchmark, on the same feature rows the autoencoder sees:
 * an Isolation Forest (Liu, Ting & Zhou 2008) and PCA reconstruction error. Benchmarks, not library code.
 *
 * @module
 */
import { mulberry32 } from '../src/model/random.js';

/** The model's seeded PRNG (mulberry32). */
const rng = mulberry32;

/** Average path length of an unsuccessful BST search among n points: c(n). */
function cOf(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649) - (2 * (n - 1)) / n;
}

interface Node {
  /** Split feature, -1 for a leaf. */
  f: number;
  /** Split value. */
  v: number;
  /** Leaf size. */
  size: number;
  left: Node | null;
  right: Node | null;
}

/** Isolation Forest: `trees` random trees on sub-samples of `sampleSize` rows; score = 2^(−E[h(x)]/c(ψ)). */
export class IsolationForest {
  private trees: Node[] = [];
  private psi = 0;
  private width = 0;

  constructor(
    readonly options: { trees?: number; sampleSize?: number; seed?: number } = {},
  ) {}

  /** Fits on row-major rows (`n × width`). */
  fit(rows: Float32Array, width: number): this {
    const n = rows.length / width;
    const trees = this.options.trees ?? 100;
    const psi = Math.min(this.options.sampleSize ?? 256, n);
    const r = rng(this.options.seed ?? 1);
    const maxDepth = Math.ceil(Math.log2(Math.max(2, psi)));
    this.psi = psi;
    this.width = width;
    this.trees = [];
    for (let t = 0; t < trees; t++) {
      const idx: number[] = [];
      for (let i = 0; i < psi; i++) idx.push(Math.floor(r() * n));
      this.trees.push(this.build(rows, idx, 0, maxDepth, r));
    }
    return this;
  }

  private build(rows: Float32Array, idx: number[], depth: number, maxDepth: number, r: () => number): Node {
    const w = this.width;
    if (depth >= maxDepth || idx.length <= 1) return { f: -1, v: 0, size: idx.length, left: null, right: null };
    // Pick a feature with spread among these rows (try a few times).
    for (let attempt = 0; attempt < 8; attempt++) {
      const f = Math.floor(r() * w);
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of idx) {
        const x = rows[i * w + f];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (hi > lo) {
        const v = lo + r() * (hi - lo);
        const L: number[] = [];
        const R: number[] = [];
        for (const i of idx) (rows[i * w + f] < v ? L : R).push(i);
        return { f, v, size: idx.length, left: this.build(rows, L, depth + 1, maxDepth, r), right: this.build(rows, R, depth + 1, maxDepth, r) };
      }
    }
    return { f: -1, v: 0, size: idx.length, left: null, right: null };
  }

  /** Anomaly scores in (0, 1], higher = more anomalous. */
  score(rows: Float32Array): Float32Array {
    const w = this.width;
    const n = rows.length / w;
    const out = new Float32Array(n);
    const c = cOf(this.psi);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (const tree of this.trees) {
        let node = tree;
        let depth = 0;
        while (node.f >= 0) {
          node = rows[i * w + node.f] < node.v ? (node.left as Node) : (node.right as Node);
          depth++;
        }
        sum += depth + cOf(node.size);
      }
      out[i] = Math.pow(2, -sum / this.trees.length / c);
    }
    return out;
  }
}

/** Symmetric eigen-decomposition by cyclic Jacobi rotations. Returns eigenvalues and column eigenvectors. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = new Float64Array(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i];
  return { values, vectors: V };
}

/** PCA reconstruction error: keep the top components explaining `variance` of the training variance. */
export class PcaDetector {
  private mean = new Float64Array(0);
  private components: Float64Array[] = [];
  private width = 0;
  private sum = new Float64Array(0);
  private cross = new Float64Array(0);
  private n = 0;
  /** Components kept after {@link PcaDetector.finish}. */
  k = 0;

  constructor(readonly options: { variance?: number; components?: number } = {}) {}

  /** Streams training rows into the covariance accumulators. */
  partialFit(rows: Float32Array, width: number): this {
    if (this.width === 0) {
      this.width = width;
      this.sum = new Float64Array(width);
      this.cross = new Float64Array(width * width);
    }
    const w = width;
    const n = rows.length / w;
    for (let i = 0; i < n; i++) {
      const o = i * w;
      for (let a = 0; a < w; a++) {
        const xa = rows[o + a];
        this.sum[a] += xa;
        if (xa === 0) continue;
        for (let b = a; b < w; b++) this.cross[a * w + b] += xa * rows[o + b];
      }
    }
    this.n += n;
    return this;
  }

  /** Computes the components. */
  finish(): this {
    const w = this.width;
    const n = this.n;
    this.mean = new Float64Array(w);
    for (let a = 0; a < w; a++) this.mean[a] = this.sum[a] / n;
    const cov = new Float64Array(w * w);
    for (let a = 0; a < w; a++) {
      for (let b = a; b < w; b++) {
        const v = this.cross[a * w + b] / n - this.mean[a] * this.mean[b];
        cov[a * w + b] = v;
        cov[b * w + a] = v;
      }
    }
    const { values, vectors } = symmetricEigen(cov, w);
    const order = Array.from({ length: w }, (_, i) => i).sort((x, y) => values[y] - values[x]);
    const total = values.reduce((s, v) => s + Math.max(0, v), 0);
    let k = this.options.components ?? 0;
    if (k === 0) {
      const target = this.options.variance ?? 0.9;
      let acc = 0;
      for (const i of order) {
        k++;
        acc += Math.max(0, values[i]);
        if (acc >= target * total) break;
      }
    }
    this.k = k;
    this.components = order.slice(0, k).map((i) => {
      const v = new Float64Array(w);
      for (let r = 0; r < w; r++) v[r] = vectors[r * w + i];
      return v;
    });
    return this;
  }

  /** Squared reconstruction error per row. */
  score(rows: Float32Array): Float32Array {
    const w = this.width;
    const n = rows.length / w;
    const out = new Float32Array(n);
    const x = new Float64Array(w);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let a = 0; a < w; a++) {
        x[a] = rows[i * w + a] - this.mean[a];
        norm += x[a] * x[a];
      }
      let proj = 0;
      for (const c of this.components) {
        let d = 0;
        for (let a = 0; a < w; a++) d += x[a] * c[a];
        proj += d * d;
      }
      out[i] = Math.max(0, norm - proj);
    }
    return out;
  }
}
