/**
 * Novelty family: first time for user, user→host, user→subnet, user→key, user→method, host→source (all learned
 * from established logins only, so brute-force failures never make an attacker's source "known"); days since
 * the user's last successful login; rarity of the host for the user; rarity of the source address and subnet
 * across all hosts (count-min sketches).
 *
 * @module
 */
import { feature, type Family, type RawFeature } from '../family.js';
import {
  REL_USER_HOST,
  REL_USER_KEY,
  REL_USER_METHOD,
  REL_USER_SUBNET,
  type History,
} from '../history.js';
import { pairKey1, pairKey2 } from '../hash.js';
import type { Prepared } from '../prepare.js';

/** Key halves of relation `rel` for the prepared event, written to `out`; false when the event lacks a side. */
function relKey(p: Prepared, rel: number, out: Int32Array): boolean {
  let a1: number, a2: number, b1: number, b2: number;
  switch (rel) {
    case REL_USER_HOST:
      if (!p.hasUser || !p.hasHost) return false;
      a1 = p.u1; a2 = p.u2; b1 = p.h1; b2 = p.h2;
      break;
    case REL_USER_SUBNET:
      if (!p.hasUser || !p.hasSource) return false;
      a1 = p.u1; a2 = p.u2; b1 = p.addr.net1; b2 = p.addr.net2;
      break;
    case REL_USER_KEY:
      if (!p.hasUser || !p.hasKey) return false;
      a1 = p.u1; a2 = p.u2; b1 = p.k1; b2 = p.k2;
      break;
    case REL_USER_METHOD:
      if (!p.hasUser || p.method === 6) return false;
      a1 = p.u1; a2 = p.u2; b1 = p.m1; b2 = p.m2;
      break;
    default:
      if (!p.hasHost || !p.hasSource) return false;
      a1 = p.h1; a2 = p.h2; b1 = p.s1; b2 = p.s2;
  }
  out[0] = pairKey1(a1, b1, rel);
  out[1] = pairKey2(a2, b2, rel);
  return true;
}

const KEY = new Int32Array(2);
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
  /** Which relations each event has (reused). */
  private readonly present = new Uint8Array(N_REL);
  private readonly keys = new Int32Array(N_REL * 2);

  compute(p: Prepared, h: History, raw: Float64Array, b: number): void {
    raw[b] = p.hasUser && p.profile < 0 ? 1 : 0;
    for (let r = 0; r < N_REL; r++) {
      if (relKey(p, r, KEY)) {
        this.present[r] = 1;
        this.keys[2 * r] = KEY[0];
        this.keys[2 * r + 1] = KEY[1];
        const s = h.relations[r].find(KEY[0], KEY[1]);
        p.rel[r] = s;
        raw[b + 1 + r] = s < 0 ? 1 : 0;
      } else {
        this.present[r] = 0;
        p.rel[r] = -1;
        raw[b + 1 + r] = 0;
      }
    }
    const s = p.profile;
    if (s >= 0) {
      const idle = (p.t - h.profiles.lastOf(s)) / 86_400_000;
      raw[b + 6] = idle > 0 ? idle : 0;
    } else {
      raw[b + 6] = 0;
    }
    if (this.present[REL_USER_HOST] === 1) {
      const n = s >= 0 ? h.logins(s) : 0;
      const rs = p.rel[REL_USER_HOST];
      const T = h.relations[REL_USER_HOST];
      const c = rs >= 0 ? T.f64[rs * T.w64 + h.oRelCount] : 0;
      const r = 1 - c / (n + 1);
      raw[b + 7] = r > 0 ? r : 0;
    } else {
      raw[b + 7] = 0;
    }
    if (p.hasSource) {
      raw[b + 8] = 1 / (1 + h.sourceCounts.estimate(p.s1, p.s2));
      raw[b + 9] = 1 / (1 + h.subnetCounts.estimate(p.addr.net1, p.addr.net2));
    } else {
      raw[b + 8] = 0;
      raw[b + 9] = 0;
    }
  }

  update(p: Prepared, h: History): void {
    if (!p.established) return;
    const t = p.t;
    for (let r = 0; r < N_REL; r++) {
      if (this.present[r] === 0) continue;
      const table = h.relations[r];
      let s = p.rel[r];
      if (s < 0) s = table.insert(this.keys[2 * r], this.keys[2 * r + 1], t);
      else table.touch(s, t);
      table.f64[s * table.w64 + h.oRelCount] += 1;
    }
    if (p.hasSource) {
      h.sourceCounts.increment(p.s1, p.s2);
      h.subnetCounts.increment(p.addr.net1, p.addr.net2);
    }
  }
}
