/**
 * The narrow interface the per-program joiners (sshd, sudo/su/login, logind, auditd) use to act on assembler
 * state. Implemented by the assembler core; keeps joiners free of buffering, counting and output concerns.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { IgnoreReason } from './counters.js';
import type { LoginEventKind } from './event.js';
import type { ResolvedAssemblerOptions } from './options.js';
import type { HostState, Unit, UnitKind } from './state.js';

/** How a unit leaves state. */
export type FinishMode = 'complete' | 'open' | 'evicted';

/** Operations joiners may perform. */
export interface Joiner {
  readonly options: ResolvedAssemblerOptions;
  /** Merge a record into a unit (counts the line, updates last-seen time). */
  attach(u: Unit, r: LogRecord): void;
  /** Open a new unit that starts with record `r` (which is merged into it). */
  open(kind: UnitKind, eventKind: LoginEventKind, host: HostState, r: LogRecord): Unit;
  /** Register a unit under a pid, finishing whatever other unit held the pid (pid reuse). */
  claimPid(u: Unit, pid: number): void;
  /** Finish a unit now. */
  finish(u: Unit, mode: FinishMode): void;
  /** Evict a unit because its pid was reused. */
  evictReused(u: Unit): void;
  /** Mark a unit as ended; it is emitted when the host clock passes `deadline` (or earlier when complete). */
  markEnded(u: Unit, deadline: number): void;
  /** Like markEnded, but moves an existing deadline later (never earlier). */
  extendEnd(u: Unit, deadline: number): void;
  /**
   * Hold a line that belongs to an unknown login until a later line claims it (an sshd child's `Timeout, client
   * not responding.` carries neither an announced pid nor an endpoint; the monitor's PAM close follows at once).
   * A held line not claimed within `lingerMs` is counted as an orphan. One held line per host.
   */
  hold(h: HostState, r: LogRecord): void;
  /** Take the held line of the host (to attach it), or null. */
  takeHeld(h: HostState): LogRecord | null;
  /** Count a record in a not-a-login bucket. */
  ignore(r: LogRecord, reason: IgnoreReason): void;
}
