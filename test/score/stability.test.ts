import { describe, expect, it } from 'vitest';
import { rankBiasedOverlap, rankingStability, topKIds, topKJaccard, topKOverlap, type ScoredEvent } from '../../src/score/index.js';
import { ev, normal, rng } from './helpers.js';

describe('top-k overlap', () => {
  it('is 1 for identical and 0 for disjoint top-k', () => {
    const a = [5, 4, 3, 2, 1, 0];
    expect(topKOverlap(a, a, 3)).toBe(1);
    expect(topKOverlap(a, [0, 1, 2, 3, 4, 5], 3)).toBe(0);
    expect(topKJaccard(a, [0, 1, 2, 3, 4, 5], 3)).toBe(0);
    expect(rankBiasedOverlap(a, a, 3)).toBeCloseTo(1, 12);
    expect(rankBiasedOverlap(a, [0, 1, 2, 3, 4, 5], 3)).toBe(0);
  });

  it('counts partial overlap and weights the top more in RBO', () => {
    // top-4 of a: 0,1,2,3 ; of b: 0,1,4,5 ; of c: 4,5,0,1
    const a = new Float32Array([9, 8, 7, 6, 1, 1]);
    const b = new Float32Array([9, 8, 1, 1, 7, 6]);
    const c = new Float32Array([7, 6, 1, 1, 9, 8]);
    expect(topKIds(a, 4)).toEqual(['0', '1', '2', '3']);
    expect(topKOverlap(a, b, 4)).toBe(0.5);
    expect(topKJaccard(a, b, 4)).toBeCloseTo(2 / 6, 12);
    expect(topKOverlap(a, c, 4)).toBe(0.5);
    expect(rankBiasedOverlap(a, b, 4)).toBeGreaterThan(rankBiasedOverlap(a, c, 4));
  });

  it('breaks ties by position and ranks NaN last', () => {
    expect(topKIds([1, NaN, 1, 2], 4)).toEqual(['3', '0', '2', '1']);
  });

  it('identifies scored events by their identity, not their position', () => {
    const events = Array.from({ length: 6 }, (_, i) => ev({ timestamp: 1000 * i, hostName: `h${i}`, pid: i, userName: 'u' }));
    const run1: ScoredEvent[] = events.map((e, i) => ({ event: e, score: i, normalized: 0, isAnomaly: false, reasons: [] }));
    const run2 = [...run1].reverse().map((s) => ({ ...s }));
    expect(topKOverlap(run1, run2, 3)).toBe(1);
    run2[0] = { ...run2[0], score: -1 };
    expect(topKOverlap(run1, run2, 3)).toBeCloseTo(2 / 3, 12);
  });

  it('rankingStability: mean pairwise agreement drops as seed noise grows', () => {
    const r = rng(3);
    const n = 2000;
    const truth = Float32Array.from({ length: n }, () => normal(r));
    const runs = (noise: number): Float32Array[] =>
      Array.from({ length: 4 }, () => Float32Array.from(truth, (t) => t + noise * normal(r)));
    const calm = rankingStability(runs(0.01), 50);
    const noisy = rankingStability(runs(1), 50);
    expect(calm.pairs).toBe(6);
    expect(calm.meanOverlap).toBeGreaterThan(0.9);
    expect(noisy.meanOverlap).toBeLessThan(calm.meanOverlap);
    expect(noisy.minOverlap).toBeLessThanOrEqual(noisy.meanOverlap);
    expect(calm.meanRbo).toBeGreaterThan(noisy.meanRbo);
    expect(calm.stableCore.length).toBeGreaterThan(noisy.stableCore.length);
    expect(() => rankingStability([truth], 5)).toThrow(/at least 2/);
    expect(() => rankingStability([truth, truth], 0)).toThrow(/"k"/);
  });
});

describe('topKIds', () => {
  it('matches a full sort on random data with ties (property)', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (xs, k) => {
        const ref = xs.map((v, i) => i).sort((a, b) => xs[b] - xs[a] || a - b).slice(0, k).map(String);
        expect(topKIds(xs, k)).toEqual(ref);
      }),
      { numRuns: 200 },
    );
  });
});
