/**
 * OpenSSH server messages (`sshd`, `sshd-session`, `sshd-auth`). Hand-written scanning: the first character picks a
 * handful of candidate prefixes, and every address is read at a position the client cannot move (user names are
 * printed before the address, so the address is read from the end; disconnect reasons are printed after it, so it
 * is read from the start).
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { SSHD_PROGRAMS } from '../programs.js';
import { parsePamKv, parseUint, setAddress, skipDigits, tail, tailAddrPort, trimEnd } from '../scan.js';

/** Reads `KEYTYPE FINGERPRINT` at `i` (up to `end`). */
function readKey(msg: string, i: number, end: number, rec: LogRecord): void {
  const sp = msg.indexOf(' ', i);
  if (sp < 0 || sp >= end) return;
  rec.sshKeyType = msg.slice(i, sp);
  let fe = msg.indexOf(' ', sp + 1);
  if (fe < 0 || fe > end) fe = end;
  if (fe > sp + 1) rec.sshKeyFingerprint = msg.slice(sp + 1, fe);
}

/** Sets user name and the invalid flag from `[invalid user |illegal user ]NAME` in `msg[a, b)`. */
function setUser(msg: string, a: number, b: number, rec: LogRecord): void {
  if (b < a) b = a;
  if (msg.startsWith('invalid user ', a) && b >= a + 13) {
    rec.invalidUser = true;
    a += 13;
  } else if (msg.startsWith('illegal user ', a) && b >= a + 13) {
    rec.invalidUser = true;
    a += 13;
  }
  rec.userName = msg.slice(a, b);
}

/**
 * `METHOD for [invalid user ]USER from ADDR port PORT ssh2[: KEYTYPE FP]` starting at `s` (after the verb).
 */
function authLine(msg: string, s: number, end: number, rec: LogRecord, action: string, outcome: 'success' | 'failure' | null): boolean {
  const sp = msg.indexOf(' ', s);
  if (sp < 0 || sp >= end || !msg.startsWith(' for ', sp)) return false;
  const userStart = sp + 5;
  rec.action = action;
  rec.outcome = outcome;
  rec.sshMethod = msg.slice(s, sp);
  const p = msg.lastIndexOf(' port ', end);
  let from = -1;
  if (p > userStart) {
    const q = skipDigits(msg, p + 6);
    if (q > p + 6 && q - p - 6 <= 5) {
      rec.sourcePort = parseUint(msg, p + 6, q);
      from = msg.lastIndexOf(' from ', p - 1);
      if (from >= userStart - 1) {
        setAddress(rec, msg.slice(from + 6, p));
        let r = q;
        if (msg.startsWith(' ssh', r)) r = msg.indexOf(':', r) < 0 ? end : msg.indexOf(':', r);
        if (r < end && msg.charCodeAt(r) === 58 && msg.charCodeAt(r + 1) === 32) readKey(msg, r + 2, end, rec);
      }
    } else {
      rec.sourcePort = null;
    }
  }
  if (from < userStart - 1) {
    from = msg.lastIndexOf(' from ', end);
    if (from < userStart - 1) {
      rec.userName = msg.slice(userStart, end);
      return true;
    }
    let ae = msg.indexOf(' ', from + 6);
    if (ae < 0 || ae > end) ae = end;
    setAddress(rec, msg.slice(from + 6, ae));
  }
  setUser(msg, userStart, from, rec);
  return true;
}

/** `PREFIX[authenticating user U |invalid user U |user U ]ADDR[ port P]` with the prefix ending at `s`. */
function closedLine(msg: string, s: number, end: number, rec: LogRecord, action: string): boolean {
  rec.action = action;
  if (msg.startsWith('remote host', s)) return true; // "Connection closed by remote host": no address
  if (!tailAddrPort(msg, end, rec, s)) return true;
  const a = tail.addrStart;
  if (a > s) {
    const b = a - 1;
    if (msg.startsWith('authenticating user ', s)) rec.userName = msg.slice(s + 20, b);
    else if (msg.startsWith('invalid user ', s)) {
      rec.invalidUser = true;
      rec.userName = msg.slice(s + 13, b);
    } else if (msg.startsWith('user ', s)) rec.userName = msg.slice(s + 5, b);
  }
  return true;
}

/**
 * Reads `ADDR[ port P]` forward from `a` (the address ends at the next space or `end`), sets the source address and
 * port, and returns the index just after what it read (after the port digits, or at the address's end).
 */
function addrPort(msg: string, a: number, end: number, rec: LogRecord): number {
  let sp = msg.indexOf(' ', a);
  if (sp < 0 || sp > end) sp = end;
  setAddress(rec, msg.slice(a, sp));
  if (!msg.startsWith(' port ', sp)) return sp;
  const q = skipDigits(msg, sp + 6);
  const port = parseUint(msg, sp + 6, q);
  if (port >= 0 && port <= 65535) rec.sourcePort = port;
  return q;
}

/** `Received disconnect from ADDR port P:CODE: REASON` or the old `ADDR: CODE: REASON`, read forward. */
function receivedDisconnect(msg: string, s: number, end: number, rec: LogRecord): boolean {
  rec.action = 'ssh_disconnect_received';
  let sp = msg.indexOf(' ', s);
  if (sp < 0 || sp > end) sp = end;
  let rest: number;
  if (msg.startsWith(' port ', sp)) {
    setAddress(rec, msg.slice(s, sp));
    const q = skipDigits(msg, sp + 6);
    const port = parseUint(msg, sp + 6, q);
    if (port >= 0 && port <= 65535) rec.sourcePort = port;
    rest = q;
  } else {
    const tokEnd = msg.charCodeAt(sp - 1) === 58 ? sp - 1 : sp;
    setAddress(rec, msg.slice(s, tokEnd));
    rest = tokEnd;
  }
  // ":CODE: reason" or ": CODE: reason"
  if (msg.charCodeAt(rest) === 58) {
    let k = rest + 1;
    if (msg.charCodeAt(k) === 32) k++;
    const q = skipDigits(msg, k);
    if (q > k && msg.charCodeAt(q) === 58) {
      let r = q + 1;
      if (msg.charCodeAt(r) === 32) r++;
      if (r < end) rec.reason = msg.slice(r, end);
    } else if (k < end) rec.reason = msg.slice(k, end);
  }
  return true;
}

function startsSession(msg: string, s: number, end: number, rec: LogRecord, action: string): boolean {
  rec.action = action;
  let e = end;
  const id = msg.lastIndexOf(' id ', e);
  if (id > s) {
    const q = skipDigits(msg, id + 4);
    if (q === e && q > id + 4) {
      rec.sessionId = msg.slice(id + 4, q);
      e = id;
    }
  }
  if (!tailAddrPort(msg, e, rec, s)) return true;
  const from = tail.addrStart - 6;
  if (from < s || !msg.startsWith(' from ', from)) return true;
  if (action === 'ssh_session_close') {
    if (msg.startsWith('user ', s)) rec.userName = msg.slice(s + 5, from);
    return true;
  }
  const f = msg.lastIndexOf(' for ', from - 1);
  if (f >= s) {
    rec.userName = msg.slice(f + 5, from);
    const on = msg.indexOf(' on ', s);
    if (on >= 0 && on < f) rec.tty = msg.slice(on + 4, f);
  }
  return true;
}

function refused(msg: string, s: number, end: number, rec: LogRecord): boolean {
  const r = msg.lastIndexOf(' not allowed because ', end);
  if (r < s) return false;
  rec.action = 'ssh_user_refused';
  rec.outcome = 'failure';
  rec.reason = msg.slice(r + 21, end);
  const from = msg.lastIndexOf(' from ', r - 1);
  if (from >= s - 1) {
    const addr = msg.slice(from + 6, r);
    if (addr.indexOf(' ') < 0) {
      setAddress(rec, addr);
      rec.userName = msg.slice(s, from < s ? s : from);
      return true;
    }
  }
  rec.userName = msg.slice(s, r);
  return true;
}

function pamMore(msg: string, s: number, end: number, rec: LogRecord): boolean {
  // "PAM N more authentication failure[s]; logname= ..." / "PAM service(sshd) ignoring max retries; 6 > 3"
  const q = skipDigits(msg, s);
  if (q > s && msg.startsWith(' more authentication failure', q)) {
    rec.action = 'ssh_pam_more_failures';
    rec.outcome = 'failure';
    rec.count = parseUint(msg, s, q);
    const semi = msg.indexOf(';', q);
    if (semi >= 0 && semi < end) parsePamKv(msg, semi + 1, end, rec);
    return true;
  }
  if (msg.startsWith('service(', s) && msg.indexOf(' ignoring max retries', s) > 0) {
    rec.action = 'ssh_max_auth_exceeded';
    rec.outcome = 'failure';
    const semi = msg.indexOf('; ', s);
    if (semi > 0) {
      const q2 = skipDigits(msg, semi + 2);
      if (q2 > semi + 2) rec.count = parseUint(msg, semi + 2, q2);
    }
    return true;
  }
  return false;
}

function disconnecting(msg: string, s: number, end: number, rec: LogRecord): boolean {
  // s points after "Disconnecting"
  const colon = msg.lastIndexOf(': ', end);
  const tooMany = msg.indexOf('Too many authentication failures', colon >= s ? colon : s);
  if (tooMany >= 0) {
    rec.action = 'ssh_max_auth_exceeded';
    rec.outcome = 'failure';
    rec.reason = 'Too many authentication failures';
    if (msg.charCodeAt(s) === 58) {
      // "Disconnecting: Too many authentication failures[ for [invalid user ]U]"
      const f = msg.indexOf(' for ', tooMany);
      if (f >= 0 && f < end) setUser(msg, f + 5, end, rec);
      return true;
    }
    if (colon > s) closedLine(msg, s + 1, colon, rec, 'ssh_max_auth_exceeded');
    return true;
  }
  rec.action = 'ssh_disconnected';
  if (colon >= s) {
    rec.reason = msg.slice(colon + 2, end);
    if (msg.charCodeAt(s) === 32 && colon > s + 1) closedLine(msg, s + 1, colon, rec, 'ssh_disconnected');
  }
  return true;
}

function reverseMapping(msg: string, s: number, end: number, rec: LogRecord): boolean {
  rec.action = 'ssh_reverse_mapping';
  const close = msg.lastIndexOf('] failed', end);
  const open = close > s ? msg.lastIndexOf(' [', close) : -1;
  if (open >= s) {
    setAddress(rec, msg.slice(open + 2, close));
    if (open > s) rec.sourceDomain = msg.slice(s, open);
  }
  return true;
}

function parseSshdAt(msg: string, s: number, end: number, rec: LogRecord): boolean {
  switch (msg.charCodeAt(s)) {
    case 65: // A
      if (msg.startsWith('Accepted ', s)) return authLine(msg, s + 9, end, rec, 'ssh_login', 'success');
      if (msg.startsWith('Address ', s)) {
        const sp = msg.indexOf(' maps to ', s + 8);
        if (sp < 0) return false;
        rec.action = 'ssh_reverse_mapping';
        setAddress(rec, msg.slice(s + 8, sp));
        const c = msg.indexOf(', but this does not map back', sp);
        if (c > sp + 9) rec.sourceDomain = msg.slice(sp + 9, c);
        return true;
      }
      return false;
    case 66: // B
      if (msg.startsWith('Bad protocol version identification ', s)) {
        rec.action = 'ssh_bad_protocol';
        rec.outcome = 'failure';
        if (tailAddrPort(msg, end, rec, s) && msg.startsWith(' from ', tail.addrStart - 6)) {
          const q1 = s + 36;
          const q2 = tail.addrStart - 6;
          if (q2 > q1) rec.reason = msg.slice(q1, q2);
        }
        return true;
      }
      return false;
    case 67: // C
      if (msg.startsWith('Connection from ', s)) {
        rec.action = 'ssh_connection';
        addrPort(msg, s + 16, end, rec);
        return true;
      }
      if (msg.startsWith('Connection closed by ', s)) return closedLine(msg, s + 21, end, rec, 'ssh_connection_closed');
      if (msg.startsWith('Connection reset by ', s)) return closedLine(msg, s + 20, end, rec, 'ssh_connection_reset');
      if (msg.startsWith('Close session: ', s)) return startsSession(msg, s + 15, end, rec, 'ssh_session_close');
      if (msg.startsWith('Connection timed out', s)) {
        rec.action = 'ssh_timeout';
        return true;
      }
      return false;
    case 68: // D
      if (msg.startsWith('Disconnected from ', s)) return closedLine(msg, s + 18, end, rec, 'ssh_disconnected');
      if (msg.startsWith('Did not receive identification string from ', s)) {
        rec.action = 'ssh_no_identification';
        rec.outcome = 'failure';
        tailAddrPort(msg, end, rec, s + 43);
        return true;
      }
      if (msg.startsWith('Disconnecting', s)) return disconnecting(msg, s + 13, end, rec);
      return false;
    case 69: // E
      if (msg.startsWith('Exiting on signal', s)) {
        rec.action = 'ssh_server_stop';
        return true;
      }
      return false;
    case 70: // F
      if (msg.startsWith('Failed ', s)) return authLine(msg, s + 7, end, rec, 'ssh_auth_failed', 'failure');
      return false;
    case 73: // I
      if (msg.startsWith('Invalid user ', s) || msg.startsWith('Illegal user ', s)) {
        rec.action = 'ssh_invalid_user';
        rec.outcome = 'failure';
        rec.invalidUser = true;
        if (tailAddrPort(msg, end, rec, s + 13) && msg.startsWith(' from ', tail.addrStart - 6) && tail.addrStart - 6 >= s + 12) {
          rec.userName = msg.slice(s + 13, tail.addrStart - 6);
        } else {
          rec.sourceIp = null;
          rec.sourceDomain = null;
          rec.sourcePort = null;
          rec.userName = msg.slice(s + 13, end);
        }
        return true;
      }
      return false;
    case 80: // P
      if (msg.startsWith('PAM ', s)) return pamMore(msg, s + 4, end, rec);
      if (msg.startsWith('Postponed ', s)) return authLine(msg, s + 10, end, rec, 'ssh_auth_postponed', null);
      if (msg.startsWith('Partial ', s)) return authLine(msg, s + 8, end, rec, 'ssh_auth_partial', null);
      return false;
    case 82: // R
      if (msg.startsWith('Received disconnect from ', s)) return receivedDisconnect(msg, s + 25, end, rec);
      if (msg.startsWith('Read error from remote host ', s)) {
        // Read error from remote host 1.2.3.4 port 5: Connection reset by peer | Connection timed out
        const r = addrPort(msg, s + 28, end, rec);
        if (msg.startsWith(': ', r)) rec.reason = msg.slice(r + 2, end);
        rec.action = rec.reason !== null && rec.reason.indexOf('timed out') >= 0 ? 'ssh_timeout' : 'ssh_connection_reset';
        return true;
      }
      if (msg.startsWith('Received signal ', s)) {
        rec.action = 'ssh_server_stop';
        return true;
      }
      return false;
    case 83: // S
      if (msg.startsWith('Starting session: ', s)) return startsSession(msg, s + 18, end, rec, 'ssh_session_start');
      if (msg.startsWith('Server listening on ', s)) {
        rec.action = 'ssh_server_start';
        return true;
      }
      return false;
    case 84: // T
      if (msg.startsWith('Timeout', s)) {
        rec.action = 'ssh_timeout';
        const p = msg.indexOf(' port ', s);
        if (p > 0) {
          const f = msg.lastIndexOf(' from user ', p);
          if (f >= s) closedLine(msg, f + 6, end, rec, 'ssh_timeout');
          else {
            const g = msg.lastIndexOf(' for ', p);
            if (g >= s) tailAddrPort(msg, end, rec, g + 5);
          }
        }
        return true;
      }
      return false;
    case 85: // U
      if (msg.startsWith('User child is on pid ', s)) {
        rec.action = 'ssh_user_child';
        const q = skipDigits(msg, s + 21);
        if (q > s + 21) rec.relatedPid = parseUint(msg, s + 21, q);
        return true;
      }
      if (msg.startsWith('User ', s)) return refused(msg, s + 5, end, rec);
      if (msg.startsWith('Unable to negotiate with ', s)) {
        rec.action = 'ssh_negotiation_failed';
        rec.outcome = 'failure';
        const r = addrPort(msg, s + 25, end, rec);
        if (msg.startsWith(': ', r)) rec.reason = msg.slice(r + 2, end);
        return true;
      }
      return false;
    case 101: // e
      if (msg.startsWith('error: ', s)) {
        const t = s + 7;
        if (msg.startsWith('maximum authentication attempts exceeded for ', t)) {
          authLine(msg, t + 39, end, rec, 'ssh_max_auth_exceeded', 'failure');
          rec.sshMethod = null;
          return true;
        }
        if (msg.startsWith('PAM: Authentication failure for ', t)) {
          rec.action = 'ssh_auth_failed';
          rec.outcome = 'failure';
          const u = t + 32;
          const from = msg.lastIndexOf(' from ', end);
          if (from >= u - 1) {
            setAddress(rec, msg.slice(from + 6, end));
            setUser(msg, u, from, rec);
          } else setUser(msg, u, end, rec);
          return true;
        }
        if (msg.startsWith('kex_exchange_identification: ', t)) {
          rec.action = 'ssh_no_identification';
          rec.outcome = 'failure';
          rec.reason = msg.slice(t + 29, end);
          return true;
        }
        return parseSshdAt(msg, t, end, rec);
      }
      return false;
    case 102: // f
      if (msg.startsWith('fatal: ', s)) {
        const t = s + 7;
        if (msg.indexOf('Connection reset', t) >= 0) {
          rec.action = 'ssh_connection_reset';
          rec.reason = msg.slice(t, end);
          return true;
        }
        if (msg.startsWith('Timeout before authentication', t)) {
          rec.action = 'ssh_timeout';
          const f = msg.indexOf(' for ', t);
          if (f > 0) tailAddrPort(msg, end, rec, f + 5);
          return true;
        }
        if (msg.startsWith('Unable to negotiate', t) || msg.startsWith('no matching', t)) {
          rec.action = 'ssh_negotiation_failed';
          rec.outcome = 'failure';
          rec.reason = msg.slice(t, end);
          return true;
        }
        return parseSshdAt(msg, t, end, rec);
      }
      return false;
    case 98: // b
      if (msg.startsWith('banner exchange: Connection from ', s)) {
        rec.action = 'ssh_bad_protocol';
        rec.outcome = 'failure';
        // the reason follows the port only (without a port, the address runs to a space or the end)
        const r = addrPort(msg, s + 33, end, rec);
        if (msg.startsWith(': ', r)) rec.reason = msg.slice(r + 2, end);
        return true;
      }
      return false;
    case 100: // d
      if (msg.startsWith('drop connection #', s)) {
        // drop connection #0 from [1.2.3.4]:5 on [10.0.0.1]:22 past MaxStartups
        rec.action = 'ssh_connection_closed';
        rec.outcome = 'failure';
        const f = msg.indexOf(' from [', s);
        const c = f < 0 ? -1 : msg.indexOf(']:', f + 7);
        if (c > f) {
          setAddress(rec, msg.slice(f + 7, c));
          const q = skipDigits(msg, c + 2);
          const port = parseUint(msg, c + 2, q);
          if (port >= 0 && port <= 65535) rec.sourcePort = port;
        }
        const past = msg.lastIndexOf(' past ', end);
        if (past > 0) rec.reason = msg.slice(past + 1, end);
        return true;
      }
      return false;
    case 105: // i
      if (msg.startsWith('input_userauth_request: invalid user ', s)) {
        rec.action = 'ssh_invalid_user';
        rec.outcome = 'failure';
        rec.invalidUser = true;
        rec.userName = msg.slice(s + 37, end);
        return true;
      }
      return false;
    case 114: // r
      if (msg.startsWith('reverse mapping checking getaddrinfo for ', s)) return reverseMapping(msg, s + 41, end, rec);
      return false;
    case 115: // s
      if (msg.startsWith('subsystem request for ', s)) {
        const by = msg.lastIndexOf(' by user ', end);
        rec.action = 'ssh_subsystem_request';
        if (by > s + 22) {
          rec.command = msg.slice(s + 22, by);
          rec.userName = msg.slice(by + 9, end);
        } else rec.command = msg.slice(s + 22, end);
        return true;
      }
      return false;
    default:
      return false;
  }
}

/** Parses one sshd message into `rec`; `false` when it is not a known sshd message. */
export function parseSshdMessage(msg: string, rec: LogRecord): boolean {
  let end = trimEnd(msg, 0, msg.length);
  if (end >= 9 && msg.charCodeAt(end - 1) === 93 && msg.startsWith('[preauth]', end - 9)) {
    rec.preauth = true;
    end = trimEnd(msg, 0, end - 9);
  }
  const ok = parseSshdAt(msg, 0, end, rec);
  if (!ok) rec.preauth = false;
  return ok;
}

/** The OpenSSH message grammar, for {@link SSHD_PROGRAMS}. */
export const sshdGrammar: MessageGrammar = {
  name: 'sshd',
  programs: SSHD_PROGRAMS,
  parse: parseSshdMessage,
};
