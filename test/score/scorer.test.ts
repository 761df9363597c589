import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReconstructionScorer, tdigestRankErrorBound, type ScorerState } from '../../src/score/index.js';
import { ev, normal, rng } from './helpers.js';

const COLUMNS = ['time.hour_sin', 'time.hour_cos', 'novelty.first_user_host', 'novelty.first_user_source', 'rate.failures_10m', 'kind=ssh_session'];
const W = COLUMNS.length;

/** n rows of noise and reconstructions = rows + small noise. */
function data(n: number, seed: number): { rows: Float32Array; recon: Float32Array } {
  const r = rng(seed);
  const rows = new Float32Array(n * W);
  const recon = new Float32Array(n * W);
  for (let i = 0; i < n * W; i++) {
    rows[i] = normal(r);
    recon[i] = rows[i] + 0.3 * normal(r) * (1 + (i % W) * 0.1);
  }
  return { rows, recon };
}

describe('ReconstructionScorer errors', () => {
  it('computes mse / mae with per-column contributions that sum to the error', () => {
    const rows = new Float32Array([1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0]);
    const recon = new Float32Array([1, 2, 3, 4, 5, 8, 0, 0, 0, 0, 0, 3]);
    const mse = new ReconstructionScorer({ columns: COLUMNS });
    const a = mse.errors(rows, recon);
    expect(a.errors[0]).toBeCloseTo(4 / 6, 6);
    expect(a.errors[1]).toBeCloseTo(9 / 6, 6);
    expect(a.contributions[5]).toBeCloseTo(4 / 6, 6);
    expect(a.contributions[11]).toBeCloseTo(9 / 6, 6);
    const mae = new ReconstructionScorer({ columns: COLUMNS, metric: 'mae' });
    expect(mae.errors(rows, recon).errors[1]).toBeCloseTo(3 / 6, 6);
    const weighted = new ReconstructionScorer({ columns: COLUMNS, weights: { 'kind=ssh_session': 0 } });
    expect(weighted.errors(rows, recon).errors[1]).toBe(0);
  });

  it('marks rows with non-finite cells as NaN, counts them, and never flags them', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    const rows = new Float32Array(2 * W);
    const recon = new Float32Array(2 * W);
    recon[3] = NaN;
    const { errors } = s.errors(rows, recon);
    expect(Number.isNaN(errors[0])).toBe(true);
    expect(errors[1]).toBe(0);
    expect(s.counters.nonFiniteRows).toBe(1);
    s.partialFit(new Float32Array([0.1, 0.2, NaN, 0.3]));
    expect(s.counters.calibrated).toBe(3);
    expect(s.counters.calibrationSkipped).toBe(1);
    const sc = s.score(errors);
    expect(sc.isAnomaly[0]).toBe(0);
    expect(Number.isNaN(sc.normalized[0])).toBe(true);
  });

  it('contributions sum to the error and normalised scores are monotone in the error (property)', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS, metric: 'mae', weights: [1, 2, 0, 1, 3, 1] });
    s.partialFit(Float32Array.from({ length: 500 }, (_, i) => i / 100));
    const cell = fc.float({ min: -100, max: 100, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: W, maxLength: W * 8 }).filter((a) => a.length % W === 0), (pairs) => {
        const rows = Float32Array.from(pairs, (p) => p[0]);
        const recon = Float32Array.from(pairs, (p) => p[1]);
        const { errors, contributions } = s.errors(rows, recon);
        for (let i = 0; i < errors.length; i++) {
          let sum = 0;
          for (let j = 0; j < W; j++) sum += contributions[i * W + j];
          expect(Math.abs(sum - errors[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, errors[i]));
        }
        const sorted = Float32Array.from(errors).sort();
        const { normalized } = s.score(sorted);
        for (let i = 1; i < sorted.length; i++) expect(normalized[i]).toBeGreaterThanOrEqual(normalized[i - 1]);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects mismatched lengths', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    expect(() => s.errors(new Float32Array(W), new Float32Array(W + 1))).toThrow(/reconstructions/);
    expect(() => s.errors(new Float32Array(W + 1), new Float32Array(W + 1))).toThrow(/multiple of width/);
  });
});

describe('thresholds', () => {
  const { rows, recon } = data(50_000, 7);
  for (const c of [0.001, 0.01, 0.05, 0.2]) {
    it(`contamination ${c} flags that share of the calibration data (within the sketch error)`, () => {
      const s = new ReconstructionScorer({ columns: COLUMNS, threshold: { contamination: c } });
      const { errors } = s.errors(rows, recon);
      for (let i = 0; i < errors.length; i += 5000) s.partialFit(errors.subarray(i, i + 5000));
      const { isAnomaly } = s.score(errors);
      let flagged = 0;
      for (const f of isAnomaly) flagged += f;
      const share = flagged / errors.length;
      expect(Math.abs(share - c)).toBeLessThanOrEqual(tdigestRankErrorBound(1 - c, 500, errors.length));
      // and the threshold agrees with the exact quantile of the errors
      const sorted = Float64Array.from(errors).sort();
      const exact = sorted[Math.floor((1 - c) * sorted.length)];
      expect(Math.abs(s.threshold - exact) / exact).toBeLessThan(0.05);
    });
  }

  it('quantile and value rules', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS, threshold: { quantile: 0.9 } });
    const { errors } = s.errors(rows, recon);
    s.partialFit(errors);
    let flagged = 0;
    for (const f of s.score(errors).isAnomaly) flagged += f;
    expect(Math.abs(flagged / errors.length - 0.1)).toBeLessThan(0.01);
    const v = s.withThreshold({ value: 1e9 });
    expect(v.threshold).toBe(1e9);
    let none = 0;
    for (const f of v.score(errors).isAnomaly) none += f;
    expect(none).toBe(0);
  });

  it('normalised score is the calibrated CDF: uniform on calibration data, 0 below and 1 above', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    const { errors } = s.errors(rows, recon);
    s.partialFit(errors);
    const { normalized } = s.score(errors);
    const counts = new Array(10).fill(0);
    for (const v of normalized) counts[Math.min(9, Math.floor(v * 10))]++;
    for (const c of counts) expect(Math.abs(c / errors.length - 0.1)).toBeLessThan(0.01);
    const edge = s.score(new Float32Array([-1, 1e9]));
    expect(edge.normalized[0]).toBe(0);
    expect(edge.normalized[1]).toBe(1);
  });

  it('refuses to score before calibration with a clear message', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    expect(() => s.threshold).toThrow(/partialFit/);
    expect(() => s.score(new Float32Array(1))).toThrow(/calibration/);
  });

  it('merging worker scorers equals calibrating on all the data (within sketch error)', () => {
    const { errors } = new ReconstructionScorer({ columns: COLUMNS }).errors(rows, recon);
    const whole = new ReconstructionScorer({ columns: COLUMNS }).partialFit(errors);
    const a = new ReconstructionScorer({ columns: COLUMNS }).partialFit(errors.subarray(0, 20_000));
    const b = new ReconstructionScorer({ columns: COLUMNS }).partialFit(errors.subarray(20_000));
    a.merge(b);
    expect(a.calibrationCount).toBe(errors.length);
    expect(Math.abs(a.normalize(whole.threshold) - 0.99)).toBeLessThan(tdigestRankErrorBound(0.99, 500, errors.length) * 2);
    expect(() => a.merge(new ReconstructionScorer({ columns: ['x'] }))).toThrow(/columns/);
  });
});

describe('per-column statistics', () => {
  it('learn typical ranges and sample deterministically after 65,536 rows', () => {
    const { rows } = data(80_000, 9);
    const s = new ReconstructionScorer({ columns: COLUMNS });
    for (let i = 0; i < 80_000; i += 10_000) s.partialFitRows(rows.subarray(i * W, (i + 10_000) * W));
    expect(s.counters.statsRows).toBe(80_000);
    expect(s.counters.statsSampled).toBe(65_536 + Math.ceil((80_000 - 65_536) / 2));
    const st = s.columnStats()!;
    for (const c of st) {
      // standard normal: 1st / 99th percentiles ≈ ∓2.326
      expect(c!.p01).toBeCloseTo(-2.326, 1);
      expect(c!.p99).toBeCloseTo(2.326, 1);
      expect(Math.abs(c!.p50)).toBeLessThan(0.05);
    }
    expect(() => s.partialFitRows(new Float32Array(W + 1))).toThrow(/multiple of width/);
  });
});

describe('option validation', () => {
  const cases: [string, unknown, RegExp][] = [
    ['contamination 0', { columns: COLUMNS, threshold: { contamination: 0 } }, /threshold\.contamination.*\(0, 0\.5\]/],
    ['contamination 0.6', { columns: COLUMNS, threshold: { contamination: 0.6 } }, /threshold\.contamination/],
    ['quantile 1', { columns: COLUMNS, threshold: { quantile: 1 } }, /threshold\.quantile.*\(0, 1\)/],
    ['negative value', { columns: COLUMNS, threshold: { value: -1 } }, /threshold\.value/],
    ['two rules', { columns: COLUMNS, threshold: { value: 1, quantile: 0.5 } }, /"threshold" must have exactly one/],
    ['metric', { columns: COLUMNS, metric: 'rmse' }, /"metric" must be 'mse' or 'mae'/],
    ['no columns', { columns: [] }, /"columns" must be a non-empty array/],
    ['duplicate column', { columns: ['a', 'a'] }, /"columns" has a duplicate/],
    ['weights length', { columns: COLUMNS, weights: [1] }, /"weights" has 1 entries/],
    ['weights unknown', { columns: COLUMNS, weights: { nope: 1 } }, /"weights" names unknown column/],
    ['weights negative', { columns: COLUMNS, weights: { 'time.hour_sin': -1 } }, /"weights" must be finite numbers/],
    ['weights all zero', { columns: ['a'], weights: [0] }, /must not be all zero/],
    ['compression', { columns: COLUMNS, compression: 5 }, /"compression" must be a number in \[20, 10000\]/],
    ['minShare', { columns: COLUMNS, minShare: 1 }, /"minShare" must be a number in \[0, 1\)/],
    ['grouping', { columns: COLUMNS, grouping: 'prefix' }, /"grouping" must be/],
  ];
  for (const [name, opts, re] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => new ReconstructionScorer(opts as never)).toThrow(re);
    });
  }
});

describe('serialisation', () => {
  it('round-trips through JSON text and scores identically; toJSON is deterministic', () => {
    const { rows, recon } = data(5000, 3);
    const s = new ReconstructionScorer({ columns: COLUMNS, threshold: { contamination: 0.02 }, weights: { 'kind=ssh_session': 0.5 } });
    const { errors } = s.errors(rows, recon);
    s.partialFit(errors, rows);
    const text = JSON.stringify(s.toJSON());
    expect(JSON.stringify(s.toJSON())).toBe(text);
    const t = ReconstructionScorer.fromJSON(JSON.parse(text) as ScorerState);
    expect(JSON.stringify(t.toJSON())).toBe(text);
    expect(t.threshold).toBe(s.threshold);
    const a = s.score(errors);
    const b = t.score(errors);
    expect(Array.from(b.normalized)).toEqual(Array.from(a.normalized));
    expect(Array.from(b.isAnomaly)).toEqual(Array.from(a.isAnomaly));
    expect(t.errors(rows, recon).errors).toEqual(errors);
    expect(t.columnStats()).toEqual(s.columnStats());
  });

  it('rejects malformed state naming the field', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(new Float32Array([1, 2, 3]));
    const good = s.toJSON();
    expect(() => ReconstructionScorer.fromJSON({ ...good, format: 'x' } as never)).toThrow(/"format"/);
    expect(() => ReconstructionScorer.fromJSON({ ...good, version: 99 })).toThrow(/"version" 99/);
    expect(() => ReconstructionScorer.fromJSON({ ...good, threshold: { contamination: 2 } })).toThrow(/threshold\.contamination/);
    const bad = JSON.parse(JSON.stringify(good)) as ScorerState;
    bad.calibration.weights[0] = -1;
    expect(() => ReconstructionScorer.fromJSON(bad)).toThrow(/"calibration".*weight/);
    const badCount = JSON.parse(JSON.stringify(good)) as ScorerState;
    badCount.calibration.count = 77;
    expect(() => ReconstructionScorer.fromJSON(badCount)).toThrow(/count/);
    expect(() => ReconstructionScorer.fromJSON({ ...good, columnStats: [] })).toThrow(/"columnStats"/);
  });
});

describe('explanations', () => {
  const event = ev({ timestamp: Date.UTC(2026, 10, 29, 3, 12), userName: 'alice', hostName: 'db-07', sourceIp: '203.0.113.5' });
  const words = (column: string, e: typeof event, v: number): string =>
    column === 'novelty.first_user_host' ? `first login of ${e.userName} to ${e.hostName}` : column === 'time.hour_sin' || column === 'time.hour_cos' ? `unusual hour (${v.toFixed(2)})` : '';

  for (let target = 0; target < W; target++) {
    it(`names the perturbed column ${COLUMNS[target]}`, () => {
      const { rows } = data(200, 11 + target);
      const s = new ReconstructionScorer({ columns: COLUMNS });
      const r = rng(target);
      const recon = new Float32Array(rows.length);
      for (let i = 0; i < rows.length; i++) recon[i] = rows[i] + 0.05 * normal(r);
      const cal = s.errors(rows, recon);
      s.partialFit(cal.errors, rows);
      // perturb row 17, column `target`
      const recon2 = recon.slice();
      recon2[17 * W + target] += 4;
      const { errors, contributions } = s.errors(rows, recon2);
      expect(s.score(errors).isAnomaly[17]).toBe(1);
      const reasons = s.explain(contributions, 17, event, words, rows, 3);
      expect(reasons.length).toBe(1); // the small noise elsewhere is filtered by minShare
      expect(reasons[0].column).toBe(COLUMNS[target]);
      expect(reasons[0].share).toBeGreaterThan(0.9);
      const expected = words(COLUMNS[target], event, rows[17 * W + target]);
      if (expected !== '') expect(reasons[0].text).toBe(expected);
      else expect(reasons[0].text).toMatch(new RegExp(`^${COLUMNS[target].replace(/[.=]/g, '\\$&')} is unusual \\(value [-0-9.e]+, typical range [-0-9.e]+\\.\\.[-0-9.e]+\\)$`));
    });
  }

  it('groups hour_sin/hour_cos into one reason and orders reasons by share', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS, minShare: 0.05 });
    s.partialFit(new Float32Array([0.1, 0.2]));
    const rows = new Float32Array(W);
    const recon = new Float32Array([2, 2, 0, 2.5, 0.1, 0]);
    const { contributions } = s.errors(rows, recon);
    const reasons = s.explain(contributions, 0, event, words, rows, 5);
    expect(reasons.map((r) => r.feature)).toEqual(['time.hour', 'novelty.first_user_source']);
    expect(reasons[0].columns.sort()).toEqual(['time.hour_cos', 'time.hour_sin']);
    expect(reasons[0].share).toBeCloseTo(8 / 14.26, 4);
    expect(reasons[1].text).toBe('novelty.first_user_source is unusual (value 0)');
  });

  it('survives a throwing describe and strips control characters', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    s.partialFit(new Float32Array([0.1]));
    const { contributions } = s.errors(new Float32Array(W), new Float32Array([0, 0, 5, 0, 0, 0]));
    const boom = (): string => {
      throw new Error('x');
    };
    expect(s.explain(contributions, 0, event, boom)[0].text).toBe('novelty.first_user_host is unusual (100% of the error)');
    const evil = (): string => 'user \u001b[31mroot\nfake line';
    expect(s.explain(contributions, 0, event, evil)[0].text).toBe('user ?[31mroot?fake line');
  });

  it('returns nothing for a perfect reconstruction and validates arguments', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS });
    expect(s.explain(new Float32Array(W), 0, event, words)).toEqual([]);
    expect(() => s.explain(new Float32Array(W), 1, event, words)).toThrow(/rowIndex/);
    expect(() => s.explain(new Float32Array(W), 0, event, words, undefined, 0)).toThrow(/k must be/);
  });
});
