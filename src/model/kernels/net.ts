/**
 * A dense relu/tanh/linear network held in WebAssembly memory and run with the SIMD kernels: forward passes for
 * scoring, and whole training steps (forward, MSE backward, L2, Adam or SGD) with no per-op dispatch.
 * Layer widths are padded to multiples of 4 with zero columns that stay zero through training.
 *
 * @module
 */
import { kernelModule, type Kernels } from './simd.js';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api.js';

/** Optimiser settings for {@link WasmNet.trainStep} (tfjs semantics and defaults). */
export interface StepOptions {
  optimizer: 'adam' | 'sgd';
  learningRate: number;
  l2: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const pad4 = (n: number): number => (n + 3) & ~3;
const PAGE = 65536;

/** True when this runtime can run the SIMD kernels. */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/** Activations the kernels implement. */
export type KernelActivation = 'linear' | 'relu' | 'tanh';

/** A network of dense layers of widths `dims` (dims[0] = input = output width), one activation per layer. */
export class WasmNet {
  readonly dims: readonly number[];
  readonly acts: readonly KernelActivation[];
  private readonly padded: number[];
  private readonly L: number;
  private k!: Kernels;
  private mem!: WasmMemory;
  private f!: Float32Array;
  private cap = 0;
  /** byte offsets */
  private wOff: number[] = [];
  private bOff: number[] = [];
  private pBase = 0;
  private gBase = 0;
  private mBase = 0;
  private vBase = 0;
  private pCount = 0;
  private aOff: number[] = [];
  private d1 = 0;
  private d2 = 0;
  private step = 0;

  /** Create a network, or null when WebAssembly SIMD is unavailable. */
  static create(dims: readonly number[], acts: readonly KernelActivation[], capacity = 512): WasmNet | null {
    const mod = kernelModule();
    if (mod === null) return null;
    return new WasmNet(mod, dims, acts, capacity);
  }

  private constructor(private readonly mod: WasmModule, dims: readonly number[], acts: readonly KernelActivation[], capacity: number) {
    if (acts.length !== dims.length - 1) throw new Error('WasmNet: one activation per layer');
    for (const a of acts) if (a !== 'linear' && a !== 'relu' && a !== 'tanh') throw new Error(`WasmNet: activation ${String(a)} is not implemented`);
    this.dims = [...dims];
    this.acts = [...acts];
    this.padded = dims.map(pad4);
    this.L = dims.length - 1;
    this.layout(capacity, null);
  }

  /** Params are laid out first; activations and gradients after, sized for `cap` rows. */
  private layout(cap: number, keep: Float32Array | null): void {
    const P = this.padded;
    let off = 0;
    this.wOff = [];
    this.bOff = [];
    for (let l = 0; l < this.L; l++) {
      this.wOff.push(off);
      off += P[l] * P[l + 1] * 4;
      this.bOff.push(off);
      off += P[l + 1] * 4;
    }
    this.pCount = off / 4;
    this.pBase = 0;
    this.gBase = off;
    this.mBase = 2 * off;
    this.vBase = 3 * off;
    let at = 4 * off;
    this.aOff = [];
    for (let l = 0; l <= this.L; l++) {
      this.aOff.push(at);
      at += cap * P[l] * 4;
    }
    const widest = Math.max(...P);
    this.d1 = at;
    at += cap * widest * 4;
    this.d2 = at;
    at += cap * widest * 4;
    const pages = Math.ceil(at / PAGE) + 1;
    const api = wasmApi as NonNullable<typeof wasmApi>;
    this.mem = new api.Memory({ initial: pages });
    this.k = new api.Instance(this.mod, { env: { memory: this.mem } }).exports as unknown as Kernels;
    this.f = new Float32Array(this.mem.buffer);
    if (keep !== null) this.f.set(keep, 0);
    this.cap = cap;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    const keep = this.f.slice(0, this.pCount * 4); // params, grads, m, v
    this.layout(n, keep);
  }

  /** Load weights in tfjs layout: kernels[l] is dims[l] x dims[l+1] row-major, biases[l] has dims[l+1]. */
  setWeights(kernels: readonly Float32Array[], biases: readonly Float32Array[]): void {
    const P = this.padded;
    const f = this.f;
    for (let l = 0; l < this.L; l++) {
      const K = this.dims[l];
      const N = this.dims[l + 1];
      const base = (this.pBase + this.wOff[l]) / 4;
      f.fill(0, base, base + P[l] * P[l + 1]);
      for (let k = 0; k < K; k++) f.set(kernels[l].subarray(k * N, k * N + N), base + k * P[l + 1]);
      const b = (this.pBase + this.bOff[l]) / 4;
      f.fill(0, b, b + P[l + 1]);
      f.set(biases[l], b);
    }
  }

  /** Weights in tfjs layout (copies). */
  getWeights(): { kernels: Float32Array[]; biases: Float32Array[] } {
    const kernels: Float32Array[] = [];
    const biases: Float32Array[] = [];
    for (let l = 0; l < this.L; l++) {
      const K = this.dims[l];
      const N = this.dims[l + 1];
      const base = (this.pBase + this.wOff[l]) / 4;
      const w = new Float32Array(K * N);
      for (let k = 0; k < K; k++) w.set(this.f.subarray(base + k * this.padded[l + 1], base + k * this.padded[l + 1] + N), k * N);
      kernels.push(w);
      const b = (this.pBase + this.bOff[l]) / 4;
      biases.push(this.f.slice(b, b + N));
    }
    return { kernels, biases };
  }

  /** A copy of the parameters (for early-stopping snapshots). */
  snapshot(): Float32Array {
    return this.f.slice(this.pBase / 4, this.pBase / 4 + this.pCount);
  }

  /** Restore parameters from {@link snapshot}. */
  restore(s: Float32Array): void {
    this.f.set(s, this.pBase / 4);
  }

  /** Forget optimiser state (moments and step count). */
  resetOptimizer(): void {
    this.f.fill(0, this.mBase / 4, this.mBase / 4 + 2 * this.pCount);
    this.step = 0;
  }

  private copyIn(rows: Float32Array, start: number, n: number): void {
    const W = this.dims[0];
    const Wp = this.padded[0];
    const dst = this.aOff[0] / 4;
    if (W === Wp) this.f.set(rows.subarray(start * W, (start + n) * W), dst);
    else for (let r = 0; r < n; r++) this.f.set(rows.subarray((start + r) * W, (start + r + 1) * W), dst + r * Wp);
  }

  private forwardBlock(n: number): void {
    const P = this.padded;
    for (let l = 0; l < this.L; l++) {
      this.k.dense(this.aOff[l], n, P[l], this.pBase + this.wOff[l], P[l + 1], this.pBase + this.bOff[l], this.aOff[l + 1], this.acts[l] === 'relu' ? 1 : 0);
      // padded columns stay 0 through tanh (tanh 0 = 0), as through relu
      if (this.acts[l] === 'tanh') this.k.tanhInPlace(this.aOff[l + 1], n * P[l + 1]);
    }
  }

  /** Rows per block in {@link forward} (activations of a block stay in cache). */
  forwardBlockRows = 256;

  /** Reconstruct `n` rows of `rows` (dims[0] wide) into `out`. */
  forward(rows: Float32Array, n: number, out: Float32Array): void {
    const W = this.dims[0];
    const Wp = this.padded[this.L];
    this.ensureCapacity(this.forwardBlockRows);
    const block = this.forwardBlockRows;
    for (let start = 0; start < n; start += block) {
      const m = Math.min(block, n - start);
      this.copyIn(rows, start, m);
      this.forwardBlock(m);
      const src = this.aOff[this.L] / 4;
      if (W === Wp) out.set(this.f.subarray(src, src + m * W), start * W);
      else for (let r = 0; r < m; r++) out.set(this.f.subarray(src + r * Wp, src + r * Wp + W), (start + r) * W);
    }
  }

  /** Sum of squared reconstruction errors over `n` rows (for validation). */
  sse(rows: Float32Array, n: number): number {
    let total = 0;
    const block = Math.max(1, this.cap);
    for (let start = 0; start < n; start += block) {
      const m = Math.min(block, n - start);
      this.copyIn(rows, start, m);
      this.forwardBlock(m);
      total += this.k.mseGrad(this.aOff[this.L], this.aOff[0], m * this.padded[0], 0, this.d1);
    }
    return total;
  }

  /** d *= activation'(layer l's pre-activation), from layer l's outputs (held at aOff[l + 1]), for `n` rows. */
  private activationBack(l: number, d: number, n: number): void {
    const a = this.acts[l];
    if (a === 'relu') this.k.reluBack(d, this.aOff[l + 1], n * this.padded[l + 1]);
    else if (a === 'tanh') this.k.tanhBack(d, this.aOff[l + 1], n * this.padded[l + 1]);
  }

  /** One optimisation step on a batch of `n` rows; returns the loss (MSE + l2 * sum W^2) before the update. */
  trainStep(rows: Float32Array, n: number, o: StepOptions): number {
    this.ensureCapacity(n);
    const P = this.padded;
    const W = this.dims[0];
    const k = this.k;
    this.copyIn(rows, 0, n);
    this.forwardBlock(n);
    const sse = k.mseGrad(this.aOff[this.L], this.aOff[0], n * P[0], 2 / (n * W), this.d1);
    // through the output activation (a linear output, the usual case, has none)
    this.activationBack(this.L - 1, this.d1, n);
    let cur = this.d1;
    let nxt = this.d2;
    for (let l = this.L - 1; l >= 0; l--) {
      k.backWeight(this.aOff[l], n, P[l], cur, P[l + 1], this.gBase + this.wOff[l], this.gBase + this.bOff[l]);
      if (l > 0) {
        k.backInput(cur, n, P[l + 1], this.pBase + this.wOff[l], P[l], nxt);
        this.activationBack(l - 1, nxt, n);
        const t = cur;
        cur = nxt;
        nxt = t;
      }
    }
    let l2sum = 0;
    if (o.l2 > 0) {
      for (let l = 0; l < this.L; l++) {
        const count = P[l] * P[l + 1];
        l2sum += k.sumSq(this.pBase + this.wOff[l], count);
        k.axpy(this.pBase + this.wOff[l], this.gBase + this.wOff[l], count, 2 * o.l2);
      }
    }
    this.step++;
    if (o.optimizer === 'adam') {
      const b1 = o.beta1 ?? 0.9;
      const b2 = o.beta2 ?? 0.999;
      k.adam(this.pBase, this.gBase, this.mBase, this.vBase, this.pCount, b1, b2, 1 - b1 ** this.step, 1 - b2 ** this.step, o.learningRate, o.epsilon ?? 1e-7);
    } else {
      k.axpy(this.gBase, this.pBase, this.pCount, -o.learningRate);
    }
    return sse / (n * W) + o.l2 * l2sum;
  }
}
