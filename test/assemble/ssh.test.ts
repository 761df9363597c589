import { describe, expect, it } from 'vitest';
import { H, IP, byTime, rec, run, sshSession, t } from './helpers.js';

describe('sshd sessions', () => {
  it('joins monitor, announced privsep child, PAM and logind lines into one session event', () => {
    const recs = sshSession(0, { pid: 100, child: 105, user: 'alice', port: 5000, ses: '7', announceChild: true });
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e).toMatchObject({
      kind: 'ssh_session', outcome: 'success', action: 'ssh_login', hostName: H, pid: 100, userName: 'alice',
      sourceIp: IP, sourcePort: 5000, sshMethod: 'publickey', sshKeyType: 'ED25519', sshKeyFingerprint: 'SHA256:abc',
      sessionId: '7', tty: 'pts/0', endReason: 'disconnect', failures: 0, incomplete: false, lines: recs.length,
      timestamp: t(0), end: t(60),
    });
  });

  it('links child lines by host + source ip + port when "User child is on pid" is not logged', () => {
    const recs = sshSession(0, { pid: 100, child: 105, user: 'alice', port: 5000, ses: '7' });
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    expect(events[0].lines).toBe(recs.length);
    expect(events[0].endReason).toBe('disconnect');
  });

  it('handles OpenSSH >= 9.8 sshd-session and 10.x sshd-auth program names (preauth lines from another pid)', () => {
    const recs = [
      rec(0, H, 'sshd-session', 200, 'ssh_connection', { sourceIp: IP, sourcePort: 6000 }),
      rec(1, H, 'sshd-auth', 201, 'ssh_auth_failed', { userName: 'bob', sourceIp: IP, sourcePort: 6000, sshMethod: 'password', preauth: true }),
      rec(2, H, 'sshd-session', 200, 'ssh_login', { userName: 'bob', sourceIp: IP, sourcePort: 6000, sshMethod: 'password' }),
      rec(2, H, 'sshd-session', 200, 'pam_session_opened', { pamService: 'sshd', userName: 'bob' }),
      rec(9, H, 'sshd-session', 202, 'ssh_disconnected', { userName: 'bob', sourceIp: IP, sourcePort: 6000 }),
      rec(9, H, 'sshd-session', 200, 'pam_session_closed', { pamService: 'sshd', userName: 'bob' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'ssh_session', userName: 'bob', failures: 1, lines: 6, pid: 200, sshMethod: 'password' });
  });

  it('counts wrong passwords before success (typos) as failures of the session', () => {
    const recs = [
      rec(0, H, 'sshd', 300, 'pam_auth_failure', { pamService: 'sshd', userName: 'carol', sourceIp: IP }),
      rec(2, H, 'sshd', 300, 'ssh_auth_failed', { userName: 'carol', sourceIp: IP, sourcePort: 7000, sshMethod: 'password' }),
      rec(5, H, 'sshd', 300, 'ssh_login', { userName: 'carol', sourceIp: IP, sourcePort: 7000, sshMethod: 'password' }),
      rec(5, H, 'sshd', 300, 'pam_session_opened', { pamService: 'sshd', userName: 'carol' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'ssh_session', failures: 1, endReason: 'open', incomplete: true, end: null, timestamp: t(0) });
  });
});

describe('sshd failed connections', () => {
  it('invalid user with wrong passwords, repeated lines and too many failures is one ssh_failed event', () => {
    const recs = [
      rec(0, H, 'sshd', 400, 'ssh_invalid_user', { userName: 'admin', invalidUser: true, sourceIp: IP, sourcePort: 8000 }),
      rec(0, H, 'sshd', 400, 'pam_user_unknown', { pamService: 'sshd' }),
      rec(0, H, 'sshd', 400, 'pam_auth_failure', { pamService: 'sshd', sourceIp: IP }),
      rec(2, H, 'sshd', 400, 'ssh_auth_failed', { userName: 'admin', invalidUser: true, sourceIp: IP, sourcePort: 8000, sshMethod: 'password' }),
      rec(4, H, 'sshd', 400, 'ssh_auth_failed', { userName: 'admin', invalidUser: true, sourceIp: IP, sourcePort: 8000, sshMethod: 'password', repeat: 4 }),
      rec(6, H, 'sshd', 400, 'ssh_max_auth_exceeded', { userName: 'admin', invalidUser: true, sourceIp: IP, sourcePort: 8000, preauth: true }),
      rec(6, H, 'sshd', 400, 'ssh_disconnected', { preauth: true, sourceIp: IP, sourcePort: 8000 }),
      rec(6, H, 'sshd', 400, 'ssh_pam_more_failures', { pamService: null, count: 5, sourceIp: IP, userName: null }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'ssh_failed', outcome: 'failure', action: 'ssh_failed_login', userName: 'admin', invalidUser: true, failures: 6,
      reason: 'too many authentication failures', endReason: 'closed', pid: 400, lines: 8, timestamp: t(0), end: t(6),
    });
  });

  it('"last message repeated N times" after a failure adds N failures', () => {
    const recs = [
      rec(0, H, 'sshd', 401, 'ssh_auth_failed', { userName: 'root', sourceIp: IP, sourcePort: 8001, sshMethod: 'password' }),
      rec(1, H, null, null, 'repeat_last', { repeat: 2 }),
      rec(3, H, 'sshd', 401, 'ssh_connection_closed', { sourceIp: IP, sourcePort: 8001, preauth: true }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'ssh_failed', failures: 3, lines: 3, userName: 'root', reason: 'authentication failed' });
  });

  it('"last message repeated" after an unrelated line does not add failures to a login', () => {
    const recs = [
      rec(0, H, 'sshd', 401, 'ssh_auth_failed', { userName: 'root', sourceIp: IP, sourcePort: 8001, sshMethod: 'password' }),
      rec(0, H, 'kernel', null, 'unknown'),
      rec(1, H, null, null, 'repeat_last', { repeat: 5 }),
      rec(3, H, 'sshd', 401, 'ssh_connection_closed', { sourceIp: IP, sourcePort: 8001, preauth: true }),
    ];
    const { events, asm } = run(recs, {}, 1);
    expect(events).toMatchObject([{ kind: 'ssh_failed', failures: 1, lines: 2 }]);
    expect(asm.counters.ignoredByReason.orphan).toBe(1);
  });

  it('a connection closed at preauth by an authenticating user is a failed connection', () => {
    const recs = [rec(0, H, 'sshd', 402, 'ssh_connection_closed', { userName: 'dave', sourceIp: IP, sourcePort: 1, preauth: true })];
    const { events } = run(recs);
    expect(events).toMatchObject([{ kind: 'ssh_failed', userName: 'dave', failures: 0, reason: 'closed before authentication', endReason: 'closed' }]);
  });

  it('user refused (AllowUsers) keeps the refusal reason', () => {
    const recs = [
      rec(0, H, 'sshd', 403, 'ssh_user_refused', { userName: 'eve', sourceIp: IP, reason: 'not listed in AllowUsers' }),
      rec(0, H, 'sshd', 403, 'ssh_auth_failed', { userName: 'eve', sourceIp: IP, sourcePort: 9, sshMethod: 'password' }),
      rec(1, H, 'sshd', 403, 'ssh_connection_reset', { userName: 'eve', sourceIp: IP, sourcePort: 9, preauth: true }),
    ];
    const { events } = run(recs);
    expect(events).toMatchObject([{ kind: 'ssh_failed', reason: 'not listed in AllowUsers', endReason: 'reset', failures: 1 }]);
  });

  it('connections that never name a user are counted, and emitted only with emitNoUser', () => {
    const recs = [
      rec(0, H, 'sshd', 500, 'ssh_connection', { sourceIp: IP, sourcePort: 1 }),
      rec(0, H, 'sshd', 500, 'ssh_no_identification', { sourceIp: IP, sourcePort: 1 }),
      rec(1, H, 'sshd', 501, 'ssh_negotiation_failed', { sourceIp: IP, sourcePort: 2, reason: 'no matching key exchange method found' }),
      rec(2, H, 'sshd', 502, 'ssh_connection_closed', { sourceIp: IP, sourcePort: 3, preauth: true }),
    ];
    const a = run(recs);
    expect(a.events).toHaveLength(0);
    expect(a.asm.counters.noUserConnections).toBe(3);
    expect(a.asm.counters.ignoredByReason['no-user-connection']).toBe(4);
    const b = run(recs, { emitNoUser: true });
    expect(b.events.map((e) => e.kind)).toEqual(['ssh_no_user', 'ssh_no_user', 'ssh_no_user']);
    expect(b.events[1].reason).toBe('no matching key exchange method found');
    expect(b.asm.counters.noUserConnections).toBe(3);
  });
});

describe('many concurrent connections from one source', () => {
  it('keeps 50 interleaved sessions from one ip apart by port', () => {
    const all = [];
    for (let i = 0; i < 50; i++) {
      all.push(...sshSession(i % 7, { pid: 1000 + i * 3, child: 1001 + i * 3, user: `u${i % 5}`, port: 40000 + i, ses: String(100 + i) }));
    }
    const { events } = run(byTime(all), {}, 17);
    expect(events).toHaveLength(50);
    for (const e of events) {
      expect(e.kind).toBe('ssh_session');
      expect(e.lines).toBe(9);
      expect(e.incomplete).toBe(false);
      expect(e.sourcePort! - 40000).toBe((e.pid! - 1000) / 3);
      expect(e.userName).toBe(`u${((e.pid! - 1000) / 3) % 5}`);
    }
    // every logind session was joined to some session of the right user
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(50);
  });
});

describe('systemd-logind join by host + user + time', () => {
  it('joins each New session to the closest login of that user, never to another user or host', () => {
    const recs = [
      rec(0, H, 'sshd', 10, 'ssh_login', { userName: 'alice', sourceIp: IP, sourcePort: 1 }),
      rec(0, 'other-host', 'sshd', 10, 'ssh_login', { userName: 'alice', sourceIp: IP, sourcePort: 1 }),
      rec(0, H, 'systemd-logind', 900, 'logind_new_session', { sessionId: '1', userName: 'alice' }),
      rec(3, H, 'sshd', 20, 'ssh_login', { userName: 'alice', sourceIp: IP, sourcePort: 2 }),
      rec(3, H, 'sshd', 30, 'ssh_login', { userName: 'bob', sourceIp: IP, sourcePort: 3 }),
      rec(4, H, 'systemd-logind', 900, 'logind_new_session', { sessionId: '3', userName: 'bob' }),
      rec(4, H, 'systemd-logind', 900, 'logind_new_session', { sessionId: '2', userName: 'alice' }),
      // far too late for any login: not joined
      rec(100, H, 'systemd-logind', 900, 'logind_new_session', { sessionId: '9', userName: 'alice' }),
      rec(200, H, 'systemd-logind', 900, 'logind_removed_session', { sessionId: '2' }),
    ];
    const { events, asm } = run(recs);
    const by = (host: string, pid: number) => events.find((e) => e.hostName === host && e.pid === pid)!;
    expect(by(H, 10).sessionId).toBe('1');
    expect(by(H, 20).sessionId).toBe('2');
    expect(by(H, 30).sessionId).toBe('3');
    expect(by('other-host', 10).sessionId).toBeNull();
    expect(by(H, 20)).toMatchObject({ endReason: 'disconnect', end: t(200), lines: 3 });
    expect(asm.counters.ignoredByReason.orphan).toBe(1);
  });
});

describe('endpoint links with colliding source ports', () => {
  it('keeps child lines of concurrent sessions from different addresses with the same source port apart', () => {
    const a = sshSession(0, { pid: 100, child: 101, user: 'yusuf', ip: '10.30.29.143', port: 33720, ses: '1' });
    const b = sshSession(10, { pid: 200, child: 201, user: 'nagios', ip: '10.1.0.3', port: 33720, ses: '2' });
    // b ends long before a: a's child lines must still find a
    const late = a.slice(5).map((r) => ({ ...r, timestamp: r.timestamp! + 3600_000 }));
    const { events, asm } = run(byTime([...a.slice(0, 5), ...b, ...late]));
    expect(events).toHaveLength(2);
    for (const e of events) expect(e).toMatchObject({ lines: 9, incomplete: false, endReason: 'disconnect' });
    expect(asm.counters.ignoredByReason.orphan).toBe(0);
  });
});

describe('privsep child timeout without pid announcement or endpoint', () => {
  it('"Timeout, client not responding." is claimed by the PAM close that follows it', () => {
    const recs = sshSession(0, { pid: 100, child: 101, user: 'alice', port: 5000, ses: '7' });
    // replace the two disconnect lines by the child's bare timeout line
    const timeout = rec(60, H, 'sshd', 101, 'ssh_timeout', {});
    const lines = [...recs.slice(0, 5), timeout, ...recs.slice(7)];
    const { events, asm } = run(lines);
    expect(events).toMatchObject([{ kind: 'ssh_session', endReason: 'timeout', lines: 8, incomplete: false }]);
    expect(asm.counters.ignoredByReason.orphan).toBe(0);
    // with no PAM close following, the held line is an orphan after the linger
    const alone = run([rec(0, H, 'sshd', 7, 'ssh_timeout', {}), rec(30, H, 'CRON', 1, 'unknown')]);
    expect(alone.asm.counters.ignoredByReason.orphan).toBe(1);
  });
});
