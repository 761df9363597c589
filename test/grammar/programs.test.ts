import { describe, it, expect } from 'vitest';
import { fields, msg, p } from './helpers.js';

describe('sudo', () => {
  it('command lines with and without pid, TTY optional, TSID, COMMAND keeps semicolons', () => {
    expect(fields(msg('sudo', ' vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls', null))).toEqual({
      processName: 'sudo', action: 'sudo_command', outcome: 'success', userName: 'vagrant', userEffectiveName: 'root', tty: 'pts/0', workingDirectory: '/home/vagrant', command: '/bin/ls',
    });
    expect(msg('sudo', 'alice : PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id', 18432)).toMatchObject({ processPid: 18432, tty: null, command: '/usr/bin/id' });
    expect(msg('sudo', 'alice : TSID=000001 ; TTY=pts/1 ; PWD=/ ; USER=postgres ; COMMAND=/bin/sh -c a; b ; c')).toMatchObject({
      sessionId: '000001', userEffectiveName: 'postgres', command: '/bin/sh -c a; b ; c',
    });
  });
  it('failures: incorrect password attempts, NOT in sudoers', () => {
    expect(fields(msg('sudo', 'alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', null))).toEqual({
      processName: 'sudo', action: 'sudo_auth_failure', outcome: 'failure', userName: 'alice', userEffectiveName: 'root', tty: 'pts/1', workingDirectory: '/home/alice',
      command: '/bin/bash', count: 3, reason: '3 incorrect password attempts',
    });
    expect(msg('sudo', 'tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls', null)).toMatchObject({
      action: 'sudo_not_in_sudoers', outcome: 'failure', userName: 'tsg', reason: 'user NOT in sudoers',
    });
    expect(msg('sudo', 'unable to resolve host web-03', null).action).toBe('unknown');
  });
});

describe('su', () => {
  it('Debian and RHEL forms', () => {
    expect(fields(msg('su', '(to root) alice on pts/1'))).toEqual({ processName: 'su', processPid: 100, action: 'su_session', outcome: 'success', userName: 'alice', userEffectiveName: 'root', tty: 'pts/1' });
    expect(msg('su', 'FAILED SU (to root) alice on pts/1')).toMatchObject({ action: 'su_failure', outcome: 'failure', userName: 'alice', userEffectiveName: 'root' });
    expect(msg('su', 'Successful su for root by root')).toMatchObject({ action: 'su_session', userName: 'root', userEffectiveName: 'root' });
    expect(msg('su', 'FAILED su for postgres by bob')).toMatchObject({ action: 'su_failure', userName: 'bob', userEffectiveName: 'postgres' });
    expect(msg('su', '+ /dev/pts/0 root:root')).toMatchObject({ action: 'su_session', tty: '/dev/pts/0', userName: 'root', userEffectiveName: 'root' });
    expect(msg('su', '- pts/1 alice:root')).toMatchObject({ action: 'su_failure', userName: 'alice' });
    expect(msg('su', 'pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/1 ruser=alice rhost=  user=root')).toMatchObject({
      action: 'pam_auth_failure', userName: 'root', pamService: 'su',
    });
  });
});

describe('systemd-logind', () => {
  it('New session, logged out, Removed session', () => {
    expect(fields(msg('systemd-logind', 'New session 42 of user alice.'))).toEqual({ processName: 'systemd-logind', processPid: 100, action: 'logind_new_session', sessionId: '42', userName: 'alice' });
    expect(msg('systemd-logind', 'New session c1 of user lightdm.')).toMatchObject({ sessionId: 'c1', userName: 'lightdm' });
    expect(msg('systemd-logind', 'Session 42 logged out. Waiting for processes to exit.')).toMatchObject({ action: 'logind_session_logged_out', sessionId: '42' });
    expect(msg('systemd-logind', 'Removed session 42.')).toMatchObject({ action: 'logind_removed_session', sessionId: '42' });
    expect(msg('systemd-logind', 'Watching system buttons on /dev/input/event0').action).toBe('unknown');
  });
});

describe('login', () => {
  it('FAILED LOGIN, ROOT LOGIN, LOGIN ON', () => {
    expect(fields(msg('login', "FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure"))).toEqual({
      processName: 'login', processPid: 100, action: 'login_failed', outcome: 'failure', userName: 'root', tty: 'tty1', reason: 'Authentication failure',
    });
    expect(msg('login', 'FAILED LOGIN 1 FROM 10.0.0.8 FOR bob, Authentication failure')).toMatchObject({ userName: 'bob', sourceIp: '10.0.0.8' });
    expect(msg('login', "ROOT LOGIN  on '/dev/tty1'")).toMatchObject({ action: 'login_root', userName: 'root', tty: 'tty1' });
    expect(msg('login', 'LOGIN ON tty2 BY alice')).toMatchObject({ action: 'login_success', userName: 'alice', tty: 'tty2' });
  });
});

describe('account management', () => {
  it('useradd, groupadd, usermod, userdel, passwd, chpasswd', () => {
    expect(fields(msg('useradd', 'new user: name=apache, UID=48, GID=48, home=/usr/share/httpd, shell=/sbin/nologin'))).toEqual({
      processName: 'useradd', processPid: 100, action: 'user_added', outcome: 'success', userName: 'apache', userId: 48,
      labels: { 'group.id': '48', 'user.home': '/usr/share/httpd', 'user.shell': '/sbin/nologin' },
    });
    expect(msg('groupadd', 'new group: name=apache, GID=48')).toMatchObject({ action: 'group_added', labels: { 'group.name': 'apache', 'group.id': '48' }, userName: null });
    expect(msg('groupadd', 'group added to /etc/group: name=tsg, GID=1003')).toMatchObject({ action: 'group_added', labels: { 'group.name': 'tsg', 'group.id': '1003' } });
    expect(msg('useradd', "failed adding user 'aol', exit code: 4")).toMatchObject({ action: 'user_added', outcome: 'failure', userName: 'aol', reason: 'exit code: 4' });
    expect(msg('userdel', "delete user 'jce'")).toMatchObject({ action: 'user_deleted', userName: 'jce' });
    expect(msg('usermod', "change user 'acris' expiration from '2001-01-01' to '2243-10-16'")).toMatchObject({ action: 'user_modified', userName: 'acris' });
    expect(msg('usermod', "add 'bob' to group 'sudo'")).toMatchObject({ action: 'user_modified', userName: 'bob', labels: { 'group.name': 'sudo' } });
    expect(msg('passwd', "password for 'bob' changed by 'root'")).toMatchObject({ action: 'password_changed', userName: 'bob', outcome: 'success' });
    expect(msg('chpasswd', 'pam_unix(chpasswd:chauthtok): password changed for elastic_user_0')).toMatchObject({ action: 'pam_password_changed', userName: 'elastic_user_0' });
    expect(msg('chfn', "changed user 'tsg' information")).toMatchObject({ action: 'user_modified', userName: 'tsg' });
  });
});

describe('auditd', () => {
  const body = `pid=1234 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct="alice" exe="/usr/sbin/sshd" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=failed'`;
  it('raw audit.log lines (auditd envelope)', () => {
    const r = p(`type=USER_AUTH msg=audit(1700000000.123:456): ${body}`);
    expect(r).toMatchObject({
      envelope: 'auditd', timestamp: 1700000000123, action: 'audit_user_auth', auditSerial: 456, userName: 'alice', sourceIp: '1.2.3.4',
      tty: 'ssh', outcome: 'failure', processName: 'sshd', processPid: 1234, relatedPid: 1234, sessionId: null, reason: 'PAM:authentication', malformed: null,
    });
    const n = p(`node=web-03 type=USER_LOGIN msg=audit(1700000001.5:457): pid=9 uid=0 auid=1001 ses=7 msg='op=login id=1001 exe="/usr/sbin/sshd" hostname=? addr=10.0.0.5 terminal=/dev/pts/0 res=success'`);
    expect(n).toMatchObject({ hostName: 'web-03', action: 'audit_user_login', timestamp: 1700000001500, sessionId: '7', sourceIp: '10.0.0.5', outcome: 'success' });
  });
  it('with a syslog envelope, kernel numeric form, hex-encoded acct and cmd', () => {
    const r = msg('audispd', `node=h1 type=CRED_ACQ msg=audit(1700000000.000:9): ${body}`);
    expect(r).toMatchObject({ action: 'audit_cred_acq', auditSerial: 9, processName: 'audispd', timestamp: Date.UTC(2026, 2, 4, 9, 15, 2) });
    expect(msg('kernel', `audit: type=1100 audit(1700000000.000:10): ${body}`)).toMatchObject({ action: 'audit_user_auth', auditSerial: 10 });
    expect(p(`type=USER_CMD msg=audit(1.0:1): pid=1 uid=1001 auid=1001 ses=3 msg='cwd="/" cmd=6C73202D6C terminal=pts/0 res=success'`)).toMatchObject({
      action: 'audit_user_cmd', command: 'ls -l', sessionId: '3',
    });
    expect(p(`type=USER_AUTH msg=audit(1.0:2): pid=1 uid=0 msg='op=PAM:authentication acct=61646D696E2066726F6D20362E362E362E36 exe="/usr/sbin/sshd" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=failed'`)).toMatchObject({
      userName: 'admin from 6.6.6.6', sourceIp: '1.2.3.4',
    });
    expect(p('type=SYSCALL msg=audit(1.0:3): arch=c000003e syscall=59 success=yes')).toMatchObject({ action: 'audit_other', auditSerial: 3 });
    const j = p(JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000000000', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'audit', _TRANSPORT: 'audit', MESSAGE: `USER_LOGIN ${body}` }));
    expect(j).toMatchObject({ envelope: 'journald-json', action: 'audit_user_login', userName: 'alice', sourceIp: '1.2.3.4', outcome: 'failure', relatedPid: 1234 });
  });
});
