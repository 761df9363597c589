/**
 * Plain-language phrases for feature columns, for explanations a manager can read: "first login of alice to
 * db-07", "03:12 is far outside alice's usual 08:00-18:00", "12 failures from 203.0.113.5 in the last 10
 * minutes". Strings from the event are quoted as they are (they may be attacker-typed); nothing is evaluated.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { emptyAddressInfo, parseAddress, subnetLabel } from './address.js';
import { hourDistance, profileHours, usualHours } from './families/profile.js';
import { windowLabel, windowWords } from './family.js';
import { hashString, HASH_OUT } from './hash.js';
import type { History } from './history.js';
import type { ResolvedSpec } from './spec.js';
import { isUsableTime, LocalClock } from './timezone.js';

/** What {@link describeFeature} reads. */
export interface DescribeContext {
  /** Resolved spec (windows, time zone). */
  spec: Readonly<ResolvedSpec>;
  /** Current behavioural state. */
  history: History;
  /** Clock in the spec's time zone. */
  clock: LocalClock;
}

const KIND_WORDS: Record<string, string> = {
  ssh_session: 'SSH session',
  ssh_failed: 'failed SSH login',
  ssh_no_user: 'SSH connection that never named a user',
  sudo: 'sudo command',
  su: 'su session',
  console: 'console login',
  audit: 'audit login record',
};

/** Cuts and quotes an attacker-controllable string for display. */
function q(s: string | null | undefined, fallback = 'unknown'): string {
  if (typeof s !== 'string' || s.length === 0) return fallback;
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 61)}...` : clean;
}

function hhmm(hour: number): string {
  const m = Math.floor(hour * 60 + 1e-6) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  const r = Math.round(n);
  return `${r} ${r === 1 ? one : many}`;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function duration(s: number): string {
  if (!(s >= 0)) return 'an unknown time';
  if (s < 120) return count(s, 'second');
  if (s < 7200) return count(s / 60, 'minute');
  if (s < 172_800) {
    const h = Math.floor(s / 3600);
    return `${h}h ${String(Math.round((s - h * 3600) / 60)).padStart(2, '0')}m`;
  }
  return count(s / 86_400, 'day');
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function profileSlot(h: History, user: string | null): number {
  if (typeof user !== 'string' || user.length === 0) return -1;
  hashString(user);
  return h.profiles.find(HASH_OUT[0], HASH_OUT[1]);
}

/** The phrase for a built-in column (see {@link FeatureEncoder.describe}). */
export function describeFeature(ctx: DescribeContext, column: string, e: LoginEvent, raw: number): string {
  const user = q(e.userName, 'an unknown user');
  const host = q(e.hostName, 'an unknown host');
  const src = q(e.sourceIp, 'an unknown source');
  const on = (v: number): boolean => v >= 0.5;
  const dot = column.indexOf('.');
  const family = column.slice(0, dot);
  const name = column.slice(dot + 1);
  const eq = name.indexOf('=');
  const base = eq < 0 ? name : name.slice(0, eq);
  const t = isUsableTime(e.timestamp) ? e.timestamp : NaN;
  const tz = ctx.spec.timezone === 'UTC' ? 'UTC' : ctx.spec.timezone;
  const local = (): { hour: number; weekday: number } | null => {
    if (Number.isNaN(t)) return null;
    ctx.clock.set(t);
    return { hour: ctx.clock.hour, weekday: ctx.clock.weekday };
  };
  const v = ctx.spec.families.velocity;
  // Without a value, phrases that depend on it would guess; return '' so callers use their generic text.
  if (!Number.isFinite(raw) && (family === 'novelty' || family === 'velocity' || (family === 'what' && eq < 0 && base !== 'failures' && base !== 'duration_s'))) {
    return '';
  }

  switch (family) {
    case 'time': {
      const l = local();
      if (l === null) return 'login time unknown';
      const at = `${hhmm(l.hour)} ${tz}`;
      if (base === 'weekday_sin' || base === 'weekday_cos') return `login on a ${WEEKDAYS[l.weekday]} (${at})`;
      if (base === 'weekend') {
        const weekend = Number.isFinite(raw) ? on(raw) : ctx.spec.families.time.weekendDays.includes(l.weekday);
        return weekend ? `login on a weekend day (${WEEKDAYS[l.weekday]})` : `login on a weekday (${WEEKDAYS[l.weekday]})`;
      }
      const s = profileSlot(ctx.history, e.userName);
      if (s < 0) return `login at ${at}; no usual hours known yet for ${user}`;
      const u = usualHours(ctx.history, s);
      const range = u.length >= 24 ? 'any time of day' : `${hhmm(u.start)}-${hhmm((u.start + u.length) % 24)}`;
      if (base === 'hour_rarity_user') {
        return raw >= 0.9
          ? `${at} is an hour at which ${user} almost never logs in (usual ${range})`
          : `${at}: ${pct(1 - Math.max(0, Math.min(1, raw)))} of ${user}'s logins are within an hour of this time (usual ${range})`;
      }
      const { mean } = profileHours(ctx.history, s);
      const d = base === 'hour_offset_user' && Number.isFinite(raw) ? raw : hourDistance(l.hour, mean);
      const how = d >= 4 ? 'is far outside' : d >= 2 ? 'is outside' : 'is within';
      return `${hhmm(l.hour)} ${how} ${user}'s usual ${range} (${tz})`;
    }
    case 'what': {
      switch (base) {
        case 'kind':
          return `event type: ${KIND_WORDS[e.kind] ?? q(e.kind)}`;
        case 'outcome':
          return `outcome: ${q(e.outcome)}`;
        case 'action':
          return `action: ${q(e.action)}`;
        case 'method':
          return `authentication method: ${q(e.sshMethod, 'none recorded')}`;
        case 'key_type':
          return `key type: ${q(e.sshKeyType, 'none')}`;
        case 'failures':
          return `${count(Number.isFinite(raw) ? raw : e.failures, 'failed attempt')} within this login`;
        case 'duration_s':
          if (typeof e.end !== 'number') return 'session has no end yet';
          return `session lasted ${duration(Number.isFinite(raw) ? raw : (e.end - e.timestamp) / 1000)}`;
        case 'still_open':
          return on(raw) ? `session of ${user} on ${host} is still open` : `session of ${user} on ${host} has ended`;
        case 'sudo_root':
          return on(raw) ? `${e.kind === 'su' ? 'su' : 'sudo'} to root by ${user}` : `${user} did not switch to root`;
        case 'password_by_key_user':
          return raw >= 0.999
            ? `password login by an account that always used keys (${user})`
            : raw > 0
              ? `password login by ${user}, who used keys for ${pct(raw)} of earlier logins`
              : `password login by ${user}`;
        case 'invalid_user':
          return on(raw) ? `user ${user} does not exist on ${host}` : `user ${user} exists on ${host}`;
        case 'root_login':
          return on(raw) ? `direct login as root on ${host}` : 'not a direct root login';
        case 'incomplete':
          return on(raw) ? 'some log lines of this login are missing' : 'complete log record';
        default:
          return `${column} = ${raw}`;
      }
    }
    case 'where': {
      if (base === 'class') {
        if (typeof e.sourceIp !== 'string' || e.sourceIp.length === 0) return 'login has no source address';
        const words = ['not a usable', 'a loopback', 'a private', 'a public', 'a non-IP'];
        return `source ${src} is ${words[parseAddress(e.sourceIp, emptyAddressInfo()).cls]} address`;
      }
      if (base === 'ipv6') return on(raw) ? `source ${src} is an IPv6 address` : `source ${src} is not IPv6`;
      if (base === 'net_bucket') return `source ${src} comes from an unusual network range`;
      return `${column} = ${raw}`;
    }
    case 'novelty': {
      switch (base) {
        case 'user_new':
          return on(raw) ? `first login ever seen for ${user}` : `${user} has logged in before`;
        case 'user_host_new':
          return on(raw) ? `first login of ${user} to ${host}` : `${user} has logged in to ${host} before`;
        case 'user_subnet_new':
          return on(raw)
            ? `source ${src} (${e.sourceIp ? q(subnetLabel(e.sourceIp)) : '?'}) never seen for ${user}`
            : `${user} has logged in from ${src}'s network before`;
        case 'user_key_new':
          return on(raw) ? `key ${q(e.sshKeyFingerprint)} never used by ${user} before` : `${user} has used this key before`;
        case 'user_method_new':
          if (e.sshMethod === null && (e.kind === 'sudo' || e.kind === 'su')) {
            return on(raw) ? `first ${e.kind} by ${user}: the account never used ${e.kind} before` : `${user} has used ${e.kind} before`;
          }
          return on(raw) ? `${user} never used ${q(e.sshMethod)} login before` : `${user} has used ${q(e.sshMethod)} before`;
        case 'host_source_new':
          return on(raw) ? `${host} never had a login from ${src} before` : `${host} has had logins from ${src} before`;
        case 'user_idle_days': {
          const ago = raw >= 1 ? count(raw, 'day') : duration(Math.max(0, raw) * 86_400);
          const dormant = raw >= 30 ? ' (dormant account)' : '';
          // Failed attempts (and connections without a user) carry 0: dormancy is measured on established logins.
          if (e.outcome === 'failure' || e.kind === 'ssh_no_user') return `failed attempt on ${user} (dormancy is measured on successful logins only)`;
          // 0 = no profile yet (first successful login on record); the encoder never reports a negative gap
          if (!(raw > 0)) return `${user} has no earlier successful login on record`;
          return `${user} was last seen ${ago} ago${dormant}`;
        }
        case 'host_rarity_user':
          return raw >= 0.999
            ? `${host} is a host ${user} has never logged in to`
            : `${host} is ${raw >= 0.8 ? 'a rare' : 'a usual'} host for ${user} (about ${pct(1 - raw)} of earlier logins)`;
        case 'source_rarity': {
          const c = raw > 0 ? Math.max(0, Math.round(1 / raw - 1)) : NaN;
          return c === 0 ? `source ${src} was never seen in a successful login before` : `source ${src} seen in ${Number.isNaN(c) ? 'many' : count(c, 'earlier login')}`;
        }
        case 'subnet_rarity': {
          const c = raw > 0 ? Math.max(0, Math.round(1 / raw - 1)) : NaN;
          const net = e.sourceIp ? q(subnetLabel(e.sourceIp)) : src;
          return c === 0 ? `network ${net} was never seen in a successful login before` : `network ${net} seen in ${Number.isNaN(c) ? 'many' : count(c, 'earlier login')}`;
        }
        default:
          return `${column} = ${raw}`;
      }
    }
    case 'velocity': {
      const r = Number.isFinite(raw) ? Math.max(0, raw) : 0;
      const uw = windowLabel(v.userWindowMs);
      const sw = windowLabel(v.shortWindowMs);
      const lw = windowLabel(v.longWindowMs);
      if (base === `user_hosts_${uw}`) return `${user} logged in to ${count(r, 'other host')} in the last ${windowWords(v.userWindowMs)}`;
      if (base === `user_logins_${uw}`) return `${count(r, 'earlier login')} by ${user} in the last ${windowWords(v.userWindowMs)}`;
      for (const [label, ms] of [
        [sw, v.shortWindowMs],
        [lw, v.longWindowMs],
      ] as const) {
        if (base === `source_failures_${label}`) return `${count(r, 'failure')} from ${src} in the last ${windowWords(ms)}`;
        if (base === `source_users_${label}`) return `${src} tried ${count(r, 'different user name')} in the last ${windowWords(ms)}`;
      }
      return `${column} = ${raw}`;
    }
    default:
      return `${column} = ${raw}`;
  }
}
