/**
 * Per-event preparation shared by every family: sanitised time, local hour/weekday, entity hashes, source
 * address facts, method and key-type indices, and the table slots found for this event (so the state update
 * after computing the row does not look them up again). One {@link Prepared} object is reused for every event.
 *
 * Work that does not depend on the behavioural state (string hashes, address parsing, method and key-type
 * categories, relation keys) is done for a chunk of events at a time into flat typed arrays, followed by a pass
 * that reads the home slot of every table and sketch those events will look up. The table lookups are the
 * encoder's main cost (random reads in tens of MB of tables: cache and TLB misses); issuing the reads of a whole
 * chunk back to back lets the CPU overlap the misses instead of waiting for each one in turn. The result is
 * identical: the prefetch only reads memory.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { emptyAddressInfo, parseAddress, type AddressInfo } from './address.js';
import { HASH_OUT, hashString, pairKey1, pairKey2 } from './hash.js';
import type { History } from './history.js';
import { METHOD_BIT_SU, METHOD_BIT_SUDO, RELATIONS } from './history.js';
import { isUsableTime, LocalClock } from './timezone.js';

/** Authentication method categories, in column order. */
export const METHODS = ['publickey', 'password', 'keyboard-interactive', 'hostbased', 'gssapi', 'other', 'missing'] as const;
/** Key type categories, in column order. */
export const KEY_TYPES = ['rsa', 'ed25519', 'ecdsa', 'dsa', 'other', 'missing'] as const;
/** Event kinds, in column order. */
export const KINDS = ['ssh_session', 'ssh_failed', 'ssh_no_user', 'sudo', 'su', 'console', 'audit'] as const;
/** Outcomes, in column order. */
export const OUTCOMES = ['success', 'failure', 'unknown'] as const;

/** Index of a method string in {@link METHODS}. */
export function methodIndex(m: string | null): number {
  if (m === null || m.length === 0) return 6;
  switch (m) {
    case 'publickey':
      return 0;
    case 'password':
      return 1;
    case 'keyboard-interactive':
      return 2;
    case 'hostbased':
      return 3;
    case 'gssapi-with-mic':
    case 'gssapi-keyex':
    case 'gssapi':
      return 4;
    default: {
      const l = m.toLowerCase();
      if (l === 'publickey' || l === 'public-key' || l === 'pubkey') return 0;
      if (l === 'password') return 1;
      if (l.startsWith('keyboard-interactive')) return 2;
      if (l === 'hostbased') return 3;
      if (l.startsWith('gssapi')) return 4;
      return 5;
    }
  }
}

/** Index of a key type string in {@link KEY_TYPES} (`RSA`, `ssh-ed25519`, `ECDSA-SK`, `RSA-CERT`, ...). */
export function keyTypeIndex(k: string | null): number {
  if (k === null || k.length === 0) return 5;
  switch (k) {
    case 'RSA':
      return 0;
    case 'ED25519':
      return 1;
    case 'ECDSA':
      return 2;
    case 'DSA':
      return 3;
    default: {
      const u = k.length > 64 ? '' : k.toUpperCase();
      if (u.includes('ED25519')) return 1;
      if (u.includes('ECDSA')) return 2;
      if (u.includes('RSA')) return 0;
      if (u.includes('DSA') || u.includes('DSS')) return 3;
      return 4;
    }
  }
}

/** The per-event scratch. */
export interface Prepared {
  /** The event. */
  event: LoginEvent;
  /** Sanitised time (epoch ms): the event's timestamp, or the last good time when it is not a usable number. */
  t: number;
  /** Local hour (fractional). */
  hour: number;
  /** Local weekday (0 = Sunday). */
  weekday: number;
  /** cos / sin of the hour angle. */
  hourCos: number;
  /** See `hourCos`. */
  hourSin: number;
  /** Whether the event names a user / host / source / key fingerprint. */
  hasUser: boolean;
  /** See `hasUser`. */
  hasHost: boolean;
  /** See `hasUser`. */
  hasSource: boolean;
  /** See `hasUser`. */
  hasKey: boolean;
  /** Key halves of user, host, source string, fingerprint, method string. */
  u1: number;
  /** See `u1`. */
  u2: number;
  /** See `u1`. */
  h1: number;
  /** See `u1`. */
  h2: number;
  /** See `u1`. */
  s1: number;
  /** See `u1`. */
  s2: number;
  /** See `u1`. */
  k1: number;
  /** See `u1`. */
  k2: number;
  /** See `u1`. */
  m1: number;
  /** See `u1`. */
  m2: number;
  /** Source address facts. */
  addr: AddressInfo;
  /** {@link METHODS} index. */
  method: number;
  /** {@link KEY_TYPES} index. */
  keyType: number;
  /**
   * The event's bit in the profile's method set (`History.oMethods`): `1 << method` for methods 0-4,
   * `METHOD_BIT_SUDO` / `METHOD_BIT_SU` for sudo/su without an ssh method, 0 otherwise (an `other` method is looked
   * up in the `user_method` relation by its hash instead).
   */
  methodBit: number;
  /** A login that establishes a relationship: outcome not `failure` and kind not `ssh_no_user`. */
  established: boolean;
  /** Failures this event adds to its source's failure windows: `failures`, at least 1 when the outcome is failure. */
  failWeight: number;
  /** Sanitised failure count. */
  failures: number;
  /** Slots found for this event (-1 = absent). */
  profile: number;
  /** See `profile`. */
  userWindow: number;
  /** See `profile`. */
  sourceWindow: number;
  /** Relation slots ({@link RELATIONS} order). */
  rel: Int32Array;
  /**
   * Relation keys ({@link RELATIONS} order, two halves each) at `relKey[relAt ..]`; valid where bit `r` of
   * `relMask` is set. (`relKey` is the chunk's fact array, read in place.)
   */
  relKey: Int32Array;
  /** See `relKey`. */
  relAt: number;
  /** Bit `r` set when the event has both sides of relation `r`. */
  relMask: number;
}

/** Events prepared per chunk (their table reads are issued together). */
export const PREPARE_CHUNK = 32;


// Layout of one event's row in the chunk's Int32Array.
const F_FLAGS = 0; // bit 0 user, 1 host, 2 source, 3 key
const F_U1 = 1;
const F_U2 = 2;
const F_H1 = 3;
const F_H2 = 4;
const F_K1 = 5;
const F_K2 = 6;
const F_M1 = 7;
const F_M2 = 8;
const F_METHOD = 9;
const F_KEYTYPE = 10;
const F_CLS = 11;
const F_V6 = 12;
const F_NET1 = 13;
const F_NET2 = 14;
const F_WIDE = 15;
const F_S1 = 16;
const F_S2 = 17;
const F_REL = 18; // 5 relations × 2 halves
const F_RELMASK = 28;
// Prefetch addresses (word/element indices into the tables' arrays), -1 when the event has no such key.
const F_AT_USER = 29; // profiles + user windows (one interleaved stride)
const F_AT_SOURCE = 30; // source windows
const F_AT_COUNT = 31; // source count-min block
const F_AT_SUBNET = 32; // subnet count-min block
const F_AT_REL = 33; // 5 relations
const F_MBIT = 38;
const STRIDE = 40;

/** Fills {@link Prepared} for one event; owns the string-hash caches and the local clock. */
export class Preparer {
  /** The reused scratch. */
  readonly p: Prepared;
  /** State-independent facts of the current chunk's events, {@link STRIDE} int32 per event. */
  private readonly rows = new Int32Array(PREPARE_CHUNK * STRIDE);
  private readonly addr: AddressInfo = emptyAddressInfo();
  /** Sum of the prefetched words (kept so the reads are not optimised away). */
  sink = 0;


  constructor(readonly clock: LocalClock) {
    this.p = {
      event: undefined as unknown as LoginEvent,
      t: 0,
      hour: 0,
      weekday: 0,
      hourCos: 1,
      hourSin: 0,
      hasUser: false,
      hasHost: false,
      hasSource: false,
      hasKey: false,
      u1: 0,
      u2: 0,
      h1: 0,
      h2: 0,
      s1: 0,
      s2: 0,
      k1: 0,
      k2: 0,
      m1: 0,
      m2: 0,
      addr: emptyAddressInfo(),
      method: 6,
      keyType: 5,
      methodBit: 0,
      established: false,
      failWeight: 0,
      failures: 0,
      profile: -1,
      userWindow: -1,
      sourceWindow: -1,
      rel: new Int32Array(RELATIONS.length).fill(-1),
      relKey: new Int32Array(RELATIONS.length * 2),
      relAt: 0,
      relMask: 0,
    };
  }

  /**
   * Computes the state-independent facts of `batch[from .. to)` (at most {@link PREPARE_CHUNK} events) and reads
   * the home slots those events will look up in `h`, so that the misses of the whole chunk overlap.
   */
  prepareChunk(batch: readonly LoginEvent[], from: number, to: number, h: History): void {
    const rows = this.rows;
    for (let i = from, o = 0; i < to; i++, o += STRIDE) this.facts(batch[i], rows, o, h);
    this.prefetch((to - from) * STRIDE, h);
  }

  /**
   * Reads every cache line of every table slot and sketch block the chunk's events will look up, in tight loops
   * of independent loads so that the CPU overlaps as many misses as it can. The values mean nothing; their
   * XOR goes to {@link Preparer.sink} only so the reads are not optimised away.
   */
  private prefetch(end: number, h: History): void {
    const rows = this.rows;
    let acc = 0;
    const U = h.profiles.i32;
    const uw = h.profiles.w32;
    for (let o = 0; o < end; o += STRIDE) {
      const x = rows[o + F_AT_USER];
      if (x >= 0) {
        for (let k = 0; k < uw; k += 16) acc ^= U[x + k];
        acc ^= U[x + uw - 1];
      }
    }
    const S = h.sourceWindows.i32;
    const sw = h.sourceWindows.w32;
    const C = h.sourceCounts.data;
    const N = h.subnetCounts.data;
    for (let o = 0; o < end; o += STRIDE) {
      const x = rows[o + F_AT_SOURCE];
      if (x >= 0) {
        for (let k = 0; k < sw; k += 16) acc ^= S[x + k];
        acc ^= S[x + sw - 1];
        const c = rows[o + F_AT_COUNT];
        const n = rows[o + F_AT_SUBNET];
        acc ^= C[c] ^ C[c + 15] ^ N[n] ^ N[n + 15];
      }
    }
    const R = h.relations;
    for (let r = 0; r < 5; r++) {
      const T = R[r].i32;
      const last = R[r].w32 - 1;
      for (let o = 0; o < end; o += STRIDE) {
        const x = rows[o + F_AT_REL + r];
        if (x >= 0) acc ^= T[x] ^ T[x + last];
      }
    }
    this.sink ^= acc;
  }

  /** The state-independent facts of one event (string fields of any content accepted; non-strings are missing). */
  private facts(e: LoginEvent, rows: Int32Array, o: number, h: History): void {
    let flags = 0;
    let u1 = 0;
    let u2 = 0;
    let h1 = 0;
    let h2 = 0;
    let k1 = 0;
    let k2 = 0;
    const user = e.userName;
    if (typeof user === 'string' && user.length > 0) {
      flags |= 1;
      hashString(user);
      u1 = HASH_OUT[0];
      u2 = HASH_OUT[1];
    }
    const host = e.hostName;
    if (typeof host === 'string' && host.length > 0) {
      flags |= 2;
      hashString(host);
      h1 = HASH_OUT[0];
      h2 = HASH_OUT[1];
    }
    const src = e.sourceIp;
    const a = parseAddress(typeof src === 'string' ? src : null, this.addr);
    if (a.cls !== 0) flags |= 4;
    const fp = e.sshKeyFingerprint;
    if (typeof fp === 'string' && fp.length > 0) {
      flags |= 8;
      hashString(fp);
      k1 = HASH_OUT[0];
      k2 = HASH_OUT[1];
    }
    const m = e.sshMethod;
    const method = typeof m === 'string' ? methodIndex(m) : 6;
    let m1: number;
    let m2: number;
    // sudo/su carry no ssh method: they count as the "methods" `sudo` and `su` in the user→method relation, so the
    // first privilege escalation of an account that never escalated is a first-time method.
    const escalation = method === 6 && (e.kind === 'sudo' || e.kind === 'su');
    if (method === 5) {
      hashString(m as string);
      m1 = HASH_OUT[0];
      m2 = HASH_OUT[1];
    } else if (escalation) {
      m1 = e.kind === 'sudo' ? 0x7375646f : 0x7375;
      m2 = 0x4d455448;
    } else {
      // Known categories need no string hashing: the category index is the key.
      m1 = method + 1;
      m2 = 0x4d455448;
    }
    rows[o + F_FLAGS] = flags;
    rows[o + F_U1] = u1;
    rows[o + F_U2] = u2;
    rows[o + F_H1] = h1;
    rows[o + F_H2] = h2;
    rows[o + F_K1] = k1;
    rows[o + F_K2] = k2;
    rows[o + F_M1] = m1;
    rows[o + F_M2] = m2;
    rows[o + F_METHOD] = method;
    rows[o + F_KEYTYPE] = typeof e.sshKeyType === 'string' ? keyTypeIndex(e.sshKeyType) : 5;
    rows[o + F_CLS] = a.cls;
    rows[o + F_V6] = a.v6;
    rows[o + F_NET1] = a.net1;
    rows[o + F_NET2] = a.net2;
    rows[o + F_WIDE] = a.wide;
    rows[o + F_S1] = a.key1;
    rows[o + F_S2] = a.key2;
    // Relation keys (RELATIONS order): user→host, user→subnet, user→key, user→method, host→source.
    let mask = 0;
    const hasUser = (flags & 1) !== 0;
    const hasHost = (flags & 2) !== 0;
    const hasSource = (flags & 4) !== 0;
    if (hasUser && hasHost) {
      mask |= 1;
      rows[o + F_REL] = pairKey1(u1, h1, 0);
      rows[o + F_REL + 1] = pairKey2(u2, h2, 0);
    }
    if (hasUser && hasSource) {
      mask |= 2;
      rows[o + F_REL + 2] = pairKey1(u1, a.net1, 1);
      rows[o + F_REL + 3] = pairKey2(u2, a.net2, 1);
    }
    if (hasUser && (flags & 8) !== 0) {
      mask |= 4;
      rows[o + F_REL + 4] = pairKey1(u1, k1, 2);
      rows[o + F_REL + 5] = pairKey2(u2, k2, 2);
    }
    // Recognised methods, sudo and su are bits of the user's profile; only other method strings need the relation.
    rows[o + F_MBIT] = method < 5 ? 1 << method : escalation ? (e.kind === 'sudo' ? METHOD_BIT_SUDO : METHOD_BIT_SU) : 0;
    if (hasUser && method === 5) {
      mask |= 8;
      rows[o + F_REL + 6] = pairKey1(u1, m1, 3);
      rows[o + F_REL + 7] = pairKey2(u2, m2, 3);
    }
    if (hasHost && hasSource) {
      mask |= 16;
      rows[o + F_REL + 8] = pairKey1(h1, a.key1, 4);
      rows[o + F_REL + 9] = pairKey2(h2, a.key2, 4);
    }
    rows[o + F_RELMASK] = mask;
    // Where the lookups will go (for the prefetch pass).
    rows[o + F_AT_USER] = hasUser ? h.profiles.homeWord(u1, u2) : -1;
    if (hasSource) {
      rows[o + F_AT_SOURCE] = h.sourceWindows.homeWord(a.key1, a.key2);
      rows[o + F_AT_COUNT] = h.sourceCounts.blockIndex(a.key1, a.key2);
      rows[o + F_AT_SUBNET] = h.subnetCounts.blockIndex(a.net1, a.net2);
    } else {
      rows[o + F_AT_SOURCE] = -1;
    }
    const R = h.relations;
    for (let r = 0; r < 5; r++) {
      rows[o + F_AT_REL + r] = (mask & (1 << r)) !== 0 ? R[r].homeWord(rows[o + F_REL + 2 * r], rows[o + F_REL + 2 * r + 1]) : -1;
    }
  }

  /**
   * Prepares event `e`, the `i`-th event (0-based) of the chunk last passed to {@link Preparer.prepareChunk},
   * adding what depends on the state (sanitised time, profile slot).
   */
  prepare(e: LoginEvent, i: number, h: History): Prepared {
    const p = this.p;
    const rows = this.rows;
    const o = i * STRIDE;
    p.event = e;
    let t = e.timestamp;
    if (!isUsableTime(t)) t = h.lastTime;
    p.t = t;
    this.clock.set(t);
    p.hour = this.clock.hour;
    p.weekday = this.clock.weekday;
    const ang = (p.hour * Math.PI) / 12;
    p.hourCos = Math.cos(ang);
    p.hourSin = Math.sin(ang);

    const flags = rows[o + F_FLAGS];
    p.hasUser = (flags & 1) !== 0;
    p.hasHost = (flags & 2) !== 0;
    p.hasSource = (flags & 4) !== 0;
    p.hasKey = (flags & 8) !== 0;
    // Halves of absent entities keep the previous event's values, as before (they are never read).
    if (p.hasUser) {
      p.u1 = rows[o + F_U1];
      p.u2 = rows[o + F_U2];
    }
    if (p.hasHost) {
      p.h1 = rows[o + F_H1];
      p.h2 = rows[o + F_H2];
    }
    if (p.hasKey) {
      p.k1 = rows[o + F_K1];
      p.k2 = rows[o + F_K2];
    }
    const a = p.addr;
    a.cls = rows[o + F_CLS];
    a.v6 = rows[o + F_V6];
    a.net1 = rows[o + F_NET1];
    a.net2 = rows[o + F_NET2];
    a.wide = rows[o + F_WIDE];
    a.key1 = p.s1 = rows[o + F_S1];
    a.key2 = p.s2 = rows[o + F_S2];
    p.m1 = rows[o + F_M1];
    p.m2 = rows[o + F_M2];
    p.method = rows[o + F_METHOD];
    p.keyType = rows[o + F_KEYTYPE];
    p.methodBit = rows[o + F_MBIT];
    const mask = rows[o + F_RELMASK];
    p.relMask = mask;
    p.relKey = rows;
    p.relAt = o + F_REL;
    const f = e.failures;
    p.failures = typeof f === 'number' && f > 0 ? (f < 1e9 ? f : 1e9) : 0;
    p.established = e.outcome !== 'failure' && e.kind !== 'ssh_no_user';
    p.failWeight = e.outcome === 'failure' && p.failures < 1 ? 1 : p.failures;
    p.profile = p.hasUser ? h.profiles.find(p.u1, p.u2) : -1;
    return p;
  }
}
