/**
 * Assembler state: one {@link HostState} per host (so hosts can be sharded across workers) holding the open
 * {@link Unit}s — logins under construction — and the indexes that join lines to them.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { IgnoreReason } from './counters.js';
import { emptyEvent, type LoginEndReason, type LoginEvent, type LoginEventKind } from './event.js';
import { TimeHeap } from './heap.js';

/** Which joiner owns a unit. */
export type UnitKind = 'ssh' | 'sudo' | 'su' | 'console' | 'audit';

/** A login under construction. Fixed shape; indexes in {@link HostState} point at it until it is finished. */
export interface Unit {
  kind: UnitKind;
  event: LoginEvent;
  host: HostState;
  /** Key in `host.byPid` (sshd monitor pid, sudo/su/login pid). */
  pid: number | null;
  /** sshd privsep child pid (`User child is on pid N`), key in `host.byChild`. */
  childPid: number | null;
  /** Source port: key in `host.byEndpoint` (the entry is verified against the source address on lookup). */
  endpoint: number | null;
  /** Next unit registered under the same source port (different source address), or null. */
  endpointNext: Unit | null;
  /** logind session id, key in `host.byLogind`. */
  logindId: string | null;
  /** Keys in `host.byAudit`. */
  auditKey: string | null;
  auditSesKey: string | null;
  /** Time of the newest line merged. */
  lastSeen: number;
  /** Time the login authenticated / its session opened (for the logind join), `-Infinity` before. */
  authTime: number;
  authenticated: boolean;
  /** sshd: an `Accepted` line was seen (a session without one is incomplete). */
  accepted: boolean;
  pamOpened: boolean;
  pamClosed: boolean;
  logindRemoved: boolean;
  /** A line that ends the login was seen; it is emitted when `deadline` passes or when it is complete. */
  ended: boolean;
  deadline: number;
  endReason: LoginEndReason | null;
  /** `Failed <method>` lines (times repeat). */
  failedLines: number;
  /** PAM authentication failures (`authentication failure` lines plus `PAM N more`). */
  pamFailures: number;
  /** Failures stated by a count on the line (sudo `N incorrect password attempts`, su/login failures). */
  statedFailures: number;
  reasonRank: number;
  /** The last line merged was a failure (for `last message repeated N times`). */
  lastWasFailure: boolean;
  /** In `host.awaitingLogind`. */
  awaitingLogind: boolean;
  done: boolean;
  /** Intrusive least-recently-active list (all hosts), maintained by the assembler; no allocation per touch. */
  prev: Unit | null;
  next: Unit | null;
  /** Touched in the current push (listed for {@link detachEvent} at its end). */
  pushTouched: boolean;
}

/** Per-host state: reorder buffer, clock, open units and join indexes. */
export class HostState {
  /** Reorder buffer keyed by timestamp. */
  readonly heap = new TimeHeap<LogRecord>();
  /** Newest timestamp seen for this host. */
  maxSeen = -Infinity;
  /** Release watermark: records at or before it have been processed; only grows. */
  clock = -Infinity;
  readonly units = new Set<Unit>();
  readonly byPid = new Map<number, Unit>();
  readonly byChild = new Map<number, Unit>();
  readonly byEndpoint = new Map<number, Unit>();
  readonly byLogind = new Map<string, Unit>();
  readonly byAudit = new Map<string, Unit>();
  /** pid-less sudo/su units waiting for their PAM session lines (FIFO, cleaned lazily). */
  readonly privQueue: Unit[] = [];
  /** pid-less sudo units opened by `pam_unix(sudo:auth)` failures, by invoking user. */
  readonly sudoAuth = new Map<string, Unit>();
  /** Remove `u` from the source-port chain it is registered in. */
  dropEndpoint(u: Unit): void {
    const port = u.endpoint;
    if (port === null) return;
    let v = this.byEndpoint.get(port);
    let prev: Unit | null = null;
    while (v !== undefined && v !== u) {
      prev = v;
      v = v.endpointNext ?? undefined;
    }
    if (v === u) {
      if (prev === null) {
        if (u.endpointNext === null) this.byEndpoint.delete(port);
        else this.byEndpoint.set(port, u.endpointNext);
      } else prev.endpointNext = u.endpointNext;
    }
    u.endpointNext = null;
  }

  /** Units that authenticated and wait for a logind `New session` line (time order, cleaned lazily). */
  awaitingLogind: Unit[] = [];
  /** Ended units keyed by linger deadline (entries whose unit was finished or re-timed are skipped). */
  closing = new TimeHeap<Unit>();
  /** A line held for a login that a later line will name (see Joiner.hold), or null. */
  held: LogRecord | null = null;
  /** Unit that received the previous record of this host (for `last message repeated`). */
  lastUnit: Unit | null = null;
  nextSweep = -Infinity;
  /** Same-time rank of the previous record pushed (inherited by `last message repeated`). */
  lastRank = 7;
  /** Bucket of the previous record pushed when it was counted on arrival (for `last message repeated`), else null. */
  lastIgnored: IgnoreReason | null = null;
  /** Marks the host as touched in the current push. */
  touched = false;
  /**
   * This push's in-order records of the host, as a list of indexes into the pushed batch (head, tail; -1 when
   * empty; linked through the assembler's per-batch `next` array), released without passing through
   * {@link HostState.heap}; a record whose key is below the list's last goes to the heap instead. See the
   * assembler's `releaseBatch`.
   */
  batchHead = -1;
  batchTail = -1;
  /** Heap key of the last record appended to the batch list. */
  batchLastKey = -Infinity;

  constructor(readonly name: string) {}
}

/** A new unit with a fresh event of `kind` starting at the record's time. */
export function createUnit(kind: UnitKind, eventKind: LoginEventKind, host: HostState, r: LogRecord): Unit {
  const ts = r.timestamp as number;
  const event = emptyEvent(eventKind, ts);
  event.hostName = host.name;
  return createUnitFor(kind, event, host);
}

/** A new unit around an existing event (all join fields empty; a checkpoint restore fills them). */
export function createUnitFor(kind: UnitKind, event: LoginEvent, host: HostState): Unit {
  const ts = event.timestamp;
  return {
    kind,
    event,
    host,
    pid: null,
    childPid: null,
    endpoint: null,
    endpointNext: null,
    logindId: null,
    auditKey: null,
    auditSesKey: null,
    lastSeen: ts,
    authTime: -Infinity,
    authenticated: false,
    accepted: false,
    pamOpened: false,
    pamClosed: false,
    logindRemoved: false,
    ended: false,
    deadline: Infinity,
    endReason: null,
    failedLines: 0,
    pamFailures: 0,
    statedFailures: 0,
    reasonRank: 0,
    lastWasFailure: false,
    awaitingLogind: false,
    done: false,
    prev: null,
    next: null,
    pushTouched: false,
  };
}

/**
 * V8 copies a slice shorter than this many characters; a longer slice is a view that keeps its whole parent string
 * alive (the log line, or for lines from `readLines` the whole decoded read chunk of up to 256 KiB).
 */
const SLICE_MIN_LENGTH = 13;

/**
 * `s` as a string that does not keep alive the string it was sliced from. Used for strings the assembler keeps
 * beyond the push that delivered them (host names, fields of open logins), so open state holds a few bytes per
 * field instead of whole read chunks. Same content; short strings are returned as they are.
 */
export function detachString(s: string): string {
  return s.length < SLICE_MIN_LENGTH ? s : (' ' + s).slice(1);
}

/** Apply {@link detachString} to the free-text fields of an event that stays in the assembler's state. */
export function detachEvent(e: LoginEvent): void {
  if (e.userName !== null && e.userName.length >= SLICE_MIN_LENGTH) e.userName = detachString(e.userName);
  if (e.userEffectiveName !== null && e.userEffectiveName.length >= SLICE_MIN_LENGTH) e.userEffectiveName = detachString(e.userEffectiveName);
  if (e.sourceIp !== null && e.sourceIp.length >= SLICE_MIN_LENGTH) e.sourceIp = detachString(e.sourceIp);
  if (e.sshMethod !== null && e.sshMethod.length >= SLICE_MIN_LENGTH) e.sshMethod = detachString(e.sshMethod);
  if (e.sshKeyType !== null && e.sshKeyType.length >= SLICE_MIN_LENGTH) e.sshKeyType = detachString(e.sshKeyType);
  if (e.sshKeyFingerprint !== null && e.sshKeyFingerprint.length >= SLICE_MIN_LENGTH) e.sshKeyFingerprint = detachString(e.sshKeyFingerprint);
  if (e.sessionId !== null && e.sessionId.length >= SLICE_MIN_LENGTH) e.sessionId = detachString(e.sessionId);
  if (e.tty !== null && e.tty.length >= SLICE_MIN_LENGTH) e.tty = detachString(e.tty);
  if (e.workingDirectory !== null && e.workingDirectory.length >= SLICE_MIN_LENGTH) e.workingDirectory = detachString(e.workingDirectory);
  if (e.command !== null && e.command.length >= SLICE_MIN_LENGTH) e.command = detachString(e.command);
  if (e.reason !== null && e.reason.length >= SLICE_MIN_LENGTH) e.reason = detachString(e.reason);
}

/** Set the event's reason when `rank` beats the current one. */
export function setReason(u: Unit, rank: number, reason: string | null): void {
  if (reason !== null && rank > u.reasonRank) {
    u.reasonRank = rank;
    u.event.reason = reason;
  }
}

/** Copy user/source fields from a record into an event where the event has none yet. */
export function fillIdentity(u: Unit, r: LogRecord): void {
  const e = u.event;
  if (e.userName === null && r.userName !== null) e.userName = r.userName;
  if (e.sourceIp === null && r.sourceIp !== null) e.sourceIp = r.sourceIp;
  if (e.sourcePort === null && r.sourcePort !== null) e.sourcePort = r.sourcePort;
  if (r.invalidUser) e.invalidUser = true;
  // PAM prints tty=ssh for network logins: not a terminal
  if (e.tty === null && r.tty !== null && r.tty !== 'ssh') e.tty = r.tty;
}

/**
 * The invoking user of a PAM `session opened for user X by Y(uid=N)` line, read from the message when the grammar
 * did not extract it (it has no record field for it). Linear scan; returns `null` when absent or empty.
 */
export function pamByUser(r: LogRecord): string | null {
  const m = r.message;
  const i = m.lastIndexOf(' by ');
  if (i < 0) return null;
  const end = m.indexOf('(', i + 4);
  if (end <= i + 4) return null;
  const name = m.slice(i + 4, end);
  return name.indexOf(' ') >= 0 ? null : name;
}

/** The `ruser=NAME` field of a PAM `authentication failure` line (the requesting user), `null` when empty or absent. */
export function pamRuser(r: LogRecord): string | null {
  const m = r.message;
  const i = m.indexOf(' ruser=');
  if (i < 0) return null;
  let end = m.indexOf(' ', i + 7);
  if (end < 0) end = m.length;
  return end > i + 7 ? m.slice(i + 7, end) : null;
}
