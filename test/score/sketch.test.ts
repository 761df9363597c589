import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TDigest, tdigestRankErrorBound } from '../../src/score/index.js';
import { normal, rng } from './helpers.js';

const N = 1_000_000;
const QS = [0.0001, 0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.995, 0.999, 0.9999];

const r = rng(42);
const DISTRIBUTIONS: Record<string, () => number> = {
  uniform: () => r(),
  exponential: () => -Math.log(1 - r()),
  lognormal: () => Math.exp(2 * normal(r)),
  'pareto(1.2)': () => Math.pow(1 - r(), -1 / 1.2),
  'chi2(1) (like squared errors)': () => normal(r) ** 2,
};

function exactRank(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (sorted[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo / sorted.length;
}

describe('TDigest accuracy on 1e6 values (documented bound 2π·sqrt(q(1−q))/δ + 1/n)', () => {
  for (const [name, gen] of Object.entries(DISTRIBUTIONS)) {
    it(name, () => {
      const values = new Float64Array(N);
      for (let i = 0; i < N; i++) values[i] = gen();
      const single = new TDigest(500);
      const workers = [new TDigest(500), new TDigest(500), new TDigest(500)];
      for (let i = 0, b = 0; i < N; i += 10_000, b++) {
        const batch = values.subarray(i, i + 10_000);
        single.addBatch(batch);
        workers[b % 3].addBatch(batch);
      }
      const merged = workers[0].merge(workers[1]).merge(workers[2]);
      const sorted = values.slice().sort();
      expect(single.count).toBe(N);
      expect(merged.count).toBe(N);
      expect(single.centroidCount).toBeLessThanOrEqual(500);
      for (const q of QS) {
        const bound = tdigestRankErrorBound(q, 500, N);
        for (const d of [single, merged]) {
          expect(Math.abs(exactRank(sorted, d.quantile(q)) - q)).toBeLessThanOrEqual(bound);
          const x = sorted[Math.floor(q * N)];
          expect(Math.abs(d.cdf(x) - exactRank(sorted, x))).toBeLessThanOrEqual(bound);
        }
      }
      expect(single.min).toBe(sorted[0]);
      expect(single.max).toBe(sorted[N - 1]);
    });
  }
});

describe('TDigest behaviour', () => {
  it('is exact-ish on tiny inputs and handles empty / constant data', () => {
    const d = new TDigest(100);
    expect(Number.isNaN(d.quantile(0.5))).toBe(true);
    expect(Number.isNaN(d.cdf(1))).toBe(true);
    d.addBatch([5, 5, 5]);
    expect(d.quantile(0.5)).toBe(5);
    expect(d.cdf(4)).toBe(0);
    expect(d.cdf(5)).toBe(1);
    const e = new TDigest(100);
    e.addBatch([1, 2, 3, 4, 5]);
    expect(e.quantile(0)).toBe(1);
    expect(e.quantile(1)).toBe(5);
    expect(e.quantile(0.5)).toBe(3);
  });

  it('skips non-finite values and counts them', () => {
    const d = new TDigest();
    expect(d.addBatch([1, NaN, Infinity, 2])).toBe(2);
    expect(d.add(-Infinity)).toBe(false);
    expect(d.count).toBe(2);
  });

  it('validates compression and q', () => {
    expect(() => new TDigest(5)).toThrow(/"compression" must be a number in \[20, 10000\]/);
    expect(() => new TDigest().quantile(1.5)).toThrow(/q must be in \[0, 1\]/);
  });

  it('serialises deterministically and round-trips', () => {
    const d = new TDigest(200);
    const g = rng(5);
    for (let i = 0; i < 50_000; i++) d.add(g());
    const s = JSON.stringify(d.toJSON());
    const e = TDigest.fromJSON(JSON.parse(s));
    expect(JSON.stringify(e.toJSON())).toBe(s);
    for (const q of QS) expect(e.quantile(q)).toBe(d.quantile(q));
  });

  it('quantile and cdf are monotone and cdf(quantile(q)) ≈ q (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }), (xs) => {
        const d = new TDigest(100);
        d.addBatch(xs);
        let prev = -Infinity;
        for (let q = 0; q <= 1; q += 0.05) {
          const v = d.quantile(q);
          expect(v).toBeGreaterThanOrEqual(prev);
          prev = v;
        }
        let prevC = 0;
        const sorted = [...xs].sort((a, b) => a - b);
        for (const x of sorted) {
          const c = d.cdf(x);
          expect(c).toBeGreaterThanOrEqual(prevC - 1e-12);
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(1);
          prevC = c;
        }
      }),
      { numRuns: 60 },
    );
  });
});
