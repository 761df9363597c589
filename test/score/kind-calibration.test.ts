import { describe, expect, it } from 'vitest';
import { ReconstructionScorer, scoreEvents, SCORER_VERSION, type ScorerState } from '../../src/score/index.js';
import { ev, rng } from './helpers.js';

const COLUMNS = ['what.kind=ssh_session', 'what.kind=ssh_failed', 'what.kind=sudo', 'novelty.user_host_new', 'velocity.source_failures_10m'];
const W = COLUMNS.length;
const SESSION = 0;
const FAILED = 1;
const SUDO = 2;

/** Rows with the kind one-hot set, and errors drawn from each kind's own (exponential) distribution. */
function calibration(counts: [number, number, number], means: [number, number, number], seed: number): { rows: Float32Array; errors: Float32Array; kinds: number[] } {
  const r = rng(seed);
  const n = counts[0] + counts[1] + counts[2];
  const rows = new Float32Array(n * W);
  const errors = new Float32Array(n);
  const kinds: number[] = [];
  let i = 0;
  for (let k = 0; k < 3; k++) {
    for (let c = 0; c < counts[k]; c++, i++) {
      rows[i * W + k] = 1;
      errors[i] = -Math.log(1 - r()) * means[k];
      kinds.push(k);
    }
  }
  return { rows, errors, kinds };
}

function oneRow(kind: number): Float32Array {
  const row = new Float32Array(W);
  row[kind] = 1;
  return row;
}

function exactQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(q * s.length)];
}

describe('per-kind calibration', () => {
  // scanner failures are rebuilt 20× worse than sessions; sudo is rebuilt best
  const cal = calibration([20_000, 20_000, 20_000], [0.01, 0.2, 0.001], 5);

  it("is chosen automatically when the columns have what.kind=* one-hots, and is off without them", () => {
    expect(new ReconstructionScorer({ columns: COLUMNS }).calibrateBy).toBe('kind');
    expect(new ReconstructionScorer({ columns: ['a', 'b'] }).calibrateBy).toBe('global');
    expect(new ReconstructionScorer({ columns: COLUMNS, calibrateBy: 'global' }).calibrateBy).toBe('global');
  });

  it("a session at its kind's 99.9th percentile outranks a failure at its kind's 90th percentile", () => {
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors, cal.rows);
    const sessionErr = exactQuantile(cal.errors.filter((_, i) => cal.kinds[i] === SESSION) as unknown as number[], 0.999);
    const failedErr = exactQuantile(Array.from(cal.errors.filter((_, i) => cal.kinds[i] === FAILED)), 0.9);
    expect(failedErr).toBeGreaterThan(sessionErr); // the raw errors say the opposite
    const rows = new Float32Array([...oneRow(SESSION), ...oneRow(FAILED)]);
    const { scores, isAnomaly, normalized } = s.score(new Float32Array([sessionErr, failedErr]), rows);
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(isAnomaly[0]).toBe(1);
    expect(isAnomaly[1]).toBe(0);
    expect(normalized[0]).toBeCloseTo(0.999, 3);
    expect(normalized[1]).toBeCloseTo(0.9, 2);
    // globally calibrated, the failure wins
    const g = new ReconstructionScorer({ columns: COLUMNS, calibrateBy: 'global' }).partialFit(cal.errors, cal.rows);
    const gs = g.score(new Float32Array([sessionErr, failedErr]), rows).scores;
    expect(gs[1]).toBeGreaterThan(gs[0]);
  });

  for (const c of [0.01, 0.001]) {
    it(`contamination ${c} flags about that share of every kind's calibration events`, () => {
      const s = new ReconstructionScorer({ columns: COLUMNS, threshold: { contamination: c } }).partialFit(cal.errors, cal.rows);
      expect(s.threshold).toBeCloseTo(-Math.log10(c), 10);
      const { isAnomaly } = s.score(cal.errors, cal.rows);
      for (const k of [SESSION, FAILED, SUDO]) {
        let n = 0;
        let f = 0;
        cal.kinds.forEach((kk, i) => {
          if (kk === k) {
            n++;
            f += isAnomaly[i];
          }
        });
        expect(Math.abs(f / n - c)).toBeLessThan(Math.max(0.3 * c, 3 / n));
      }
    });
  }

  it('keeps the global order below the kind tail, and scores are monotone in the error within a kind', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors, cal.rows);
    // sudo at its kind's median vs a session at its kind's median: sudo errors are smaller, so it ranks lower
    const sudoMed = exactQuantile(Array.from(cal.errors.filter((_, i) => cal.kinds[i] === SUDO)), 0.5);
    const sessMed = exactQuantile(Array.from(cal.errors.filter((_, i) => cal.kinds[i] === SESSION)), 0.5);
    const sc = s.score(new Float32Array([sudoMed, sessMed]), new Float32Array([...oneRow(SUDO), ...oneRow(SESSION)])).scores;
    expect(sc[0]).toBeLessThan(sc[1]);
    const errs = Float32Array.from({ length: 400 }, (_, i) => (i / 400) ** 3 * 3);
    for (const k of [SESSION, FAILED, SUDO]) {
      const rows = new Float32Array(errs.length * W);
      for (let i = 0; i < errs.length; i++) rows[i * W + k] = 1;
      const out = s.score(errs, rows).scores;
      for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]);
      expect(Number.isFinite(out[out.length - 1])).toBe(true);
    }
  });

  it('uses the global calibration for rows without a kind and for kinds with fewer than minGroupCount errors', () => {
    const few = calibration([5000, 50, 0], [0.01, 0.2, 0.001], 8);
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(few.errors, few.rows);
    expect(s.kindCounts).toEqual({ ssh_session: 5000, ssh_failed: 50, sudo: 0 });
    const e = new Float32Array([0.05]);
    const failed = s.score(e, oneRow(FAILED)).scores[0];
    const noKind = s.score(e, new Float32Array(W)).scores[0];
    const noRows = s.score(e).scores[0];
    expect(failed).toBe(noKind);
    expect(noRows).toBe(noKind);
    expect(failed).toBeCloseTo(s.surprise(0.05), 6);
  });

  it('NaN errors get NaN scores and are never flagged', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors, cal.rows);
    const out = s.score(new Float32Array([NaN]), oneRow(SESSION));
    expect(Number.isNaN(out.scores[0])).toBe(true);
    expect(out.isAnomaly[0]).toBe(0);
  });

  it('round-trips (version 2), loads version-1 states as global, and names bad fields', () => {
    const s = new ReconstructionScorer({ columns: COLUMNS, threshold: { contamination: 0.005 } }).partialFit(cal.errors, cal.rows);
    const text = JSON.stringify(s.toJSON());
    const state = JSON.parse(text) as ScorerState;
    expect(state.version).toBe(SCORER_VERSION);
    expect(Object.keys(state.groupCalibration ?? {})).toEqual(['ssh_failed', 'ssh_session', 'sudo']);
    const t = ReconstructionScorer.fromJSON(state);
    expect(JSON.stringify(t.toJSON())).toBe(text);
    expect(Array.from(t.score(cal.errors, cal.rows).scores)).toEqual(Array.from(s.score(cal.errors, cal.rows).scores));
    // a version-1 state (no per-kind calibration) keeps its meaning: scores are raw errors
    const v1 = { ...state, version: 1 } as Partial<ScorerState>;
    delete v1.calibrateBy;
    delete v1.minGroupCount;
    delete v1.groupCalibration;
    const old = ReconstructionScorer.fromJSON(v1 as ScorerState);
    expect(old.calibrateBy).toBe('global');
    expect(old.score(new Float32Array([0.5]), oneRow(SESSION)).scores[0]).toBeCloseTo(0.5, 6);
    expect(() => ReconstructionScorer.fromJSON({ ...state, version: 3 })).toThrow(/"version" 3 is not supported \(this build reads 1\.\.2\)/);
    expect(() => ReconstructionScorer.fromJSON({ ...state, groupCalibration: { sudo: state.groupCalibration!.sudo } })).toThrow(/"groupCalibration"/);
    expect(() => ReconstructionScorer.fromJSON({ ...state, calibrateBy: 'host' as never })).toThrow(/"calibrateBy"/);
  });

  it('merges per-kind sketches and refuses to merge different modes', () => {
    const a = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors.subarray(0, 30_000), cal.rows.subarray(0, 30_000 * W));
    const b = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors.subarray(30_000), cal.rows.subarray(30_000 * W));
    a.merge(b);
    expect(a.kindCounts).toEqual({ ssh_session: 20_000, ssh_failed: 20_000, sudo: 20_000 });
    expect(() => a.merge(new ReconstructionScorer({ columns: COLUMNS, calibrateBy: 'global' }))).toThrow(/calibrateBy/);
  });

  it('validates its options', () => {
    expect(() => new ReconstructionScorer({ columns: ['a'], calibrateBy: 'kind' })).toThrow(/"calibrateBy" 'kind' needs one-hot columns named what\.kind=/);
    expect(() => new ReconstructionScorer({ columns: COLUMNS, calibrateBy: 'user' as never })).toThrow(/"calibrateBy" must be/);
    expect(() => new ReconstructionScorer({ columns: COLUMNS, minGroupCount: 5 })).toThrow(/"minGroupCount"/);
    const s = new ReconstructionScorer({ columns: COLUMNS });
    expect(() => s.partialFit(new Float32Array(2), new Float32Array(W))).toThrow(/2 errors need/);
  });
});

describe('explanations from raw values', () => {
  it('scoreEvents hands describe the raw value when given, not the clipped scaled one', () => {
    const cal = calibration([3000, 3000, 0], [0.01, 0.2, 0.001], 9);
    const s = new ReconstructionScorer({ columns: COLUMNS }).partialFit(cal.errors, cal.rows);
    const event = ev({ timestamp: 0, userName: 'iwood', hostName: 'bastion-01', sourceIp: '45.16.65.149', outcome: 'failure' }, 'ssh_failed');
    const rows = oneRow(FAILED);
    rows[4] = 10; // clipped scaled value
    const rec = oneRow(FAILED);
    const raw = new Float64Array(W);
    raw[1] = 1;
    raw[4] = 217;
    const seen: number[] = [];
    const describe = (c: string, e: typeof event, v: number): string => {
      seen.push(v);
      return c === 'velocity.source_failures_10m' ? `${Math.round(v)} failures from ${e.sourceIp} in the last 10 minutes` : '';
    };
    const [out] = scoreEvents(s, [event], rows, rec, { describe, raw, explain: 'all' });
    expect(out.reasons[0]).toBe('217 failures from 45.16.65.149 in the last 10 minutes');
    expect(seen[0]).toBe(217);
    const [scaled] = scoreEvents(s, [event], rows, rec, { describe, explain: 'all' });
    expect(scaled.reasons[0]).toBe('10 failures from 45.16.65.149 in the last 10 minutes');
    expect(() => scoreEvents(s, [event], rows, rec, { describe, raw: new Float64Array(1) })).toThrow(/"raw"/);
  });
});

describe('explanations: one reason per phrase, ordinary values held back', () => {
  const cols = ['time.hour_sin', 'time.hour_cos', 'time.hour_offset_user', 'what.failures', 'novelty.user_host_new'];
  const w = cols.length;
  // calibration rows: failures and user_host_new are almost always 0 (median 0), the hours vary
  const r = rng(3);
  const n = 2000;
  const cal = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    cal[i * w] = 2 * r() - 1;
    cal[i * w + 1] = 2 * r() - 1;
    cal[i * w + 2] = 3 * r();
    cal[i * w + 4] = i % 50 === 0 ? 1 : 0;
  }
  const s = new ReconstructionScorer({ columns: cols, minShare: 0.01 });
  s.partialFit(Float32Array.from({ length: n }, () => r()), cal);
  const event = ev({ timestamp: Date.UTC(2026, 2, 16, 2, 17), userName: 'clara24', hostName: 'app-12' });
  const describe = (c: string, e: typeof event, v: number): string =>
    c.startsWith('time.hour') ? `02:17 is far outside ${e.userName}'s usual 10:00-17:00 (UTC)` : c === 'what.failures' ? `${v} failed attempts within this login` : `first login of ${e.userName} to ${e.hostName}`;

  it('merges groups that render the same text and adds their shares', () => {
    const row = new Float32Array([0.6, 0.8, 2.9, 0, 1]);
    const rec = new Float32Array([-0.4, -0.2, 0.4, 0, 0.2]);
    const { contributions } = s.errors(row, rec);
    const reasons = s.explain(contributions, 0, event, describe, row, 3);
    expect(reasons.map((x) => x.text)).toEqual(["02:17 is far outside clara24's usual 10:00-17:00 (UTC)", 'first login of clara24 to app-12']);
    expect(reasons[0].columns.sort()).toEqual(['time.hour_cos', 'time.hour_offset_user', 'time.hour_sin']);
    const total = Array.from(contributions).reduce((a, b) => a + b, 0);
    expect(reasons[0].share).toBeCloseTo((contributions[0] + contributions[1] + contributions[2]) / total, 6);
  });

  it("holds back a reason whose value is the column's usual one (0 failures), unless it is the only one", () => {
    const row = new Float32Array([0, 0, 0, 0, 1]);
    const rec = new Float32Array([0, 0, 0, 1.5, 0.5]); // the model expected failures; the event had the usual 0
    const { contributions } = s.errors(row, rec);
    expect(contributions[3]).toBeGreaterThan(contributions[4]);
    expect(s.explain(contributions, 0, event, describe, row, 3).map((x) => x.text)).toEqual(['first login of clara24 to app-12']);
    const only = new Float32Array([0, 0, 0, 1.5, 1]);
    const c2 = s.errors(row, only).contributions;
    expect(s.explain(c2, 0, event, describe, row, 3).map((x) => x.text)).toEqual(['0 failed attempts within this login']);
  });
});
