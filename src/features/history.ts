/**
 * The encoder's behavioural state: bounded tables of per-user profiles, per-user and per-source sliding windows,
 * relations (user→host, user→subnet, user→key, user→method, host→source) and count-min sketches of sources and
 * subnets. All memory is allocated up front from {@link MemoryOptions}; nothing grows with the input.
 *
 * @module
 */
import { CountMinSketch, popcount32, type CountMinState } from './sketch.js';
import type { MemoryOptions } from './spec.js';
import { SlotTable, type SlotTableState } from './table.js';

/**
 * Relations tracked for novelty, in table order. `user_method` holds only unrecognised method strings (by hash):
 * the recognised methods, sudo and su are a bit set in the user's profile ({@link History.oMethods}).
 */
export const RELATIONS = ['user_host', 'user_subnet', 'user_key', 'user_method', 'host_source'] as const;

/** Relation index constants. */
export const REL_USER_HOST = 0;
/** See {@link REL_USER_HOST}. */
export const REL_USER_SUBNET = 1;
/** See {@link REL_USER_HOST}. */
export const REL_USER_KEY = 2;
/** See {@link REL_USER_HOST}. */
export const REL_USER_METHOD = 3;
/** See {@link REL_USER_HOST}. */
export const REL_HOST_SOURCE = 4;

/** Bit of sudo (an escalation counts as the "method" `sudo`) in the profile's method set ({@link History.oMethods}). */
export const METHOD_BIT_SUDO = 1 << 5;
/** Bit of su in the profile's method set. */
export const METHOD_BIT_SU = 1 << 6;

/** Hour-histogram weight at which a profile's hour statistics are halved (so old habits fade). */
export const PROFILE_HALVING_WEIGHT = 512;

/** Serialised `History` (the encoder's behavioural tables). */
export interface HistoryState {
  /** Events that updated the state. */
  events: number;
  /** Latest sanitised event time seen (epoch ms). */
  lastTime: number;
  /** Per-user profiles. */
  profiles: SlotTableState;
  /** Per-user sliding windows. */
  userWindows: SlotTableState;
  /** Per-source sliding windows. */
  sourceWindows: SlotTableState;
  /** Relation tables, by relation name. */
  relations: Record<string, SlotTableState>;
  /** Count-min sketch of successful logins per source address. */
  sourceCounts: CountMinState;
  /** Count-min sketch of successful logins per source subnet. */
  subnetCounts: CountMinState;
}

/** Size report of the behavioural state. */
export interface StateSize {
  /** Bytes allocated by all tables and sketches (fixed by the memory options). */
  bytes: number;
  /** Occupied entries per table. */
  entries: Record<string, number>;
  /** Slots per table (the cap on entries). */
  capacity: Record<string, number>;
  /** Entries overwritten (least recently used in their probe window) per table. */
  evictions: Record<string, number>;
  /** Total increments of the count-min sketches. */
  sketchTotals: Record<string, number>;
  /** Events that updated the state. */
  events: number;
}

/**
 * Behavioural state. Fields are public for the family modules (hot path); treat them as internal. Each table's
 * slot is a record; the `o*` fields are column offsets inside a record (float64 units for `f64` columns,
 * int32/float32 units for the others).
 */
export class History {
  /** Per-user profile: logins, hour statistics, key/password logins. `last` = last successful login. */
  readonly profiles: SlotTable;
  /** Profile columns (f64): successful logins, hour weight, sum cos, sum sin, key logins, password logins. */
  readonly oLogins: number;
  /** See {@link History.oLogins}. */
  readonly oWeight: number;
  /** See {@link History.oLogins}. */
  readonly oCos: number;
  /** See {@link History.oLogins}. */
  readonly oSin: number;
  /** See {@link History.oLogins}. */
  readonly oKeys: number;
  /** See {@link History.oLogins}. */
  readonly oPasswords: number;
  /** Profile column (f32 × 24): hour histogram. */
  readonly oHist: number;
  /**
   * Profile column (i32): bit set of the login methods of the user's established logins, bit `m` for the
   * `METHODS` categories 0-4 (prepare.ts: publickey ... gssapi), {@link METHOD_BIT_SUDO} and {@link METHOD_BIT_SU}.
   * Unrecognised method strings (`other`) are kept in the `user_method` relation instead, by their hash.
   */
  readonly oMethods: number;
  /**
   * Per-user windows: bucket id (f64), counts cur/prev (f64 × 2), distinct-host bitmaps cur/prev (i32 × 8), and the
   * bitmaps' set bits (i32 × 2: in cur, in cur ∪ prev), kept up to date so that estimates need no popcount.
   */
  readonly userWindows: SlotTable;
  /** See {@link History.userWindows}. */
  readonly oUBucket: number;
  /** See {@link History.userWindows}. */
  readonly oUCount: number;
  /** See {@link History.userWindows}. */
  readonly oUHosts: number;
  /** See {@link History.userWindows}: set bits of the current host bitmap, then of current ∪ previous. */
  readonly oUPop: number;
  /**
   * Per-source windows (short and long): bucket ids, failures cur/prev, distinct-user bitmaps cur/prev, and each
   * window's set bits (in cur, in cur ∪ prev).
   */
  readonly sourceWindows: SlotTable;
  /** See {@link History.sourceWindows}. */
  readonly oSBucket: number;
  /** See {@link History.sourceWindows}. */
  readonly oSFail: number;
  /** See {@link History.sourceWindows}. */
  readonly oSUsers: number;
  /** See {@link History.sourceWindows}. */
  readonly oLBucket: number;
  /** See {@link History.sourceWindows}. */
  readonly oLFail: number;
  /** See {@link History.sourceWindows}. */
  readonly oLUsers: number;
  /** See {@link History.sourceWindows}: set bits of the short window's current bitmap, then of current ∪ previous. */
  readonly oSPop: number;
  /** The same for the long window. */
  readonly oLPop: number;
  /** Relation tables ({@link RELATIONS} order), each with a `count` column (f64). */
  readonly relations: SlotTable[];
  /** Offset of `count` in a relation record (f64 units). */
  readonly oRelCount: number;
  /** Successful logins per source address. */
  readonly sourceCounts: CountMinSketch;
  /** Successful logins per source subnet (/24, /64). */
  readonly subnetCounts: CountMinSketch;
  /** Events that updated the state. */
  events = 0;
  /** Latest sanitised event time (epoch ms). */
  lastTime = 0;

  /** Allocates every table from the memory options. */
  constructor(memory: Required<MemoryOptions>) {
    // Profiles and user windows are keyed by the same user keys and sized alike: their records are interleaved
    // (one slot's profile and window side by side), so a user's lookups share cache lines and a memory page.
    const [p, u] = SlotTable.interleaved(memory.users, [
      [
        { name: 'logins', type: 'f64', count: 1 },
        { name: 'weight', type: 'f64', count: 1 },
        { name: 'cos', type: 'f64', count: 1 },
        { name: 'sin', type: 'f64', count: 1 },
        { name: 'keys', type: 'f64', count: 1 },
        { name: 'passwords', type: 'f64', count: 1 },
        { name: 'hist', type: 'f32', count: 24 },
        { name: 'methods', type: 'i32', count: 1 },
      ],
      [
        { name: 'bucket', type: 'f64', count: 1 },
        { name: 'count', type: 'f64', count: 2 },
        { name: 'hosts', type: 'i32', count: 8 },
        { name: 'hostCounts', type: 'i32', count: 2 },
      ],
    ]);
    this.profiles = p;
    this.userWindows = u;
    this.oLogins = p.offset('logins');
    this.oWeight = p.offset('weight');
    this.oCos = p.offset('cos');
    this.oSin = p.offset('sin');
    this.oKeys = p.offset('keys');
    this.oPasswords = p.offset('passwords');
    this.oHist = p.offset('hist');
    this.oMethods = p.offset('methods');
    this.oUBucket = u.offset('bucket');
    this.oUCount = u.offset('count');
    this.oUHosts = u.offset('hosts');
    this.oUPop = u.offset('hostCounts');
    const s = (this.sourceWindows = new SlotTable(memory.sources, [
      { name: 'shortBucket', type: 'f64', count: 1 },
      { name: 'shortFailures', type: 'f64', count: 2 },
      { name: 'longBucket', type: 'f64', count: 1 },
      { name: 'longFailures', type: 'f64', count: 2 },
      { name: 'shortUsers', type: 'i32', count: 8 },
      { name: 'longUsers', type: 'i32', count: 8 },
      { name: 'shortCounts', type: 'i32', count: 2 },
      { name: 'longCounts', type: 'i32', count: 2 },
    ]));
    this.oSBucket = s.offset('shortBucket');
    this.oSFail = s.offset('shortFailures');
    this.oSUsers = s.offset('shortUsers');
    this.oLBucket = s.offset('longBucket');
    this.oLFail = s.offset('longFailures');
    this.oLUsers = s.offset('longUsers');
    this.oSPop = s.offset('shortCounts');
    this.oLPop = s.offset('longCounts');
    this.relations = RELATIONS.map(() => new SlotTable(memory.pairs, [{ name: 'count', type: 'f64', count: 1 }]));
    this.oRelCount = this.relations[0].offset('count');
    this.sourceCounts = new CountMinSketch(memory.sketchWidth, memory.sketchDepth);
    this.subnetCounts = new CountMinSketch(memory.sketchWidth, memory.sketchDepth);
  }

  /** Successful logins of profile slot `s`. */
  logins(s: number): number {
    return this.profiles.f64[s * this.profiles.w64 + this.oLogins];
  }

  /** Hour-histogram value `hour` (0..23) of profile slot `s`. */
  hist(s: number, hour: number): number {
    return this.profiles.f32[s * this.profiles.w32 + this.oHist + hour];
  }

  private tables(): [string, SlotTable][] {
    return [
      ['profiles', this.profiles],
      ['userWindows', this.userWindows],
      ['sourceWindows', this.sourceWindows],
      ...RELATIONS.map((r, i): [string, SlotTable] => [r, this.relations[i]]),
    ];
  }

  /** Forgets everything (memory stays allocated). */
  clear(): void {
    for (const [, t] of this.tables()) t.clear();
    this.sourceCounts.clear();
    this.subnetCounts.clear();
    this.events = 0;
    this.lastTime = 0;
  }

  /** Entries, capacity, evictions and bytes of the state. */
  size(): StateSize {
    const entries: Record<string, number> = {};
    const capacity: Record<string, number> = {};
    const evictions: Record<string, number> = {};
    let bytes = this.sourceCounts.bytes + this.subnetCounts.bytes;
    for (const [name, t] of this.tables()) {
      entries[name] = t.size;
      capacity[name] = t.slots;
      evictions[name] = t.evictions;
      bytes += t.bytes;
    }
    return {
      bytes,
      entries,
      capacity,
      evictions,
      sketchTotals: { sources: this.sourceCounts.total, subnets: this.subnetCounts.total },
      events: this.events,
    };
  }

  /** Serialises the state (deterministic). */
  toJSON(): HistoryState {
    const relations: Record<string, SlotTableState> = {};
    RELATIONS.forEach((r, i) => (relations[r] = this.relations[i].toJSON()));
    return {
      events: this.events,
      lastTime: this.lastTime,
      profiles: this.profiles.toJSON(),
      userWindows: this.userWindows.toJSON(),
      sourceWindows: this.sourceWindows.toJSON(),
      relations,
      sourceCounts: this.sourceCounts.toJSON(),
      subnetCounts: this.subnetCounts.toJSON(),
    };
  }

  /**
   * Recomputes the set-bit counts of every window from its bitmaps (after loading a state, so that counts that do
   * not match their bitmaps — an edited or corrupted state — cannot reach the estimates).
   */
  private recount(): void {
    const pop = (a: Int32Array, i: number): number => popcount32(a[i]) + popcount32(a[i + 1]) + popcount32(a[i + 2]) + popcount32(a[i + 3]);
    const union = (a: Int32Array, i: number): number =>
      popcount32(a[i] | a[i + 4]) + popcount32(a[i + 1] | a[i + 5]) + popcount32(a[i + 2] | a[i + 6]) + popcount32(a[i + 3] | a[i + 7]);
    const fix = (T: SlotTable, bits: number, counts: number): void => {
      for (let s = 0; s < T.slots; s++) {
        if (!T.occupied(s)) continue;
        const i = s * T.w32 + bits;
        const c = s * T.w32 + counts;
        T.i32[c] = pop(T.i32, i);
        T.i32[c + 1] = union(T.i32, i);
      }
    };
    fix(this.userWindows, this.oUHosts, this.oUPop);
    fix(this.sourceWindows, this.oSUsers, this.oSPop);
    fix(this.sourceWindows, this.oLUsers, this.oLPop);
  }

  /** Restores a serialised state (tables must have the same sizes). */
  load(s: HistoryState): void {
    if (s === null || typeof s !== 'object') throw new Error('encoder state: history must be an object');
    this.profiles.load(s.profiles, 'history.profiles');
    this.userWindows.load(s.userWindows, 'history.userWindows');
    this.sourceWindows.load(s.sourceWindows, 'history.sourceWindows');
    if (s.relations === null || typeof s.relations !== 'object') throw new Error('encoder state: history.relations must be an object');
    RELATIONS.forEach((r, i) => this.relations[i].load(s.relations[r], `history.relations.${r}`));
    this.sourceCounts.load(s.sourceCounts, 'history.sourceCounts');
    this.recount();
    this.subnetCounts.load(s.subnetCounts, 'history.subnetCounts');
    this.events = Number.isFinite(s.events) ? s.events : 0;
    this.lastTime = Number.isFinite(s.lastTime) ? s.lastTime : 0;
  }
}
