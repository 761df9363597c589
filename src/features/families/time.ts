/**
 * Time family: local hour and weekday on the circle (sin/cos), weekend, and the hour relative to this user's
 * usual hours (circular distance from the user's mean hour weighted by how concentrated the user's hours are,
 * and the share of the user's logins outside this hour ±1).
 *
 * @module
 */
import { feature, type Family, type RawFeature } from '../family.js';
import type { History } from '../history.js';
import type { Prepared } from '../prepare.js';
import type { ResolvedSpec } from '../spec.js';

const WD_SIN = Float64Array.from({ length: 7 }, (_, d) => Math.sin((2 * Math.PI * d) / 7));
const WD_COS = Float64Array.from({ length: 7 }, (_, d) => Math.cos((2 * Math.PI * d) / 7));

/** The time family. */
export class TimeFamily implements Family {
  readonly name = 'time' as const;
  readonly features: readonly RawFeature[] = [
    feature('time', 'hour_sin'),
    feature('time', 'hour_cos'),
    feature('time', 'weekday_sin'),
    feature('time', 'weekday_cos'),
    feature('time', 'weekend'),
    feature('time', 'hour_offset_user', 'robust'),
    feature('time', 'hour_rarity_user'),
  ];
  private readonly weekend = new Uint8Array(7);
  private readonly minHistory: number;

  constructor(opts: ResolvedSpec['families']['time']) {
    for (const d of opts.weekendDays) this.weekend[d] = 1;
    this.minHistory = opts.minHistory;
  }

  compute(p: Prepared, h: History, raw: Float32Array, wide: Float64Array, b: number): void {
    raw[b] = p.hourSin;
    raw[b + 1] = p.hourCos;
    raw[b + 2] = WD_SIN[p.weekday];
    raw[b + 3] = WD_COS[p.weekday];
    raw[b + 4] = this.weekend[p.weekday];
    const s = p.profile;
    const T = h.profiles;
    const f = T.f64;
    const pb = s * T.w64;
    if (s >= 0 && f[pb + h.oWeight] >= this.minHistory) {
      const w = f[pb + h.oWeight];
      const c = f[pb + h.oCos];
      const n = f[pb + h.oSin];
      let mean = (Math.atan2(n, c) * 12) / Math.PI;
      if (mean < 0) mean += 24;
      const r = Math.min(1, Math.sqrt(c * c + n * n) / w);
      // hourDistance(p.hour, mean), written out (a call would box its float arguments and result).
      let d = Math.abs(p.hour - mean);
      if (!(d < 24)) d %= 24;
      wide[b + 5] = r * (d > 12 ? 24 - d : d);
      const hr = Math.floor(p.hour) % 24;
      const hb = s * T.w32 + h.oHist;
      const near = T.f32[hb + ((hr + 23) % 24)] + T.f32[hb + hr] + T.f32[hb + ((hr + 1) % 24)];
      const rare = 1 - near / w;
      raw[b + 6] = rare > 0 ? (rare < 1 ? rare : 1) : 0;
    } else {
      wide[b + 5] = 0;
      raw[b + 6] = 0;
    }
  }
}
