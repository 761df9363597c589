/**
 * PAM module messages, which appear under many programs (`sshd`, `sudo`, `su`, `login`, `cron`, `systemd`, ...):
 * `pam_MODULE(SERVICE:TYPE): BODY`, and the old `PROGRAM(pam_unix)[PID]: BODY` form (handled by the parser, which
 * calls {@link parsePamBody}). Also `unix_chkpwd`.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { CHKPWD_PROGRAMS } from '../programs.js';
import { parsePamKv, parseUint, skipDigits, trimEnd } from '../scan.js';

/** Reads `NAME(uid=N)` / `NAME` ending at `end` into user name and id. */
function userUid(msg: string, a: number, end: number, rec: LogRecord): void {
  if (end > a && msg.charCodeAt(end - 1) === 41) {
    const p = msg.lastIndexOf('(uid=', end);
    if (p >= a) {
      const uid = parseUint(msg, p + 5, end - 1);
      if (uid >= 0) rec.userId = uid;
      rec.userName = msg.slice(a, p);
      return;
    }
  }
  rec.userName = msg.slice(a, end);
}

/**
 * Parses the body of a PAM message (after `pam_x(service:type): `) from `i`. `module` is e.g. `pam_unix`.
 * Always succeeds: unknown bodies become `pam_other`.
 */
export function parsePamBody(module: string, msg: string, i: number, rec: LogRecord): boolean {
  const end = trimEnd(msg, i, msg.length);
  rec.action = 'pam_other';
  switch (msg.charCodeAt(i)) {
    case 97: // a
      if (msg.startsWith('authentication failure', i)) {
        rec.action = 'pam_auth_failure';
        rec.outcome = 'failure';
        const semi = msg.indexOf(';', i + 22);
        if (semi >= 0) parsePamKv(msg, semi + 1, end, rec);
        return true;
      }
      if (msg.startsWith('authentication success', i)) {
        rec.action = 'pam_auth_success';
        rec.outcome = 'success';
        const semi = msg.indexOf(';', i + 22);
        if (semi >= 0) parsePamKv(msg, semi + 1, end, rec);
        return true;
      }
      if (msg.startsWith('auth could not identify password for [', i)) {
        rec.outcome = 'failure';
        let e = end;
        if (msg.charCodeAt(e - 1) === 93) e--;
        rec.userName = msg.slice(i + 38, e);
        return true;
      }
      if (msg.startsWith('account ', i) && msg.indexOf(' has expired', i) > 0) {
        rec.outcome = 'failure';
        rec.reason = msg.slice(i, end);
      }
      return true;
    case 99: // c
      if (msg.startsWith('check pass; user unknown', i)) {
        rec.action = 'pam_user_unknown';
        rec.outcome = 'failure';
        return true;
      }
      return true;
    case 115: // s
      if (msg.startsWith('session opened for user ', i)) {
        rec.action = 'pam_session_opened';
        rec.outcome = 'success';
        const a = i + 24;
        const by = msg.lastIndexOf(' by ', end);
        userUid(msg, a, by >= a ? by : end, rec);
        return true;
      }
      if (msg.startsWith('session closed for user ', i)) {
        rec.action = 'pam_session_closed';
        userUid(msg, i + 24, end, rec);
        return true;
      }
      return true;
    case 112: // p
      if (msg.startsWith('password changed for ', i)) {
        rec.action = 'pam_password_changed';
        rec.outcome = 'success';
        rec.userName = msg.slice(i + 21, end);
        return true;
      }
      return true;
    case 98: // b
      if (msg.startsWith('bad username [', i)) {
        rec.outcome = 'failure';
        let e = end;
        if (msg.charCodeAt(e - 1) === 93) e--;
        rec.userName = msg.slice(i + 14, e);
      }
      return true;
    case 67: // C
      if (msg.startsWith('Consecutive login failures for user ', i)) {
        rec.action = 'pam_faillock';
        rec.outcome = 'failure';
        const a = i + 36;
        const acc = msg.lastIndexOf(' account temporarily locked', end);
        rec.userName = msg.slice(a, acc >= a ? acc : end);
        return true;
      }
      return true;
    case 114: // r
      if (msg.startsWith('requirement "', i)) {
        // requirement "uid >= 1000" not met by user "root"
        const nm = msg.lastIndexOf('" not met by user "', end);
        if (nm > i + 13) {
          rec.action = 'pam_requirement_not_met';
          rec.outcome = 'failure';
          rec.reason = msg.slice(i + 13, nm);
          let ue = end;
          if (msg.charCodeAt(ue - 1) === 34) ue--;
          rec.userName = msg.slice(nm + 19, ue);
        }
        return true;
      }
      if (msg.startsWith('received for user ', i)) {
        // pam_sss: received for user alice: 7 (Authentication failure)
        const c = msg.lastIndexOf(': ', end);
        if (c > i + 18) {
          rec.userName = msg.slice(i + 18, c);
          const q = skipDigits(msg, c + 2);
          const code = parseUint(msg, c + 2, q);
          if (code >= 0) rec.outcome = code === 0 ? 'success' : 'failure';
          rec.reason = msg.slice(c + 2, end);
        }
        return true;
      }
      return true;
    case 85: // U
      if (msg.startsWith('User ', i) && module === 'pam_faillock') {
        rec.action = 'pam_faillock';
        rec.outcome = 'failure';
      }
      return true;
    default:
      return true;
  }
}

/** Parses `pam_MODULE(SERVICE:TYPE): BODY`; `false` when the message is not in that form. */
export function parsePamMessage(msg: string, rec: LogRecord): boolean {
  if (!msg.startsWith('pam_')) return false;
  const open = msg.indexOf('(', 4);
  if (open < 0 || open > 64) return false;
  const close = msg.indexOf('):', open);
  if (close < 0 || close > open + 128) return false;
  const colon = msg.indexOf(':', open);
  const svcEnd = colon > open && colon < close ? colon : close;
  rec.pamService = msg.slice(open + 1, svcEnd);
  const module = msg.slice(0, open);
  let i = close + 2;
  if (msg.charCodeAt(i) === 32) i++;
  return parsePamBody(module, msg, i, rec);
}

/** The PAM grammar: any program whose message starts with `pam_`. */
export const pamGrammar: MessageGrammar = {
  name: 'pam',
  programs: null,
  parse: parsePamMessage,
};

/** `unix_chkpwd: password check failed for user (NAME)`. */
export const chkpwdGrammar: MessageGrammar = {
  name: 'unix_chkpwd',
  programs: CHKPWD_PROGRAMS,
  parse(msg: string, rec: LogRecord): boolean {
    if (!msg.startsWith('password check failed for user ')) {
      if (msg.startsWith('check pass; user unknown')) {
        rec.action = 'pam_user_unknown';
        rec.outcome = 'failure';
        return true;
      }
      return false;
    }
    rec.action = 'pam_password_check_failed';
    rec.outcome = 'failure';
    let a = 31;
    let e = trimEnd(msg, a, msg.length);
    if (msg.charCodeAt(a) === 40 && msg.charCodeAt(e - 1) === 41) {
      a++;
      e--;
    }
    rec.userName = msg.slice(a, e);
    return true;
  },
};
