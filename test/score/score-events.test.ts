import { describe, expect, it } from 'vitest';
import { ReconstructionScorer, scoreEvents } from '../../src/score/index.js';
import { ev, normal, rng } from './helpers.js';

const COLUMNS = ['time.hour_sin', 'time.hour_cos', 'novelty.first_user_host'];
const W = COLUMNS.length;

describe('scoreEvents', () => {
  const r = rng(1);
  const n = 1000;
  const rows = Float32Array.from({ length: n * W }, () => normal(r));
  const recon = Float32Array.from(rows, (x) => x + 0.1 * normal(r));
  const scorer = new ReconstructionScorer({ columns: COLUMNS, threshold: { contamination: 0.01 } });
  scorer.partialFit(scorer.errors(rows, recon).errors, rows);
  const events = Array.from({ length: 5 }, (_, i) => ev({ timestamp: i, userName: `u${i}`, hostName: 'db-07' }));
  const batch = rows.slice(0, 5 * W);
  const rec = batch.slice();
  rec[2 * W + 2] += 5; // event 2: first_user_host badly rebuilt
  rec[1] += 0.01; // event 0: a tiny, unflagged error in time.hour_cos
  const describe = (c: string, e: (typeof events)[number]): string => (c === 'novelty.first_user_host' ? `first login of ${e.userName} to ${e.hostName}` : '');

  it('scores, flags and explains only anomalies by default, in input order', () => {
    const out = scoreEvents(scorer, events, batch, rec, { describe });
    expect(out.map((s) => s.event)).toEqual(events);
    expect(out.map((s) => s.isAnomaly)).toEqual([false, false, true, false, false]);
    expect(out[2].reasons).toEqual(['first login of u2 to db-07']);
    expect(out[2].normalized).toBe(1);
    expect(out[0].reasons).toEqual([]);
    expect(out[0].score).toBeCloseTo(0.0001 / 3, 6);
  });

  it('explains all or none on request and validates options', () => {
    const all = scoreEvents(scorer, events, batch, rec, { describe, explain: 'all' });
    expect(all[0].isAnomaly).toBe(false);
    expect(all[0].reasons).toEqual([expect.stringMatching(/^time\.hour_cos is unusual \(value [-0-9.]+, typical range [-0-9.]+\.\.[-0-9.]+\)$/)]);
    expect(all[1].reasons).toEqual([]); // perfect reconstruction: nothing to explain
    expect(all[2].reasons[0]).toBe('first login of u2 to db-07');
    const none = scoreEvents(scorer, events, batch, rec, { explain: 'none' });
    expect(none[2].reasons).toEqual([]);
    expect(() => scoreEvents(scorer, events, batch, rec, { explain: 'x' as never })).toThrow(/"explain"/);
    expect(() => scoreEvents(scorer, events.slice(1), batch, rec)).toThrow(/4 events need 12 row values/);
  });
});
