import { describe, it, expect } from 'vitest';
import { LineParser } from '../../src/grammar/index.js';
import { customRegistry } from '../../examples/custom-grammar.js';

describe('examples/custom-grammar.ts', () => {
  const parser = new LineParser({ registry: customRegistry(), year: 2026 });
  it('parses Dropbear messages through a registered message grammar', () => {
    const r = parser.parse("Mar  4 09:15:02 gw dropbear[123]: Password auth succeeded for 'root' from 1.2.3.4:5678");
    expect(r).toMatchObject({ envelope: 'rfc3164', processName: 'dropbear', processPid: 123, action: 'ssh_login', outcome: 'success', userName: 'root', sourceIp: '1.2.3.4', sourcePort: 5678, sshMethod: 'password' });
    const f = parser.parse("Mar  4 09:15:09 gw dropbear[124]: Pubkey auth failed for 'admin' from [2001:db8::1]:40000");
    expect(f).toMatchObject({ action: 'ssh_auth_failed', userName: 'admin', sourceIp: '2001:db8::1', sourcePort: 40000 });
    const evil = parser.parse("Mar  4 09:15:09 gw dropbear[124]: Password auth failed for 'x from 6.6.6.6:1' from 1.2.3.4:22");
    expect(evil.sourceIp).toBe('1.2.3.4');
  });
  it('parses a custom envelope and its messages; built-ins still work', () => {
    expect(parser.parse('VPN|1772615702000|vpn-01|login-ok|alice|203.0.113.7 port 443')).toMatchObject({
      envelope: 'vpn-pipe', timestamp: 1772615702000, hostName: 'vpn-01', processName: 'vpn', action: 'vpn_login', userName: 'alice', sourceIp: '203.0.113.7', sourcePort: 443,
    });
    expect(parser.parse('Mar  4 09:15:02 h sshd[1]: Invalid user a from 1.2.3.4').action).toBe('ssh_invalid_user');
  });
});
