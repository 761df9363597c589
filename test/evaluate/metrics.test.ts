import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { rankItems, rocAuc, averagePrecision, precisionAtK, recallAtFpr, midRanks, median } from '../../src/evaluate/index.js';

function ranked(scores: number[], labels: number[]) {
  return rankItems(Float64Array.from(scores), Uint8Array.from(labels));
}

describe('metrics: hand-computed values', () => {
  // sorted: 1 0 1 0 0 1 (P = 3, N = 3)
  const r = ranked([0.5, 0.9, 0.4, 0.7, 0.8, 0.6], [0, 1, 1, 1, 0, 0]);

  it('ROC-AUC counts positive-over-negative pairs: (3 + 2 + 0) / 9', () => {
    expect(rocAuc(r)).toBeCloseTo(5 / 9, 12);
  });

  it('average precision = 1/3*1 + 1/3*2/3 + 1/3*1/2 = 13/18', () => {
    expect(averagePrecision(r)).toBeCloseTo(13 / 18, 12);
  });

  it('precision@k', () => {
    expect(precisionAtK(r, 1).precision).toBe(1);
    expect(precisionAtK(r, 2).precision).toBe(0.5);
    expect(precisionAtK(r, 3).precision).toBeCloseTo(2 / 3, 12);
    expect(precisionAtK(r, 100)).toEqual({ precision: 0.5, positives: 3, k: 6 });
  });

  it('recall at an FPR budget uses the lowest threshold within budget', () => {
    const p = recallAtFpr(r, 1 / 3);
    expect(p.recall).toBeCloseTo(2 / 3, 12);
    expect(p.threshold).toBe(0.7);
    expect(p.actualFpr).toBeCloseTo(1 / 3, 12);
    expect([p.truePositives, p.falsePositives]).toEqual([2, 1]);
    const z = recallAtFpr(r, 0);
    expect(z.recall).toBeCloseTo(1 / 3, 12);
    expect(z.threshold).toBe(0.9);
  });

  it('mid-ranks and median', () => {
    const t = ranked([3, 2, 2, 1], [1, 0, 1, 0]);
    expect([...midRanks(t)]).toEqual([1, 2.5, 2.5, 4]);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('metrics: ties', () => {
  const r = ranked([1, 1, 0, 0], [1, 0, 1, 0]);
  it('ties count one half in AUC', () => {
    expect(rocAuc(r)).toBe(0.5);
    expect(rocAuc(ranked([7, 7, 7], [1, 0, 0]))).toBe(0.5);
  });
  it('AP groups tied scores into one threshold', () => {
    expect(averagePrecision(r)).toBe(0.5);
    // all tied: AP = base rate
    expect(averagePrecision(ranked([2, 2, 2, 2], [1, 0, 0, 0]))).toBe(0.25);
  });
  it('precision@k counts a straddling tie group in proportion', () => {
    expect(precisionAtK(r, 1).precision).toBe(0.5);
    expect(precisionAtK(ranked([5, 3, 3, 3, 1], [1, 1, 0, 0, 1]), 3).precision).toBeCloseTo((1 + 2 / 3) / 3, 12);
  });
  it('a tie group is flagged whole or not at all', () => {
    const p = recallAtFpr(r, 0.49);
    expect(p.recall).toBe(0);
    expect(p.threshold).toBeNull();
    expect(recallAtFpr(r, 0.5).recall).toBe(0.5);
  });
  it('-Infinity (missed events) is never flagged', () => {
    const m = ranked([1, -Infinity, -Infinity], [0, 1, 0]);
    expect(recallAtFpr(m, 1).recall).toBe(0);
    expect(rocAuc(m)).toBe(0.25);
  });
  it('undefined metrics are null', () => {
    const none = ranked([1, 2], [0, 0]);
    expect(rocAuc(none)).toBeNull();
    expect(averagePrecision(none)).toBeNull();
    expect(rocAuc(ranked([1, 2], [1, 1]))).toBeNull();
  });
});

describe('metrics: agree with brute-force definitions (property)', () => {
  const data = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 40 })
    .filter((xs) => xs.some((x) => x[1] === 1) && xs.some((x) => x[1] === 0));

  it('AUC equals the pairwise count with ties as one half', () => {
    fc.assert(
      fc.property(data, (xs) => {
        const s = xs.map((x) => x[0]);
        const y = xs.map((x) => x[1]);
        let sum = 0, pairs = 0;
        for (let i = 0; i < xs.length; i++) {
          for (let j = 0; j < xs.length; j++) {
            if (y[i] === 1 && y[j] === 0) {
              pairs++;
              sum += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
            }
          }
        }
        expect(rocAuc(ranked(s, y))).toBeCloseTo(sum / pairs, 10);
      }),
    );
  });

  it('AP equals the sum over distinct thresholds of recall step x precision', () => {
    fc.assert(
      fc.property(data, (xs) => {
        const s = xs.map((x) => x[0]);
        const y = xs.map((x) => x[1]);
        const P = y.reduce((a, b) => a + b, 0);
        const th = [...new Set(s)].sort((a, b) => b - a);
        let ap = 0, prev = 0;
        for (const t of th) {
          let tp = 0, fp = 0;
          for (let i = 0; i < s.length; i++) if (s[i] >= t) (y[i] ? tp++ : fp++);
          ap += (tp / P - prev) * (tp / (tp + fp));
          prev = tp / P;
        }
        expect(averagePrecision(ranked(s, y))).toBeCloseTo(ap, 10);
      }),
    );
  });

  it('recall at FPR is the best recall over thresholds within budget', () => {
    fc.assert(
      fc.property(data, fc.double({ min: 0, max: 1, noNaN: true }), (xs, budget) => {
        const s = xs.map((x) => x[0]);
        const y = xs.map((x) => x[1]);
        const P = y.reduce((a, b) => a + b, 0);
        const N = y.length - P;
        let best = 0;
        for (const t of new Set(s)) {
          let tp = 0, fp = 0;
          for (let i = 0; i < s.length; i++) if (s[i] >= t) (y[i] ? tp++ : fp++);
          if (fp / N <= budget) best = Math.max(best, tp / P);
        }
        expect(recallAtFpr(ranked(s, y), budget).recall).toBeCloseTo(best, 12);
      }),
    );
  });
});
