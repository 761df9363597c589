/**
 * Per-event preparation shared by every family: sanitised time, local hour/weekday, entity hashes, source
 * address facts, method and key-type indices, and the table slots found for this event (so the state update
 * after computing the row does not look them up again). One {@link Prepared} object is reused for every event.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { emptyAddressInfo, parseAddress, type AddressInfo } from './address.js';
import { HASH_OUT, hashString } from './hash.js';
import type { History } from './history.js';
import { RELATIONS } from './history.js';
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
}

/** Fills {@link Prepared} for one event; owns the string-hash caches and the local clock. */
export class Preparer {
  /** The reused scratch. */
  readonly p: Prepared;
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
      established: false,
      failWeight: 0,
      failures: 0,
      profile: -1,
      userWindow: -1,
      sourceWindow: -1,
      rel: new Int32Array(RELATIONS.length).fill(-1),
    };
  }

  /** Prepares `e` (string fields of any content are accepted; non-string values are treated as missing). */
  prepare(e: LoginEvent, h: History): Prepared {
    const p = this.p;
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

    const user = e.userName;
    p.hasUser = typeof user === 'string' && user.length > 0;
    if (p.hasUser) {
      hashString(user as string);
      p.u1 = HASH_OUT[0];
      p.u2 = HASH_OUT[1];
    }
    const host = e.hostName;
    p.hasHost = typeof host === 'string' && host.length > 0;
    if (p.hasHost) {
      hashString(host as string);
      p.h1 = HASH_OUT[0];
      p.h2 = HASH_OUT[1];
    }
    const src = e.sourceIp;
    parseAddress(typeof src === 'string' ? src : null, p.addr);
    p.hasSource = p.addr.cls !== 0;
    p.s1 = p.addr.key1;
    p.s2 = p.addr.key2;
    const fp = e.sshKeyFingerprint;
    p.hasKey = typeof fp === 'string' && fp.length > 0;
    if (p.hasKey) {
      hashString(fp as string);
      p.k1 = HASH_OUT[0];
      p.k2 = HASH_OUT[1];
    }
    const m = e.sshMethod;
    p.method = typeof m === 'string' ? methodIndex(m) : 6;
    if (p.method === 5) {
      hashString(m as string);
      p.m1 = HASH_OUT[0];
      p.m2 = HASH_OUT[1];
    } else {
      // Known categories need no string hashing: the category index is the key.
      p.m1 = p.method + 1;
      p.m2 = 0x4d455448;
    }
    p.keyType = typeof e.sshKeyType === 'string' ? keyTypeIndex(e.sshKeyType) : 5;
    const f = e.failures;
    p.failures = typeof f === 'number' && f > 0 ? (f < 1e9 ? f : 1e9) : 0;
    p.established = e.outcome !== 'failure' && e.kind !== 'ssh_no_user';
    p.failWeight = e.outcome === 'failure' && p.failures < 1 ? 1 : p.failures;
    p.profile = p.hasUser ? h.profiles.find(p.u1, p.u2) : -1;
    return p;
  }
}
