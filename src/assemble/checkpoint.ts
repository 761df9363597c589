/**
 * Assembler checkpoints: the open state of an {@link EventAssembler} as versioned JSON, so a daily job can stop at
 * the end of one day's file and continue with the next day's — a session that spans midnight (or a week of tmux)
 * comes out once, complete, instead of as an `open` event and an orphaned end. Written by
 * `EventAssembler.checkpoint()`, read by `EventAssembler.fromCheckpoint()`.
 *
 * What is saved: per host its clock, the held record and the join indexes (pid, privsep child, source port chains,
 * logind id, audit keys, pid-less sudo/su queues); every open login with its event so far, in least-recently-active
 * order. Not saved: records still in a reorder buffer (a checkpoint releases them first) and events waiting for
 * start order (a checkpoint emits them).
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { IgnoreReason } from './counters.js';
import type { LoginEvent } from './event.js';
import type { ResolvedAssemblerOptions } from './options.js';
import type { HostState, Unit, UnitKind } from './state.js';

/** `format` of a checkpoint. */
export const CHECKPOINT_FORMAT = 'loginsight-assembler-checkpoint';
/** Checkpoint version this library reads and writes. */
export const CHECKPOINT_VERSION = 1;

/** A number that may be ±Infinity, as JSON (`"Infinity"` / `"-Infinity"`). */
export type JsonNumber = number | 'Infinity' | '-Infinity';

/** One open login. */
export interface UnitCheckpoint {
  kind: UnitKind;
  /** Index of its host in {@link AssemblerCheckpoint.hosts}. */
  host: number;
  event: LoginEvent;
  pid: number | null;
  childPid: number | null;
  endpoint: number | null;
  logindId: string | null;
  auditKey: string | null;
  auditSesKey: string | null;
  lastSeen: number;
  authTime: JsonNumber;
  authenticated: boolean;
  accepted: boolean;
  pamOpened: boolean;
  pamClosed: boolean;
  logindRemoved: boolean;
  ended: boolean;
  deadline: JsonNumber;
  endReason: Unit['endReason'];
  failedLines: number;
  pamFailures: number;
  statedFailures: number;
  reasonRank: number;
  lastWasFailure: boolean;
  awaitingLogind: boolean;
}

/** One host: clock and join indexes (unit references are indexes into {@link AssemblerCheckpoint.units}). */
export interface HostCheckpoint {
  name: string;
  clock: JsonNumber;
  maxSeen: JsonNumber;
  nextSweep: JsonNumber;
  lastRank: number;
  lastIgnored: IgnoreReason | null;
  held: LogRecord | null;
  lastUnit: number;
  byPid: [number, number][];
  byChild: [number, number][];
  byLogind: [string, number][];
  byAudit: [string, number][];
  /** Source-port chains: port and its units in chain order. */
  endpoints: [number, number[]][];
  awaitingLogind: number[];
  privQueue: number[];
  sudoAuth: [string, number][];
}

/** The JSON checkpoint of an assembler. */
export interface AssemblerCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** The options it ran with (a restored assembler uses them unless given others). */
  options: ResolvedAssemblerOptions;
  hosts: HostCheckpoint[];
  /** Open logins, least recently active first. */
  units: UnitCheckpoint[];
  /** Lines merged into the open logins (carried into the next run). */
  lines: number;
  lastStartEmitted: JsonNumber;
  globalMax: JsonNumber;
}

/** ±Infinity-safe number to JSON. */
export function toJsonNumber(x: number): JsonNumber {
  return Number.isFinite(x) ? x : x > 0 ? 'Infinity' : '-Infinity';
}

/** JSON to number; throws naming `what` when it is not a number or ±Infinity. */
export function fromJsonNumber(x: unknown, what: string): number {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  throw new Error(`assembler checkpoint: ${what} must be a number`);
}

/** The unit fields a checkpoint copies as they are (the others: kind, host, event, and the two ±Infinity times). */
const UNIT_FIELDS = [
  'pid',
  'childPid',
  'endpoint',
  'logindId',
  'auditKey',
  'auditSesKey',
  'lastSeen',
  'authenticated',
  'accepted',
  'pamOpened',
  'pamClosed',
  'logindRemoved',
  'ended',
  'endReason',
  'failedLines',
  'pamFailures',
  'statedFailures',
  'reasonRank',
  'lastWasFailure',
  'awaitingLogind',
] as const satisfies readonly (keyof UnitCheckpoint & keyof Unit)[];
type CopiedField = (typeof UNIT_FIELDS)[number];

function copyUnitFields(to: Pick<Unit, CopiedField>, from: Pick<UnitCheckpoint, CopiedField>): void {
  for (const k of UNIT_FIELDS) (to as Record<CopiedField, unknown>)[k] = from[k];
}

/** The checkpoint of a unit. */
export function unitToCheckpoint(u: Unit, host: number): UnitCheckpoint {
  const c = { kind: u.kind, host, event: { ...u.event }, authTime: toJsonNumber(u.authTime), deadline: toJsonNumber(u.deadline) } as UnitCheckpoint;
  copyUnitFields(c, u);
  return c;
}

/** Copies a unit checkpoint's fields into a fresh unit (made by the caller with the right host and event). */
export function unitFromCheckpoint(c: UnitCheckpoint, u: Unit): void {
  copyUnitFields(u, c);
  u.authTime = fromJsonNumber(c.authTime, 'unit.authTime');
  u.deadline = fromJsonNumber(c.deadline, 'unit.deadline');
}

/** The checkpoint of a host; `index` maps open units to their position in the checkpoint's unit list. */
export function hostToCheckpoint(h: HostState, index: ReadonlyMap<Unit, number>): HostCheckpoint {
  const ref = (u: Unit | null | undefined): number => (u === null || u === undefined ? -1 : (index.get(u) ?? -1));
  const entries = <K>(m: ReadonlyMap<K, Unit>): [K, number][] => [...m].map(([k, u]) => [k, ref(u)] as [K, number]).filter(([, i]) => i >= 0);
  const endpoints: [number, number[]][] = [];
  for (const [port, first] of h.byEndpoint) {
    const chain: number[] = [];
    for (let u: Unit | null = first; u !== null; u = u.endpointNext) if (ref(u) >= 0) chain.push(ref(u));
    if (chain.length > 0) endpoints.push([port, chain]);
  }
  return {
    name: h.name,
    clock: toJsonNumber(h.clock),
    maxSeen: toJsonNumber(h.maxSeen),
    nextSweep: toJsonNumber(h.nextSweep),
    lastRank: h.lastRank,
    lastIgnored: h.lastIgnored,
    held: h.held === null ? null : { ...h.held },
    lastUnit: ref(h.lastUnit),
    byPid: entries(h.byPid),
    byChild: entries(h.byChild),
    byLogind: entries(h.byLogind),
    byAudit: entries(h.byAudit),
    endpoints,
    awaitingLogind: h.awaitingLogind.map(ref).filter((i) => i >= 0),
    privQueue: h.privQueue.map(ref).filter((i) => i >= 0),
    sudoAuth: entries(h.sudoAuth),
  };
}

/** Checks the envelope of a checkpoint; throws an Error that says what is wrong. */
export function checkCheckpoint(c: unknown): asserts c is AssemblerCheckpoint {
  if (c === null || typeof c !== 'object') throw new Error('assembler checkpoint: not an object');
  const o = c as Record<string, unknown>;
  if (o.format !== CHECKPOINT_FORMAT) throw new Error('assembler checkpoint: not a loginsight assembler checkpoint');
  if (o.version !== CHECKPOINT_VERSION) {
    throw new Error(`assembler checkpoint: version ${String(o.version)} is not supported (this version reads ${CHECKPOINT_VERSION})`);
  }
  if (!Array.isArray(o.hosts) || !Array.isArray(o.units) || typeof o.lines !== 'number' || o.options === null || typeof o.options !== 'object') {
    throw new Error('assembler checkpoint: hosts, units, lines or options missing');
  }
  const nHosts = o.hosts.length;
  const nUnits = o.units.length;
  for (const u of o.units as UnitCheckpoint[]) {
    if (u === null || typeof u !== 'object' || !Number.isInteger(u.host) || u.host < 0 || u.host >= nHosts || u.event === null || typeof u.event !== 'object') {
      throw new Error('assembler checkpoint: a unit has a bad host index or no event');
    }
  }
  const okRef = (i: unknown): boolean => Number.isInteger(i) && (i as number) >= -1 && (i as number) < nUnits;
  for (const h of o.hosts as HostCheckpoint[]) {
    if (h === null || typeof h !== 'object' || typeof h.name !== 'string') throw new Error('assembler checkpoint: a host has no name');
    const refs = [
      h.lastUnit,
      ...h.byPid.map((e) => e[1]),
      ...h.byChild.map((e) => e[1]),
      ...h.byLogind.map((e) => e[1]),
      ...h.byAudit.map((e) => e[1]),
      ...h.endpoints.flatMap((e) => e[1]),
      ...h.awaitingLogind,
      ...h.privQueue,
      ...h.sudoAuth.map((e) => e[1]),
    ];
    if (!refs.every(okRef)) throw new Error(`assembler checkpoint: host ${JSON.stringify(h.name)} refers to a unit that is not there`);
  }
}
