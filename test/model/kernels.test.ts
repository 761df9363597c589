import { describe, expect, it } from 'vitest';
import { assemble, Fn, T } from '../../src/model/kernels/asm.js';
import { WasmNet } from '../../src/model/kernels/net.js';
import { kernelModule, type Kernels } from '../../src/model/kernels/simd.js';
import { lcg, maxAbsDiff } from './helpers.js';

const WA = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer }; Instance: new (m: unknown, i: unknown) => { exports: unknown } } }).WebAssembly;

function instance(): { k: Kernels; f: Float32Array } {
  const memory = new WA.Memory({ initial: 64 });
  const k = new WA.Instance(kernelModule(), { env: { memory } }).exports as Kernels;
  return { k, f: new Float32Array(memory.buffer) };
}

/** Fill f[at/4 .. +n) with values in [-1, 1) and return a copy. */
function fill(f: Float32Array, at: number, n: number, r: () => number): Float32Array {
  for (let i = 0; i < n; i++) f[at / 4 + i] = r() * 2 - 1;
  return f.slice(at / 4, at / 4 + n);
}

const A = 0;
const B = 1 << 18;
const C = 2 << 18;
const D = 3 << 18;
const E = 4 << 18;

describe('wasm SIMD kernels', () => {
  it('the emitter produces a valid module and SIMD is available here', () => {
    expect(kernelModule()).not.toBeNull();
    const f = new Fn('id', [['a', T.i32]], [T.i32], []);
    f.get('a');
    expect(() => new (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => unknown } }).WebAssembly.Module(assemble([f]))).not.toThrow();
  });

  it('dense matches a naive matmul + bias (+ relu) for odd shapes', () => {
    const { k, f } = instance();
    const r = lcg(3);
    for (const [M, K, N] of [[1, 3, 4], [2, 8, 8], [3, 8, 20], [5, 64, 32], [7, 33, 68], [4, 4, 16]]) {
      const x = fill(f, A, M * K, r);
      const w = fill(f, B, K * N, r);
      const b = fill(f, C, N, r);
      for (const relu of [0, 1]) {
        k.dense(A, M, K, B, N, C, D, relu);
        const want = new Float32Array(M * N);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let s = b[j];
            for (let q = 0; q < K; q++) s += x[i * K + q] * w[q * N + j];
            want[i * N + j] = relu && s < 0 ? 0 : s;
          }
        }
        expect(maxAbsDiff(f.subarray(D / 4, D / 4 + M * N), want)).toBeLessThan(1e-5);
      }
    }
  });

  it('backInput, backWeight, reluBack, mseGrad, sumSq and axpy match naive loops', () => {
    const { k, f } = instance();
    const r = lcg(5);
    const [M, K, N] = [5, 12, 20];
    const dy = fill(f, A, M * N, r);
    const w = fill(f, B, K * N, r);
    k.backInput(A, M, N, B, K, C);
    const dx = new Float32Array(M * K);
    for (let i = 0; i < M; i++) for (let q = 0; q < K; q++) for (let j = 0; j < N; j++) dx[i * K + q] += dy[i * N + j] * w[q * N + j];
    expect(maxAbsDiff(f.subarray(C / 4, C / 4 + M * K), dx)).toBeLessThan(1e-5);

    const x = fill(f, D, M * K, r);
    k.backWeight(D, M, K, A, N, E, C);
    const dw = new Float32Array(K * N);
    const db = new Float32Array(N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) db[j] += dy[i * N + j];
      for (let q = 0; q < K; q++) for (let j = 0; j < N; j++) dw[q * N + j] += x[i * K + q] * dy[i * N + j];
    }
    expect(maxAbsDiff(f.subarray(E / 4, E / 4 + K * N), dw)).toBeLessThan(1e-5);
    expect(maxAbsDiff(f.subarray(C / 4, C / 4 + N), db)).toBeLessThan(1e-5);

    const h = fill(f, B, 16, r);
    const d = fill(f, A, 16, r);
    k.reluBack(A, B, 16);
    expect(Array.from(f.subarray(0, 16))).toEqual(Array.from(d).map((v, i) => (h[i] > 0 ? v : 0)));

    const y = fill(f, A, 24, r);
    const t = fill(f, B, 24, r);
    const sse = k.mseGrad(A, B, 24, 0.5, C);
    expect(sse).toBeCloseTo(y.reduce((s, v, i) => s + (v - t[i]) ** 2, 0), 4);
    expect(maxAbsDiff(f.subarray(C / 4, C / 4 + 24), y.map((v, i) => 0.5 * (v - t[i])))).toBeLessThan(1e-6);
    expect(k.sumSq(A, 24)).toBeCloseTo(y.reduce((s, v) => s + v * v, 0), 4);
    k.axpy(A, B, 24, -2);
    expect(maxAbsDiff(f.subarray(B / 4, B / 4 + 24), t.map((v, i) => v - 2 * y[i]))).toBeLessThan(1e-6);
  });

  it('tanhInPlace is within a few float32 ulp of Math.tanh over the whole range; tanhBack multiplies by 1 - h^2', () => {
    const { k, f } = instance();
    const xs = new Float32Array(4096);
    for (let i = 0; i < xs.length; i++) xs[i] = Math.fround(-12 + (24 * i) / (xs.length - 1));
    xs.set([0, -0, 1e-8, -1e-8, 3e-4, 7.9, -7.9, 9, 40, -40, 1e30, -1e30], 0);
    f.set(xs, A / 4);
    k.tanhInPlace(A, xs.length);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = Math.tanh(xs[i]);
      const got = f[A / 4 + i];
      // relative error for small |x| (tanh x ~ x keeps full relative accuracy), absolute near saturation
      worst = Math.max(worst, Math.abs(got - want) / Math.max(Math.abs(want), 1e-30));
    }
    expect(worst).toBeLessThan(5e-7);
    expect(f[A / 4 + 8]).toBe(1); // tanh(40) rounds to 1 in float32
    expect(f[A / 4 + 9]).toBe(-1);
    f[A / 4] = Number.NaN;
    k.tanhInPlace(A, 4);
    expect(Number.isNaN(f[A / 4])).toBe(true);

    const r = lcg(6);
    const h = fill(f, B, 16, r);
    const d = fill(f, A, 16, r);
    k.tanhBack(A, B, 16);
    expect(maxAbsDiff(f.subarray(0, 16), d.map((v, i) => v * (1 - h[i] * h[i])))).toBeLessThan(1e-7);
  });

  it('a tanh network trains by the true gradient: one SGD step matches finite differences of the loss', () => {
    const r = lcg(11);
    const dims = [6, 5, 3, 5, 6];
    const acts = ['tanh', 'tanh', 'tanh', 'tanh'] as const; // tanh output too: its derivative is applied to the loss gradient
    // weights large enough that the tanh units work away from their linear middle (1 - h^2 well below 1)
    const kernels = [0, 1, 2, 3].map((l) => Float32Array.from({ length: dims[l] * dims[l + 1] }, () => (r() - 0.5) * 3));
    const biases = [1, 2, 3, 4].map((l) => Float32Array.from({ length: dims[l] }, () => r() - 0.5));
    const x = Float32Array.from({ length: 8 * 6 }, () => r() * 1.8 - 0.9);
    // the loss in float64 with Math.tanh, for finite differences
    const loss = (ks: Float32Array[]): number => {
      let h = Float64Array.from(x);
      for (let l = 0; l < 4; l++) {
        const [K, N] = [dims[l], dims[l + 1]];
        const o = new Float64Array(8 * N);
        for (let i = 0; i < 8; i++) for (let j = 0; j < N; j++) {
          let s = biases[l][j];
          for (let q = 0; q < K; q++) s += h[i * K + q] * ks[l][q * N + j];
          o[i * N + j] = Math.tanh(s);
        }
        h = o;
      }
      let sse = 0;
      for (let i = 0; i < x.length; i++) sse += (h[i] - x[i]) ** 2;
      return sse / x.length;
    };
    const net = WasmNet.create(dims, [...acts], 8) as WasmNet;
    net.setWeights(kernels, biases);
    const lr = 1e-3;
    const before = net.trainStep(x, 8, { optimizer: 'sgd', learningRate: lr, l2: 0 });
    expect(before).toBeCloseTo(loss(kernels), 5);
    const after = net.getWeights();
    // SGD: w' = w - lr * dL/dw, so the kernel's gradient is (w - w') / lr; compare with central differences
    const got: number[] = [];
    const want: number[] = [];
    for (let l = 0; l < 4; l++) {
      for (let e = 0; e < kernels[l].length; e += 3) {
        got.push((kernels[l][e] - after.kernels[l][e]) / lr);
        const eps = 1e-3;
        const plus = kernels.map((k) => Float32Array.from(k));
        const minus = kernels.map((k) => Float32Array.from(k));
        plus[l][e] += eps;
        minus[l][e] -= eps;
        want.push((loss(plus) - loss(minus)) / (2 * eps));
      }
    }
    const norm = (v: number[]): number => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
    expect(got.length).toBeGreaterThan(20);
    expect(norm(want)).toBeGreaterThan(1e-2);
    // relative error of the whole gradient (float32 weights and an SGD step of 1e-3 limit it to ~1e-3)
    expect(norm(got.map((g, i) => g - want[i])) / norm(want)).toBeLessThan(1e-2);
  });

  it('adam follows the tfjs update rule', () => {
    const { k, f } = instance();
    const r = lcg(8);
    const p = fill(f, A, 8, r);
    const g = fill(f, B, 8, r);
    const m = fill(f, C, 8, r).map((v) => v * 0.1);
    f.set(m, C / 4);
    const v = fill(f, D, 8, r).map((x) => x * x * 0.01);
    f.set(v, D / 4);
    const [b1, b2, lr, eps, t] = [0.9, 0.999, 0.01, 1e-7, 3];
    k.adam(A, B, C, D, 8, b1, b2, 1 - b1 ** t, 1 - b2 ** t, lr, eps);
    for (let i = 0; i < 8; i++) {
      const m2 = b1 * m[i] + (1 - b1) * g[i];
      const v2 = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const p2 = p[i] - (lr * (m2 / (1 - b1 ** t))) / (Math.sqrt(v2 / (1 - b2 ** t)) + eps);
      expect(f[C / 4 + i]).toBeCloseTo(m2, 6);
      expect(f[D / 4 + i]).toBeCloseTo(v2, 6);
      expect(f[A / 4 + i]).toBeCloseTo(p2, 5);
    }
  });

  it('WasmNet pads odd widths with zeros that stay zero, and round-trips weights', () => {
    const r = lcg(2);
    const dims = [7, 5, 3, 5, 7];
    const net = WasmNet.create(dims, ['relu', 'relu', 'relu', 'linear'], 16) as WasmNet;
    const kernels = [0, 1, 2, 3].map((l) => Float32Array.from({ length: dims[l] * dims[l + 1] }, () => r() - 0.5));
    const biases = [1, 2, 3, 4].map((l) => Float32Array.from({ length: dims[l] }, () => r() - 0.5));
    net.setWeights(kernels, biases);
    const got = net.getWeights();
    got.kernels.forEach((k, i) => expect(Array.from(k)).toEqual(Array.from(kernels[i])));
    const x = Float32Array.from({ length: 40 * 7 }, () => r() - 0.5);
    for (let s = 0; s < 20; s++) net.trainStep(x, 40, { optimizer: 'adam', learningRate: 0.01, l2: 0.001 }); // grows capacity past 16
    const out = new Float32Array(40 * 7);
    net.forward(x, 40, out);
    // naive forward with the trained weights
    const w = net.getWeights();
    let h = x;
    for (let l = 0; l < 4; l++) {
      const K = dims[l];
      const N = dims[l + 1];
      const o = new Float32Array(40 * N);
      for (let i = 0; i < 40; i++) {
        for (let j = 0; j < N; j++) {
          let s = w.biases[l][j];
          for (let q = 0; q < K; q++) s += h[i * K + q] * w.kernels[l][q * N + j];
          o[i * N + j] = l < 3 && s < 0 ? 0 : s;
        }
      }
      h = o;
    }
    expect(maxAbsDiff(out, h)).toBeLessThan(1e-5);
    // padding stayed zero: snapshot has exactly zeros in padded kernel columns of layer 0 (7x5 padded to 8x8)
    const snap = net.snapshot();
    for (let k = 0; k < 8; k++) for (let j = 5; j < 8; j++) expect(snap[k * 8 + j]).toBe(0);
  });
});
