/**
 * auditd records, with or without a syslog envelope:
 * `[node=H ]type=USER_AUTH msg=audit(1700000000.123:456): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication acct="alice" exe="/usr/sbin/sshd" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=failed'`,
 * the kernel form `audit: type=1100 audit(...)`, and numeric types. Unquoted `acct` / `cmd` values are hex-encoded
 * by auditd and are decoded.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { parseUint, setAddress, trimEnd } from '../scan.js';

const TYPE_ACTIONS = new Map<string, string>(Object.entries({
  USER_AUTH: 'audit_user_auth',
  USER_ACCT: 'audit_user_acct',
  CRED_ACQ: 'audit_cred_acq',
  USER_LOGIN: 'audit_user_login',
  USER_START: 'audit_user_start',
  USER_END: 'audit_user_end',
  CRED_DISP: 'audit_cred_disp',
  CRED_REFR: 'audit_cred_refr',
  USER_CMD: 'audit_user_cmd',
  '1100': 'audit_user_auth',
  '1101': 'audit_user_acct',
  '1103': 'audit_cred_acq',
  '1104': 'audit_cred_disp',
  '1105': 'audit_user_start',
  '1106': 'audit_user_end',
  '1110': 'audit_cred_refr',
  '1112': 'audit_user_login',
  '1123': 'audit_user_cmd',
}));

/** Serial read by the last successful {@link readAuditStamp}. */
export const auditStamp = { serial: -1 };

/**
 * Reads `audit(EPOCH.MS:SERIAL)` at or after `i` (within 64 characters). Returns epoch ms or `NaN`; sets
 * `auditStamp.serial`.
 */
export function readAuditStamp(s: string, i: number): number {
  const a = s.indexOf('audit(', i);
  if (a < 0 || a > i + 64) return Number.NaN;
  let k = a + 6;
  const n = s.length;
  let sec = 0;
  let digits = 0;
  while (k < n && digits <= 12) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) break;
    sec = sec * 10 + c;
    digits++;
    k++;
  }
  if (digits === 0 || digits > 12) return Number.NaN;
  let ms = 0;
  if (s.charCodeAt(k) === 46) {
    k++;
    let fd = 0;
    while (k < n && fd < 10) {
      const c = s.charCodeAt(k) - 48;
      if (c < 0 || c > 9) break;
      if (fd < 3) ms = ms * 10 + c;
      fd++;
      k++;
    }
    while (fd > 0 && fd < 3) {
      ms *= 10;
      fd++;
    }
  }
  if (s.charCodeAt(k) !== 58) return Number.NaN;
  const q = s.indexOf(')', k);
  if (q < 0 || q - k > 20) return Number.NaN;
  const serial = parseUint(s, k + 1, q);
  if (serial < 0) return Number.NaN;
  auditStamp.serial = serial;
  return sec * 1000 + ms;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function decodeValue(v: string, quoted: boolean): string {
  if (quoted || v.length < 2 || v.length % 2 !== 0 || v.length > 8192) return v;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return v;
  }
  const bytes = new Uint8Array(v.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(v.substr(i * 2, 2), 16);
  return decoder.decode(bytes);
}

const KEYS = new Map<string, number>([
  ['pid', 1], ['ses', 2], ['acct', 3], ['exe', 4], ['hostname', 5], ['addr', 6], ['terminal', 7], ['res', 8], ['op', 9], ['cmd', 10],
]);

function applyKv(s: string, ks: number, kl: number, vs: number, ve: number, quoted: boolean, rec: LogRecord): void {
  if (kl < 2 || kl > 8) return;
  const c0 = s.charCodeAt(ks);
  // cheap pre-filter on the first letter of the keys we use: p s a e h t r o c
  if (c0 !== 112 && c0 !== 115 && c0 !== 97 && c0 !== 101 && c0 !== 104 && c0 !== 116 && c0 !== 114 && c0 !== 111 && c0 !== 99) return;
  const key = s.slice(ks, ks + kl);
  if (!KEYS.has(key)) return;
  const v = s.slice(vs, ve);
  switch (key) {
    case 'pid': {
      const p = parseUint(v, 0, v.length);
      if (p >= 0) {
        rec.relatedPid = p;
        if (rec.processPid === null) rec.processPid = p;
      }
      break;
    }
    case 'ses':
      if (v !== '4294967295' && v !== '-1') rec.sessionId = v;
      break;
    case 'acct':
      if (v !== '?' && v !== '(unknown)') rec.userName = decodeValue(v, quoted);
      break;
    case 'exe':
      if (rec.processName === null && v.length > 0 && v !== '?') {
        const slash = v.lastIndexOf('/');
        rec.processName = slash >= 0 ? v.slice(slash + 1) : v;
      }
      break;
    case 'hostname':
      if (v !== '?' && rec.sourceIp === null) setAddress(rec, v);
      break;
    case 'addr':
      if (v !== '?') {
        const d = rec.sourceDomain;
        setAddress(rec, v);
        if (d !== null && rec.sourceIp !== null) rec.sourceDomain = d;
      }
      break;
    case 'terminal':
      if (v !== '?') rec.tty = v;
      break;
    case 'res':
      rec.outcome = v === 'success' || v === 'yes' ? 'success' : v === 'failed' || v === 'failure' || v === 'no' ? 'failure' : null;
      break;
    case 'op':
      rec.reason = v;
      break;
    case 'cmd':
      rec.command = decodeValue(v, quoted);
      break;
    default:
      break;
  }
}

/** Scans `key=value` pairs in `s[i, end)`; `msg='...'` is scanned recursively. Linear: each character is looked at a bounded number of times. */
function scanKv(s: string, i: number, end: number, rec: LogRecord): void {
  let k = i;
  let eqPos = -1;
  let spPos = -1;
  let tokens = 0; // audit records carry < 40 fields; the cap bounds the work on hostile text
  while (k < end && tokens++ < 256) {
    while (k < end && s.charCodeAt(k) === 32) k++;
    if (k >= end) break;
    if (eqPos < k) {
      eqPos = s.indexOf('=', k);
      if (eqPos < 0) eqPos = s.length;
    }
    const eq = eqPos;
    if (eq >= end) break;
    if (spPos < k) {
      spPos = s.indexOf(' ', k);
      if (spPos < 0) spPos = s.length;
    }
    if (spPos < eq) {
      k = spPos + 1; // a token without '=' (e.g. old "user pid=")
      continue;
    }
    const keyStart = k;
    const keyLen = eq - k;
    const c = s.charCodeAt(eq + 1);
    if (c === 39 || c === 34) {
      let close = s.indexOf(c === 39 ? "'" : '"', eq + 2);
      if (close < 0 || close > end) close = end;
      if (c === 39 && keyLen === 3 && s.startsWith('msg', keyStart)) scanKv(s, eq + 2, close, rec);
      else applyKv(s, keyStart, keyLen, eq + 2, close, true, rec);
      k = close + 1;
    } else {
      let e = s.indexOf(' ', eq + 1);
      if (e < 0 || e > end) e = end;
      applyKv(s, keyStart, keyLen, eq + 1, e, false, rec);
      k = e + 1;
    }
  }
}

/** journald's audit transport (program `audit`): `USER_AUTH pid=1 uid=0 ... msg='...'` without the stamp. */
function parseJournalAudit(msg: string, rec: LogRecord): boolean {
  const sp = msg.indexOf(' ');
  if (sp < 2 || sp > 32) return false;
  for (let k = 0; k < sp; k++) {
    const c = msg.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57))) return false;
  }
  if (!msg.startsWith('pid=', sp + 1) && !msg.startsWith('msg=', sp + 1)) return false;
  rec.action = TYPE_ACTIONS.get(msg.slice(0, sp)) ?? 'audit_other';
  scanKv(msg, sp + 1, trimEnd(msg, sp + 1, msg.length), rec);
  return true;
}

/** Parses an auditd record message; `false` when the message is not one. */
export function parseAuditMessage(msg: string, rec: LogRecord): boolean {
  if (rec.processName === 'audit' && msg.charCodeAt(0) >= 65 && msg.charCodeAt(0) <= 90) return parseJournalAudit(msg, rec);
  let i = 0;
  if (msg.startsWith('audit: ')) i = 7;
  if (msg.startsWith('node=', i)) {
    const sp = msg.indexOf(' ', i);
    if (sp < 0) return false;
    if (rec.hostName === null) rec.hostName = msg.slice(i + 5, sp);
    i = sp + 1;
  }
  if (!msg.startsWith('type=', i)) return false;
  let te = msg.indexOf(' ', i + 5);
  if (te < 0) return false;
  const type = msg.slice(i + 5, te);
  const t = readAuditStamp(msg, te);
  if (Number.isNaN(t)) return false;
  const serial = auditStamp.serial;
  const close = msg.indexOf('):', te);
  if (close < 0) return false;
  rec.action = TYPE_ACTIONS.get(type) ?? 'audit_other';
  rec.auditSerial = serial;
  if (rec.timestamp === null) rec.timestamp = t;
  te = close + 2;
  scanKv(msg, te, trimEnd(msg, te, msg.length), rec);
  return true;
}

/** The auditd grammar: any program whose message is an audit record. */
export const auditGrammar: MessageGrammar = { name: 'auditd', programs: null, parse: parseAuditMessage };
