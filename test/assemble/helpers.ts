import { expect } from 'vitest';
import { emptyRecord, type LogRecord } from '../../src/grammar/record.js';
import { EventAssembler, type AssemblerOptions, type LoginEvent } from '../../src/assemble/index.js';

/** Epoch ms of 2026-01-01T00:00:00Z plus `s` seconds. */
export const T0 = Date.UTC(2026, 0, 1);
export const t = (s: number): number => T0 + s * 1000;

let line = 0;

/** A hand-built record: time in seconds after T0, host, program, pid, action, other fields. */
export function rec(
  s: number | null,
  host: string | null,
  program: string | null,
  pid: number | null,
  action: string,
  fields: Partial<LogRecord> = {},
): LogRecord {
  const r = emptyRecord(++line, `${program ?? ''}[${pid ?? ''}] ${action}`);
  r.timestamp = s === null ? null : t(s);
  r.hostName = host;
  r.processName = program;
  r.processPid = pid;
  r.action = action;
  r.envelope = 'rfc3164';
  return Object.assign(r, fields);
}

/** Check the accounting invariant after flush and return it for further assertions. */
export function expectBalanced(asm: EventAssembler, events: readonly LoginEvent[]): void {
  const c = asm.counters;
  const lines = events.reduce((n, e) => n + e.lines, 0);
  expect(c.recordsPending).toBe(0);
  expect(c.recordsInEvents).toBe(lines);
  expect(c.eventsOut).toBe(events.length);
  const buckets = Object.values(c.ignoredByReason).reduce((a, b) => a + b, 0);
  expect(c.recordsIgnored).toBe(buckets);
  expect(lines + buckets).toBe(c.recordsIn);
  expect(c.open).toBe(0);
  expect(c.buffered).toBe(0);
}

/** Push records in batches of `batch`, flush, check the invariant; returns events and the assembler. */
export function run(
  records: readonly LogRecord[],
  options: AssemblerOptions = {},
  batch = 3,
): { events: LoginEvent[]; asm: EventAssembler } {
  const asm = new EventAssembler(options);
  const events: LoginEvent[] = [];
  for (let i = 0; i < records.length; i += batch) {
    events.push(...asm.push(records.slice(i, i + batch)));
    const c = asm.counters;
    expect(c.recordsInEvents + c.recordsIgnored + c.recordsPending).toBe(c.recordsIn);
  }
  events.push(...asm.flush());
  expectBalanced(asm, events);
  return { events, asm };
}

export const H = 'web-01';
export const IP = '203.0.113.7';

/** A typical OpenSSH password session on `host`, monitor `pid`, child `child`, logind session `ses`, starting at `s`. */
export function sshSession(
  s: number,
  o: { host?: string; pid: number; child: number; user: string; ip?: string; port: number; ses: string; announceChild?: boolean; program?: string },
): LogRecord[] {
  const host = o.host ?? H;
  const ip = o.ip ?? IP;
  const prog = o.program ?? 'sshd';
  const out: LogRecord[] = [
    rec(s, host, prog, o.pid, 'ssh_connection', { sourceIp: ip, sourcePort: o.port }),
    rec(s + 1, host, prog, o.pid, 'ssh_login', {
      userName: o.user, sourceIp: ip, sourcePort: o.port, sshMethod: 'publickey', sshKeyType: 'ED25519', sshKeyFingerprint: 'SHA256:abc', outcome: 'success',
    }),
    rec(s + 1, host, prog, o.pid, 'pam_session_opened', { pamService: 'sshd', userName: o.user, userId: 1000 }),
  ];
  if (o.announceChild) out.push(rec(s + 1, host, prog, o.pid, 'ssh_user_child', { relatedPid: o.child }));
  out.push(
    rec(s + 1, host, 'systemd-logind', 900, 'logind_new_session', { sessionId: o.ses, userName: o.user }),
    rec(s + 1, host, prog, o.child, 'ssh_session_start', { tty: 'pts/0', userName: o.user, sourceIp: ip, sourcePort: o.port }),
    rec(s + 60, host, prog, o.child, 'ssh_disconnect_received', { sourceIp: ip, sourcePort: o.port, reason: 'disconnected by user' }),
    rec(s + 60, host, prog, o.child, 'ssh_disconnected', { userName: o.user, sourceIp: ip, sourcePort: o.port }),
    rec(s + 60, host, prog, o.pid, 'pam_session_closed', { pamService: 'sshd', userName: o.user }),
    rec(s + 60, host, 'systemd-logind', 900, 'logind_removed_session', { sessionId: o.ses }),
  );
  return out;
}

/** Sort records by timestamp (stable), as a syslog file would hold them. */
export function byTime(records: LogRecord[]): LogRecord[] {
  return records.map((r, i) => [r, i] as const).sort((a, b) => (a[0].timestamp ?? 0) - (b[0].timestamp ?? 0) || a[1] - b[1]).map((x) => x[0]);
}
