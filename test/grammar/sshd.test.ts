import { describe, it, expect } from 'vitest';
import { fields, msg } from './helpers.js';

const base = { processName: 'sshd', processPid: 100 };

describe('sshd messages', () => {
  it('Accepted password / publickey with SHA256 and MD5 fingerprints', () => {
    expect(fields(msg('sshd', 'Accepted password for alice from 192.168.33.1 port 58803 ssh2'))).toEqual({
      ...base, action: 'ssh_login', outcome: 'success', userName: 'alice', sourceIp: '192.168.33.1', sourcePort: 58803, sshMethod: 'password',
    });
    expect(fields(msg('sshd', 'Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84'))).toEqual({
      ...base, action: 'ssh_login', outcome: 'success', userName: 'vagrant', sourceIp: '10.0.2.2', sourcePort: 63673, sshMethod: 'publickey',
      sshKeyType: 'RSA', sshKeyFingerprint: '39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84',
    });
    const r = msg('sshd-session', 'Accepted publickey for bob from 2001:db8::7 port 40022 ssh2: ED25519 SHA256:Ab/cd+EF0123456789abcdefghijklmnopqrstuvwxy');
    expect(r.processName).toBe('sshd-session');
    expect(r.sourceIp).toBe('2001:db8::7');
    expect(r.sshKeyType).toBe('ED25519');
    expect(r.sshKeyFingerprint).toBe('SHA256:Ab/cd+EF0123456789abcdefghijklmnopqrstuvwxy');
    const c = msg('sshd', 'Accepted publickey for carol from 10.1.1.1 port 1 ssh2: ED25519-CERT SHA256:xyz ID carol@corp (serial 7) CA ED25519 SHA256:ca');
    expect([c.sshKeyType, c.sshKeyFingerprint]).toEqual(['ED25519-CERT', 'SHA256:xyz']);
    expect(msg('sshd-auth', 'Accepted keyboard-interactive/pam for dave from 10.0.0.9 port 2222 ssh2').sshMethod).toBe('keyboard-interactive/pam');
    expect(msg('sshd', 'Accepted hostbased for eve from 10.0.0.9 port 2222 ssh2').sshMethod).toBe('hostbased');
  });

  it('Failed methods incl. invalid user and none', () => {
    expect(fields(msg('sshd', 'Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2'))).toEqual({
      ...base, action: 'ssh_auth_failed', outcome: 'failure', userName: 'webmaster', invalidUser: true, sourceIp: '173.234.31.186', sourcePort: 38926, sshMethod: 'password',
    });
    expect(fields(msg('sshd', 'Failed none for invalid user admin from 5.36.59.76 port 42393 ssh2'))).toMatchObject({ sshMethod: 'none', userName: 'admin', invalidUser: true });
    expect(fields(msg('sshd', 'Failed publickey for root from 1.2.3.4 port 5 ssh2: RSA SHA256:zz'))).toMatchObject({ sshMethod: 'publickey', sshKeyType: 'RSA', sshKeyFingerprint: 'SHA256:zz', userName: 'root' });
    expect(msg('sshd', 'Failed keyboard-interactive/pam for root from 1.2.3.4 port 5 ssh2').outcome).toBe('failure');
    expect(msg('sshd', 'Failed hostbased for root from 1.2.3.4 port 5 ssh2').sshMethod).toBe('hostbased');
  });

  it('Invalid user, with and without port; attacker text never moves the address', () => {
    expect(fields(msg('sshd', 'Invalid user test from 10.0.2.2'))).toEqual({
      ...base, action: 'ssh_invalid_user', outcome: 'failure', userName: 'test', invalidUser: true, sourceIp: '10.0.2.2',
    });
    expect(fields(msg('sshd', 'Invalid user admin from 6.6.6.6 port 22 from 1.2.3.4 port 5555'))).toMatchObject({
      userName: 'admin from 6.6.6.6 port 22', sourceIp: '1.2.3.4', sourcePort: 5555,
    });
    expect(msg('sshd', 'Failed password for invalid user x from 6.6.6.6 port 1 from 9.9.9.9 port 2 ssh2').sourceIp).toBe('9.9.9.9');
    expect(msg('sshd', 'Connection closed by invalid user a 6.6.6.6 port 7 1.2.3.4 port 22 [preauth]')).toMatchObject({ sourceIp: '1.2.3.4', sourcePort: 22, userName: 'a 6.6.6.6 port 7' });
    expect(msg('sshd', 'input_userauth_request: invalid user test9 [preauth]')).toMatchObject({ action: 'ssh_invalid_user', userName: 'test9', preauth: true });
  });

  it('Connection from (VERBOSE with rdomain), closed, reset', () => {
    expect(fields(msg('sshd', 'Connection from 203.0.113.9 port 50022 on 10.0.0.1 port 22 rdomain ""'))).toEqual({
      ...base, action: 'ssh_connection', sourceIp: '203.0.113.9', sourcePort: 50022,
    });
    expect(fields(msg('sshd', 'Connection closed by authenticating user root 203.0.113.9 port 50022 [preauth]'))).toEqual({
      ...base, action: 'ssh_connection_closed', userName: 'root', sourceIp: '203.0.113.9', sourcePort: 50022, preauth: true,
    });
    expect(fields(msg('sshd', 'Connection closed by 183.62.140.253 [preauth]'))).toEqual({ ...base, action: 'ssh_connection_closed', sourceIp: '183.62.140.253', preauth: true });
    expect(fields(msg('sshd', 'Connection reset by invalid user oracle 203.0.113.9 port 41000 [preauth]'))).toEqual({
      ...base, action: 'ssh_connection_reset', userName: 'oracle', invalidUser: true, sourceIp: '203.0.113.9', sourcePort: 41000, preauth: true,
    });
    expect(msg('sshd', 'Connection closed by 10.0.0.5 port 53000').preauth).toBe(false);
  });

  it('Received disconnect (new and old forms) and Disconnected from', () => {
    expect(fields(msg('sshd', 'Received disconnect from 203.0.113.9 port 50022:11: disconnected by user'))).toEqual({
      ...base, action: 'ssh_disconnect_received', sourceIp: '203.0.113.9', sourcePort: 50022, reason: 'disconnected by user',
    });
    expect(fields(msg('sshd', 'Received disconnect from 139.59.209.18: 11: Bye Bye [preauth]'))).toEqual({
      ...base, action: 'ssh_disconnect_received', sourceIp: '139.59.209.18', reason: 'Bye Bye', preauth: true,
    });
    expect(msg('sshd', 'error: Received disconnect from 103.99.0.122: 14: No more user authentication methods available. [preauth]')).toMatchObject({
      action: 'ssh_disconnect_received', sourceIp: '103.99.0.122', reason: 'No more user authentication methods available.',
    });
    expect(msg('sshd', 'Received disconnect from 1.2.3.4 port 5:11: from 6.6.6.6 port 7 [preauth]')).toMatchObject({ sourceIp: '1.2.3.4', sourcePort: 5 });
    expect(fields(msg('sshd', 'Disconnected from user alice 10.0.0.5 port 50110'))).toEqual({ ...base, action: 'ssh_disconnected', userName: 'alice', sourceIp: '10.0.0.5', sourcePort: 50110 });
    expect(msg('sshd', 'Disconnected from authenticating user root 1.2.3.4 port 22 [preauth]')).toMatchObject({ userName: 'root', preauth: true });
    expect(msg('sshd', 'Disconnected from invalid user guest 1.2.3.4 port 22 [preauth]')).toMatchObject({ userName: 'guest', invalidUser: true });
    expect(msg('sshd', 'Disconnected from 1.2.3.4 port 22')).toMatchObject({ action: 'ssh_disconnected', userName: null, sourceIp: '1.2.3.4' });
  });

  it('max auth attempts, Too many authentication failures, PAM N more', () => {
    expect(fields(msg('sshd', 'error: maximum authentication attempts exceeded for invalid user admin from 1.2.3.4 port 4242 ssh2 [preauth]'))).toEqual({
      ...base, action: 'ssh_max_auth_exceeded', outcome: 'failure', userName: 'admin', invalidUser: true, sourceIp: '1.2.3.4', sourcePort: 4242, preauth: true,
    });
    expect(msg('sshd', 'Disconnecting: Too many authentication failures for root [preauth]')).toMatchObject({ action: 'ssh_max_auth_exceeded', userName: 'root', preauth: true });
    expect(msg('sshd', 'Disconnecting authenticating user root 1.2.3.4 port 22: Too many authentication failures [preauth]')).toMatchObject({
      action: 'ssh_max_auth_exceeded', userName: 'root', sourceIp: '1.2.3.4', sourcePort: 22,
    });
    expect(msg('sshd', 'Disconnecting invalid user x: 6.6.6.6 port 1 1.2.3.4 port 22: Too many authentication failures [preauth]').sourceIp).toBe('1.2.3.4');
    expect(fields(msg('sshd', 'PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=112.95.230.3  user=root'))).toEqual({
      ...base, action: 'ssh_pam_more_failures', outcome: 'failure', count: 5, tty: 'ssh', sourceIp: '112.95.230.3', userName: 'root',
    });
    expect(msg('sshd', 'PAM 1 more authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.com')).toMatchObject({ count: 1, sourceDomain: 'host.example.com', userName: null });
    expect(msg('sshd', 'PAM service(sshd) ignoring max retries; 6 > 3')).toMatchObject({ action: 'ssh_max_auth_exceeded', count: 6 });
  });

  it('identification, negotiation, bad protocol', () => {
    expect(fields(msg('sshd', 'Did not receive identification string from 123.57.245.163'))).toEqual({ ...base, action: 'ssh_no_identification', outcome: 'failure', sourceIp: '123.57.245.163' });
    expect(msg('sshd', 'Did not receive identification string from 1.2.3.4 port 61000')).toMatchObject({ sourcePort: 61000 });
    expect(fields(msg('sshd', 'Unable to negotiate with 1.2.3.4 port 4444: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1 [preauth]'))).toEqual({
      ...base, action: 'ssh_negotiation_failed', outcome: 'failure', sourceIp: '1.2.3.4', sourcePort: 4444, preauth: true,
      reason: 'no matching key exchange method found. Their offer: diffie-hellman-group1-sha1',
    });
    expect(msg('sshd', "Bad protocol version identification 'GET / HTTP/1.1' from 5.6.7.8 port 1234")).toMatchObject({
      action: 'ssh_bad_protocol', sourceIp: '5.6.7.8', sourcePort: 1234, reason: "'GET / HTTP/1.1'",
    });
    expect(msg('sshd', 'error: kex_exchange_identification: Connection closed by remote host').action).toBe('ssh_no_identification');
    expect(msg('sshd', 'banner exchange: Connection from 5.6.7.8 port 1234: invalid format')).toMatchObject({ action: 'ssh_bad_protocol', sourceIp: '5.6.7.8', sourcePort: 1234 });
  });

  it('session messages, postponed, partial, refusals, misc', () => {
    expect(fields(msg('sshd', 'User child is on pid 4242'))).toEqual({ ...base, action: 'ssh_user_child', relatedPid: 4242 });
    expect(fields(msg('sshd', 'Starting session: shell on pts/0 for alice from 10.0.0.5 port 50110 id 0'))).toEqual({
      ...base, action: 'ssh_session_start', userName: 'alice', tty: 'pts/0', sourceIp: '10.0.0.5', sourcePort: 50110, sessionId: '0',
    });
    expect(msg('sshd', 'Starting session: command for bob from 10.0.0.6 port 1 id 3')).toMatchObject({ userName: 'bob', sessionId: '3', tty: null });
    expect(msg('sshd', 'Close session: user alice from 10.0.0.5 port 50110 id 0')).toMatchObject({ action: 'ssh_session_close', userName: 'alice', sessionId: '0' });
    expect(fields(msg('sshd', 'Postponed keyboard-interactive for alice from 10.0.0.5 port 50110 ssh2 [preauth]'))).toEqual({
      ...base, action: 'ssh_auth_postponed', userName: 'alice', sourceIp: '10.0.0.5', sourcePort: 50110, sshMethod: 'keyboard-interactive', preauth: true,
    });
    expect(msg('sshd', 'Partial publickey for alice from 10.0.0.5 port 50110 ssh2: ECDSA SHA256:abc')).toMatchObject({
      action: 'ssh_auth_partial', sshKeyType: 'ECDSA', sshKeyFingerprint: 'SHA256:abc',
    });
    expect(fields(msg('sshd', 'User bob from 10.0.0.7 not allowed because not listed in AllowUsers'))).toEqual({
      ...base, action: 'ssh_user_refused', outcome: 'failure', userName: 'bob', sourceIp: '10.0.0.7', reason: 'not listed in AllowUsers',
    });
    expect(msg('sshd', 'User root from 10.0.0.7 not allowed because listed in DenyUsers')).toMatchObject({ reason: 'listed in DenyUsers', userName: 'root' });
    expect(msg('sshd', 'User root not allowed because account is locked')).toMatchObject({ userName: 'root', sourceIp: null, reason: 'account is locked' });
    expect(msg('sshd', 'reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!')).toMatchObject({
      action: 'ssh_reverse_mapping', sourceIp: '173.234.31.186', sourceDomain: 'ns.marryaldkfaczcz.com',
    });
    expect(msg('sshd', 'Server listening on 0.0.0.0 port 22.').action).toBe('ssh_server_start');
    expect(msg('sshd', 'Received signal 15; terminating.').action).toBe('ssh_server_stop');
    expect(msg('sshd', 'fatal: Write failed: Connection reset by peer [preauth]').action).toBe('ssh_connection_reset');
    expect(msg('sshd', 'Timeout, client not responding from user alice 10.0.0.5 port 50110')).toMatchObject({ action: 'ssh_timeout', userName: 'alice', sourceIp: '10.0.0.5' });
    expect(msg('sshd', 'subsystem request for sftp by user vagrant')).toMatchObject({ action: 'ssh_subsystem_request', userName: 'vagrant', command: 'sftp' });
    expect(msg('sshd', 'drop connection #3 from [1.2.3.4]:40022 on [10.0.0.1]:22 past MaxStartups')).toMatchObject({
      action: 'ssh_connection_closed', outcome: 'failure', sourceIp: '1.2.3.4', sourcePort: 40022, reason: 'past MaxStartups',
    });
    expect(msg('sshd', 'Invalid user  from 1.2.3.4 port 5')).toMatchObject({ userName: '', sourceIp: '1.2.3.4', sourcePort: 5 });
    expect(msg('sshd', 'Address 1.2.3.4 maps to evil.example, but this does not map back to the address.')).toMatchObject({
      action: 'ssh_reverse_mapping', sourceIp: '1.2.3.4', sourceDomain: 'evil.example',
    });
    expect(msg('sshd', 'Read error from remote host 1.2.3.4 port 4242: Connection reset by peer')).toMatchObject({
      action: 'ssh_connection_reset', sourceIp: '1.2.3.4', sourcePort: 4242, reason: 'Connection reset by peer',
    });
    expect(msg('sshd', 'Read error from remote host 1.2.3.4 port 4242: Connection timed out').action).toBe('ssh_timeout');
    expect(msg('sshd', 'something new in OpenSSH 11').action).toBe('unknown');
  });

  it('message repeated N times wraps any message; last message repeated', () => {
    expect(fields(msg('sshd', 'message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]'))).toEqual({
      ...base, action: 'ssh_auth_failed', outcome: 'failure', userName: 'root', sourceIp: '5.36.59.76', sourcePort: 42393, sshMethod: 'password', repeat: 5, count: 5,
    });
    expect(fields(msg('sshd', 'last message repeated 3 times'))).toEqual({ ...base, action: 'repeat_last', repeat: 3, count: 3 });
  });
});
