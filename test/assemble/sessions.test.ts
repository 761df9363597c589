import { describe, expect, it } from 'vitest';
import { H, IP, rec, run, t } from './helpers.js';

describe('sudo', () => {
  it('merges pid-less Debian pam_unix(sudo:session) lines into the sudo invocation (FIFO by target user)', () => {
    const recs = [
      rec(0, H, 'sudo', null, 'sudo_command', { userName: 'ubuntu', userEffectiveName: 'root', tty: 'pts/0', workingDirectory: '/home/ubuntu', command: '/usr/bin/vim /etc/x' }),
      rec(0, H, 'sudo', null, 'pam_session_opened', { pamService: 'sudo', userName: 'root' }),
      rec(1, H, 'sudo', null, 'sudo_command', { userName: 'ubuntu', userEffectiveName: 'root', tty: 'pts/1', workingDirectory: '/', command: '/bin/ls' }),
      rec(1, H, 'sudo', null, 'pam_session_opened', { pamService: 'sudo', userName: 'root' }),
      rec(2, H, 'sudo', null, 'pam_session_closed', { pamService: 'sudo', userName: 'root' }),
      rec(300, H, 'sudo', null, 'pam_session_closed', { pamService: 'sudo', userName: 'root' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      kind: 'sudo', action: 'sudo', outcome: 'success', userName: 'ubuntu', userEffectiveName: 'root', tty: 'pts/0',
      workingDirectory: '/home/ubuntu', command: '/usr/bin/vim /etc/x', lines: 3, timestamp: t(0), end: t(2), endReason: null, pid: null,
    });
    expect(events[1]).toMatchObject({ command: '/bin/ls', lines: 3, end: t(300) });
  });

  it('joins by pid when sudo logs one, and counts incorrect password attempts', () => {
    const recs = [
      rec(0, H, 'sudo', 77, 'pam_auth_failure', { pamService: 'sudo', userName: 'bob', tty: '/dev/pts/2' }),
      rec(5, H, 'sudo', 77, 'sudo_command', { userName: 'bob', userEffectiveName: 'root', tty: 'pts/2', workingDirectory: '/', command: '/bin/id', count: 1 }),
      rec(5, H, 'sudo', 77, 'pam_session_opened', { pamService: 'sudo', userName: 'root' }),
      rec(6, H, 'sudo', 77, 'pam_session_closed', { pamService: 'sudo', userName: 'root' }),
    ];
    const { events } = run(recs);
    expect(events).toMatchObject([{ kind: 'sudo', outcome: 'success', pid: 77, failures: 1, lines: 4, timestamp: t(0), command: '/bin/id' }]);
  });

  it('sudo without PAM session lines is emitted after the linger', () => {
    const { events, asm } = run([rec(0, H, 'sudo', null, 'sudo_command', { userName: 'a', userEffectiveName: 'root', command: '/bin/true' })], { lingerMs: 1000 });
    expect(events).toMatchObject([{ kind: 'sudo', outcome: 'success', lines: 1, incomplete: false }]);
    expect(asm.counters.eventsByKind.sudo).toBe(1);
  });

  it('NOT in sudoers and 3 incorrect password attempts are failed sudo events (pam auth lines merged)', () => {
    const recs = [
      rec(0, H, 'sudo', null, 'sudo_not_in_sudoers', { userName: 'mallory', userEffectiveName: 'root', tty: 'pts/3', command: '/bin/bash' }),
      rec(10, H, 'sudo', null, 'pam_auth_failure', { pamService: 'sudo', userName: 'bob' }),
      rec(12, H, 'sudo', null, 'pam_auth_failure', { pamService: 'sudo', userName: 'bob', repeat: 2 }),
      rec(15, H, 'sudo', null, 'sudo_auth_failure', { userName: 'bob', userEffectiveName: 'root', count: 3, command: '/bin/sh' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'sudo', outcome: 'failure', reason: 'NOT in sudoers', userName: 'mallory', lines: 1 });
    expect(events[1]).toMatchObject({ kind: 'sudo', outcome: 'failure', reason: 'incorrect password attempts', userName: 'bob', failures: 3, lines: 3, timestamp: t(10) });
  });
});

describe('su', () => {
  it('Debian form: Successful su + "+ tty" + PAM session by pid', () => {
    const recs = [
      rec(0, H, 'su', 3537, 'su_session', { userName: 'alice', userEffectiveName: 'root' }),
      rec(0, H, 'su', 3537, 'su_session', { userName: 'alice', userEffectiveName: 'root', tty: '/dev/pts/0' }),
      rec(0, H, 'su', 3537, 'pam_session_opened', { pamService: 'su', userName: 'root' }),
      rec(0, H, 'su', 3537, 'pam_other', { pamService: 'su' }),
      rec(42, H, 'su', 3537, 'pam_session_closed', { pamService: 'su', userName: 'root' }),
    ];
    const { events } = run(recs);
    expect(events).toMatchObject([{ kind: 'su', action: 'su', outcome: 'success', userName: 'alice', userEffectiveName: 'root', tty: '/dev/pts/0', lines: 5, end: t(42), endReason: 'disconnect', pid: 3537 }]);
  });

  it('RHEL form: "(to root) alice on pts/1" and su-l PAM lines; failure form', () => {
    const recs = [
      rec(0, H, 'su', 10, 'su_session', { userName: 'alice', userEffectiveName: 'root', tty: 'pts/1' }),
      rec(0, H, 'su', 10, 'pam_session_opened', { pamService: 'su-l', userName: 'root' }),
      rec(5, H, 'su', 11, 'pam_auth_failure', { pamService: 'su-l', userName: 'root' }),
      rec(7, H, 'su', 11, 'su_failure', { userName: 'bob', userEffectiveName: 'root', tty: 'pts/2' }),
      rec(9, H, 'su', 10, 'pam_session_closed', { pamService: 'su-l', userName: 'root' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(2);
    const ok = events.find((e) => e.pid === 10)!;
    const bad = events.find((e) => e.pid === 11)!;
    expect(ok).toMatchObject({ outcome: 'success', userName: 'alice', lines: 3 });
    expect(bad).toMatchObject({ outcome: 'failure', userName: 'bob', userEffectiveName: 'root', failures: 1, lines: 2, endReason: 'closed' });
  });
});

describe('console login, logind, auditd, cron', () => {
  it('console login with a failed attempt, then success, joined to its logind session', () => {
    const recs = [
      rec(0, H, 'login', 600, 'pam_auth_failure', { pamService: 'login', userName: 'root', tty: 'tty1' }),
      rec(2, H, 'login', 600, 'login_failed', { userName: 'root', tty: 'tty1', count: 1 }),
      rec(20, H, 'login', 600, 'pam_session_opened', { pamService: 'login', userName: 'root' }),
      rec(20, H, 'systemd-logind', 900, 'logind_new_session', { sessionId: 'c1', userName: 'root' }),
      rec(20, H, 'login', 600, 'login_root', { userName: 'root', tty: 'tty1' }),
      rec(90, H, 'login', 600, 'pam_session_closed', { pamService: 'login', userName: 'root' }),
      rec(90, H, 'systemd-logind', 900, 'logind_removed_session', { sessionId: 'c1' }),
    ];
    const { events } = run(recs);
    expect(events).toMatchObject([{ kind: 'console', action: 'console_login', outcome: 'success', userName: 'root', failures: 1, sessionId: 'c1', lines: 7, tty: 'tty1', end: t(90) }]);
  });

  it('auditd records of one login transaction are joined by pid / ses', () => {
    const a = (s: number, action: string, f: object) => rec(s, H, 'audit', null, action, { relatedPid: 4242, auditSerial: 100 + s, ...f });
    const recs = [
      a(0, 'audit_user_auth', { userName: 'alice', sourceIp: IP, outcome: 'success' }),
      a(0, 'audit_user_acct', { userName: 'alice', outcome: 'success' }),
      a(0, 'audit_cred_acq', { userName: 'alice', outcome: 'success' }),
      a(1, 'audit_user_login', { userName: 'alice', sessionId: '12', outcome: 'success' }),
      a(1, 'audit_user_start', { userName: 'alice', sessionId: '12', outcome: 'success' }),
      a(50, 'audit_user_end', { userName: 'alice', sessionId: '12', outcome: 'success' }),
      a(50, 'audit_cred_disp', { userName: 'alice', sessionId: '12', outcome: 'success' }),
      rec(60, H, 'audit', null, 'audit_user_auth', { relatedPid: 5000, auditSerial: 300, userName: 'root', sourceIp: IP, outcome: 'failure' }),
    ];
    const { events } = run(recs);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'audit', outcome: 'success', userName: 'alice', sessionId: '12', pid: 4242, lines: 7, sourceIp: IP });
    expect(events[1]).toMatchObject({ kind: 'audit', outcome: 'failure', failures: 1, userName: 'root' });
  });

  it('CRON and systemd-user PAM sessions, unrelated programs and unknown lines are counted, never emitted', () => {
    const recs = [
      rec(0, H, 'CRON', 1, 'pam_session_opened', { pamService: 'cron', userName: 'root' }),
      rec(0, H, 'CRON', 1, 'unknown'),
      rec(0, H, 'CRON', 1, 'pam_session_closed', { pamService: 'cron', userName: 'root' }),
      rec(1, H, 'systemd', null, 'pam_session_opened', { pamService: 'systemd-user', userName: 'alice' }),
      rec(2, H, 'useradd', 5, 'user_added', { userName: 'x' }),
      rec(3, H, 'kernel', null, 'unknown'),
      rec(3, H, 'sshd', 77, 'unknown'),
      rec(4, H, 'systemd-logind', 900, 'logind_removed_session', { sessionId: '99' }),
      rec(4, H, 'sshd', 1, 'ssh_server_start'),
    ];
    const { events, asm } = run(recs);
    expect(events).toHaveLength(0);
    expect(asm.counters.ignoredByReason).toMatchObject({ cron: 3, 'systemd-user': 1, unrelated: 2, unknown: 1, orphan: 1, server: 1 });
  });

  it('records with null timestamps or hosts are counted, not fatal', () => {
    const recs = [rec(null, H, 'sshd', 1, 'ssh_login', { userName: 'a' }), rec(0, null, 'sshd', 1, 'ssh_login', { userName: 'a' })];
    const { events, asm } = run(recs);
    expect(events).toHaveLength(0);
    expect(asm.counters.ignoredByReason['no-timestamp']).toBe(1);
    expect(asm.counters.ignoredByReason['no-host']).toBe(1);
  });
});
