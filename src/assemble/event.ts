/**
 * The event contract: one {@link LoginEvent} per login (or login attempt), produced by the assembler from many
 * {@link LogRecord}s and consumed by the feature encoder, the scorer and every output. Like records, events are
 * plain objects with one fixed set of properties; `null` means unknown. The ECS mapping lives in
 * {@link EVENT_ECS_FIELDS}.
 *
 * @module
 */
import type { EventOutcome } from '../grammar/record.js';

/** What kind of login an event is. */
export type LoginEventKind =
  /** An sshd connection that authenticated (a session, open or closed). */
  | 'ssh_session'
  /** An sshd connection that named a user but never authenticated. */
  | 'ssh_failed'
  /** An sshd connection that never named a user (banner grab, key-exchange failure); emitted only on request. */
  | 'ssh_no_user'
  /** One sudo invocation. */
  | 'sudo'
  /** One su session or failed su. */
  | 'su'
  /** A console / login(1) session or failure. */
  | 'console'
  /** An auditd login transaction not otherwise joined to an sshd event. */
  | 'audit';

/** How a session ended. */
export type LoginEndReason =
  /** The client disconnected cleanly (`Received disconnect`, `Disconnected from`, session closed). */
  | 'disconnect'
  /** `Timeout, client not responding` or similar. */
  | 'timeout'
  /** `Connection reset by`. */
  | 'reset'
  /** Closed before authentication (`Connection closed by ... [preauth]`, too many failures). */
  | 'closed'
  /** Still open at the end of input (or at a flush). */
  | 'open'
  /** Dropped from the assembler's bounded state by idle timeout or the open-state cap. */
  | 'evicted';

/** One login event. */
export interface LoginEvent {
  /** What kind of login. */
  kind: LoginEventKind;
  /** ECS `@timestamp`: time of the first line, epoch ms UTC. */
  timestamp: number;
  /** ECS `event.end`: time of the last line, epoch ms UTC, `null` while open. */
  end: number | null;
  /** ECS `host.name`. */
  hostName: string | null;
  /** ECS `process.pid`: the sshd pid printed on the Accepted/Failed/Invalid user lines; sudo/su pid; `null` if none. */
  pid: number | null;
  /** ECS `user.name`: the user logging in (ssh), or the invoking user (sudo/su). */
  userName: string | null;
  /** ECS `user.effective.name`: sudo/su target user. */
  userEffectiveName: string | null;
  /** ECS `source.ip`. */
  sourceIp: string | null;
  /** ECS `source.port`. */
  sourcePort: number | null;
  /** ECS `event.outcome`. */
  outcome: EventOutcome;
  /** ECS `event.action`: `ssh_login`, `ssh_failed_login`, `sudo`, `su`, `console_login`, ... */
  action: string;
  /** `ssh.method` of the successful (or last failed) authentication. */
  sshMethod: string | null;
  /** `ssh.key.type`. */
  sshKeyType: string | null;
  /** `ssh.key.fingerprint`. */
  sshKeyFingerprint: string | null;
  /** Failed authentication attempts inside this login (wrong passwords, refused keys, sudo incorrect attempts). */
  failures: number;
  /** True when the user was reported invalid (does not exist on the host). */
  invalidUser: boolean;
  /** systemd-logind or audit session id. */
  sessionId: string | null;
  /** Terminal (`pts/0`, `tty1`, ...). */
  tty: string | null;
  /** sudo `PWD=`. */
  workingDirectory: string | null;
  /** sudo `COMMAND=`. */
  command: string | null;
  /** How the login ended, `null` when not applicable (sudo). */
  endReason: LoginEndReason | null;
  /** Free-text reason for failure or refusal (e.g. `too many authentication failures`, `NOT in sudoers`). */
  reason: string | null;
  /** Number of input lines merged into this event. */
  lines: number;
  /** True when lines that should be there were not seen (start or end missing, evicted, unmatched). */
  incomplete: boolean;
}

/** Internal property → ECS field name for events; every serialiser goes through this table. */
export const EVENT_ECS_FIELDS: { readonly [K in keyof LoginEvent]: string } = {
  kind: 'loginsight.kind',
  timestamp: '@timestamp',
  end: 'event.end',
  hostName: 'host.name',
  pid: 'process.pid',
  userName: 'user.name',
  userEffectiveName: 'user.effective.name',
  sourceIp: 'source.ip',
  sourcePort: 'source.port',
  outcome: 'event.outcome',
  action: 'event.action',
  sshMethod: 'ssh.method',
  sshKeyType: 'ssh.key.type',
  sshKeyFingerprint: 'ssh.key.fingerprint',
  failures: 'loginsight.failures',
  invalidUser: 'ssh.invalid_user',
  sessionId: 'session.id',
  tty: 'process.tty.name',
  workingDirectory: 'process.working_directory',
  command: 'process.command_line',
  endReason: 'loginsight.end_reason',
  reason: 'event.reason',
  lines: 'loginsight.lines',
  incomplete: 'loginsight.incomplete',
};

/** An event with every property set to its empty value; the assembler copies it so all events share one shape. */
export function emptyEvent(kind: LoginEventKind, timestamp: number): LoginEvent {
  return {
    kind,
    timestamp,
    end: null,
    hostName: null,
    pid: null,
    userName: null,
    userEffectiveName: null,
    sourceIp: null,
    sourcePort: null,
    outcome: 'unknown',
    action: kind,
    sshMethod: null,
    sshKeyType: null,
    sshKeyFingerprint: null,
    failures: 0,
    invalidUser: false,
    sessionId: null,
    tty: null,
    workingDirectory: null,
    command: null,
    endReason: null,
    reason: null,
    lines: 0,
    incomplete: false,
  };
}

/** ECS `event.duration` in nanoseconds (ECS convention), `null` while the event is open. */
export function eventDurationNs(event: LoginEvent): number | null {
  return event.end === null ? null : (event.end - event.timestamp) * 1e6;
}
