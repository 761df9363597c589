/**
 * Adding a log format that loginsight does not know: Dropbear SSH messages, plus a made-up VPN appliance envelope.
 *
 * Run: npx tsx examples/custom-grammar.ts
 */
import { GrammarRegistry, LineParser, defaultRegistry, setAddress, tailAddrPort } from '../src/grammar/index.js';
import type { Envelope, LogRecord, MessageGrammar } from '../src/grammar/index.js';

/** Dropbear: `Password auth succeeded for 'root' from 1.2.3.4:5678` and friends. */
export const dropbearGrammar: MessageGrammar = {
  name: 'dropbear',
  programs: ['dropbear'],
  parse(message: string, record: LogRecord): boolean {
    const m = /^(Password|Pubkey) auth (succeeded|failed|attempt) for '([^']*)'/.exec(message); // anchored, linear
    if (m === null) return false;
    record.action = m[2] === 'succeeded' ? 'ssh_login' : 'ssh_auth_failed';
    record.outcome = m[2] === 'succeeded' ? 'success' : 'failure';
    record.sshMethod = m[1] === 'Password' ? 'password' : 'publickey';
    record.userName = m[3];
    // the address is the last token, `IP:PORT`: read it from the end so the user name cannot move it
    const sp = message.lastIndexOf(' from ');
    const colon = message.lastIndexOf(':');
    if (sp > 0 && colon > sp) {
      setAddress(record, message.slice(sp + 6, colon));
      record.sourcePort = Number(message.slice(colon + 1)) || null;
    }
    return true;
  },
};

/** A VPN appliance that writes `VPN|<epoch ms>|<host>|<event>|<user>|<ip> port <port>`. */
export const vpnEnvelope: Envelope = {
  name: 'vpn-pipe',
  firstChars: 'V',
  parse(line: string, record: LogRecord): boolean {
    if (!line.startsWith('VPN|')) return false;
    const parts = line.split('|', 6);
    if (parts.length < 6) return false;
    const t = Number(parts[1]);
    record.timestamp = Number.isFinite(t) ? t : null;
    record.hostName = parts[2];
    record.processName = 'vpn';
    record.message = line.slice(parts.slice(0, 3).join('|').length + 1);
    return true;
  },
};

/** Messages of that VPN: `login-ok|alice|203.0.113.7 port 443`. */
export const vpnGrammar: MessageGrammar = {
  name: 'vpn',
  programs: ['vpn'],
  parse(message: string, record: LogRecord): boolean {
    const a = message.indexOf('|');
    const b = message.indexOf('|', a + 1);
    if (a < 0 || b < 0) return false;
    const event = message.slice(0, a);
    record.action = event === 'login-ok' ? 'vpn_login' : 'vpn_' + event;
    record.outcome = event === 'login-ok' ? 'success' : 'failure';
    record.userName = message.slice(a + 1, b);
    tailAddrPort(message, message.length, record, b + 1);
    return true;
  },
};

/** A registry with the built-ins plus the three additions above. */
export function customRegistry(): GrammarRegistry {
  return defaultRegistry().registerMessageGrammar(dropbearGrammar).registerEnvelope(vpnEnvelope).registerMessageGrammar(vpnGrammar);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const parser = new LineParser({ registry: customRegistry(), year: 2026 });
  const lines = [
    "Mar  4 09:15:02 gw dropbear[123]: Password auth succeeded for 'root' from 1.2.3.4:5678",
    "Mar  4 09:15:09 gw dropbear[124]: Pubkey auth failed for 'admin' from [2001:db8::1]:40000",
    'VPN|1772615702000|vpn-01|login-ok|alice|203.0.113.7 port 443',
  ];
  for (const r of parser.parseBatch(lines)) {
    console.log(r.envelope, r.processName, r.action, r.outcome, r.userName, r.sourceIp, r.sourcePort);
  }
}
