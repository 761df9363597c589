/**
 * sudo messages: `USER : [ERROR ; ]TTY=T ; PWD=D ; USER=U ; [TSID=..; ][ENV=..; ]COMMAND=C` (pid optional in the
 * envelope, TTY optional). `COMMAND=` is last and keeps the rest of the line, so `;` inside a command is kept.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { SUDO_PROGRAMS } from '../programs.js';
import { parseUint, skipDigits, trimEnd } from '../scan.js';

/** Parses one sudo message; `false` when it is not a command log line. */
export function parseSudoMessage(msg: string, rec: LogRecord): boolean {
  let i = 0;
  const n = msg.length;
  while (i < n && msg.charCodeAt(i) === 32) i++;
  const sep = msg.indexOf(' : ', i);
  if (sep <= i || sep - i > 256) return false;
  const end = trimEnd(msg, i, n);
  let k = sep + 3;
  let sawField = false;
  let errStart = -1;
  let errEnd = -1;
  let command: string | null = null;
  let eqPos = -1; // cached position of the next '=' (keeps the scan linear when segments have none)
  let segments = 0; // real lines have < 16 fields; the cap bounds the work on hostile text
  while (k < end && segments++ < 64) {
    while (k < end && msg.charCodeAt(k) === 32) k++;
    if (msg.startsWith('COMMAND=', k)) {
      command = msg.slice(k + 8); // kept raw (trailing blanks included), as sudo wrote it
      sawField = true;
      break;
    }
    let e = msg.indexOf(' ; ', k);
    if (e < 0 || e > end) e = end;
    if (eqPos < k) {
      eqPos = msg.indexOf('=', k);
      if (eqPos < 0) eqPos = n;
    }
    const eq = eqPos;
    if (eq > k && eq < e && eq - k <= 16 && msg.charCodeAt(k) >= 65 && msg.charCodeAt(k) <= 90) {
      const v = msg.slice(eq + 1, e);
      switch (eq - k) {
        case 3:
          if (msg.startsWith('TTY', k)) rec.tty = v;
          else if (msg.startsWith('PWD', k)) rec.workingDirectory = v;
          break;
        case 4:
          if (msg.startsWith('USER', k)) rec.userEffectiveName = v;
          else if (msg.startsWith('TSID', k)) rec.sessionId = v;
          break;
        default:
          break;
      }
      sawField = true;
    } else if (!sawField) {
      if (errStart < 0) errStart = k;
      errEnd = e;
    }
    k = e + 3;
  }
  if (!sawField) return false;
  rec.userName = msg.slice(i, sep);
  rec.command = command;
  if (errStart < 0) {
    rec.action = 'sudo_command';
    rec.outcome = 'success';
    return true;
  }
  const errorText = msg.slice(errStart, errEnd);
  rec.reason = errorText;
  rec.outcome = 'failure';
  if (errorText.indexOf('NOT in sudoers') >= 0) {
    rec.action = 'sudo_not_in_sudoers';
    return true;
  }
  rec.action = 'sudo_auth_failure';
  const q = skipDigits(errorText, 0);
  if (q > 0 && errorText.startsWith(' incorrect password attempt', q)) rec.count = parseUint(errorText, 0, q);
  return true;
}

/** The sudo grammar, for {@link SUDO_PROGRAMS}. */
export const sudoGrammar: MessageGrammar = {
  name: 'sudo',
  programs: SUDO_PROGRAMS,
  parse: parseSudoMessage,
};
