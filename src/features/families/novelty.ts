/**
 * Novelty family: first time for user, user→host, user→subnet, user→key, user→method, host→source (all learned
 * from established logins only, so brute-force failures never make an attacker's source "known"); days since
 * the user's last successful login; rarity of the host for the user; rarity of the source address and subnet
 * across all hosts (count-min sketches).
 *
 * @module
 */
import { feature, type Family, type RawFeature } from '../family.js';
import { REL_USER_HOST, type History } from '../history.js';
import type { Prepared } from '../prepare.js';

const N_REL = 5;

/** The novelty family. */
export class NoveltyFamily implements Family {
  readonly name = 'novelty' as const;
  readonly features: readonly RawFeature[] = [
    feature('novelty', 'user_new'),
    feature('novelty', 'user_host_new'),
    feature('novelty', 'user_subnet_new'),
    feature('novelty', 'user_key_new'),
    feature('novelty', 'user_method_new'),
    feature('novelty', 'host_source_new'),
    feature('novelty', 'user_idle_days', 'robust', 'log1p'),
    feature('novelty', 'host_rarity_user'),
    feature('novelty', 'source_rarity'),
    feature('novelty', 'subnet_rarity'),
  ];
  /** Sketch estimates of the current event's source and subnet (reused by `update`, which increments them). */
  private sourceEstimate = 0;
  private subnetEstimate = 0;

  compute(p: Prepared, h: History, raw: Float32Array, wide: Float64Array, b: number): void {
    raw[b] = p.hasUser && p.profile < 0 ? 1 : 0;
    // Relation keys were computed with the event's other state-independent facts (prepare.ts).
    const mask = p.relMask;
    const keys = p.relKey;
    const k0 = p.relAt;
    for (let r = 0; r < N_REL; r++) {
      if ((mask & (1 << r)) !== 0) {
        const s = h.relations[r].find(keys[k0 + 2 * r], keys[k0 + 2 * r + 1]);
        p.rel[r] = s;
        raw[b + 1 + r] = s < 0 ? 1 : 0;
      } else {
        p.rel[r] = -1;
        raw[b + 1 + r] = 0;
      }
    }
    const s = p.profile;
    // A recognised method (or sudo/su) is new when the user's profile lacks its bit (no profile: new).
    const mb = p.methodBit;
    if (mb !== 0 && p.hasUser) {
      raw[b + 4] = s < 0 || (h.profiles.i32[s * h.profiles.w32 + h.oMethods] & mb) === 0 ? 1 : 0;
    }
    // Dormancy is measured on established logins only: a failed attempt does not bring an account back to life,
    // and scanners trying `root`/`admin` all week would otherwise carry an idle time that grows with the calendar.
    if (s >= 0 && p.established) {
      const P = h.profiles;
      const idle = (p.t - P.f64[s * P.w64 + P.oLast]) / 86_400_000;
      wide[b + 6] = idle > 0 ? idle : 0;
    } else {
      wide[b + 6] = 0;
    }
    if ((mask & (1 << REL_USER_HOST)) !== 0) {
      const n = s >= 0 ? h.profiles.f64[s * h.profiles.w64 + h.oLogins] : 0;
      const rs = p.rel[REL_USER_HOST];
      const T = h.relations[REL_USER_HOST];
      const c = rs >= 0 ? T.f64[rs * T.w64 + h.oRelCount] : 0;
      const r = 1 - c / (n + 1);
      raw[b + 7] = r > 0 ? r : 0;
    } else {
      raw[b + 7] = 0;
    }
    if (p.hasSource) {
      const se = (this.sourceEstimate = h.sourceCounts.estimate(p.s1, p.s2));
      const ne = (this.subnetEstimate = h.subnetCounts.estimate(p.addr.net1, p.addr.net2));
      raw[b + 8] = 1 / (1 + se);
      raw[b + 9] = 1 / (1 + ne);
    } else {
      raw[b + 8] = 0;
      raw[b + 9] = 0;
    }
  }

  update(p: Prepared, h: History): void {
    if (!p.established) return;
    const t = p.t;
    const mask = p.relMask;
    const keys = p.relKey;
    const k0 = p.relAt;
    for (let r = 0; r < N_REL; r++) {
      if ((mask & (1 << r)) === 0) continue;
      const table = h.relations[r];
      let s = p.rel[r];
      if (s < 0) {
        s = table.claim(keys[k0 + 2 * r], keys[k0 + 2 * r + 1]);
        table.f64[s * table.w64 + table.oLast] = t;
      } else if (t > table.f64[s * table.w64 + table.oLast]) table.f64[s * table.w64 + table.oLast] = t; // touch, written out
      table.f64[s * table.w64 + h.oRelCount] += 1;
    }
    if (p.hasSource) {
      // The estimates from `compute`: nothing touched the sketches between compute and update of this event.
      h.sourceCounts.incrementFrom(p.s1, p.s2, this.sourceEstimate);
      h.subnetCounts.incrementFrom(p.addr.net1, p.addr.net2, this.subnetEstimate);
    }
  }
}
