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
import { LINEAR_COUNT } from '../sketch.js';
import type { ResolvedSpec } from '../spec.js';


/**
 * Rolls a window forward to bucket `b`: bucket id at f[bi], counts at f[c], f[c+1], bitmaps at bits[i..i+7] (current,
 * previous), their set-bit counts at bits[pc] (current) and bits[pc+1] (current ∪ previous). Late events (b < stored
 * bucket) stay in the current bucket.
 */
function roll(f: Float64Array, bi: number, c: number, bits: Int32Array, i: number, pc: number, b: number): void {
  const B = f[bi];
  if (b <= B) return;
  if (b === B + 1) {
    f[c + 1] = f[c];
    for (let k = 0; k < 4; k++) bits[i + 4 + k] = bits[i + k];
    bits[pc + 1] = bits[pc]; // the new current bitmap is empty: the union is the old current one
  } else {
    f[c + 1] = 0;
    for (let k = 0; k < 4; k++) bits[i + 4 + k] = 0;
    bits[pc + 1] = 0;
  }
  f[c] = 0;
  for (let k = 0; k < 4; k++) bits[i + k] = 0;
  bits[pc] = 0;
  f[bi] = b;
}

/** Sets the bit of hash `h` in the current bitmap at bits[i..i+3], counting it (see {@link roll}) when it is new. */
function setBit(bits: Int32Array, i: number, pc: number, h: number): void {
  const bit = h & 127;
  const w = i + (bit >>> 5);
  const m = 1 << (bit & 31);
  if ((bits[w] & m) === 0) {
    bits[w] |= m;
    bits[pc]++;
    if ((bits[w + 4] & m) === 0) bits[pc + 1]++;
  }
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
  compute(p: Prepared, h: History, _raw: Float32Array, wide: Float64Array, b: number): void {
    const t = p.t;
    const ub = (this.ub = Math.floor(t / this.uw));
    const U = h.userWindows;
    // Profiles and user windows share slot numbering and hashing: the window is usually in the profile's slot.
    const ps = p.profile;
    const us = !p.hasUser ? -1 : ps >= 0 && U.holds(ps, p.u1, p.u2) ? ps : U.find(p.u1, p.u2);
    p.userWindow = us;
    if (us >= 0) {
      const rest = 1 - (t - ub * this.uw) / this.uw;
      const f = us * U.w64;
      const F = U.f64;
      const B = F[f + h.oUBucket];
      const bits = U.i32;
      const pc = us * U.w32 + h.oUPop;
      const c = f + h.oUCount;
      if (ub <= B) {
        const cur = LINEAR_COUNT[bits[pc]];
        wide[b] = cur + (LINEAR_COUNT[bits[pc + 1]] - cur) * rest;
        wide[b + 1] = F[c] + F[c + 1] * rest;
      } else if (ub === B + 1) {
        wide[b] = LINEAR_COUNT[bits[pc]] * rest;
        wide[b + 1] = F[c] * rest;
      } else {
        wide[b] = 0;
        wide[b + 1] = 0;
      }
    } else {
      wide[b] = 0;
      wide[b + 1] = 0;
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
      const sp = i + h.oSPop;
      if (sb <= SB) {
        const scur = LINEAR_COUNT[bits[sp]];
        wide[b + 2] = F[sf] + F[sf + 1] * sr;
        wide[b + 3] = scur + (LINEAR_COUNT[bits[sp + 1]] - scur) * sr;
      } else if (sb === SB + 1) {
        wide[b + 2] = F[sf] * sr;
        wide[b + 3] = LINEAR_COUNT[bits[sp]] * sr;
      } else {
        wide[b + 2] = 0;
        wide[b + 3] = 0;
      }
      const lr = 1 - (t - lb * this.lw) / this.lw;
      const LB = F[f + h.oLBucket];
      const lf = f + h.oLFail;
      const lp = i + h.oLPop;
      if (lb <= LB) {
        const lcur = LINEAR_COUNT[bits[lp]];
        wide[b + 4] = F[lf] + F[lf + 1] * lr;
        wide[b + 5] = lcur + (LINEAR_COUNT[bits[lp + 1]] - lcur) * lr;
      } else if (lb === LB + 1) {
        wide[b + 4] = F[lf] * lr;
        wide[b + 5] = LINEAR_COUNT[bits[lp]] * lr;
      } else {
        wide[b + 4] = 0;
        wide[b + 5] = 0;
      }
    } else {
      wide[b + 2] = 0;
      wide[b + 3] = 0;
      wide[b + 4] = 0;
      wide[b + 5] = 0;
    }
  }

  update(p: Prepared, h: History): void {
    const t = p.t;
    if (p.hasUser) {
      const U = h.userWindows;
      let s = p.userWindow;
      if (s < 0) {
        s = U.claim(p.u1, p.u2);
        U.f64[s * U.w64 + U.oLast] = t;
        U.f64[s * U.w64 + h.oUBucket] = this.ub;
      } else if (t > U.f64[s * U.w64 + U.oLast]) U.f64[s * U.w64 + U.oLast] = t; // touch, written out (no boxed call)
      const f = s * U.w64;
      const i = s * U.w32 + h.oUHosts;
      const pc = s * U.w32 + h.oUPop;
      roll(U.f64, f + h.oUBucket, f + h.oUCount, U.i32, i, pc, this.ub);
      U.f64[f + h.oUCount] += 1;
      if (p.hasHost) setBit(U.i32, i, pc, p.h2);
    }
    if (p.hasSource) {
      const S = h.sourceWindows;
      let s = p.sourceWindow;
      if (s < 0) {
        s = S.claim(p.s1, p.s2);
        S.f64[s * S.w64 + S.oLast] = t;
        S.f64[s * S.w64 + h.oSBucket] = this.sb;
        S.f64[s * S.w64 + h.oLBucket] = this.lb;
      } else if (t > S.f64[s * S.w64 + S.oLast]) S.f64[s * S.w64 + S.oLast] = t;
      const f = s * S.w64;
      const i = s * S.w32;
      roll(S.f64, f + h.oSBucket, f + h.oSFail, S.i32, i + h.oSUsers, i + h.oSPop, this.sb);
      roll(S.f64, f + h.oLBucket, f + h.oLFail, S.i32, i + h.oLUsers, i + h.oLPop, this.lb);
      S.f64[f + h.oSFail] += p.failWeight;
      S.f64[f + h.oLFail] += p.failWeight;
      if (p.hasUser) {
        setBit(S.i32, i + h.oSUsers, i + h.oSPop, p.u2);
        setBit(S.i32, i + h.oLUsers, i + h.oLPop, p.u2);
      }
    }
  }
}
