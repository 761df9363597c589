/**
 * systemd-logind session messages: `New session 42 of user alice.`, `Session 42 logged out. Waiting for processes
 * to exit.`, `Removed session 42.`
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { LOGIND_PROGRAMS } from '../programs.js';
import { trimEnd } from '../scan.js';

function sessionToken(msg: string, a: number, end: number): number {
  let e = msg.indexOf(' ', a);
  if (e < 0 || e > end) e = end;
  if (e > a && msg.charCodeAt(e - 1) === 46) e--;
  return e;
}

/** Parses one systemd-logind message; `false` when unknown. */
export function parseLogindMessage(msg: string, rec: LogRecord): boolean {
  const end = trimEnd(msg, 0, msg.length);
  if (msg.startsWith('New session ')) {
    const e = sessionToken(msg, 12, end);
    if (!msg.startsWith(' of user ', e)) return false;
    rec.sessionId = msg.slice(12, e);
    let ue = end;
    if (msg.charCodeAt(ue - 1) === 46) ue--;
    rec.userName = msg.slice(e + 9, ue);
    rec.action = 'logind_new_session';
    return true;
  }
  if (msg.startsWith('Session ')) {
    const e = sessionToken(msg, 8, end);
    if (!msg.startsWith(' logged out', e)) return false;
    rec.sessionId = msg.slice(8, e);
    rec.action = 'logind_session_logged_out';
    return true;
  }
  if (msg.startsWith('Removed session ')) {
    const e = sessionToken(msg, 16, end);
    rec.sessionId = msg.slice(16, e);
    rec.action = 'logind_removed_session';
    return true;
  }
  return false;
}

/** The systemd-logind grammar, for {@link LOGIND_PROGRAMS}. */
export const logindGrammar: MessageGrammar = { name: 'systemd-logind', programs: LOGIND_PROGRAMS, parse: parseLogindMessage };
