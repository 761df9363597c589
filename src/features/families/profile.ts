/**
 * The per-user profile update shared by the time, what and novelty families: successful-login count, last
 * seen, circular hour statistics with a 24-bin histogram (halved at {@link PROFILE_HALVING_WEIGHT} so old habits
 * fade), and key versus password logins.
 *
 * @module
 */
import { PROFILE_HALVING_WEIGHT, type History } from '../history.js';
import type { Prepared } from '../prepare.js';

/** Updates the profile of `p`'s user with an established login (no-op otherwise). */
export function updateProfile(p: Prepared, h: History): void {
  if (!p.hasUser || !p.established) return;
  const T = h.profiles;
  let s = p.profile;
  if (s < 0) {
    s = p.profile = T.claim(p.u1, p.u2);
    T.f64[s * T.w64 + T.oLast] = p.t;
  } else if (p.t > T.f64[s * T.w64 + T.oLast]) T.f64[s * T.w64 + T.oLast] = p.t; // touch, written out
  const f = T.f64;
  const b = s * T.w64;
  f[b + h.oLogins] += 1;
  let w = f[b + h.oWeight] + 1;
  f[b + h.oCos] += p.hourCos;
  f[b + h.oSin] += p.hourSin;
  const hb = s * T.w32 + h.oHist;
  T.f32[hb + (Math.floor(p.hour) % 24)] += 1;
  if (w >= PROFILE_HALVING_WEIGHT) {
    w *= 0.5;
    f[b + h.oCos] *= 0.5;
    f[b + h.oSin] *= 0.5;
    for (let i = hb; i < hb + 24; i++) T.f32[i] *= 0.5;
  }
  f[b + h.oWeight] = w;
  T.i32[s * T.w32 + h.oMethods] |= p.methodBit;
  if (p.method === 0) f[b + h.oKeys] += 1;
  else if (p.method === 1 || p.method === 2) f[b + h.oPasswords] += 1;
}

/** Mean local hour (0 <= h < 24) and concentration (mean resultant length, 0..1) of a profile slot. */
export function profileHours(h: History, s: number): { mean: number; concentration: number } {
  const f = h.profiles.f64;
  const b = s * h.profiles.w64;
  const w = f[b + h.oWeight];
  if (!(w > 0)) return { mean: 0, concentration: 0 };
  const c = f[b + h.oCos];
  const n = f[b + h.oSin];
  let mean = (Math.atan2(n, c) * 12) / Math.PI;
  if (mean < 0) mean += 24;
  return { mean, concentration: Math.min(1, Math.sqrt(c * c + n * n) / w) };
}

/** Circular distance between two hours (0..12). */
export function hourDistance(a: number, b: number): number {
  let d = Math.abs(a - b);
  // Hours are in [0, 24], so the (slow, floating-point) remainder is rarely needed; same result either way.
  if (!(d < 24)) d %= 24;
  return d > 12 ? 24 - d : d;
}

/**
 * The user's usual hours: the shortest run of whole local hours (wrapping midnight) holding at least `share` of
 * the profile's hour histogram. Returns start hour and length in hours.
 */
export function usualHours(h: History, s: number, share = 0.8): { start: number; length: number } {
  let total = 0;
  for (let i = 0; i < 24; i++) total += h.hist(s, i);
  if (!(total > 0)) return { start: 0, length: 24 };
  for (let len = 1; len <= 24; len++) {
    let best = -1;
    let bestSum = -1;
    for (let st = 0; st < 24; st++) {
      let sum = 0;
      for (let k = 0; k < len; k++) sum += h.hist(s, (st + k) % 24);
      if (sum > bestSum) {
        bestSum = sum;
        best = st;
      }
    }
    if (bestSum >= share * total - 1e-9) return { start: best, length: len };
  }
  return { start: 0, length: 24 };
}
