/**
 * The encoder's behavioural state: bounded tables of per-user profiles, per-user and per-source sliding windows,
 * relations (user→host, user→subnet, user→key, user→method, host→source) and count-min sketches of sources and
 * subnets. All memory is allocated up front from {@link MemoryOptions}; nothing grows with the input.
 *
 * @module
 */
import { CountMinSketch, type CountMinState } from './sketch.js';
import type { MemoryOptions } from './spec.js';
import { SlotTable, type SlotTableState } from './table.js';

/** Relations tracked for novelty, in table order. */
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

/** Hour-histogram weight at which a profile's hour statistics are halved (so old habits fade). */
export const PROFILE_HALVING_WEIGHT = 512;

/** Serialised {@link History}. */
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

/** Behavioural state. Fields are public for the family modules (hot path); treat them as internal. */
export class History {
  /** Per-user profile: logins, hour statistics, key/password logins. `last` = last successful login. */
  readonly profiles: SlotTable;
  /** Successful logins per profile. */
  pLogins: Float64Array;
  /** Hour-statistics weight. */
  pWeight: Float64Array;
  /** Sum of cos(hour angle). */
  pCos: Float64Array;
  /** Sum of sin(hour angle). */
  pSin: Float64Array;
  /** 24-bin hour histogram. */
  pHist: Float32Array;
  /** Logins by public key. */
  pKeys: Float64Array;
  /** Logins by password / keyboard-interactive. */
  pPasswords: Float64Array;
  /** Per-user windows: bucket id, counts (cur, prev), distinct-host bitmaps (cur 4 words, prev 4 words). */
  readonly userWindows: SlotTable;
  /** See {@link History.userWindows}. */
  uBucket: Float64Array;
  /** See {@link History.userWindows}. */
  uCount: Float64Array;
  /** See {@link History.userWindows}. */
  uHosts: Int32Array;
  /** Per-source windows (short and long): bucket ids, failures (cur, prev), distinct-user bitmaps. */
  readonly sourceWindows: SlotTable;
  /** See {@link History.sourceWindows}. */
  sShortBucket: Float64Array;
  /** See {@link History.sourceWindows}. */
  sShortFail: Float64Array;
  /** See {@link History.sourceWindows}. */
  sShortUsers: Int32Array;
  /** See {@link History.sourceWindows}. */
  sLongBucket: Float64Array;
  /** See {@link History.sourceWindows}. */
  sLongFail: Float64Array;
  /** See {@link History.sourceWindows}. */
  sLongUsers: Int32Array;
  /** Relation tables ({@link RELATIONS} order), each with a `count` column. */
  readonly relations: SlotTable[];
  /** `count` columns of {@link History.relations}. */
  relCount: Float64Array[];
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
    this.profiles = new SlotTable(memory.users, [
      { name: 'logins', type: 'f64', stride: 1 },
      { name: 'weight', type: 'f64', stride: 1 },
      { name: 'cos', type: 'f64', stride: 1 },
      { name: 'sin', type: 'f64', stride: 1 },
      { name: 'hist', type: 'f32', stride: 24 },
      { name: 'keys', type: 'f64', stride: 1 },
      { name: 'passwords', type: 'f64', stride: 1 },
    ]);
    this.userWindows = new SlotTable(memory.users, [
      { name: 'bucket', type: 'f64', stride: 1 },
      { name: 'count', type: 'f64', stride: 2 },
      { name: 'hosts', type: 'i32', stride: 8 },
    ]);
    this.sourceWindows = new SlotTable(memory.sources, [
      { name: 'shortBucket', type: 'f64', stride: 1 },
      { name: 'shortFailures', type: 'f64', stride: 2 },
      { name: 'shortUsers', type: 'i32', stride: 8 },
      { name: 'longBucket', type: 'f64', stride: 1 },
      { name: 'longFailures', type: 'f64', stride: 2 },
      { name: 'longUsers', type: 'i32', stride: 8 },
    ]);
    this.relations = RELATIONS.map(() => new SlotTable(memory.pairs, [{ name: 'count', type: 'f64', stride: 1 }]));
    this.sourceCounts = new CountMinSketch(memory.sketchWidth, memory.sketchDepth);
    this.subnetCounts = new CountMinSketch(memory.sketchWidth, memory.sketchDepth);
    const p = this.profiles.cols;
    this.pLogins = p.logins as Float64Array;
    this.pWeight = p.weight as Float64Array;
    this.pCos = p.cos as Float64Array;
    this.pSin = p.sin as Float64Array;
    this.pHist = p.hist as Float32Array;
    this.pKeys = p.keys as Float64Array;
    this.pPasswords = p.passwords as Float64Array;
    const u = this.userWindows.cols;
    this.uBucket = u.bucket as Float64Array;
    this.uCount = u.count as Float64Array;
    this.uHosts = u.hosts as Int32Array;
    const s = this.sourceWindows.cols;
    this.sShortBucket = s.shortBucket as Float64Array;
    this.sShortFail = s.shortFailures as Float64Array;
    this.sShortUsers = s.shortUsers as Int32Array;
    this.sLongBucket = s.longBucket as Float64Array;
    this.sLongFail = s.longFailures as Float64Array;
    this.sLongUsers = s.longUsers as Int32Array;
    this.relCount = this.relations.map((r) => r.cols.count as Float64Array);
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

  /** Restores a serialised state (tables must have the same sizes). */
  load(s: HistoryState): void {
    if (s === null || typeof s !== 'object') throw new Error('encoder state: history must be an object');
    this.profiles.load(s.profiles, 'history.profiles');
    this.userWindows.load(s.userWindows, 'history.userWindows');
    this.sourceWindows.load(s.sourceWindows, 'history.sourceWindows');
    if (s.relations === null || typeof s.relations !== 'object') throw new Error('encoder state: history.relations must be an object');
    RELATIONS.forEach((r, i) => this.relations[i].load(s.relations[r], `history.relations.${r}`));
    this.sourceCounts.load(s.sourceCounts, 'history.sourceCounts');
    this.subnetCounts.load(s.subnetCounts, 'history.subnetCounts');
    this.events = Number.isFinite(s.events) ? s.events : 0;
    this.lastTime = Number.isFinite(s.lastTime) ? s.lastTime : 0;
  }
}
