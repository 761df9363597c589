/**
 * su messages: Debian/util-linux `(to root) alice on pts/1`, `FAILED SU (to root) alice on pts/1`, and the older
 * shadow/RHEL forms `Successful su for root by alice`, `FAILED su for root by alice`, `+ pts/1 alice:root`,
 * `- pts/1 alice:root`.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { SU_PROGRAMS } from '../programs.js';
import { trimEnd } from '../scan.js';

function toForm(msg: string, i: number, end: number, rec: LogRecord): boolean {
  // "(to TARGET) USER on TTY"
  const close = msg.indexOf(') ', i + 4);
  if (close < 0 || close >= end) return false;
  rec.userEffectiveName = msg.slice(i + 4, close);
  const on = msg.lastIndexOf(' on ', end);
  if (on > close) {
    rec.userName = msg.slice(close + 2, on);
    rec.tty = msg.slice(on + 4, end);
  } else rec.userName = msg.slice(close + 2, end);
  return true;
}

/** Parses one su message; `false` when unknown. */
export function parseSuMessage(msg: string, rec: LogRecord): boolean {
  const end = trimEnd(msg, 0, msg.length);
  if (msg.startsWith('(to ')) {
    if (!toForm(msg, 0, end, rec)) return false;
    rec.action = 'su_session';
    rec.outcome = 'success';
    return true;
  }
  if (msg.startsWith('FAILED SU (to ')) {
    if (!toForm(msg, 10, end, rec)) return false;
    rec.action = 'su_failure';
    rec.outcome = 'failure';
    return true;
  }
  const ok = msg.startsWith('Successful su for ');
  if (ok || msg.startsWith('FAILED su for ')) {
    const a = ok ? 18 : 14;
    const by = msg.lastIndexOf(' by ', end);
    if (by < a) return false;
    rec.userEffectiveName = msg.slice(a, by);
    rec.userName = msg.slice(by + 4, end);
    rec.action = ok ? 'su_session' : 'su_failure';
    rec.outcome = ok ? 'success' : 'failure';
    return true;
  }
  const c0 = msg.charCodeAt(0);
  if ((c0 === 43 || c0 === 45) && msg.charCodeAt(1) === 32) {
    // "+ pts/1 alice:root"
    const sp = msg.indexOf(' ', 2);
    if (sp < 0) return false;
    const colon = msg.lastIndexOf(':', end);
    if (colon <= sp) return false;
    rec.tty = msg.slice(2, sp);
    rec.userName = msg.slice(sp + 1, colon);
    rec.userEffectiveName = msg.slice(colon + 1, end);
    rec.action = c0 === 43 ? 'su_session' : 'su_failure';
    rec.outcome = c0 === 43 ? 'success' : 'failure';
    return true;
  }
  return false;
}

/** The su grammar, for {@link SU_PROGRAMS}. */
export const suGrammar: MessageGrammar = { name: 'su', programs: SU_PROGRAMS, parse: parseSuMessage };
