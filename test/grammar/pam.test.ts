import { describe, it, expect } from 'vitest';
import { fields, msg, p } from './helpers.js';

describe('PAM messages', () => {
  it('pam_unix session opened: by (uid=0) and by alice(uid=1001) and for user alice(uid=1001)', () => {
    expect(fields(msg('sshd', 'pam_unix(sshd:session): session opened for user test by (uid=0)'))).toEqual({
      processName: 'sshd', processPid: 100, action: 'pam_session_opened', outcome: 'success', userName: 'test', pamService: 'sshd',
    });
    expect(fields(msg('sudo', 'pam_unix(sudo:session): session opened for user root by vagrant(uid=1000)', null))).toEqual({
      processName: 'sudo', action: 'pam_session_opened', outcome: 'success', userName: 'root', pamService: 'sudo',
    });
    expect(msg('sshd-session', 'pam_unix(sshd:session): session opened for user alice(uid=1001) by alice(uid=0)')).toMatchObject({
      action: 'pam_session_opened', userName: 'alice', userId: 1001, pamService: 'sshd',
    });
    expect(msg('systemd', 'pam_unix(systemd-user:session): session opened for user alice(uid=1001) by (uid=0)')).toMatchObject({
      pamService: 'systemd-user', userName: 'alice', userId: 1001,
    });
    expect(msg('CRON', 'pam_unix(cron:session): session closed for user root')).toMatchObject({ action: 'pam_session_closed', userName: 'root', pamService: 'cron' });
  });

  it('authentication failure with logname= uid= euid= tty= ruser= rhost= user=', () => {
    expect(fields(msg('sshd', 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.5  user=admin'))).toEqual({
      processName: 'sshd', processPid: 100, action: 'pam_auth_failure', outcome: 'failure', userName: 'admin', sourceIp: '10.0.0.5', tty: 'ssh', pamService: 'sshd',
    });
    expect(msg('sudo', 'pam_unix(sudo:auth): authentication failure; logname=jsmith uid=1001 euid=0 tty=/dev/pts/0 ruser=jsmith rhost=  user=jsmith', null)).toMatchObject({
      userName: 'jsmith', tty: '/dev/pts/0', sourceIp: null, sourceDomain: null, pamService: 'sudo',
    });
    expect(msg('sshd', 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.168.1.100')).toMatchObject({ userName: null, sourceIp: '192.168.1.100' });
    expect(msg('sshd', 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=x rhost=6.6.6.6').sourceIp).toBe('1.2.3.4');
  });

  it('old sshd(pam_unix)[pid] program form', () => {
    const r = p('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ');
    expect(fields(r)).toEqual({ processName: 'sshd', processPid: 19939, action: 'pam_auth_failure', outcome: 'failure', sourceIp: '218.188.2.4', tty: 'NODEVssh', pamService: 'sshd' });
    expect(p('Jun 15 02:04:59 combo sshd(pam_unix)[20882]: check pass; user unknown')).toMatchObject({ action: 'pam_user_unknown', processName: 'sshd' });
    expect(p('Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)')).toMatchObject({ action: 'pam_session_opened', userName: 'cyrus', pamService: 'su' });
    expect(p('Jun 14 15:16:01 combo sshd(pam_unix)[1]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=n219076184117.netvigator.com  user=root')).toMatchObject({
      sourceDomain: 'n219076184117.netvigator.com', sourceIp: null, userName: 'root',
    });
  });

  it('faillock, succeed_if, sss, chauthtok, unix_chkpwd, check pass', () => {
    expect(msg('sshd', 'pam_faillock(sshd:auth): Consecutive login failures for user test account temporarily locked')).toMatchObject({
      action: 'pam_faillock', outcome: 'failure', userName: 'test', pamService: 'sshd',
    });
    expect(msg('sshd', 'pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"')).toMatchObject({
      action: 'pam_requirement_not_met', userName: 'root', reason: 'uid >= 1000',
    });
    expect(msg('sshd', 'pam_sss(sshd:auth): authentication success; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.0.5 user=alice')).toMatchObject({
      action: 'pam_auth_success', outcome: 'success', userName: 'alice', sourceIp: '10.0.0.5',
    });
    expect(msg('sshd', 'pam_sss(sshd:auth): received for user alice: 7 (Authentication failure)')).toMatchObject({ action: 'pam_other', userName: 'alice', outcome: 'failure' });
    expect(msg('passwd', 'pam_unix(passwd:chauthtok): password changed for jsmith')).toMatchObject({ action: 'pam_password_changed', userName: 'jsmith', pamService: 'passwd' });
    expect(msg('unix_chkpwd', 'password check failed for user (testuser)')).toMatchObject({ action: 'pam_password_check_failed', userName: 'testuser', outcome: 'failure' });
    expect(msg('sshd', 'pam_unix(sshd:auth): check pass; user unknown')).toMatchObject({ action: 'pam_user_unknown', outcome: 'failure' });
    expect(msg('sshd', 'pam_systemd(sshd:session): Failed to create session: x')).toMatchObject({ action: 'pam_other', pamService: 'sshd' });
    expect(msg('sudo', 'pam_unix(sudo:auth): auth could not identify password for [alice]', null)).toMatchObject({ action: 'pam_other', userName: 'alice', outcome: 'failure' });
    expect(msg('sshd', 'pam_unix(sshd:auth): bad username [x y]')).toMatchObject({ action: 'pam_other', userName: 'x y', outcome: 'failure' });
  });
});
