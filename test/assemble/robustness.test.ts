import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventAssembler, assembleEvents, type LoginEvent } from '../../src/assemble/index.js';
import { detachString } from '../../src/assemble/state.js';
import { LineParser } from '../../src/grammar/index.js';
import type { LogRecord } from '../../src/grammar/record.js';
import { H, IP, byTime, expectBalanced, rec, run, sshSession, t } from './helpers.js';

/** A deterministic PRNG for shuffles. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const summary = (events: readonly LoginEvent[]) =>
  events
    .map((e) => `${e.hostName}/${e.pid}/${e.kind}/${e.userName}/${e.sourcePort}/${e.lines}/${e.failures}/${e.sessionId}/${e.timestamp}/${e.end}`)
    .sort();

function workload(): LogRecord[] {
  const all: LogRecord[] = [];
  for (let i = 0; i < 30; i++) {
    const host = `h${i % 3}`;
    all.push(...sshSession(i * 20, { host, pid: 100 + i * 10, child: 101 + i * 10, user: `u${i % 4}`, port: 1000 + i, ses: String(i) }));
    all.push(
      rec(i * 20 + 3, host, 'sshd', 105 + i * 10, 'ssh_invalid_user', { userName: 'admin', invalidUser: true, sourceIp: '198.51.100.1', sourcePort: 2000 + i }),
      rec(i * 20 + 5, host, 'sshd', 105 + i * 10, 'ssh_auth_failed', { userName: 'admin', invalidUser: true, sourceIp: '198.51.100.1', sourcePort: 2000 + i }),
      rec(i * 20 + 6, host, 'sshd', 105 + i * 10, 'ssh_connection_closed', { preauth: true, sourceIp: '198.51.100.1', sourcePort: 2000 + i }),
    );
  }
  return byTime(all);
}

describe('out-of-order input', () => {
  it('a reorder window absorbs lines of different hosts and of one host arriving out of order by seconds', () => {
    const ordered = workload();
    const base = run(ordered, { reorderWindowMs: 0 }).events;
    expect(base.filter((e) => e.kind === 'ssh_session')).toHaveLength(30);
    expect(base.filter((e) => e.kind === 'ssh_failed')).toHaveLength(30);
    // displace each record by up to 3 s of arrival: sort by timestamp + jitter
    const rand = rng(7);
    const jittered = ordered
      .map((r) => [r, (r.timestamp as number) + rand() * 3000] as const)
      .sort((a, b) => a[1] - b[1])
      .map((x) => x[0]);
    expect(jittered).not.toEqual(ordered);
    const fixed = run(jittered, { reorderWindowMs: 4000 }, 5);
    expect(summary(fixed.events)).toEqual(summary(base));
    expect(fixed.asm.counters.lateRecords).toBe(0);
  });

  it('records later than the window are still used and counted as late', () => {
    const recs = sshSession(0, { pid: 100, child: 101, user: 'a', port: 1, ses: '1' });
    const moved = [...recs.slice(1, 3), rec(30, H, 'cron', 5, 'unknown'), recs[0], ...recs.slice(3)];
    const { events, asm } = run(moved, { reorderWindowMs: 1000 }, 1);
    expect(asm.counters.lateRecords).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'ssh_session')).toHaveLength(1);
  });
});

describe('missing lines', () => {
  it('a session open at the end of input comes out open and incomplete; one whose start is missing is incomplete', () => {
    const recs = [
      // session that started before the file: only its end
      rec(0, H, 'sshd', 50, 'ssh_disconnected', { userName: 'old', sourceIp: IP, sourcePort: 9 }),
      rec(0, H, 'sshd', 40, 'pam_session_closed', { pamService: 'sshd', userName: 'old' }),
      rec(0, H, 'systemd-logind', 900, 'logind_removed_session', { sessionId: '3' }),
      // session still open at the end
      rec(5, H, 'sshd', 60, 'ssh_login', { userName: 'new', sourceIp: IP, sourcePort: 10 }),
      rec(5, H, 'sshd', 60, 'pam_session_opened', { pamService: 'sshd', userName: 'new' }),
    ];
    const { events, asm } = run(recs);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'ssh_session', userName: 'old', pid: 40, incomplete: true, lines: 1, endReason: 'disconnect' });
    expect(events[1]).toMatchObject({ kind: 'ssh_session', userName: 'new', incomplete: true, endReason: 'open', end: null, lines: 2 });
    expect(asm.counters.ignoredByReason.orphan).toBe(2);
    expect(asm.counters.incomplete).toBe(2);
  });

  it('a lost Accepted line: PAM session opened still yields a session, flagged incomplete', () => {
    const recs = [
      rec(0, H, 'sshd', 70, 'pam_session_opened', { pamService: 'sshd', userName: 'x' }),
      rec(9, H, 'sshd', 70, 'pam_session_closed', { pamService: 'sshd', userName: 'x' }),
    ];
    expect(run(recs).events).toMatchObject([{ kind: 'ssh_session', userName: 'x', incomplete: true, lines: 2, endReason: 'disconnect' }]);
  });
});

describe('pid reuse and sshd restarts', () => {
  it('a new connection on a pid with an open authenticated session closes the old one as incomplete', () => {
    const recs = [
      rec(0, H, 'sshd', 80, 'ssh_login', { userName: 'a', sourceIp: IP, sourcePort: 1 }),
      rec(0, H, 'sshd', 80, 'pam_session_opened', { pamService: 'sshd', userName: 'a' }),
      // the close lines were lost; the pid is reused much later
      rec(9000, H, 'sshd', 80, 'ssh_connection', { sourceIp: '192.0.2.9', sourcePort: 2 }),
      rec(9001, H, 'sshd', 80, 'ssh_login', { userName: 'b', sourceIp: '192.0.2.9', sourcePort: 2 }),
      rec(9009, H, 'sshd', 80, 'ssh_disconnected', { userName: 'b', sourceIp: '192.0.2.9', sourcePort: 2 }),
    ];
    const { events, asm } = run(recs);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ userName: 'a', incomplete: true, endReason: 'evicted', lines: 2, end: t(0) });
    expect(events[1]).toMatchObject({ userName: 'b', incomplete: false, endReason: 'disconnect', lines: 3, sourceIp: '192.0.2.9' });
    expect(asm.counters.evictedByReason.pidReuse).toBe(1);
  });

  it('an Accepted on a pid whose previous connection is still authenticated is a new login', () => {
    const recs = [
      rec(0, H, 'sshd', 81, 'ssh_login', { userName: 'a', sourceIp: IP, sourcePort: 1 }),
      rec(500, H, 'sshd', 81, 'ssh_login', { userName: 'c', sourceIp: IP, sourcePort: 1 }),
    ];
    const { events } = run(recs);
    expect(events.map((e) => e.userName)).toEqual(['a', 'c']);
  });

  it('sessions survive an sshd restart (listener lines counted as server)', () => {
    const s1 = sshSession(0, { pid: 100, child: 101, user: 'a', port: 1, ses: '1' });
    const recs = byTime([
      ...s1,
      rec(30, H, 'sshd', 1, 'ssh_server_stop'),
      rec(31, H, 'sshd', 2000, 'ssh_server_start'),
      rec(31, H, 'sshd', 2000, 'ssh_server_start'),
      ...sshSession(35, { pid: 2100, child: 2101, user: 'b', port: 2, ses: '2' }),
    ]);
    const { events, asm } = run(recs);
    expect(events.filter((e) => !e.incomplete && e.kind === 'ssh_session')).toHaveLength(2);
    expect(asm.counters.ignoredByReason.server).toBe(3);
  });
});

describe('bounded state', () => {
  it('a multi-day session stays open across days of other traffic and ends cleanly', () => {
    const DAY = 86400;
    const recs: LogRecord[] = [...sshSession(0, { pid: 100, child: 101, user: 'hpc', port: 1, ses: '1', announceChild: true }).slice(0, 6)];
    for (let s = 600; s < 3 * DAY; s += 600) recs.push(rec(s, H, 'CRON', 5000 + s, 'pam_session_opened', { pamService: 'cron', userName: 'root' }));
    recs.push(
      rec(3 * DAY, H, 'sshd', 101, 'ssh_timeout', {}),
      rec(3 * DAY, H, 'sshd', 100, 'pam_session_closed', { pamService: 'sshd', userName: 'hpc' }),
      rec(3 * DAY, H, 'systemd-logind', 900, 'logind_removed_session', { sessionId: '1' }),
    );
    const { events } = run(recs, {}, 100);
    const s = events.find((e) => e.userName === 'hpc')!;
    expect(s).toMatchObject({ kind: 'ssh_session', incomplete: false, endReason: 'timeout', lines: 9, end: t(3 * DAY) });
    // with a short idle timeout the same session is evicted and flagged
    const short = run(recs, { idleTimeoutMs: 3600_000 }, 100);
    const ev = short.events.find((e) => e.userName === 'hpc')!;
    expect(ev).toMatchObject({ incomplete: true, endReason: 'evicted', lines: 6 });
    expect(short.asm.counters.evictedByReason.idle).toBe(1);
    // its later lines cannot join it any more: logind's removal is an orphan; the PAM close (which names user and
    // pid) comes out as a separate incomplete session, with the child's timeout line it claims
    expect(short.asm.counters.ignoredByReason.orphan).toBe(1);
    expect(short.events.filter((e) => e.userName === 'hpc').map((e) => [e.lines, e.endReason, e.incomplete])).toEqual([
      [6, 'evicted', true],
      [2, 'timeout', true],
    ]);
  });

  it('unauthenticated connections that go silent are evicted after the preauth timeout', () => {
    const recs = [rec(0, H, 'sshd', 1, 'ssh_auth_failed', { userName: 'r', sourceIp: IP, sourcePort: 1 }), rec(3600, H, 'CRON', 2, 'unknown')];
    const asm = new EventAssembler({ preauthTimeoutMs: 60_000 });
    const out = asm.push(recs);
    expect(out).toMatchObject([{ kind: 'ssh_failed', endReason: 'evicted', incomplete: true, failures: 1 }]);
    expect(asm.counters.open).toBe(0);
    expectBalanced(asm, [...out, ...asm.flush()]);
  });

  it('the open-state cap evicts the least recently active login and counts it', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 20; i++) recs.push(rec(i, H, 'sshd', 100 + i, 'ssh_login', { userName: `u${i}`, sourceIp: IP, sourcePort: i }));
    const { events, asm } = run(recs, { maxOpen: 5 });
    expect(asm.counters.evictedByReason.cap).toBe(15);
    expect(asm.counters.peakOpen).toBe(5);
    const evicted = events.filter((e) => e.endReason === 'evicted').map((e) => e.userName);
    expect(evicted).toEqual(Array.from({ length: 15 }, (_, i) => `u${i}`));
    expect(events.filter((e) => e.endReason === 'open')).toHaveLength(5);
  });
});

describe('output order', () => {
  it("order 'start' emits in start-time order; 'completion' in completion order", () => {
    const recs = byTime([
      ...sshSession(0, { pid: 100, child: 101, user: 'long', port: 1, ses: '1' }).map((r) => (r.timestamp! >= t(60) ? { ...r, timestamp: r.timestamp! + 500_000 } : r)),
      ...sshSession(10, { pid: 200, child: 201, user: 'short', port: 2, ses: '2' }),
    ]);
    const comp = run(recs).events.map((e) => e.userName);
    expect(comp).toEqual(['short', 'long']);
    const st = run(recs, { order: 'start', startOrderDelayMs: 1000_000 });
    expect(st.events.map((e) => e.userName)).toEqual(['long', 'short']);
    expect(st.asm.counters.startOrderLate).toBe(0);
    // a delay shorter than the long session: it comes out late and is counted
    const late = run(recs, { order: 'start', startOrderDelayMs: 1000 });
    expect(late.events.map((e) => e.userName)).toEqual(['short', 'long']);
    expect(late.asm.counters.startOrderLate).toBe(1);
  });

  it('assembleEvents streams batches and flushes at the end', async () => {
    const recs = workload();
    const asm = new EventAssembler();
    const got: LoginEvent[] = [];
    async function* src() {
      for (let i = 0; i < recs.length; i += 10) yield recs.slice(i, i + 10);
    }
    for await (const b of assembleEvents(src(), { assembler: asm })) got.push(...b);
    expect(got).toHaveLength(60);
    expectBalanced(asm, got);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => new EventAssembler({ maxOpen: 0 })).toThrow(/maxOpen/);
    expect(() => new EventAssembler({ order: 'x' as never })).toThrow(/order/);
    expect(() => new EventAssembler({ reorderWindowMs: -1 })).toThrow(/reorderWindowMs/);
  });
});

describe('invariant under arbitrary input (property)', () => {
  const actions = [
    'ssh_connection', 'ssh_login', 'ssh_auth_failed', 'ssh_invalid_user', 'ssh_connection_closed', 'ssh_connection_reset',
    'ssh_disconnect_received', 'ssh_disconnected', 'ssh_max_auth_exceeded', 'ssh_pam_more_failures', 'ssh_user_child',
    'ssh_timeout', 'ssh_no_identification', 'pam_session_opened', 'pam_session_closed', 'pam_auth_failure', 'pam_other',
    'sudo_command', 'sudo_auth_failure', 'sudo_not_in_sudoers', 'su_session', 'su_failure', 'logind_new_session',
    'logind_removed_session', 'login_failed', 'login_success', 'audit_user_auth', 'audit_user_login', 'audit_user_end',
    'repeat_last', 'unknown', 'user_added', 'ssh_server_stop',
  ];
  const services = [null, 'sshd', 'sudo', 'su', 'login', 'cron', 'systemd-user', 'passwd'];
  const arbRecord = fc.record({
    s: fc.option(fc.integer({ min: 0, max: 4000 }), { freq: 20 }),
    host: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 20 }),
    prog: fc.constantFrom('sshd', 'sshd-session', 'sudo', 'su', 'login', 'systemd-logind', 'CRON', 'audit', 'kernel'),
    pid: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 6 }),
    action: fc.constantFrom(...actions),
    svc: fc.constantFrom(...services),
    user: fc.option(fc.constantFrom('root', 'alice', 'bob', ''), { freq: 4 }),
    port: fc.option(fc.integer({ min: 1, max: 4 }), { freq: 3 }),
    ses: fc.option(fc.constantFrom('1', '2', '3'), { freq: 3 }),
    related: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 3 }),
    repeat: fc.integer({ min: 1, max: 4 }),
    preauth: fc.boolean(),
  });
  it('never throws and every record ends in exactly one event or bucket', () => {
    fc.assert(
      fc.property(
        fc.array(arbRecord, { maxLength: 120 }),
        fc.record({
          reorderWindowMs: fc.constantFrom(0, 2000, 60_000),
          maxOpen: fc.integer({ min: 1, max: 20 }),
          order: fc.constantFrom('completion' as const, 'start' as const),
          emitNoUser: fc.boolean(),
          idleTimeoutMs: fc.constantFrom(1000, 600_000),
          startOrderDelayMs: fc.constantFrom(0, 100_000),
        }),
        fc.integer({ min: 1, max: 50 }),
        (rows, options, batch) => {
          const recs = rows.map((x) =>
            rec(x.s, x.host, x.prog, x.pid, x.action, {
              pamService: x.svc, userName: x.user, sourceIp: x.port === null ? null : IP, sourcePort: x.port,
              sessionId: x.ses, relatedPid: x.related, repeat: x.repeat, preauth: x.preauth,
              userEffectiveName: x.user === null ? null : 'root', count: x.repeat - 1,
            }),
          );
          const { events } = run(recs, options, batch);
          for (const e of events) {
            expect(e.lines).toBeGreaterThan(0);
            expect(e.failures).toBeGreaterThanOrEqual(0);
            if (e.end !== null) expect(e.end).toBeGreaterThanOrEqual(e.timestamp);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('long strings of open logins are copied (no read chunk kept alive)', () => {
  it('detachString keeps the content of short, long and non-ASCII strings', () => {
    const chunk = `x${'é'.repeat(5)} SHA256:/zk0xEHxpusDJ+xHwVCR9dPXh173r+ouqAdeAFDevuC tail`;
    for (const [a, b] of [[0, 5], [1, 6], [7, 57], [0, chunk.length]]) {
      const s = chunk.slice(a, b);
      expect(detachString(s)).toBe(s);
    }
    expect(detachString('')).toBe('');
  });

  it('events of logins open across pushes keep every field (line by line, both output orders)', () => {
    const host = 'bastion-01.example.org';
    const lines = [
      `Mar  2 00:00:15 ${host} sshd[6134]: Accepted publickey for alice from 2001:db8:85a3::8a2e:370:7334 port 56917 ssh2: ED25519 SHA256:/zk0xEHxpusDJ+xHwVCR9dPXh173r+ouqAdeAFDevuC`,
      `Mar  2 00:00:15 ${host} sshd[6134]: pam_unix(sshd:session): session opened for user alice by (uid=0)`,
      `Mar  2 00:01:00 ${host} sudo:    alice : TTY=pts/0 ; PWD=/home/alice/projects/long-directory ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx.service`,
      `Mar  2 00:01:00 ${host} sudo: pam_unix(sudo:session): session opened for user root by alice(uid=1000)`,
      `Mar  2 00:01:01 ${host} sudo: pam_unix(sudo:session): session closed for user root`,
      `Mar  2 00:05:00 ${host} sshd[6134]: pam_unix(sshd:session): session closed for user alice`,
    ];
    for (const order of ['completion', 'start'] as const) {
      const parser = new LineParser({ year: 2026, timezone: 'UTC' });
      const asm = new EventAssembler({ reorderWindowMs: 0, order });
      const events: LoginEvent[] = [];
      // one line per push: every login stays open across pushes, and its strings are copied at each push's end
      for (const line of lines) events.push(...asm.push(parser.parseBatch([line])));
      events.push(...asm.flush());
      expectBalanced(asm, events);
      const ssh = events.find((e) => e.kind === 'ssh_session');
      const sudo = events.find((e) => e.kind === 'sudo');
      expect(ssh).toMatchObject({
        hostName: host,
        userName: 'alice',
        sourceIp: '2001:db8:85a3::8a2e:370:7334',
        sourcePort: 56917,
        sshMethod: 'publickey',
        sshKeyType: 'ED25519',
        sshKeyFingerprint: 'SHA256:/zk0xEHxpusDJ+xHwVCR9dPXh173r+ouqAdeAFDevuC',
        lines: 3,
        endReason: 'disconnect',
      });
      expect(sudo).toMatchObject({
        hostName: host,
        userName: 'alice',
        userEffectiveName: 'root',
        tty: 'pts/0',
        workingDirectory: '/home/alice/projects/long-directory',
        command: '/usr/bin/systemctl restart nginx.service',
        lines: 3,
      });
      // start order holds both events (copied on entry) until the flush, then emits them by start time
      expect(events.map((e) => e.kind)).toEqual(order === 'start' ? ['ssh_session', 'sudo'] : ['sudo', 'ssh_session']);
    }
  });
});
