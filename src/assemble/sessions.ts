/**
 * Joiners for sudo, su, console login, systemd-logind and auditd lines.
 *
 * sudo/su/login lines are joined by pid when the line has one; pid-less lines (Debian's `sudo:` tag) are joined
 * in FIFO order by host + target user, which is exact when invocations do not overlap.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { Joiner } from './joiner.js';
import { fillIdentity, pamByUser, pamRuser, setReason, type HostState, type Unit, type UnitKind } from './state.js';

/** How long a failed console login waits for a retry by the same login(1) process before it is emitted. */
const CONSOLE_RETRY_MS = 60_000;

function byPid(h: HostState, pid: number | null, kind: UnitKind): Unit | undefined {
  if (pid === null) return undefined;
  const u = h.byPid.get(pid);
  return u !== undefined && u.kind === kind ? u : undefined;
}

function openPrivileged(j: Joiner, kind: 'sudo' | 'su' | 'console', h: HostState, r: LogRecord): Unit {
  const u = j.open(kind, kind, h, r);
  if (r.processPid !== null) j.claimPid(u, r.processPid);
  else if (kind !== 'console') h.privQueue.push(u);
  return u;
}

/** First pid-less queued unit of `kind` for target user `target` that satisfies `want`. Cleans done entries. */
function fromQueue(h: HostState, kind: UnitKind, target: string | null, want: (u: Unit) => boolean): Unit | undefined {
  const q = h.privQueue;
  let w = 0;
  let found: Unit | undefined;
  for (let i = 0; i < q.length; i++) {
    const u = q[i];
    if (u.done) continue;
    q[w++] = u;
    if (
      found === undefined &&
      u.kind === kind &&
      (target === null || u.event.userEffectiveName === null || u.event.userEffectiveName === target) &&
      want(u)
    ) {
      found = u;
    }
  }
  q.length = w;
  return found;
}

function sameTty(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return true;
  const x = a.startsWith('/dev/') ? a.slice(5) : a;
  const y = b.startsWith('/dev/') ? b.slice(5) : b;
  return x === y;
}

const awaitingOpen = (u: Unit): boolean => !u.pamOpened;
const awaitingClose = (u: Unit): boolean => u.pamOpened && !u.pamClosed;

/** sudo command / failure lines. */
export function joinSudo(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  let u = byPid(h, r.processPid, 'sudo');
  if (u !== undefined && (u.event.command !== null || u.pamOpened)) {
    // a second sudo line on the same pid is a new invocation
    if (u.ended) j.finish(u, 'complete');
    else j.evictReused(u);
    u = undefined;
  }
  if (u === undefined && r.userName !== null) {
    // PAM auth failures of the same user (and terminal, when both name one) just before: the same invocation
    const pre = h.sudoAuth.get(r.userName);
    if (pre !== undefined && !pre.done && sameTty(pre.event.tty, r.tty)) u = pre;
  }
  if (u === undefined) u = openPrivileged(j, 'sudo', h, r);
  else j.attach(u, r);
  if (r.userName !== null && h.sudoAuth.get(r.userName) === u) h.sudoAuth.delete(r.userName);
  const e = u.event;
  if (r.userName !== null) e.userName = r.userName;
  if (r.userEffectiveName !== null) e.userEffectiveName = r.userEffectiveName;
  if (r.tty !== null) e.tty = r.tty;
  if (r.workingDirectory !== null) e.workingDirectory = r.workingDirectory;
  if (r.command !== null) e.command = r.command;
  if (r.count !== null) u.statedFailures = Math.max(u.statedFailures, r.count);
  const ts = r.timestamp as number;
  if (a === 'sudo_command') {
    e.outcome = 'success';
    if (r.processPid === null && !h.privQueue.includes(u)) h.privQueue.push(u);
    j.markEnded(u, ts + j.options.lingerMs);
  } else {
    e.outcome = 'failure';
    setReason(u, a === 'sudo_not_in_sudoers' ? 3 : 2, a === 'sudo_not_in_sudoers' ? 'NOT in sudoers' : 'incorrect password attempts');
    if (a === 'sudo_auth_failure' && u.statedFailures === 0) u.statedFailures = 1;
    j.finish(u, 'complete');
  }
}

/** `pam_*(sudo:*)` lines. */
export function joinSudoPam(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  let u = byPid(h, r.processPid, 'sudo');
  const ts = r.timestamp as number;
  if (a === 'pam_session_opened') {
    if (u === undefined && r.processPid === null) u = fromQueue(h, 'sudo', r.userName, awaitingOpen);
    if (u === undefined) {
      u = openPrivileged(j, 'sudo', h, r);
      u.event.incomplete = true; // the sudo command line is missing
      u.event.outcome = 'success';
    } else j.attach(u, r);
    if (u.event.userEffectiveName === null) u.event.userEffectiveName = r.userName;
    if (u.event.userName === null) u.event.userName = r.userEffectiveName ?? pamByUser(r);
    u.pamOpened = true;
    u.ended = false;
    u.deadline = Infinity;
    return;
  }
  if (a === 'pam_session_closed') {
    if (u === undefined && r.processPid === null) u = fromQueue(h, 'sudo', r.userName, awaitingClose);
    if (u === undefined) {
      j.ignore(r, 'orphan');
      return;
    }
    j.attach(u, r);
    u.pamClosed = true;
    u.lastSeen = Math.max(u.lastSeen, ts);
    j.finish(u, 'complete');
    return;
  }
  // authentication lines come before the sudo command line; hold them in a unit keyed by the invoking user
  if (u === undefined && r.userName !== null && r.processPid === null) {
    const pre = h.sudoAuth.get(r.userName);
    if (pre !== undefined && !pre.done) u = pre;
  }
  if (u === undefined) {
    if (a !== 'pam_auth_failure' || r.userName === null) {
      j.ignore(r, 'orphan');
      return;
    }
    u = openPrivileged(j, 'sudo', h, r);
    u.event.userName = r.userName;
    if (r.processPid === null) h.sudoAuth.set(r.userName, u);
    // if no sudo line follows, this is a failed sudo
    u.event.outcome = 'failure';
    j.markEnded(u, ts + 60_000);
  } else j.attach(u, r);
  if (a === 'pam_auth_failure') {
    u.pamFailures += r.repeat;
    u.lastWasFailure = true;
    if (u.event.tty === null) u.event.tty = r.tty;
  }
}

/**
 * su lines: `pam` false for su's own lines (Debian `Successful su`, `+ tty a:b`, `FAILED SU`; RHEL `(to root) a on
 * tty`), true for `pam_*(su:*)` / `pam_*(su-l:*)` lines.
 */
export function joinSu(j: Joiner, h: HostState, r: LogRecord, pam: boolean): void {
  if (pam) {
    joinSuPam(j, h, r);
    return;
  }
  let u = byPid(h, r.processPid, 'su');
  if (u === undefined && r.processPid === null) {
    // a pid-less su line joins a pid-less PAM auth/session line of the same target (and invoking) user
    u = fromQueue(
      h,
      'su',
      r.userEffectiveName,
      (x) => !x.pamOpened && !x.authenticated && x.statedFailures === 0 && (x.event.userName === null || x.event.userName === r.userName),
    );
  }
  if (u === undefined) u = openPrivileged(j, 'su', h, r);
  else j.attach(u, r);
  const e = u.event;
  if (r.userName !== null) e.userName = r.userName;
  if (r.userEffectiveName !== null) e.userEffectiveName = r.userEffectiveName;
  if (r.tty !== null) e.tty = r.tty;
  const ts = r.timestamp as number;
  if (r.action === 'su_failure') {
    e.outcome = 'failure';
    u.statedFailures = Math.max(u.statedFailures, 1);
    u.lastWasFailure = true;
    setReason(u, 2, 'authentication failure');
    if (u.endReason === null) u.endReason = 'closed';
    j.markEnded(u, ts + j.options.lingerMs);
  } else {
    if (e.outcome !== 'failure') e.outcome = 'success';
    u.authenticated = true;
    if (!u.pamOpened) j.markEnded(u, ts + j.options.lingerMs);
  }
}

function joinSuPam(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  let u = byPid(h, r.processPid, 'su');
  const ts = r.timestamp as number;
  if (u === undefined && r.processPid === null) {
    if (a === 'pam_session_closed') u = fromQueue(h, 'su', r.userName, awaitingClose);
    else if (a === 'pam_session_opened') u = fromQueue(h, 'su', r.userName, awaitingOpen);
  }
  if (u === undefined) {
    if (a === 'pam_session_closed' || a === 'pam_other') {
      j.ignore(r, 'orphan');
      return;
    }
    u = openPrivileged(j, 'su', h, r);
  } else j.attach(u, r);
  const e = u.event;
  switch (a) {
    case 'pam_session_opened':
      // RHEL logs su only through PAM: "session opened for user root by alice(uid=1000)"
      if (e.userEffectiveName === null) e.userEffectiveName = r.userName;
      if (e.userName === null) e.userName = r.userEffectiveName ?? pamByUser(r);
      if (e.outcome !== 'failure') e.outcome = 'success';
      u.authenticated = true;
      u.pamOpened = true;
      u.ended = false;
      u.deadline = Infinity;
      break;
    case 'pam_session_closed':
      u.pamClosed = true;
      if (u.endReason === null) u.endReason = 'disconnect';
      j.finish(u, 'complete');
      break;
    case 'pam_auth_failure':
      u.pamFailures += r.repeat;
      u.lastWasFailure = true;
      if (e.userEffectiveName === null) e.userEffectiveName = r.userName;
      if (e.userName === null) e.userName = r.userEffectiveName ?? pamRuser(r);
      e.outcome = 'failure';
      setReason(u, 2, 'authentication failure');
      if (u.endReason === null) u.endReason = 'closed';
      j.markEnded(u, ts + j.options.lingerMs);
      break;
    default:
      break;
  }
}

/** login(1) lines and `pam_*(login:*)` (and display-manager) lines: console sessions, joined by pid. */
export function joinConsole(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  let u = byPid(h, r.processPid, 'console');
  const ts = r.timestamp as number;
  if (u === undefined) {
    if (a === 'pam_session_closed' || a === 'pam_other' || r.processPid === null && a !== 'login_failed' && a !== 'login_success' && a !== 'login_root') {
      j.ignore(r, 'orphan');
      return;
    }
    u = openPrivileged(j, 'console', h, r);
  } else j.attach(u, r);
  const e = u.event;
  if (e.tty === null && r.tty !== null) e.tty = r.tty;
  switch (a) {
    case 'login_failed':
      if (r.userName !== null) e.userName = r.userName;
      u.statedFailures += r.repeat;
      u.lastWasFailure = true;
      if (!u.authenticated) {
        e.outcome = 'failure';
        setReason(u, 2, r.reason ?? 'authentication failure');
        u.endReason = 'closed';
        u.ended = false;
        j.markEnded(u, ts + CONSOLE_RETRY_MS);
      }
      break;
    case 'login_success':
    case 'login_root':
    case 'pam_session_opened':
      if (r.userName !== null && (e.userName === null || a !== 'login_root')) e.userName = r.userName;
      if (a === 'login_root' && e.userName === null) e.userName = 'root';
      e.outcome = 'success';
      e.reason = null;
      u.endReason = null;
      u.ended = false;
      u.deadline = Infinity;
      if (!u.authenticated) {
        u.authenticated = true;
        u.authTime = ts;
        if (!u.awaitingLogind) {
          u.awaitingLogind = true;
          h.awaitingLogind.push(u);
        }
      }
      if (a === 'pam_session_opened') u.pamOpened = true;
      break;
    case 'pam_session_closed':
      u.pamClosed = true;
      u.endReason = 'disconnect';
      if (u.logindId !== null && !u.logindRemoved) j.extendEnd(u, ts + j.options.logindLingerMs);
      else j.finish(u, 'complete');
      break;
    case 'pam_auth_failure':
      if (r.userName !== null && e.userName === null) e.userName = r.userName;
      u.pamFailures += r.repeat;
      u.lastWasFailure = true;
      if (!u.authenticated) {
        e.outcome = 'failure';
        setReason(u, 2, 'authentication failure');
        u.endReason = 'closed';
        j.markEnded(u, ts + CONSOLE_RETRY_MS);
      }
      break;
    default:
      break;
  }
}

/** systemd-logind `New session N of user U`, `Session N logged out`, `Removed session N`. */
export function joinLogind(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  const id = r.sessionId;
  const ts = r.timestamp as number;
  if (id === null) {
    j.ignore(r, 'unrelated');
    return;
  }
  if (a === 'logind_new_session') {
    const tol = j.options.joinToleranceMs;
    const list = h.awaitingLogind;
    let best: Unit | undefined;
    let bestDist = Infinity;
    let w = 0;
    for (let i = 0; i < list.length; i++) {
      const u = list[i];
      if (u.done || u.logindId !== null || u.authTime < ts - 4 * tol - 60_000) {
        u.awaitingLogind = false;
        continue;
      }
      list[w++] = u;
      if (u.event.userName !== r.userName) continue;
      const d = Math.abs(u.authTime - ts);
      if (d <= tol && d < bestDist) {
        best = u;
        bestDist = d;
      }
    }
    list.length = w;
    if (best === undefined) {
      j.ignore(r, 'orphan');
      return;
    }
    j.attach(best, r);
    best.logindId = id;
    best.event.sessionId = id;
    h.byLogind.set(id, best);
    return;
  }
  const u = h.byLogind.get(id);
  if (u === undefined || u.done) {
    j.ignore(r, 'orphan');
    return;
  }
  j.attach(u, r);
  if (a === 'logind_removed_session') {
    u.logindRemoved = true;
    h.byLogind.delete(id);
    if (u.pamClosed) j.finish(u, 'complete');
    else {
      if (u.endReason === null) u.endReason = 'disconnect';
      j.markEnded(u, ts + j.options.lingerMs);
    }
  }
}

const UNSET_SES = new Set(['4294967295', '-1']);

/** auditd USER_* / CRED_* records: one unit per login transaction, joined by host + pid, session id or serial. */
export function joinAudit(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  const ses = r.sessionId !== null && !UNSET_SES.has(r.sessionId) ? 's' + r.sessionId : null;
  const pidKey = r.relatedPid !== null ? 'p' + r.relatedPid : null;
  const serialKey = r.auditSerial !== null ? 'n' + r.auditSerial : null;
  let u: Unit | undefined;
  if (pidKey !== null) u = h.byAudit.get(pidKey);
  if (u === undefined && ses !== null) u = h.byAudit.get(ses);
  if (u === undefined && serialKey !== null) u = h.byAudit.get(serialKey);
  if (u !== undefined && u.done) u = undefined;
  if (u === undefined) {
    if (a === 'audit_user_end' || a === 'audit_cred_disp') {
      j.ignore(r, 'orphan');
      return;
    }
    u = j.open('audit', 'audit', h, r);
    const key = pidKey ?? ses ?? serialKey;
    if (key !== null) {
      u.auditKey = key;
      h.byAudit.set(key, u);
    }
    if (key === null) j.markEnded(u, (r.timestamp as number) + j.options.lingerMs);
  } else j.attach(u, r);
  if (ses !== null && u.auditSesKey === null && u.auditKey !== ses) {
    u.auditSesKey = ses;
    h.byAudit.set(ses, u);
  }
  const e = u.event;
  fillIdentity(u, r);
  if (e.pid === null && r.relatedPid !== null) e.pid = r.relatedPid;
  if (ses !== null) e.sessionId = ses.slice(1);
  if (r.command !== null) e.command = r.command;
  const ts = r.timestamp as number;
  if (r.outcome === 'failure') {
    if (a === 'audit_user_auth' || a === 'audit_user_login') u.statedFailures += r.repeat;
    u.lastWasFailure = true;
    if (!u.authenticated) {
      e.outcome = 'failure';
      setReason(u, 2, r.reason ?? 'authentication failure');
      if (u.endReason === null) u.endReason = 'closed';
      j.markEnded(u, ts + j.options.lingerMs);
    }
  } else if (r.outcome === 'success' && (a === 'audit_user_login' || a === 'audit_user_start')) {
    u.authenticated = true;
    e.outcome = 'success';
    e.reason = null;
    u.endReason = null;
    u.ended = false;
    u.deadline = Infinity;
  } else if (r.outcome === 'success' && a === 'audit_user_auth' && e.outcome === 'unknown') {
    e.outcome = 'success';
  }
  if (a === 'audit_user_end' || a === 'audit_cred_disp') {
    if (u.endReason === null || u.authenticated) u.endReason = 'disconnect';
    j.markEnded(u, ts + j.options.lingerMs);
  }
}
