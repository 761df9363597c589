/**
 * Counters of the event assembler. Invariant (checked by the tests): at any time
 * `recordsIn === recordsInEvents + recordsIgnored + recordsPending`, and after `flush()` `recordsPending === 0`.
 *
 * @module
 */
import type { LoginEventKind } from './event.js';

/** Why a record did not become part of a login event. */
export type IgnoreReason =
  /** The record had no usable timestamp. */
  | 'no-timestamp'
  /** The record had no host name. */
  | 'no-host'
  /** CRON PAM sessions and other cron lines. */
  | 'cron'
  /** systemd --user PAM sessions (`pam_unix(systemd-user:session)`). */
  | 'systemd-user'
  /** Lines of sshd connections that never named a user (when `emitNoUser` is false). */
  | 'no-user-connection'
  /** sshd listener lines: server start / stop (`Server listening`, `Received signal 15`). */
  | 'server'
  /** Known lines of programs or actions that are not logins (useradd, chpasswd, logind seat lines, ...). */
  | 'unrelated'
  /** Lines no grammar understood and that could not be attached to an open login by pid. */
  | 'unknown'
  /** Lines that refer to a login the assembler has no state for (its start was before the input, or was evicted). */
  | 'orphan';

/** Every {@link IgnoreReason}, in a stable order. */
export const IGNORE_REASONS: readonly IgnoreReason[] = [
  'no-timestamp',
  'no-host',
  'cron',
  'systemd-user',
  'no-user-connection',
  'server',
  'unrelated',
  'unknown',
  'orphan',
];

/** Every {@link LoginEventKind}, in a stable order. */
export const EVENT_KINDS: readonly LoginEventKind[] = [
  'ssh_session',
  'ssh_failed',
  'ssh_no_user',
  'sudo',
  'su',
  'console',
  'audit',
];

/** Live counters of an {@link EventAssembler}; read them at any time. */
export interface AssemblerCounters {
  /** Records pushed, plus the lines of open logins carried in from a checkpoint (`carriedIn`). */
  recordsIn: number;
  /** Lines of open logins carried in from a checkpoint ({@link EventAssembler.fromCheckpoint}); part of `recordsIn`. */
  carriedIn: number;
  /** Lines of open logins written into a checkpoint ({@link EventAssembler.checkpoint}); part of `recordsPending`. */
  carriedOut: number;
  /** Records merged into events already returned (sum of `event.lines`). */
  recordsInEvents: number;
  /** Records counted in a not-a-login bucket (sum of `ignoredByReason`). */
  recordsIgnored: number;
  /** Records still held: in reorder buffers, in open logins, or in events waiting for start-order output. */
  recordsPending: number;
  /** Records per not-a-login bucket. */
  ignoredByReason: Record<IgnoreReason, number>;
  /** Events returned. */
  eventsOut: number;
  /** Events returned, per kind. */
  eventsByKind: Record<LoginEventKind, number>;
  /** sshd connections that never named a user (emitted or not). */
  noUserConnections: number;
  /** Events returned flagged incomplete. */
  incomplete: number;
  /** Logins dropped from state before they ended (emitted as incomplete with endReason 'evicted'). */
  evicted: number;
  /** Evictions by cause: idle timeout, the open-state cap, or pid reuse (a new connection on a pid still in use). */
  evictedByReason: { idle: number; cap: number; pidReuse: number };
  /** Records that arrived after their host's reorder window had passed them (still used). */
  lateRecords: number;
  /** With `order: 'start'`: events emitted behind the start-order watermark (out of start order). */
  startOrderLate: number;
  /** Logins open right now (all hosts). */
  open: number;
  /** Highest value `open` reached. */
  peakOpen: number;
  /** Records waiting in reorder buffers right now. */
  buffered: number;
  /** Hosts seen. */
  hosts: number;
}

/** Fresh zeroed counters. */
export function createCounters(): AssemblerCounters {
  const ignoredByReason = {} as Record<IgnoreReason, number>;
  for (const r of IGNORE_REASONS) ignoredByReason[r] = 0;
  const eventsByKind = {} as Record<LoginEventKind, number>;
  for (const k of EVENT_KINDS) eventsByKind[k] = 0;
  return {
    recordsIn: 0,
    carriedIn: 0,
    carriedOut: 0,
    recordsInEvents: 0,
    recordsIgnored: 0,
    recordsPending: 0,
    ignoredByReason,
    eventsOut: 0,
    eventsByKind,
    noUserConnections: 0,
    incomplete: 0,
    evicted: 0,
    evictedByReason: { idle: 0, cap: 0, pidReuse: 0 },
    lateRecords: 0,
    startOrderLate: 0,
    open: 0,
    peakOpen: 0,
    buffered: 0,
    hosts: 0,
  };
}
