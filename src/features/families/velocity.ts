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
import { linearCount, popcount32 } from '../sketch.js';
import type { ResolvedSpec } from '../spec.js';

function pop4(a: Int32Array, i: number): number {
  return popcount32(a[i]) + popcount32(a[i + 1]) + popcount32(a[i + 2]) + popcount32(a[i + 3]);
}

function popUnion(a: Int32Array, i: number, j: number): number {
  return (
    popcount32(a[i] | a[j]) + popcount32(a[i + 1] | a[j + 1]) + popcount32(a[i + 2] | a[j + 2]) + popcount32(a[i + 3] | a[j + 3])
  );
}

/** Sliding-window count: stored bucket `B` with (cur, prev) at counts[2s], counts[2s+1]; event in bucket `b`. */
function windowCount(B: number, counts: Float64Array, s: number, b: number, rest: number): number {
  if (b <= B) return counts[2 * s] + counts[2 * s + 1] * rest;
  if (b === B + 1) return counts[2 * s] * rest;
  return 0;
}

/** Sliding-window distinct count from bitmaps (cur at 8s, prev at 8s+4). */
function windowDistinct(B: number, bits: Int32Array, s: number, b: number, rest: number): number {
  const cur = linearCount(pop4(bits, 8 * s));
  if (b <= B) return cur + (linearCount(popUnion(bits, 8 * s, 8 * s + 4)) - cur) * rest;
  if (b === B + 1) return cur * rest;
  return 0;
}

/** Rolls a window's buckets forward to bucket `b` (late events, b < B, stay in the current bucket). */
function roll(bucket: Float64Array, counts: Float64Array, bits: Int32Array | null, s: number, b: number): void {
  const B = bucket[s];
  if (b <= B) return;
  if (b === B + 1) {
    counts[2 * s + 1] = counts[2 * s];
    if (bits !== null) for (let k = 0; k < 4; k++) bits[8 * s + 4 + k] = bits[8 * s + k];
  } else {
    counts[2 * s + 1] = 0;
    if (bits !== null) for (let k = 0; k < 4; k++) bits[8 * s + 4 + k] = 0;
  }
  counts[2 * s] = 0;
  if (bits !== null) for (let k = 0; k < 4; k++) bits[8 * s + k] = 0;
  bucket[s] = b;
}

function setBit(bits: Int32Array, s: number, h: number): void {
  const bit = h & 127;
  bits[8 * s + (bit >>> 5)] |= 1 << (bit & 31);
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

  compute(p: Prepared, h: History, raw: Float64Array, b: number): void {
    const t = p.t;
    const ub = (this.ub = Math.floor(t / this.uw));
    const us = p.hasUser ? h.userWindows.find(p.u1, p.u2) : -1;
    p.userWindow = us;
    if (us >= 0) {
      const rest = 1 - (t - ub * this.uw) / this.uw;
      const B = h.uBucket[us];
      raw[b] = windowDistinct(B, h.uHosts, us, ub, rest);
      raw[b + 1] = windowCount(B, h.uCount, us, ub, rest);
    } else {
      raw[b] = 0;
      raw[b + 1] = 0;
    }
    const sb = (this.sb = Math.floor(t / this.sw));
    const lb = (this.lb = Math.floor(t / this.lw));
    const ss = p.hasSource ? h.sourceWindows.find(p.s1, p.s2) : -1;
    p.sourceWindow = ss;
    if (ss >= 0) {
      const sr = 1 - (t - sb * this.sw) / this.sw;
      const SB = h.sShortBucket[ss];
      raw[b + 2] = windowCount(SB, h.sShortFail, ss, sb, sr);
      raw[b + 3] = windowDistinct(SB, h.sShortUsers, ss, sb, sr);
      const lr = 1 - (t - lb * this.lw) / this.lw;
      const LB = h.sLongBucket[ss];
      raw[b + 4] = windowCount(LB, h.sLongFail, ss, lb, lr);
      raw[b + 5] = windowDistinct(LB, h.sLongUsers, ss, lb, lr);
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
      let s = p.userWindow;
      if (s < 0) {
        s = h.userWindows.insert(p.u1, p.u2, t);
        h.uBucket[s] = this.ub;
      } else if (t > h.userWindows.last[s]) h.userWindows.last[s] = t;
      roll(h.uBucket, h.uCount, h.uHosts, s, this.ub);
      h.uCount[2 * s] += 1;
      if (p.hasHost) setBit(h.uHosts, s, p.h2);
    }
    if (p.hasSource) {
      let s = p.sourceWindow;
      if (s < 0) {
        s = h.sourceWindows.insert(p.s1, p.s2, t);
        h.sShortBucket[s] = this.sb;
        h.sLongBucket[s] = this.lb;
      } else if (t > h.sourceWindows.last[s]) h.sourceWindows.last[s] = t;
      roll(h.sShortBucket, h.sShortFail, h.sShortUsers, s, this.sb);
      roll(h.sLongBucket, h.sLongFail, h.sLongUsers, s, this.lb);
      h.sShortFail[2 * s] += p.failWeight;
      h.sLongFail[2 * s] += p.failWeight;
      if (p.hasUser) {
        setBit(h.sShortUsers, s, p.u2);
        setBit(h.sLongUsers, s, p.u2);
      }
    }
  }
}
