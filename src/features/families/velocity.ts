/**
 * Velocity family: counts in sliding windows, each kept as two aligned buckets (current and previous) and
 * estimated as `current + previous × (1 − elapsed fraction of the current bucket)` — the standard two-bucket
 * sliding-window approximation, exact when events are spread evenly over the previous bucket. Distinct counts
 * use 128-bit linear-counting bitmaps per bucket. Features: distinct hosts and logins per user in the user
 * window (lateral movement, scripted access); failures and distinct user names per source in a short and a long
 * window (brute force, password spraying, low-and-slow).
 *
 * @module
 */
import { feature, windowLabel, type Family, type RawFeature } from '../family.js';
import type { History } from '../history.js';
import type { Prepared } from '../prepare.js';
import { LINEAR_COUNT, popcount32 } from '../sketch.js';
import type { ResolvedSpec } from '../spec.js';

function pop4(a: Int32Array, i: number): number {
  return popcount32(a[i]) + popcount32(a[i + 1]) + popcount32(a[i + 2]) + popcount32(a[i + 3]);
}

function popUnion(a: Int32Array, i: number, j: number): number {
  return (
    popcount32(a[i] | a[j]) + popcount32(a[i + 1] | a[j + 1]) + popcount32(a[i + 2] | a[j + 2]) + popcount32(a[i + 3] | a[j + 3])
  );
}

/**
 * Rolls a window forward to bucket `b`: bucket id at f[bi], counts at f[c], f[c+1], bitmaps at bits[i..i+7].
 * Late events (b < stored bucket) stay in the current bucket.
 */
function roll(f: Float64Array, bi: number, c: number, bits: Int32Array, i: number, b: number): void {
  const B = f[bi];
  if (b <= B) return;
  if (b === B + 1) {
    f[c + 1] = f[c];
    for (let k = 0; k < 4; k++) bits[i + 4 + k] = bits[i + k];
  } else {
    f[c + 1] = 0;
    for (let k = 0; k < 4; k++) bits[i + 4 + k] = 0;
  }
  f[c] = 0;
  for (let k = 0; k < 4; k++) bits[i + k] = 0;
  f[bi] = b;
}

function setBit(bits: Int32Array, i: number, h: number): void {
  const bit = h & 127;
  bits[i + (bit >>> 5)] |= 1 << (bit & 31);
}

/** The velocity family. */
export class VelocityFamily implements Family {
  readonly name = 'velocity' as const;
  readonly features: readonly RawFeature[];
  private readonly uw: number;
  private readonly sw: number;
  private readonly lw: number;
  private ub = 0;
  private sb = 0;
  private lb = 0;

  constructor(opts: ResolvedSpec['families']['velocity']) {
    this.uw = opts.userWindowMs;
    this.sw = opts.shortWindowMs;
    this.lw = opts.longWindowMs;
    const u = windowLabel(this.uw);
    const s = windowLabel(this.sw);
    const l = windowLabel(this.lw);
    this.features = [
      feature('velocity', `user_hosts_${u}`, 'robust', 'log1p'),
      feature('velocity', `user_logins_${u}`, 'robust', 'log1p'),
      feature('velocity', `source_failures_${s}`, 'robust', 'log1p'),
      feature('velocity', `source_users_${s}`, 'robust', 'log1p'),
      feature('velocity', `source_failures_${l}`, 'robust', 'log1p'),
      feature('velocity', `source_users_${l}`, 'robust', 'log1p'),
    ];
  }

  // The window estimates below are written out in place (same arithmetic as windowCount / windowDistinct): as
  // calls that TurboFan does not inline, their float arguments and results would each be boxed on the heap.
  compute(p: Prepared, h: History, raw: Float64Array, b: number): void {
    const t = p.t;
    const ub = (this.ub = Math.floor(t / this.uw));
    const U = h.userWindows;
    const us = p.hasUser ? U.find(p.u1, p.u2) : -1;
    p.userWindow = us;
    if (us >= 0) {
      const rest = 1 - (t - ub * this.uw) / this.uw;
      const f = us * U.w64;
      const F = U.f64;
      const B = F[f + h.oUBucket];
      const bits = U.i32;
      const i = us * U.w32 + h.oUHosts;
      const c = f + h.oUCount;
      if (ub <= B) {
        const cur = LINEAR_COUNT[pop4(bits, i)];
        raw[b] = cur + (LINEAR_COUNT[popUnion(bits, i, i + 4)] - cur) * rest;
        raw[b + 1] = F[c] + F[c + 1] * rest;
      } else if (ub === B + 1) {
        raw[b] = LINEAR_COUNT[pop4(bits, i)] * rest;
        raw[b + 1] = F[c] * rest;
      } else {
        raw[b] = 0;
        raw[b + 1] = 0;
      }
    } else {
      raw[b] = 0;
      raw[b + 1] = 0;
    }
    const sb = (this.sb = Math.floor(t / this.sw));
    const lb = (this.lb = Math.floor(t / this.lw));
    const S = h.sourceWindows;
    const ss = p.hasSource ? S.find(p.s1, p.s2) : -1;
    p.sourceWindow = ss;
    if (ss >= 0) {
      const f = ss * S.w64;
      const F = S.f64;
      const bits = S.i32;
      const i = ss * S.w32;
      const sr = 1 - (t - sb * this.sw) / this.sw;
      const SB = F[f + h.oSBucket];
      const sf = f + h.oSFail;
      const si = i + h.oSUsers;
      if (sb <= SB) {
        const scur = LINEAR_COUNT[pop4(bits, si)];
        raw[b + 2] = F[sf] + F[sf + 1] * sr;
        raw[b + 3] = scur + (LINEAR_COUNT[popUnion(bits, si, si + 4)] - scur) * sr;
      } else if (sb === SB + 1) {
        raw[b + 2] = F[sf] * sr;
        raw[b + 3] = LINEAR_COUNT[pop4(bits, si)] * sr;
      } else {
        raw[b + 2] = 0;
        raw[b + 3] = 0;
      }
      const lr = 1 - (t - lb * this.lw) / this.lw;
      const LB = F[f + h.oLBucket];
      const lf = f + h.oLFail;
      const li = i + h.oLUsers;
      if (lb <= LB) {
        const lcur = LINEAR_COUNT[pop4(bits, li)];
        raw[b + 4] = F[lf] + F[lf + 1] * lr;
        raw[b + 5] = lcur + (LINEAR_COUNT[popUnion(bits, li, li + 4)] - lcur) * lr;
      } else if (lb === LB + 1) {
        raw[b + 4] = F[lf] * lr;
        raw[b + 5] = LINEAR_COUNT[pop4(bits, li)] * lr;
      } else {
        raw[b + 4] = 0;
        raw[b + 5] = 0;
      }
    } else {
      raw[b + 2] = 0;
      raw[b + 3] = 0;
      raw[b + 4] = 0;
      raw[b + 5] = 0;
    }
  }

  update(p: Prepared, h: History): void {
    const t = p.t;
    if (p.hasUser) {
      const U = h.userWindows;
      let s = p.userWindow;
      if (s < 0) {
        s = U.insert(p.u1, p.u2, t);
        U.f64[s * U.w64 + h.oUBucket] = this.ub;
      } else U.touch(s, t);
      const f = s * U.w64;
      const i = s * U.w32 + h.oUHosts;
      roll(U.f64, f + h.oUBucket, f + h.oUCount, U.i32, i, this.ub);
      U.f64[f + h.oUCount] += 1;
      if (p.hasHost) setBit(U.i32, i, p.h2);
    }
    if (p.hasSource) {
      const S = h.sourceWindows;
      let s = p.sourceWindow;
      if (s < 0) {
        s = S.insert(p.s1, p.s2, t);
        S.f64[s * S.w64 + h.oSBucket] = this.sb;
        S.f64[s * S.w64 + h.oLBucket] = this.lb;
      } else S.touch(s, t);
      const f = s * S.w64;
      const i = s * S.w32;
      roll(S.f64, f + h.oSBucket, f + h.oSFail, S.i32, i + h.oSUsers, this.sb);
      roll(S.f64, f + h.oLBucket, f + h.oLFail, S.i32, i + h.oLUsers, this.lb);
      S.f64[f + h.oSFail] += p.failWeight;
      S.f64[f + h.oLFail] += p.failWeight;
      if (p.hasUser) {
        setBit(S.i32, i + h.oSUsers, p.u2);
        setBit(S.i32, i + h.oLUsers, p.u2);
      }
    }
  }
}
