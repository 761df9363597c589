/**
 * Routes one released record to the joiner that owns it, or to a not-a-login bucket.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { IgnoreReason } from './counters.js';
import type { Joiner } from './joiner.js';
import { joinAudit, joinConsole, joinLogind, joinSu, joinSudo, joinSudoPam } from './sessions.js';
import { joinSsh, joinSshPam } from './ssh.js';
import type { HostState } from './state.js';

/** Program names of OpenSSH's server processes (sshd; sshd-session since 9.8; sshd-auth since 10.0). */
const SSHD_NAMES = new Set(['sshd', 'sshd-session', 'sshd-auth']);
const CRON_NAMES = new Set(['cron', 'crond', 'CRON', 'anacron']);
/** Programs whose unparsed lines count as 'unknown' (they may matter); every other program's as 'unrelated'. */
const LOGIN_PROGRAMS = new Set(['sshd', 'sshd-session', 'sshd-auth', 'sudo', 'su', 'login', 'systemd-logind']);
const CONSOLE_SERVICES = new Set(['login', 'gdm-password', 'lightdm', 'sddm', 'xrdp-sesman', 'remote']);
const NOT_LOGIN_ACTIONS = new Set([
  'user_added',
  'user_modified',
  'user_deleted',
  'group_added',
  'password_changed',
  'pam_password_changed',
  'pam_password_check_failed',
  'audit_other',
]);

function isSshdName(name: string | null): boolean {
  if (name === null) return false;
  if (SSHD_NAMES.has(name)) return true;
  // journald units such as "sshd@..." or distro wrappers
  return name.startsWith('sshd');
}

const R_SSH = 1;
const R_SUDO = 2;
const R_SU = 3;
const R_CONSOLE = 4;
const R_LOGIND = 5;
const R_AUDIT = 6;
const R_REPEAT = 7;
const R_NOT_LOGIN = 8;
const R_PAM = 9;

/** Route of each built-in action (one Map lookup per record instead of a chain of string tests). */
const ROUTE = new Map<string, number>();
for (const a of [
  'ssh_connection', 'ssh_login', 'ssh_auth_failed', 'ssh_invalid_user', 'ssh_auth_postponed', 'ssh_auth_partial',
  'ssh_connection_closed', 'ssh_connection_reset', 'ssh_disconnect_received', 'ssh_disconnected', 'ssh_max_auth_exceeded',
  'ssh_pam_more_failures', 'ssh_no_identification', 'ssh_negotiation_failed', 'ssh_bad_protocol', 'ssh_user_child',
  'ssh_session_start', 'ssh_session_close', 'ssh_subsystem_request', 'ssh_user_refused', 'ssh_timeout', 'ssh_server_start',
  'ssh_server_stop', 'ssh_reverse_mapping',
]) ROUTE.set(a, R_SSH);
for (const a of ['sudo_command', 'sudo_auth_failure', 'sudo_not_in_sudoers']) ROUTE.set(a, R_SUDO);
for (const a of ['su_session', 'su_failure']) ROUTE.set(a, R_SU);
for (const a of ['login_failed', 'login_root', 'login_success']) ROUTE.set(a, R_CONSOLE);
for (const a of ['logind_new_session', 'logind_session_logged_out', 'logind_removed_session']) ROUTE.set(a, R_LOGIND);
for (const a of [
  'audit_user_auth', 'audit_user_acct', 'audit_cred_acq', 'audit_user_login', 'audit_user_start', 'audit_user_end',
  'audit_cred_disp', 'audit_cred_refr', 'audit_user_cmd',
]) ROUTE.set(a, R_AUDIT);
ROUTE.set('repeat_last', R_REPEAT);
for (const a of NOT_LOGIN_ACTIONS) ROUTE.set(a, R_NOT_LOGIN);
for (const a of [
  'pam_session_opened', 'pam_session_closed', 'pam_auth_failure', 'pam_auth_success', 'pam_user_unknown', 'pam_faillock',
  'pam_requirement_not_met', 'pam_other',
]) ROUTE.set(a, R_PAM);

function routeOf(a: string): number {
  const r = ROUTE.get(a);
  if (r !== undefined) return r;
  // actions of custom grammars: by prefix
  if (a.startsWith('ssh_')) return R_SSH;
  if (a.startsWith('pam_')) return R_PAM;
  return 0;
}

/**
 * Records that can never join a login (CRON / systemd-user PAM sessions, cron lines, account management) are
 * counted as soon as they arrive instead of passing through the reorder buffer: returns their bucket, or `null`.
 */
export function preClassify(r: LogRecord): IgnoreReason | null {
  return preClassifyCode(r, actionCode(r.action));
}

/** {@link preClassify} with the record's {@link actionCode} already looked up. */
export function preClassifyCode(r: LogRecord, code: number): IgnoreReason | null {
  // the built-in table only (custom actions routed by prefix are never counted on arrival)
  const route = (code & IN_TABLE) === 0 ? -1 : code >> ROUTE_SHIFT;
  if (route === R_PAM) {
    const svc = r.pamService;
    if (svc === 'cron' || svc === 'crond') return 'cron';
    if (svc === 'systemd-user') return 'systemd-user';
    return null;
  }
  if (route === R_NOT_LOGIN) return 'unrelated';
  if (route === -1 && r.action === 'unknown' && r.processName !== null && CRON_NAMES.has(r.processName)) return 'cron';
  return null;
}

/** Handle one record whose timestamp and host are known, in host time order. */
export function dispatch(j: Joiner, h: HostState, r: LogRecord): void {
  dispatchTo(j, h, r, dispatchTarget(r, routeOf(r.action)));
}

/** Dispatch targets beyond the action routes: resolved from the PAM service / program name by {@link dispatchTarget}. */
const T_PAM_SSHD = 16;
const T_PAM_CRON = 17;
const T_PAM_SYSTEMD_USER = 18;
const T_PAM_SUDO = 19;
const T_PAM_SU = 20;
const T_PAM_CONSOLE = 21;
const T_PAM_OTHER = 22;
const T_SSHD_UNKNOWN = 23;
const T_CRON = 24;
const T_OTHER_UNKNOWN = 25;
const T_OTHER_UNRELATED = 26;

/**
 * The joiner or bucket a record goes to, from its action route (`actionCode(a) >> ROUTE_SHIFT`) and the record's
 * own fields (PAM service, program name). A pure function of the record, so the assembler computes it on arrival,
 * while the record is still in the CPU cache, and keeps it in the reorder buffer with the record.
 */
export function dispatchTarget(r: LogRecord, route: number): number {
  if (route === R_PAM) {
    const svc = r.pamService;
    if (svc !== null) {
      if (svc === 'sshd') return T_PAM_SSHD;
      if (svc === 'cron' || svc === 'crond') return T_PAM_CRON;
      if (svc === 'systemd-user') return T_PAM_SYSTEMD_USER;
      if (svc === 'sudo' || svc === 'sudo-i') return T_PAM_SUDO;
      if (svc === 'su' || svc === 'su-l') return T_PAM_SU;
      if (CONSOLE_SERVICES.has(svc)) return T_PAM_CONSOLE;
      return T_PAM_OTHER;
    }
    route = 0;
  }
  if (route !== 0) return route;
  const prog = r.processName;
  const unknown = r.action === 'unknown';
  if (unknown && isSshdName(prog)) return T_SSHD_UNKNOWN;
  if (prog !== null && CRON_NAMES.has(prog)) return T_CRON;
  return unknown && prog !== null && LOGIN_PROGRAMS.has(prog) ? T_OTHER_UNKNOWN : T_OTHER_UNRELATED;
}

/** Handle one record whose timestamp and host are known, in host time order, given its {@link dispatchTarget}. */
export function dispatchTo(j: Joiner, h: HostState, r: LogRecord, target: number): void {
  switch (target) {
    case R_SSH:
    case T_SSHD_UNKNOWN:
      return joinSsh(j, h, r);
    case R_SUDO:
      return joinSudo(j, h, r);
    case R_SU:
      return joinSu(j, h, r, false);
    case R_CONSOLE:
    case T_PAM_CONSOLE:
      return joinConsole(j, h, r);
    case R_LOGIND:
      return joinLogind(j, h, r);
    case R_AUDIT:
      return joinAudit(j, h, r);
    case R_REPEAT:
      return repeatLast(j, h, r);
    case R_NOT_LOGIN:
      return j.ignore(r, 'unrelated');
    case T_PAM_SSHD:
      return joinSshPam(j, h, r);
    case T_PAM_CRON:
    case T_CRON:
      return j.ignore(r, 'cron');
    case T_PAM_SYSTEMD_USER:
      return j.ignore(r, 'systemd-user');
    case T_PAM_SUDO:
      return joinSudoPam(j, h, r);
    case T_PAM_SU:
      return joinSu(j, h, r, true);
    case T_OTHER_UNKNOWN:
      return attachByPidOr(j, h, r, 'unknown');
    default:
      // T_PAM_OTHER, T_OTHER_UNRELATED
      return attachByPidOr(j, h, r, 'unrelated');
  }
}

/** Merge a record into the open login that owns its pid (e.g. `pam_systemd(su:session)` lines), else count it. */
function attachByPidOr(j: Joiner, h: HostState, r: LogRecord, reason: 'unknown' | 'unrelated'): void {
  const pid = r.processPid;
  const u = pid === null ? undefined : (h.byPid.get(pid) ?? h.byChild.get(pid));
  if (u === undefined || u.done) return j.ignore(r, reason);
  j.attach(u, r);
  u.lastWasFailure = false;
}

/** `last message repeated N times`: the previous line of this host, N more times. */
function repeatLast(j: Joiner, h: HostState, r: LogRecord): void {
  const u = h.lastUnit;
  if (u === null || u.done) return j.ignore(r, 'orphan');
  const wasFailure = u.lastWasFailure;
  j.attach(u, r);
  if (wasFailure) {
    const n = Math.max(1, r.repeat);
    if (u.kind === 'ssh' && u.failedLines > 0) u.failedLines += n;
    else if (u.pamFailures > 0) u.pamFailures += n;
    else u.statedFailures += n;
    u.lastWasFailure = true;
  }
}

/** Number of same-time ranks; heap keys are `timestamp * RANKS + rank`. */
export const RANKS = 16;

const RANK_OBJ: Record<string, number> = {
  ssh_server_stop: 0,
  ssh_server_start: 0,
  ssh_connection: 0,
  ssh_reverse_mapping: 0,
  ssh_invalid_user: 1,
  ssh_user_refused: 1,
  pam_user_unknown: 1,
  pam_auth_failure: 1,
  pam_faillock: 1,
  pam_requirement_not_met: 1,
  audit_user_auth: 1,
  ssh_auth_failed: 2,
  ssh_auth_postponed: 2,
  ssh_auth_partial: 2,
  login_failed: 2,
  ssh_login: 3,
  sudo_command: 3,
  sudo_auth_failure: 3,
  sudo_not_in_sudoers: 3,
  su_session: 3,
  su_failure: 3,
  audit_user_acct: 3,
  audit_cred_acq: 3,
  pam_session_opened: 4,
  ssh_user_child: 4,
  login_success: 4,
  login_root: 4,
  audit_user_login: 4,
  audit_user_start: 4,
  logind_new_session: 5,
  ssh_session_start: 6,
  ssh_subsystem_request: 6,
  ssh_max_auth_exceeded: 8,
  ssh_pam_more_failures: 8,
  ssh_timeout: 9,
  ssh_disconnect_received: 9,
  ssh_connection_reset: 9,
  ssh_connection_closed: 9,
  ssh_no_identification: 9,
  ssh_negotiation_failed: 9,
  ssh_bad_protocol: 9,
  ssh_session_close: 9,
  ssh_disconnected: 10,
  pam_session_closed: 11,
  logind_session_logged_out: 11,
  audit_user_end: 11,
  logind_removed_session: 12,
  audit_cred_disp: 12,
};
const RANK = new Map<string, number>(Object.entries(RANK_OBJ));
RANK.set('repeat_last', -1);

/**
 * Rank of an action among records with the same timestamp: the order in which the lines of one login are
 * written (connection, failures, accept, PAM open, logind, ..., disconnect, PAM close, logind remove). With
 * one-second syslog timestamps this makes the join independent of how a collector shuffled lines within a second.
 * `repeat_last` returns -1 (it inherits the rank of the record before it); other actions rank 7.
 */
export function actionRank(action: string): number {
  const r = RANK.get(action);
  return r === undefined ? 7 : r;
}

/** Bit layout of {@link actionCode}: `route << ROUTE_SHIFT | IN_TABLE? | (rank + 1)`. */
export const ROUTE_SHIFT = 6;
const IN_TABLE = 32;
/** Mask of `rank + 1` in an action code. */
export const RANK_MASK = 31;

const CODE = new Map<string, number>();

function computeCode(a: string): number {
  return (routeOf(a) << ROUTE_SHIFT) | (ROUTE.has(a) ? IN_TABLE : 0) | (actionRank(a) + 1);
}
for (const a of new Set([...ROUTE.keys(), ...RANK.keys(), 'unknown'])) CODE.set(a, computeCode(a));

/**
 * Route, same-second rank and table membership of an action in one number (one Map lookup per record for the
 * built-in vocabulary; custom actions are computed each time, so attacker-influenced vocabularies cannot grow a cache).
 * Rank is `(code & RANK_MASK) - 1`, route is `code >> ROUTE_SHIFT`.
 */
export function actionCode(a: string): number {
  const c = CODE.get(a);
  return c === undefined ? computeCode(a) : c;
}
