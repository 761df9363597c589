/**
 * Account-management messages of shadow-utils: useradd, usermod, userdel, groupadd, passwd, chpasswd, chage, chfn,
 * gpasswd. Group names and ids, home and shell go to `labels` (`group.name`, `group.id`, `user.home`,
 * `user.shell`), the account to `user.name` / `user.id`.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { MessageGrammar } from '../types.js';
import { ACCOUNT_PROGRAMS } from '../programs.js';
import { parseUint, trimEnd } from '../scan.js';

function quoted(msg: string, i: number): { value: string; end: number } | null {
  if (msg.charCodeAt(i) !== 39) return null;
  const e = msg.indexOf("'", i + 1);
  if (e < 0) return null;
  return { value: msg.slice(i + 1, e), end: e + 1 };
}

/** Reads `name=X, UID=N, GID=N, home=H, shell=S, from=F` pairs from `i`. */
function kvComma(msg: string, i: number, end: number, rec: LogRecord, isGroup: boolean): void {
  let k = i;
  let labels: Record<string, string> | null = null;
  let eqPos = -1; // cached next '=' keeps the scan linear
  let pairs = 0; // shadow-utils prints <= 7 pairs; the cap bounds the work on hostile text
  while (k < end && pairs++ < 32) {
    while (k < end && msg.charCodeAt(k) === 32) k++;
    let e = msg.indexOf(', ', k);
    if (e < 0 || e > end) e = end;
    if (eqPos < k) {
      eqPos = msg.indexOf('=', k);
      if (eqPos < 0) eqPos = msg.length;
    }
    const eq = eqPos;
    if (eq > k && eq < e) {
      const key = msg.slice(k, eq);
      const v = msg.slice(eq + 1, e);
      if (key === 'name') {
        if (isGroup) (labels ??= {})['group.name'] = v;
        else rec.userName = v;
      } else if (key === 'UID') {
        const n = parseUint(v, 0, v.length);
        if (n >= 0) rec.userId = n;
      } else if (key === 'GID') (labels ??= {})['group.id'] = v;
      else if (key === 'home') (labels ??= {})['user.home'] = v;
      else if (key === 'shell') (labels ??= {})['user.shell'] = v;
      else if (key === 'from') rec.tty = v;
    }
    k = e + 2;
  }
  if (labels !== null) rec.labels = labels;
}

/** Parses one account-management message; `false` when unknown. */
export function parseAccountMessage(msg: string, rec: LogRecord): boolean {
  const end = trimEnd(msg, 0, msg.length);
  if (msg.startsWith('new user: ')) {
    rec.action = 'user_added';
    rec.outcome = 'success';
    kvComma(msg, 10, end, rec, false);
    return true;
  }
  if (msg.startsWith('new group: ')) {
    rec.action = 'group_added';
    rec.outcome = 'success';
    kvComma(msg, 11, end, rec, true);
    return true;
  }
  if (msg.startsWith('group added to ')) {
    const c = msg.indexOf(': ', 15);
    if (c < 0) return false;
    rec.action = 'group_added';
    rec.outcome = 'success';
    kvComma(msg, c + 2, end, rec, true);
    return true;
  }
  if (msg.startsWith('failed adding user ')) {
    const q = quoted(msg, 19);
    rec.action = 'user_added';
    rec.outcome = 'failure';
    if (q !== null) rec.userName = q.value;
    rec.reason = msg.slice(q === null ? 19 : q.end, end).replace(/^, /, '');
    return true;
  }
  if (msg.startsWith('delete user ')) {
    const q = quoted(msg, 12);
    rec.action = 'user_deleted';
    rec.outcome = 'success';
    if (q !== null) rec.userName = q.value;
    return true;
  }
  if (msg.startsWith('removed group ') || msg.startsWith('removed shadow group ')) {
    const owned = msg.lastIndexOf(" owned by '", end);
    rec.action = 'user_deleted';
    rec.outcome = 'success';
    const q = quoted(msg, msg.indexOf("'"));
    if (q !== null) rec.labels = { 'group.name': q.value };
    if (owned > 0) {
      const o = quoted(msg, owned + 10);
      if (o !== null) rec.userName = o.value;
    }
    return true;
  }
  if (msg.startsWith('change user ') || msg.startsWith('changed user ') || msg.startsWith('lock user ') || msg.startsWith('unlock user ')) {
    const q = quoted(msg, msg.indexOf("'"));
    rec.action = 'user_modified';
    rec.outcome = 'success';
    if (q !== null) {
      rec.userName = q.value;
      rec.reason = msg.slice(q.end, end).trim() || null;
    }
    return true;
  }
  if (msg.startsWith('add ') || msg.startsWith('delete ')) {
    const q = quoted(msg, msg.indexOf("'"));
    if (q === null) return false;
    const g = msg.lastIndexOf(" group '", end);
    rec.action = 'user_modified';
    rec.outcome = 'success';
    rec.userName = q.value;
    if (g > q.end) {
      const gq = quoted(msg, g + 7);
      if (gq !== null) rec.labels = { 'group.name': gq.value };
    }
    rec.reason = msg.startsWith('add ') ? 'group added' : 'group removed';
    return true;
  }
  if (msg.startsWith('changed password expiry for ')) {
    rec.action = 'user_modified';
    rec.outcome = 'success';
    rec.userName = msg.slice(28, end);
    rec.reason = 'password expiry';
    return true;
  }
  if (msg.startsWith('password for ')) {
    const q = quoted(msg, 13);
    if (q === null) return false;
    rec.action = 'password_changed';
    rec.outcome = msg.indexOf(' changed', q.end) >= 0 ? 'success' : null;
    rec.userName = q.value;
    return true;
  }
  if (msg.startsWith('user ') && msg.indexOf(' added by ') > 0) {
    const a = msg.indexOf(' added by ');
    rec.action = 'user_modified';
    rec.outcome = 'success';
    rec.userName = msg.slice(5, a);
    const g = msg.lastIndexOf(' to group ', end);
    if (g > a) rec.labels = { 'group.name': msg.slice(g + 10, end) };
    return true;
  }
  return false;
}

/** The account-management grammar, for {@link ACCOUNT_PROGRAMS}. */
export const accountGrammar: MessageGrammar = { name: 'accounts', programs: ACCOUNT_PROGRAMS, parse: parseAccountMessage };
