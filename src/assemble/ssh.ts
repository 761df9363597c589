/**
 * The sshd joiner: links the lines of one sshd connection — listener/monitor pid, privsep child pid, PAM lines
 * of the monitor — into one unit, and decides session / failed / no-user at the end.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import type { Joiner } from './joiner.js';
import { fillIdentity, setReason, type HostState, type Unit } from './state.js';

/** sshd lines (other than connection start/accept/end) whose meaning the joiner uses. */
const KNOWN_SSH_LINES = new Set([
  'ssh_auth_failed',
  'ssh_invalid_user',
  'ssh_auth_postponed',
  'ssh_auth_partial',
  'ssh_max_auth_exceeded',
  'ssh_pam_more_failures',
  'ssh_user_refused',
  'ssh_reverse_mapping',
  'ssh_no_identification',
  'ssh_negotiation_failed',
  'ssh_bad_protocol',
  'ssh_session_start',
]);

/** Reason ranks for failed connections: a stronger reason replaces a weaker one. */
const RANK_CLOSED = 1;
const RANK_FAILED = 2;
const RANK_INVALID = 3;
const RANK_REFUSED = 4;
const RANK_MAX_AUTH = 5;

/** The open ssh unit of an sshd pid: the monitor's own pid, else a privilege-separated child announced for it. */
function byPid(h: HostState, pid: number | null): Unit | undefined {
  if (pid === null) return undefined;
  const u = h.byPid.get(pid);
  return u !== undefined && u.kind === 'ssh' ? u : h.byChild.get(pid);
}

/** The open unit a record from an sshd process belongs to: by pid, then by child pid, then by endpoint. */
function lookup(h: HostState, r: LogRecord): Unit | undefined {
  let u = byPid(h, r.processPid);
  if (u === undefined && r.sourcePort !== null) {
    // endpoint index keyed by source port (no string building per line); units sharing a port are chained and
    // told apart by source address
    for (let v = h.byEndpoint.get(r.sourcePort); v !== undefined; v = v.endpointNext ?? undefined) {
      if (v.event.sourceIp === r.sourceIp) {
        u = v;
        break;
      }
    }
  }
  return u;
}

/** Register the record's endpoint for `u` (used to link privsep-child lines when the child pid is not announced). */
function setEndpoint(h: HostState, u: Unit, r: LogRecord): void {
  const port = r.sourcePort;
  if (port === null || r.sourceIp === null || u.endpoint !== null) return;
  if (u.event.sourceIp === null) {
    u.event.sourceIp = r.sourceIp;
    u.event.sourcePort = port;
  } else if (u.event.sourceIp !== r.sourceIp || u.event.sourcePort !== port) return;
  u.endpoint = port;
  u.endpointNext = h.byEndpoint.get(port) ?? null;
  h.byEndpoint.set(port, u);
}

function newConnection(j: Joiner, h: HostState, r: LogRecord, withEndpoint: boolean): Unit {
  const u = j.open('ssh', 'ssh_failed', h, r);
  if (r.processPid !== null) j.claimPid(u, r.processPid);
  if (withEndpoint) setEndpoint(h, u, r);
  return u;
}

/** True when `u` (found by pid) cannot be the connection `r` talks about: a different peer, or a second login. */
function isReuse(u: Unit, r: LogRecord, startsLogin: boolean): boolean {
  if (u.pid !== r.processPid) return false; // found via child pid or endpoint: same connection
  if (u.endpoint !== null && r.sourcePort !== null && r.sourceIp !== null) {
    const e = u.event;
    if (r.sourcePort !== e.sourcePort || r.sourceIp !== e.sourceIp) return true;
  }
  return startsLogin && u.accepted;
}

function endConnection(j: Joiner, u: Unit, r: LogRecord, how: 'closed' | 'reset' | 'disconnect' | 'timeout'): void {
  if (u.endReason === null) {
    u.endReason = u.authenticated ? how : how === 'reset' || how === 'timeout' ? how : 'closed';
    if (u.authenticated && r.reason !== null && u.event.reason === null) u.event.reason = r.reason;
  }
  if (!u.authenticated) setReason(u, RANK_CLOSED, how === 'reset' ? 'connection reset' : how === 'timeout' ? 'timeout' : 'closed before authentication');
  j.markEnded(u, (r.timestamp as number) + j.options.lingerMs);
}

/** Handle one record of an sshd-family program (sshd, sshd-session, sshd-auth) or with an `ssh_*` action. */
export function joinSsh(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  if (a === 'ssh_server_start' || a === 'ssh_server_stop') {
    j.ignore(r, 'server');
    return;
  }
  let u = lookup(h, r);
  const startsLogin = a === 'ssh_connection' || a === 'ssh_login';
  if (u !== undefined && (isReuse(u, r, startsLogin) || (a === 'ssh_connection' && u.pid === r.processPid))) {
    if (u.ended) j.finish(u, 'complete');
    else j.evictReused(u);
    u = undefined;
  }
  switch (a) {
    case 'ssh_connection':
      fillIdentity(newConnection(j, h, r, true), r);
      return;
    case 'ssh_login': {
      if (u === undefined || u.ended) {
        if (u !== undefined) j.finish(u, 'complete');
        u = newConnection(j, h, r, true);
      } else {
        j.attach(u, r);
        if (u.endpoint === null) setEndpoint(h, u, r);
      }
      const e = u.event;
      u.authenticated = true;
      u.accepted = true;
      if (u.authTime === -Infinity) u.authTime = r.timestamp as number;
      if (r.userName !== null) e.userName = r.userName;
      fillIdentity(u, r);
      e.sshMethod = r.sshMethod;
      e.sshKeyType = r.sshKeyType;
      e.sshKeyFingerprint = r.sshKeyFingerprint;
      if (!u.awaitingLogind) {
        u.awaitingLogind = true;
        h.awaitingLogind.push(u);
      }
      u.lastWasFailure = false;
      return;
    }
    case 'ssh_user_child':
      if (u === undefined) {
        j.ignore(r, 'orphan');
        return;
      }
      j.attach(u, r);
      if (r.relatedPid !== null) {
        u.childPid = r.relatedPid;
        h.byChild.set(r.relatedPid, u);
      }
      return;
    case 'ssh_connection_closed':
    case 'ssh_connection_reset':
    case 'ssh_disconnect_received':
    case 'ssh_disconnected':
    case 'ssh_timeout': {
      if (u === undefined) {
        // a close with no known connection: before authentication it is a whole (short) connection;
        // after authentication its start was before the input.
        const preauth = r.preauth || a === 'ssh_connection_closed' || a === 'ssh_connection_reset';
        if (a === 'ssh_timeout' && !r.preauth && r.sourcePort === null && r.processPid !== null) {
          // the privsep child's "Timeout, client not responding.": the monitor's PAM close will claim it
          j.hold(h, r);
          return;
        }
        if (!preauth || r.processPid === null) {
          j.ignore(r, 'orphan');
          return;
        }
        u = newConnection(j, h, r, true);
      } else j.attach(u, r);
      fillIdentity(u, r);
      const how =
        a === 'ssh_connection_reset'
          ? 'reset'
          : a === 'ssh_timeout'
            ? 'timeout'
            : a === 'ssh_connection_closed'
              ? 'closed'
              : 'disconnect';
      endConnection(j, u, r, how);
      u.lastWasFailure = false;
      return;
    }
    default:
      break;
  }
  // pre-authentication lines and anything else from an sshd process
  const known = KNOWN_SSH_LINES.has(a);
  if (u === undefined) {
    if (!known || r.processPid === null || a === 'ssh_session_start') {
      j.ignore(r, known ? 'orphan' : 'unknown');
      return;
    }
    u = newConnection(j, h, r, true);
  } else j.attach(u, r);
  if (!known) return;
  u.lastWasFailure = false;
  if (u.endpoint === null && r.sourcePort !== null && u.pid === r.processPid) setEndpoint(h, u, r);
  const e = u.event;
  switch (a) {
    case 'ssh_auth_failed':
      fillIdentity(u, r);
      u.failedLines += r.repeat;
      u.lastWasFailure = true;
      if (!u.authenticated && r.sshMethod !== null) e.sshMethod = r.sshMethod;
      setReason(u, RANK_FAILED, 'authentication failed');
      if (r.invalidUser) setReason(u, RANK_INVALID, 'invalid user');
      break;
    case 'ssh_invalid_user':
      fillIdentity(u, r);
      e.invalidUser = true;
      setReason(u, RANK_INVALID, 'invalid user');
      break;
    case 'ssh_auth_postponed':
    case 'ssh_auth_partial':
      fillIdentity(u, r);
      break;
    case 'ssh_max_auth_exceeded':
      fillIdentity(u, r);
      setReason(u, RANK_MAX_AUTH, 'too many authentication failures');
      if (!u.authenticated) {
        if (u.endReason === null) u.endReason = 'closed';
        j.markEnded(u, (r.timestamp as number) + j.options.lingerMs);
      }
      break;
    case 'ssh_pam_more_failures':
      fillIdentity(u, r);
      // "PAM N more authentication failures" follows one logged failure: N + 1 in all
      u.pamFailures = Math.max(u.pamFailures, (r.count ?? 0) + 1);
      break;
    case 'ssh_user_refused':
      fillIdentity(u, r);
      setReason(u, RANK_REFUSED, r.reason ?? 'user not allowed');
      break;
    case 'ssh_no_identification':
    case 'ssh_negotiation_failed':
    case 'ssh_bad_protocol':
      fillIdentity(u, r);
      if (u.endReason === null) u.endReason = 'closed';
      setReason(u, RANK_CLOSED, r.reason ?? a.slice(4).replace(/_/g, ' '));
      j.markEnded(u, (r.timestamp as number) + j.options.lingerMs);
      break;
    case 'ssh_session_start':
      if (r.tty !== null) e.tty = r.tty;
      break;
    default:
      break;
  }
}

/** Handle a `pam_*(sshd:*)` record (logged by the sshd monitor pid). */
export function joinSshPam(j: Joiner, h: HostState, r: LogRecord): void {
  const a = r.action;
  const pid = r.processPid;
  let u = byPid(h, pid);
  if (u !== undefined && a === 'pam_session_opened' && u.pamOpened) {
    if (u.ended) j.finish(u, 'complete');
    else j.evictReused(u);
    u = undefined;
  }
  if (u === undefined) {
    if (pid === null || a === 'pam_other') {
      j.ignore(r, 'orphan');
      return;
    }
    u = newConnection(j, h, r, false);
    // a session closed with no state opened before the input began: emit what is known (flagged incomplete)
    if (a === 'pam_session_closed') u.authenticated = true;
  } else j.attach(u, r);
  u.lastWasFailure = false;
  const e = u.event;
  switch (a) {
    case 'pam_session_opened':
      if (e.userName === null) e.userName = r.userName;
      u.pamOpened = true;
      u.authenticated = true; // without an Accepted line the event is flagged incomplete when finished
      if (u.authTime === -Infinity) u.authTime = r.timestamp as number;
      if (!u.awaitingLogind && u.logindId === null) {
        u.awaitingLogind = true;
        h.awaitingLogind.push(u);
      }
      break;
    case 'pam_session_closed': {
      if (e.userName === null) e.userName = r.userName;
      const held = h.held;
      // claim only when this session has no end line of its own (its child's disconnect lines were not seen)
      if (held !== null && u.authenticated && u.endReason === null && (r.timestamp as number) - (held.timestamp as number) <= j.options.lingerMs) {
        j.attach(u, j.takeHeld(h) as LogRecord);
        if (u.endReason === null) u.endReason = 'timeout';
      }
      u.pamClosed = true;
      if (u.endReason === null) u.endReason = 'disconnect';
      if (u.logindId !== null && !u.logindRemoved) j.extendEnd(u, (r.timestamp as number) + j.options.logindLingerMs);
      else if (u.logindRemoved) j.finish(u, 'complete');
      else j.markEnded(u, (r.timestamp as number) + j.options.lingerMs);
      break;
    }
    case 'pam_auth_failure':
      fillIdentity(u, r);
      u.pamFailures += r.repeat;
      u.lastWasFailure = true;
      setReason(u, RANK_FAILED, 'authentication failed');
      break;
    case 'pam_faillock':
      fillIdentity(u, r);
      setReason(u, RANK_REFUSED, 'account locked');
      break;
    case 'pam_requirement_not_met':
      setReason(u, RANK_REFUSED, r.reason ?? 'pam requirement not met');
      break;
    default:
      break;
  }
}
