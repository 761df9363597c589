/**
 * The event assembler: per-host reorder buffers, join state, linger/idle/cap eviction, output ordering and the
 * counters that prove every record is accounted for.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import { createCounters, type AssemblerCounters, type IgnoreReason } from './counters.js';
import { actionCode, dispatchTarget, dispatchTo, preClassifyCode, RANK_MASK, RANKS, ROUTE_SHIFT } from './dispatch.js';
import { emptyEvent, type LoginEvent, type LoginEventKind } from './event.js';
import { TimeHeap } from './heap.js';
import type { FinishMode, Joiner } from './joiner.js';
import { resolveAssemblerOptions, type AssemblerOptions, type ResolvedAssemblerOptions } from './options.js';
import { createUnit, createUnitFor, detachEvent, detachString, HostState, type Unit, type UnitKind } from './state.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  checkCheckpoint,
  fromJsonNumber,
  hostToCheckpoint,
  toJsonNumber,
  unitFromCheckpoint,
  unitToCheckpoint,
  type AssemblerCheckpoint,
} from './checkpoint.js';
import { emptyRecord } from '../grammar/record.js';

const EVENT_ACTION: Record<UnitKind, string> = {
  ssh: 'ssh_login',
  sudo: 'sudo',
  su: 'su',
  console: 'console_login',
  audit: 'audit_login',
};

/** The assembler core; {@link EventAssembler} is its public face. */
class AssemblerCore implements Joiner {
  readonly counters: AssemblerCounters = createCounters();
  private readonly hosts = new Map<string, HostState>();
  /** Open units as an intrusive list, least recently active at the head (for the cap). */
  private lruHead: Unit | null = null;
  private lruTail: Unit | null = null;
  private readonly touched: HostState[] = [];
  /** Units that received a record in the current push (see {@link detachEvent}). */
  private readonly touchedUnits: Unit[] = [];
  private out: LoginEvent[] = [];
  private readonly startHeap = new TimeHeap<LoginEvent>();
  private lastStartEmitted = -Infinity;
  private globalMax = -Infinity;
  /** Lines merged into open units. */
  private openLines = 0;
  /** Lines of events waiting in the start-order buffer. */
  private heldLines = 0;
  private readonly sweepEveryMs: number;
  /**
   * Per-batch scratch, indexed by position in the pushed batch: heap key, arrival number (reserved in the host's
   * heap), dispatch target and the next index of the same host's list (-1 at the end). Reused across pushes (grown
   * when a batch is larger).
   */
  private batchKey = new Float64Array(0);
  private batchSeq = new Float64Array(0);
  private batchTag = new Int32Array(0);
  private batchNext = new Int32Array(0);

  constructor(readonly options: ResolvedAssemblerOptions) {
    this.sweepEveryMs = Math.max(1000, Math.min(30_000, options.preauthTimeoutMs / 4), Math.min(options.preauthTimeoutMs, options.idleTimeoutMs) / 2);
  }

  push(records: readonly LogRecord[]): LoginEvent[] {
    const c = this.counters;
    const hosts = this.hosts;
    if (this.batchKey.length < records.length) {
      const n = Math.max(records.length, 2 * this.batchKey.length);
      this.batchKey = new Float64Array(n);
      this.batchSeq = new Float64Array(n);
      this.batchTag = new Int32Array(n);
      this.batchNext = new Int32Array(n);
    }
    const batchKey = this.batchKey;
    const batchSeq = this.batchSeq;
    const batchTag = this.batchTag;
    const batchNext = this.batchNext;
    let lastName: string | null = null;
    let h: HostState | undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      c.recordsIn++;
      const ts = r.timestamp;
      if (ts === null || !Number.isFinite(ts)) {
        this.ignore(r, 'no-timestamp');
        continue;
      }
      const name = r.hostName ?? this.options.defaultHostName;
      if (name === null) {
        this.ignore(r, 'no-host');
        continue;
      }
      if (name !== lastName || h === undefined) {
        h = hosts.get(name);
        if (h === undefined) {
          // kept for the life of the assembler: a copy, not a slice of this line (or of its whole read chunk)
          const own = detachString(name);
          h = new HostState(own);
          hosts.set(own, h);
          c.hosts++;
        }
        lastName = name;
      }
      if (ts < h.clock) c.lateRecords++;
      // every record moves its host's clock, even one counted on arrival
      if (ts > h.maxSeen) h.maxSeen = ts;
      if (ts > this.globalMax) this.globalMax = ts;
      if (!h.touched) {
        h.touched = true;
        this.touched.push(h);
      }
      const code = actionCode(r.action);
      let rank = (code & RANK_MASK) - 1;
      if (rank < 0) {
        // `last message repeated`: belongs with the previous line of this host
        if (h.lastIgnored !== null) {
          this.ignore(r, h.lastIgnored);
          continue;
        }
        rank = h.lastRank;
      } else {
        const bucket = preClassifyCode(r, code);
        h.lastIgnored = bucket;
        if (bucket !== null) {
          this.ignore(r, bucket);
          continue;
        }
      }
      h.lastRank = rank;
      c.buffered++;
      const key = ts * RANKS + rank;
      const target = dispatchTarget(r, code >> ROUTE_SHIFT);
      if (key < h.batchLastKey) {
        // out of order within this push: into the reorder heap
        h.heap.push(r, key, target);
        continue;
      }
      // in order: appended to the host's list of this push (merged with the heap on release)
      batchKey[i] = key;
      batchSeq[i] = h.heap.takeSeq();
      batchTag[i] = target;
      batchNext[i] = -1;
      if (h.batchHead < 0) h.batchHead = i;
      else batchNext[h.batchTail] = i;
      h.batchTail = i;
      h.batchLastKey = key;
    }
    const window = this.options.reorderWindowMs;
    for (const h of this.touched) {
      h.touched = false;
      this.releaseBatch(h, h.maxSeen - window, records);
    }
    this.touched.length = 0;
    this.detachTouched();
    return this.drain(this.globalMax - window - this.options.startOrderDelayMs);
  }

  flush(): LoginEvent[] {
    for (const h of this.hosts.values()) {
      this.release(h, Infinity);
      if (h.held !== null) this.dropHeld(h);
    }
    while (this.lruHead !== null) this.finish(this.lruHead, this.lruHead.ended ? 'complete' : 'open');
    for (const h of this.hosts.values()) {
      h.awaitingLogind = [];
      h.closing = new TimeHeap<Unit>();
      h.privQueue.length = 0;
      h.lastUnit = null;
    }
    this.detachTouched(); // every login is finished now: only clears the list
    return this.drain(Infinity);
  }

  /**
   * Strings of logins touched in this push and still open refer to its lines (and, from `readLines`, to whole read
   * chunks): copy the long ones, and clear the touched list.
   */
  private detachTouched(): void {
    const units = this.touchedUnits;
    for (let k = 0; k < units.length; k++) {
      const u = units[k];
      u.pushTouched = false;
      if (!u.done) detachEvent(u.event);
    }
    units.length = 0;
  }

  /**
   * End of this input, to be continued later: releases every reorder buffer (up to each host's newest time), emits
   * what that completes and every event waiting for start order, and returns the open state as a checkpoint.
   */
  checkpoint(): { events: LoginEvent[]; checkpoint: AssemblerCheckpoint } {
    for (const h of this.hosts.values()) this.release(h, h.maxSeen);
    this.detachTouched();
    const events = this.drain(Infinity);
    const hosts = [...this.hosts.values()];
    const hostIndex = new Map(hosts.map((h, i) => [h, i]));
    const units: Unit[] = [];
    const index = new Map<Unit, number>();
    for (let u = this.lruHead; u !== null; u = u.next) {
      index.set(u, units.length);
      units.push(u);
    }
    let lines = 0;
    for (const u of units) lines += u.event.lines;
    for (const h of hosts) if (h.held !== null) lines++;
    this.counters.carriedOut = lines;
    return {
      events,
      checkpoint: {
        format: CHECKPOINT_FORMAT,
        version: CHECKPOINT_VERSION,
        options: { ...this.options },
        hosts: hosts.map((h) => hostToCheckpoint(h, index)),
        units: units.map((u) => unitToCheckpoint(u, hostIndex.get(u.host) as number)),
        lines,
        lastStartEmitted: toJsonNumber(this.lastStartEmitted),
        globalMax: toJsonNumber(this.globalMax),
      },
    };
  }

  /** Restores the open state of a checkpoint into this fresh core. */
  restore(cp: AssemblerCheckpoint): void {
    const c = this.counters;
    const hosts = cp.hosts.map((hc) => {
      const h = new HostState(hc.name);
      h.clock = fromJsonNumber(hc.clock, 'host.clock');
      h.maxSeen = fromJsonNumber(hc.maxSeen, 'host.maxSeen');
      h.nextSweep = fromJsonNumber(hc.nextSweep, 'host.nextSweep');
      h.lastRank = hc.lastRank;
      h.lastIgnored = hc.lastIgnored;
      if (hc.held !== null) {
        h.held = Object.assign(emptyRecord(hc.held.line, hc.held.message), hc.held);
        this.openLines++;
      }
      this.hosts.set(h.name, h);
      return h;
    });
    const units = cp.units.map((uc) => {
      const h = hosts[uc.host];
      const event = Object.assign(emptyEvent(uc.event.kind, uc.event.timestamp), uc.event);
      const u = createUnitFor(uc.kind, event, h);
      unitFromCheckpoint(uc, u);
      h.units.add(u);
      this.append(u);
      if (u.ended) h.closing.push(u, u.deadline);
      this.openLines += event.lines;
      return u;
    });
    cp.hosts.forEach((hc, i) => {
      const h = hosts[i];
      h.lastUnit = hc.lastUnit >= 0 ? units[hc.lastUnit] : null;
      for (const [k, j] of hc.byPid) h.byPid.set(k, units[j]);
      for (const [k, j] of hc.byChild) h.byChild.set(k, units[j]);
      for (const [k, j] of hc.byLogind) h.byLogind.set(k, units[j]);
      for (const [k, j] of hc.byAudit) h.byAudit.set(k, units[j]);
      for (const [port, chain] of hc.endpoints) {
        h.byEndpoint.set(port, units[chain[0]]);
        for (let k = 0; k + 1 < chain.length; k++) units[chain[k]].endpointNext = units[chain[k + 1]];
      }
      h.awaitingLogind = hc.awaitingLogind.map((j) => units[j]);
      for (const j of hc.privQueue) h.privQueue.push(units[j]);
      for (const [k, j] of hc.sudoAuth) h.sudoAuth.set(k, units[j]);
    });
    c.hosts = hosts.length;
    c.open = units.length;
    c.peakOpen = units.length;
    c.carriedIn = this.openLines;
    c.recordsIn = this.openLines;
    this.lastStartEmitted = fromJsonNumber(cp.lastStartEmitted, 'lastStartEmitted');
    this.globalMax = fromJsonNumber(cp.globalMax, 'globalMax');
  }

  /** Refresh the derived counters. */
  refresh(): AssemblerCounters {
    const c = this.counters;
    c.recordsPending = c.buffered + this.openLines + this.heldLines;
    return c;
  }

  // ---- release / time ------------------------------------------------------------------------------------------

  /**
   * Release the host's records up to `upTo` in (time, rank, arrival) order: this push's in-order list (indexes into
   * `records`) merged with the host's heap (records of earlier pushes and this push's out-of-order ones). Every
   * record holds the key and arrival number it would have in the heap, so the result is exactly the order of
   * pushing the whole batch into the heap and popping it. The unreleased rest of the list goes into the heap with
   * its arrival numbers.
   */
  private releaseBatch(h: HostState, upTo: number, records: readonly LogRecord[]): void {
    let i = h.batchHead;
    h.batchHead = -1;
    h.batchTail = -1;
    h.batchLastKey = -Infinity;
    const heap = h.heap;
    const batchKey = this.batchKey;
    const batchSeq = this.batchSeq;
    const batchTag = this.batchTag;
    const batchNext = this.batchNext;
    const limit = upTo * RANKS + (RANKS - 1);
    let heapKey = heap.peekKey();
    let heapSeq = heap.peekSeq();
    for (;;) {
      let r: LogRecord;
      let target: number;
      if (i >= 0 && (batchKey[i] < heapKey || (batchKey[i] === heapKey && batchSeq[i] < heapSeq))) {
        if (batchKey[i] > limit) break;
        r = records[i];
        target = batchTag[i];
        i = batchNext[i];
      } else if (heapKey <= limit) {
        r = heap.popAtMost(limit) as LogRecord;
        target = heap.lastTag;
        heapKey = heap.peekKey();
        heapSeq = heap.peekSeq();
      } else break;
      this.releaseOne(h, r, target);
    }
    for (; i >= 0; i = batchNext[i]) heap.push(records[i], batchKey[i], batchTag[i], batchSeq[i]);
    this.advance(h, upTo);
  }

  private release(h: HostState, upTo: number): void {
    const heap = h.heap;
    const limit = upTo * RANKS + (RANKS - 1);
    for (;;) {
      const r = heap.popAtMost(limit);
      if (r === undefined) break;
      this.releaseOne(h, r, heap.lastTag);
    }
    this.advance(h, upTo);
  }

  /** Process one released record: move the host clock, finish what ended before it, then join it. */
  private releaseOne(h: HostState, r: LogRecord, target: number): void {
    const c = this.counters;
    c.buffered--;
    const ts = r.timestamp as number;
    if (ts > h.clock) {
      // time moves on: logins whose linger ended before this record are complete
      h.clock = ts;
      if (h.held !== null && (h.held.timestamp as number) + this.options.lingerMs < ts) this.dropHeld(h);
      if (h.closing.size > 0) this.processClosing(h, ts, false);
      if (ts >= h.nextSweep && h.units.size > 0) this.sweep(h);
    }
    const ignoredBefore = c.recordsIgnored;
    dispatchTo(this, h, r, target);
    // a line counted in a bucket is the "previous line" for `last message repeated`, not the last login touched
    if (c.recordsIgnored !== ignoredBefore) h.lastUnit = null;
  }

  /** After a release up to `upTo`: the host clock reaches it, and logins whose linger ended by then complete. */
  private advance(h: HostState, upTo: number): void {
    const now = upTo === Infinity ? h.maxSeen : upTo;
    if (now > h.clock) h.clock = now;
    this.processClosing(h, upTo, true);
    if (h.clock >= h.nextSweep && upTo !== Infinity && h.units.size > 0) this.sweep(h);
  }

  /** Finish ended units whose deadline is before `now` (or at it, when `inclusive`). */
  private processClosing(h: HostState, now: number, inclusive: boolean): void {
    const q = h.closing;
    while (q.size > 0) {
      const key = q.peekKey();
      if (key > now || (!inclusive && key === now)) break;
      const u = q.pop() as Unit;
      // skip entries of units already finished, re-opened, or re-timed to a later deadline
      if (u.done || !u.ended || u.deadline !== key) continue;
      this.finish(u, 'complete');
    }
  }

  private sweep(h: HostState): void {
    const now = h.clock;
    h.nextSweep = now + this.sweepEveryMs;
    const { idleTimeoutMs, preauthTimeoutMs } = this.options;
    for (const u of h.units) {
      if (u.ended) continue;
      const timeout = u.kind === 'ssh' && !u.authenticated ? preauthTimeoutMs : idleTimeoutMs;
      if (u.lastSeen + timeout < now) {
        this.counters.evictedByReason.idle++;
        this.finish(u, 'evicted');
      }
    }
  }

  // ---- Joiner ----------------------------------------------------------------------------------------------------

  attach(u: Unit, r: LogRecord): void {
    const ts = r.timestamp as number;
    u.event.lines++;
    this.openLines++;
    if (ts > u.lastSeen) u.lastSeen = ts;
    if (ts < u.event.timestamp) u.event.timestamp = ts;
    if (this.lruTail !== u) {
      this.unlink(u);
      this.append(u);
    }
    u.host.lastUnit = u;
    if (!u.pushTouched) {
      u.pushTouched = true;
      this.touchedUnits.push(u);
    }
  }

  open(kind: UnitKind, eventKind: LoginEventKind, h: HostState, r: LogRecord): Unit {
    const u = createUnit(kind, eventKind, h, r);
    u.event.action = EVENT_ACTION[kind];
    u.event.lines = 1;
    this.openLines++;
    const c = this.counters;
    if (c.open >= this.options.maxOpen && this.lruHead !== null) {
      c.evictedByReason.cap++;
      this.finish(this.lruHead, 'evicted');
    }
    h.units.add(u);
    h.lastUnit = u;
    this.append(u);
    u.pushTouched = true;
    this.touchedUnits.push(u);
    if (++c.open > c.peakOpen) c.peakOpen = c.open;
    return u;
  }

  claimPid(u: Unit, pid: number): void {
    const h = u.host;
    const old = h.byPid.get(pid);
    if (old !== undefined && old !== u && !old.done) {
      if (old.ended) this.finish(old, 'complete');
      else this.evictReused(old);
    }
    h.byPid.set(pid, u);
    u.pid = pid;
    u.event.pid = pid;
  }

  evictReused(u: Unit): void {
    this.counters.evictedByReason.pidReuse++;
    this.finish(u, 'evicted');
  }

  markEnded(u: Unit, deadline: number): void {
    if (u.ended || u.done) return;
    u.ended = true;
    u.deadline = deadline;
    u.host.closing.push(u, deadline);
  }

  extendEnd(u: Unit, deadline: number): void {
    if (u.done) return;
    if (!u.ended) this.markEnded(u, deadline);
    else if (deadline > u.deadline) {
      u.deadline = deadline;
      u.host.closing.push(u, deadline);
    }
  }

  hold(h: HostState, r: LogRecord): void {
    if (h.held !== null) this.dropHeld(h);
    h.held = r;
    this.openLines++;
  }

  takeHeld(h: HostState): LogRecord | null {
    const r = h.held;
    if (r !== null) {
      h.held = null;
      this.openLines--;
    }
    return r;
  }

  private dropHeld(h: HostState): void {
    const r = this.takeHeld(h);
    if (r !== null) this.ignore(r, 'orphan');
  }

  ignore(r: LogRecord, reason: IgnoreReason): void {
    this.counters.ignoredByReason[reason]++;
    this.counters.recordsIgnored++;
  }

  finish(u: Unit, mode: FinishMode): void {
    if (u.done) return;
    u.done = true;
    const h = u.host;
    if (u.pid !== null && h.byPid.get(u.pid) === u) h.byPid.delete(u.pid);
    if (u.childPid !== null && h.byChild.get(u.childPid) === u) h.byChild.delete(u.childPid);
    if (u.endpoint !== null) h.dropEndpoint(u);
    if (u.logindId !== null && h.byLogind.get(u.logindId) === u) h.byLogind.delete(u.logindId);
    if (u.auditKey !== null && h.byAudit.get(u.auditKey) === u) h.byAudit.delete(u.auditKey);
    if (u.auditSesKey !== null && h.byAudit.get(u.auditSesKey) === u) h.byAudit.delete(u.auditSesKey);
    const user = u.event.userName;
    if (u.kind === 'sudo' && user !== null && h.sudoAuth.get(user) === u) h.sudoAuth.delete(user);
    if (h.lastUnit === u) h.lastUnit = null;
    h.units.delete(u);
    this.unlink(u);
    this.counters.open--;
    const e = this.finalize(u, mode);
    this.openLines -= e.lines;
    this.route(e);
  }

  private append(u: Unit): void {
    u.prev = this.lruTail;
    u.next = null;
    if (this.lruTail !== null) this.lruTail.next = u;
    else this.lruHead = u;
    this.lruTail = u;
  }

  private unlink(u: Unit): void {
    if (u.prev !== null) u.prev.next = u.next;
    else if (this.lruHead === u) this.lruHead = u.next;
    if (u.next !== null) u.next.prev = u.prev;
    else if (this.lruTail === u) this.lruTail = u.prev;
    u.prev = null;
    u.next = null;
  }

  // ---- output ----------------------------------------------------------------------------------------------------

  private finalize(u: Unit, mode: FinishMode): LoginEvent {
    const e = u.event;
    e.failures = Math.max(u.failedLines, u.pamFailures, u.statedFailures);
    switch (u.kind) {
      case 'ssh':
        if (u.authenticated) {
          if (!u.accepted) e.incomplete = true;
          e.kind = 'ssh_session';
          e.outcome = 'success';
          e.action = 'ssh_login';
        } else if (e.userName !== null || e.invalidUser) {
          e.kind = 'ssh_failed';
          e.outcome = 'failure';
          e.action = 'ssh_failed_login';
          if (e.reason === null) e.reason = e.failures > 0 ? 'authentication failed' : 'closed before authentication';
        } else {
          e.kind = 'ssh_no_user';
          e.outcome = 'unknown';
          e.action = 'ssh_no_user';
        }
        break;
      case 'sudo':
        if (e.outcome === 'unknown' && e.failures > 0) e.outcome = 'failure';
        break;
      default:
        if (e.outcome === 'unknown' && e.failures > 0 && !u.authenticated) e.outcome = 'failure';
        break;
    }
    if (mode === 'complete') {
      e.end = u.lastSeen;
      e.endReason =
        u.kind === 'sudo'
          ? null
          : (u.endReason ?? (u.kind === 'ssh' && !u.authenticated ? 'closed' : u.kind === 'audit' && !u.authenticated ? null : 'disconnect'));
    } else if (mode === 'open') {
      e.end = null;
      e.endReason = 'open';
      e.incomplete = true;
    } else {
      e.end = u.lastSeen;
      e.endReason = 'evicted';
      e.incomplete = true;
      this.counters.evicted++;
    }
    return e;
  }

  private route(e: LoginEvent): void {
    const c = this.counters;
    if (e.kind === 'ssh_no_user') {
      c.noUserConnections++;
      if (!this.options.emitNoUser) {
        c.ignoredByReason['no-user-connection'] += e.lines;
        c.recordsIgnored += e.lines;
        return;
      }
    }
    if (this.options.order === 'completion') {
      this.deliver(e);
    } else if (e.timestamp < this.lastStartEmitted) {
      c.startOrderLate++;
      this.deliver(e);
    } else {
      detachEvent(e); // held up to startOrderDelayMs
      this.startHeap.push(e, e.timestamp);
      this.heldLines += e.lines;
    }
  }

  private deliver(e: LoginEvent): void {
    const c = this.counters;
    c.eventsOut++;
    c.eventsByKind[e.kind]++;
    c.recordsInEvents += e.lines;
    if (e.incomplete) c.incomplete++;
    this.out.push(e);
  }

  private drain(watermark: number): LoginEvent[] {
    if (this.options.order === 'start') {
      const heap = this.startHeap;
      while (heap.size > 0 && heap.peekKey() <= watermark) {
        const e = heap.pop() as LoginEvent;
        this.heldLines -= e.lines;
        if (e.timestamp > this.lastStartEmitted) this.lastStartEmitted = e.timestamp;
        this.deliver(e);
      }
    }
    const out = this.out;
    this.out = [];
    this.refresh();
    return out;
  }
}

/**
 * Turns the record stream of many hosts into one {@link LoginEvent} per login, in bounded memory.
 *
 * Records are buffered per host in a reorder window and released in timestamp order; each released record is
 * joined to an open login (by pid, privsep child pid, source endpoint, logind session id, audit session, or the
 * sudo/su target user) or counted in a not-a-login bucket. Call {@link EventAssembler.push} with batches and
 * {@link EventAssembler.flush} at the end of input.
 *
 * @example
 * ```ts
 * const asm = new EventAssembler({ reorderWindowMs: 5000 });
 * for (const batch of batches) for (const ev of asm.push(parser.parseBatch(batch))) sink(ev);
 * for (const ev of asm.flush()) sink(ev);
 * console.log(asm.counters.ignoredByReason);
 * ```
 */
export class EventAssembler {
  /** The options in effect, defaults filled in. */
  readonly options: Readonly<ResolvedAssemblerOptions>;
  private readonly core: AssemblerCore;

  /** @throws Error naming the option when an option is invalid. */
  constructor(options?: AssemblerOptions) {
    this.options = resolveAssemblerOptions(options);
    this.core = new AssemblerCore({ ...this.options });
  }

  /** Feed a batch of records (any hosts, any order within the reorder window); returns the events it completed. */
  push(records: readonly LogRecord[]): LoginEvent[] {
    return this.core.push(records);
  }

  /** End of input: release every buffer; open logins come out with endReason 'open' and incomplete true. */
  flush(): LoginEvent[] {
    return this.core.flush();
  }

  /**
   * End of this input, to be continued by another assembler (a later run, another process): instead of emitting open
   * logins as `open`, returns their state as JSON. Reorder buffers are released first (up to each host's newest
   * time) and events waiting for start order are emitted; both come back in `events`. Afterwards this assembler's
   * `counters.carriedOut` is the number of lines carried (they stay in `recordsPending`); do not push to it again.
   *
   * @example
   * ```ts
   * const { events, checkpoint } = asm.checkpoint();
   * await writeFile('assembler.json', JSON.stringify(checkpoint));
   * // next run:
   * const next = EventAssembler.fromCheckpoint(JSON.parse(await readFile('assembler.json', 'utf8')));
   * ```
   */
  checkpoint(): { events: LoginEvent[]; checkpoint: AssemblerCheckpoint } {
    return this.core.checkpoint();
  }

  /**
   * An assembler that continues from a {@link EventAssembler.checkpoint}: the open logins go on collecting lines and
   * come out complete. Its counters start with the carried lines (`carriedIn`, counted in `recordsIn`).
   *
   * @param options Assembler options (default: the checkpoint's own).
   * @throws Error saying what is wrong with a malformed or incompatible checkpoint.
   */
  static fromCheckpoint(checkpoint: AssemblerCheckpoint, options?: AssemblerOptions): EventAssembler {
    checkCheckpoint(checkpoint);
    const asm = new EventAssembler(options ?? checkpoint.options);
    asm.core.restore(checkpoint);
    return asm;
  }

  /**
   * Live counters. Invariant: `recordsIn === recordsInEvents + recordsIgnored + recordsPending`; after
   * {@link EventAssembler.flush}, `recordsPending === 0`.
   */
  get counters(): AssemblerCounters {
    return this.core.refresh();
  }
}
