import { describe, expect, it } from 'vitest';
import type { LoginEvent } from '../../src/assemble/event.js';
import {
  columnsByFamily,
  DEFAULT_COLUMN_WEIGHTS,
  DEFAULT_FEATURE_SPEC,
  FeatureEncoder,
  type CustomFeature,
  type EncoderState,
  type SlotTableState,
} from '../../src/features/index.js';
import { DAY, encoder, ev, failed, HOUR, MIN, T0 } from './helpers.js';

/** A deterministic mixed stream. */
function stream(n: number, seed = 7): LoginEvent[] {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: LoginEvent[] = [];
  for (let i = 0; i < n; i++) {
    const t = T0 + i * 7 * MIN;
    const u = `user${Math.floor(rnd() * 20)}`;
    const h = `host-${Math.floor(rnd() * 10)}`;
    if (rnd() < 0.2) out.push(failed({ timestamp: t, userName: u, hostName: h, sourceIp: `203.0.113.${Math.floor(rnd() * 50)}`, failures: 1 + Math.floor(rnd() * 5) }));
    else out.push(ev({ timestamp: t, userName: u, hostName: h, sourceIp: `10.0.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 20)}`, end: t + Math.floor(rnd() * 5 * HOUR) }));
  }
  return out;
}

describe('FeatureEncoder', () => {
  it('has named columns grouped by family', () => {
    const enc = new FeatureEncoder();
    expect(enc.width).toBe(enc.columns.length);
    expect(new Set(enc.columns).size).toBe(enc.width);
    const g = columnsByFamily(enc.columns);
    expect(Object.keys(g)).toEqual(['time', 'what', 'where', 'novelty', 'velocity']);
    expect(enc.columnGroups()).toEqual(g);
    expect(DEFAULT_FEATURE_SPEC.scaling.method).toBe('robust');
  });

  it('learns robust scaling in fit and clips extremes', async () => {
    const events = stream(2000);
    const enc = encoder();
    await enc.fit([events.slice(0, 1000), events.slice(1000)]);
    expect(enc.fitted).toBe(true);
    const info = enc.columnInfo().find((c) => c.name === 'what.duration_s')!;
    expect(info.scaling).toBe('robust');
    expect(info.scale).toBeGreaterThan(0);
    // Centre is the median of log1p(duration) over the no-look-ahead fit pass (durations are uniform in [0, 5h)).
    expect(info.center).toBeGreaterThan(Math.log1p(3600));
    expect(info.center).toBeLessThan(Math.log1p(4 * 3600));
    enc.resetHistory();
    const rows = enc.transform(events);
    let max = 0;
    for (const v of rows) max = Math.max(max, Math.abs(v));
    expect(max).toBeLessThanOrEqual(10);
    const huge = enc.transform([failed({ timestamp: T0 + 2001 * 7 * MIN, failures: 1e6 })], { update: false });
    expect(huge[enc.columns.indexOf('what.failures')]).toBe(10);
  });

  it('floors the learned scale at scaling.minScale so zero-inflated counts do not explode', async () => {
    // One failure in 2000 events: IQR and standard deviation of log1p(failures) are ~0.
    const ok = stream(2000).filter((e) => e.outcome !== 'failure');
    const events = [...ok.slice(0, 800), failed({ timestamp: ok[800].timestamp - 1, failures: 1 }), ...ok.slice(800)];
    const info = async (minScale?: number) => {
      const enc = encoder(minScale === undefined ? {} : { scaling: { minScale } });
      await enc.fit([events]);
      return enc.columnInfo().find((c) => c.name === 'what.failures')!;
    };
    expect(DEFAULT_FEATURE_SPEC.scaling.minScale).toBe(0.1);
    expect((await info()).scale).toBe(0.1);
    expect((await info(2)).scale).toBe(2);
    expect((await info(0)).scale).toBeLessThan(0.05); // the learned scale the floor replaces
    expect(() => new FeatureEncoder({ scaling: { minScale: -1 } })).toThrow(/FeatureSpec.scaling.minScale/);
  });

  it('up-weights decisive rare flags by default; user weights merge over the defaults', () => {
    const w = (enc: FeatureEncoder, col: string) => enc.columnInfo().find((c) => c.name === col)!.weight;
    const d = new FeatureEncoder();
    expect(w(d, 'novelty.user_key_new')).toBe(DEFAULT_COLUMN_WEIGHTS['novelty.user_key_new']);
    expect(w(d, 'what.password_by_key_user')).toBe(DEFAULT_COLUMN_WEIGHTS['what.password_by_key_user']);
    expect(w(d, 'novelty.user_host_new')).toBe(1);
    const u = new FeatureEncoder({ weights: { 'novelty.user_key_new': 1, 'novelty.*': 2 } });
    expect(w(u, 'novelty.user_key_new')).toBe(2);
    expect(w(u, 'what.password_by_key_user')).toBe(3);
    // Defaults for a disabled family are unused, not an error; a user's key must still match a column.
    expect(() => new FeatureEncoder({ families: { novelty: false } })).not.toThrow();
    expect(() => new FeatureEncoder({ weights: { 'novelty.nope': 2 } })).toThrow(/matches no column/);
  });

  it('writes every row as clip((transform(raw) - centre) / scale) x weight, whatever the column grouping', async () => {
    // The row writer groups columns (unit columns copied in runs, weighted ones, clipped ones, scaled ones); this
    // checks each value against the documented formula for specs that exercise every group.
    const specs = [
      {},
      { drop: ['what.kind=*', 'where.net_bucket=3'], weights: { 'where.*': 2, 'time.hour_sin': 0 } },
      { scaling: { clip: 0.5 } },
      { custom: [{ name: 'big', compute: (e: LoginEvent) => (e.failures > 2 ? 50 : -0.25) }] },
    ];
    const events = stream(600);
    for (const spec of specs) {
      const enc = new FeatureEncoder(spec);
      await enc.fit([events.slice(0, 300)]);
      const batch = events.slice(300);
      const raw = new Float64Array(batch.length * enc.width);
      const rows = enc.transform(batch, { raw });
      const info = enc.columnInfo();
      const clip = spec.scaling?.clip ?? 10;
      for (let i = 0; i < rows.length; i++) {
        const c = info[i % enc.width];
        let v = raw[i];
        if (c.transform === 'log1p') v = Math.sign(v) * Math.log1p(Math.abs(v));
        v = Math.min(clip, Math.max(-clip, (v - c.center) / c.scale)) * c.weight;
        expect(Math.abs(rows[i] - v)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      }
    }
  });

  it('never looks ahead: each row depends only on earlier events', async () => {
    const events = stream(300);
    const enc = encoder();
    await enc.fit([events]);
    const state = enc.toJSON();
    const full = FeatureEncoder.fromJSON(state);
    full.resetHistory();
    const all = full.transform(events);
    for (const k of [0, 1, 17, 150, 299]) {
      const e = FeatureEncoder.fromJSON(state);
      e.resetHistory();
      const prefix = e.transform(events.slice(0, k + 1));
      expect(Array.from(prefix.subarray(k * e.width))).toEqual(Array.from(all.subarray(k * e.width, (k + 1) * e.width)));
    }
  });

  it('transform with update:false leaves the state unchanged', async () => {
    const enc = encoder();
    await enc.fit([stream(200)]);
    const before = JSON.stringify(enc.toJSON());
    const a = enc.transform(stream(50, 3), { update: false });
    expect(JSON.stringify(enc.toJSON())).toBe(before);
    const b = enc.transform(stream(50, 3), { update: false });
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('round-trips its state byte for byte and keeps encoding identically', async () => {
    const events = stream(1500);
    const enc = encoder();
    await enc.fit([events.slice(0, 1000)]);
    enc.transform(events.slice(1000, 1200));
    const json = JSON.stringify(enc.toJSON());
    const copy = FeatureEncoder.fromJSON(JSON.parse(json) as EncoderState);
    expect(JSON.stringify(copy.toJSON())).toBe(json);
    expect(Array.from(copy.transform(events.slice(1200)))).toEqual(Array.from(enc.transform(events.slice(1200))));
    // Same input, separate encoders: identical bytes.
    const other = encoder();
    await other.fit([events.slice(0, 1000)]);
    other.transform(events.slice(1000, 1200));
    expect(JSON.stringify(other.toJSON())).toBe(json);
    // Keys are sorted at every level.
    const keys = Object.keys(JSON.parse(json));
    expect(keys).toEqual([...keys].sort());
  });

  it("recomputes the windows' set-bit counts from their bitmaps when a state is loaded", async () => {
    const events = stream(1500);
    const enc = encoder();
    await enc.fit([events.slice(0, 1000)]);
    const json = JSON.stringify(enc.toJSON());
    const state = JSON.parse(json) as EncoderState;
    // The counts are the last int32 values of each record (2 per user window, 2 + 2 per source window): overwrite
    // them with values that would index past the linear-counting table if they were used as they are.
    const tamper = (t: SlotTableState, counts: number): void => {
      const buf = Buffer.from(t.records, 'base64');
      const a = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const ints = t.recordBytes / 4;
      expect(a.length).toBeGreaterThan(0);
      for (let r = 0; r < a.length / ints; r++) for (let k = 1; k <= counts; k++) a[(r + 1) * ints - k] = 1000;
      t.records = Buffer.from(a.buffer).toString('base64');
    };
    tamper(state.history.userWindows, 2);
    tamper(state.history.sourceWindows, 4);
    expect(JSON.stringify(state)).not.toBe(json);
    const copy = FeatureEncoder.fromJSON(state);
    expect(JSON.stringify(copy.toJSON())).toBe(json);
    const rows = copy.transform(events.slice(1000));
    expect(rows.every(Number.isFinite)).toBe(true);
    expect(Array.from(rows)).toEqual(Array.from(enc.transform(events.slice(1000))));
  });

  it('rejects bad state with clear errors', async () => {
    const enc = encoder();
    await enc.fit([stream(50)]);
    const good = enc.toJSON();
    expect(() => FeatureEncoder.fromJSON({ ...good, version: 99 })).toThrow(/version 99 is not supported/);
    // A version-2 state (before the key hash and profile method set changed) is refused, naming both versions.
    expect(good.version).toBe(3);
    expect(() => FeatureEncoder.fromJSON({ ...good, version: 2 })).toThrow(/version 2 is not supported \(this build reads version 3; .*train again/);
    expect(() => FeatureEncoder.fromJSON({ ...good, format: 'x' } as unknown as EncoderState)).toThrow(/format/);
    expect(() => FeatureEncoder.fromJSON({ ...good, columns: ['a'] })).toThrow(/columns do not match/);
    expect(() => FeatureEncoder.fromJSON(null as unknown as EncoderState)).toThrow(/expected an object/);
    const bad = JSON.parse(JSON.stringify(good)) as EncoderState;
    bad.history.profiles.records = 'AAAA';
    expect(() => FeatureEncoder.fromJSON(bad)).toThrow(/history.profiles.records/);
    const badScale = JSON.parse(JSON.stringify(good)) as EncoderState;
    badScale.scaling.scale[0] = -1;
    expect(() => FeatureEncoder.fromJSON(badScale)).toThrow(/scale/);
  });

  it('validates the spec with errors that name the option', () => {
    expect(() => new FeatureEncoder({ timezone: 'Mars/Olympus' })).toThrow(/FeatureSpec.timezone/);
    expect(() => new FeatureEncoder({ scaling: { clip: -1 } })).toThrow(/FeatureSpec.scaling.clip/);
    expect(() => new FeatureEncoder({ memory: { pairs: 1.5 } })).toThrow(/FeatureSpec.memory.pairs/);
    expect(() => new FeatureEncoder({ drop: ['nope.*'] })).toThrow(/FeatureSpec.drop/);
    expect(() => new FeatureEncoder({ families: { velocity: { shortWindowMs: 86_400_000 } } })).toThrow(/shortWindowMs: must be shorter/);
    expect(() => new FeatureEncoder({ families: { colour: true } as never })).toThrow(/unknown family/);
    expect(() => new FeatureEncoder({ families: { time: false, what: false, where: false, novelty: false, velocity: false } })).toThrow(
      /at least one/,
    );
  });

  it('drops, re-weights and disables features', () => {
    const enc = encoder({
      families: { velocity: false, time: { weight: 2 } },
      drop: ['where.net_bucket*', 'what.key_type=*'],
      weights: { 'novelty.user_host_new': 3 },
    });
    expect(enc.columns.some((c) => c.startsWith('velocity.'))).toBe(false);
    expect(enc.columns.some((c) => c.startsWith('where.net_bucket'))).toBe(false);
    expect(enc.columns.some((c) => c.startsWith('what.key_type'))).toBe(false);
    const row = enc.transform([ev({ timestamp: T0 + 6 * HOUR })]);
    expect(row[enc.columns.indexOf('time.hour_sin')]).toBeCloseTo(2, 6);
    expect(row[enc.columns.indexOf('novelty.user_host_new')]).toBe(3);
  });

  it('plugs in custom feature functions, with state, description and serialisation', async () => {
    let seen = new Set<string>();
    const tty: CustomFeature = {
      name: 'new_tty',
      scaling: 'none',
      compute: (e) => (e.tty !== null && !seen.has(e.tty) ? 1 : 0),
      update: (e) => void (e.tty !== null && seen.add(e.tty)),
      reset: () => void (seen = new Set()),
      describe: (e) => `first login on terminal ${e.tty}`,
    };
    const hourCopy: CustomFeature = { name: 'hour', compute: (_e, ctx) => ctx.raw('time.hour_sin') + ctx.localHour * 0, transform: 'identity' };
    const bad: CustomFeature = { name: 'bad', compute: () => NaN, scaling: 'none' };
    const enc = encoder({ custom: [tty, hourCopy, bad] });
    expect(enc.columns.slice(-3)).toEqual(['custom.new_tty', 'custom.hour', 'custom.bad']);
    const raw = new Float64Array(2 * enc.width);
    enc.transform([ev({ tty: 'pts/0' }), ev({ tty: 'pts/0', timestamp: T0 + MIN })], { raw });
    expect(raw[enc.columns.indexOf('custom.new_tty')]).toBe(1);
    expect(raw[enc.width + enc.columns.indexOf('custom.new_tty')]).toBe(0);
    expect(raw[enc.columns.indexOf('custom.bad')]).toBe(0);
    expect(enc.describe('custom.new_tty', ev({ tty: 'pts/9' }), 1)).toBe('first login on terminal pts/9');
    await enc.fit([[ev(), ev({ timestamp: T0 + DAY })]]);
    const state = enc.toJSON();
    expect(() => FeatureEncoder.fromJSON(state)).toThrow(/custom feature 'new_tty' needs its function/);
    const copy = FeatureEncoder.fromJSON(state, { custom: [tty, hourCopy, bad] });
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(state));
  });

  it('describe() takes the scaled row value and un-scales it', async () => {
    const enc = encoder();
    await enc.fit([stream(500)]);
    const e = failed({ timestamp: T0 + 600 * 7 * MIN, failures: 12 });
    const row = enc.transform([e], { update: false });
    const c = enc.columns.indexOf('what.failures');
    expect(enc.unscale('what.failures', row[c])).toBeCloseTo(12, 3);
    expect(enc.describe('what.failures', e, row[c])).toBe('12 failed attempts within this login');
    expect(enc.describe('no.such', e, 0)).toMatch(/not a column/);
  });
});
