/**
 * Console `login` messages: `FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure`,
 * `FAILED LOGIN 1 FROM host FOR root, Authentication failure`, `ROOT LOGIN  on '/dev/tty1'`, `ROOT LOGIN ON tty1`,
 * `LOGIN ON tty1 BY alice [FROM host]`.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { LOGIN_PROGRAMS } from '../programs.js';
import { setAddress, trimEnd } from '../scan.js';

function unquote(s: string): string {
  return s.length >= 2 && s.charCodeAt(0) === 39 && s.charCodeAt(s.length - 1) === 39 ? s.slice(1, -1) : s;
}

function ttyName(s: string): string {
  const t = unquote(s);
  return t.startsWith('/dev/') ? t.slice(5) : t;
}

/** Parses one login message; `false` when unknown. */
export function parseLoginMessage(msg: string, rec: LogRecord): boolean {
  const end = trimEnd(msg, 0, msg.length);
  if (msg.startsWith('FAILED LOGIN ')) {
    rec.action = 'login_failed';
    rec.outcome = 'failure';
    const forIdx = msg.indexOf(' FOR ', 13);
    if (forIdx < 0) return true;
    const on = msg.indexOf(' on ', 13);
    if (on >= 0 && on < forIdx) rec.tty = ttyName(msg.slice(on + 4, forIdx));
    const fromIdx = msg.indexOf(' FROM ', 13);
    if (fromIdx >= 0 && fromIdx < forIdx) setAddress(rec, msg.slice(fromIdx + 6, forIdx));
    const comma = msg.lastIndexOf(', ', end);
    const ue = comma > forIdx ? comma : end;
    rec.userName = unquote(msg.slice(forIdx + 5, ue));
    if (comma > forIdx) rec.reason = msg.slice(comma + 2, end);
    return true;
  }
  if (msg.startsWith('ROOT LOGIN ')) {
    rec.action = 'login_root';
    rec.outcome = 'success';
    rec.userName = 'root';
    let i = 11;
    while (msg.charCodeAt(i) === 32) i++;
    if (msg.startsWith('on ', i) || msg.startsWith('ON ', i)) {
      let e = msg.indexOf(' ', i + 3);
      if (e < 0 || e > end) e = end;
      rec.tty = ttyName(msg.slice(i + 3, e));
      const from = msg.indexOf(' FROM ', e);
      if (from >= 0) setAddress(rec, msg.slice(from + 6, end));
    }
    return true;
  }
  if (msg.startsWith('LOGIN ON ')) {
    const by = msg.indexOf(' BY ', 9);
    if (by < 0) return false;
    rec.action = 'login_success';
    rec.outcome = 'success';
    rec.tty = ttyName(msg.slice(9, by));
    const from = msg.indexOf(' FROM ', by + 4);
    if (from >= 0) {
      rec.userName = msg.slice(by + 4, from);
      setAddress(rec, msg.slice(from + 6, end));
    } else rec.userName = msg.slice(by + 4, end);
    return true;
  }
  return false;
}

/** The login grammar, for {@link LOGIN_PROGRAMS}. */
export const loginGrammar: MessageGrammar = { name: 'login', programs: LOGIN_PROGRAMS, parse: parseLoginMessage };
