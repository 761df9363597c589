/**
 * Incidents: anomalous events that belong together (same source address or same user, each link within a time
 * window) grouped by union-find in time order, classified (spray, brute force, lateral movement, single event) and
 * summarised in one sentence.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { sanitizeText } from './explain.js';
import type { ScoredEvent } from './types.js';

/** What an incident looks like. */
export type IncidentKind =
  /** Failures against many accounts (≥ 3 users), mostly failed: password spraying / user enumeration. */
  | 'spray'
  /** Many failed attempts against one or two accounts. */
  | 'brute_force'
  /** One or two users succeeding on several hosts in a short time. */
  | 'lateral_movement'
  /** A lone anomalous event. */
  | 'single_event'
  /** Several linked events that fit none of the above. */
  | 'mixed';

/** Which event properties link anomalous events into one incident. */
export type IncidentLink = 'source' | 'user';

/** Options of {@link groupIncidents}. */
export interface IncidentOptions {
  /** Two events sharing a link key are joined when they are at most this far apart (ms). Default 30 minutes. */
  windowMs?: number;
  /** Drop incidents with fewer events. Default 1 (keep single events). */
  minEvents?: number;
  /** Link keys, default `['source', 'user']`. */
  linkBy?: readonly IncidentLink[];
  /**
   * Which events link through their user: `'all'` (default) or only `'success'`ful ones. On internet-facing hosts,
   * where many unrelated scanners try `root`, `'success'` keeps unrelated scanners apart.
   */
  userLinks?: 'all' | 'success';
}

/** A successful login inside an incident. */
export interface IncidentSuccess {
  /** User name (`null` unknown). */
  user: string | null;
  /** Host name. */
  host: string | null;
  /** Source address. */
  source: string | null;
  /** Time (epoch ms). */
  timestamp: number;
}

/** A group of anomalous events that belong together. */
export interface Incident {
  /** Deterministic id (`inc-` + 8 hex digits of a hash of start, members and size). */
  id: string;
  /** Guessed kind. */
  kind: IncidentKind;
  /** First event time (epoch ms). */
  start: number;
  /** Last event time (epoch ms; the last event's end when known). */
  end: number;
  /** Distinct user names, sorted. */
  users: string[];
  /** Distinct host names, sorted. */
  hosts: string[];
  /** Distinct source addresses, sorted. */
  sources: string[];
  /** Number of events. */
  eventCount: number;
  /** Events whose outcome is failure. */
  failedEvents: number;
  /** Failed authentication attempts (each failed event counts at least once; failures inside sessions add up). */
  failedAttempts: number;
  /** Successful logins, in time order. */
  successes: IncidentSuccess[];
  /** Largest normalised score. */
  maxScore: number;
  /** Sum of normalised scores. */
  sumScore: number;
  /** One-sentence summary. */
  summary: string;
  /** The member events, in time order. */
  events: ScoredEvent[];
}

const DEFAULT_WINDOW_MS = 30 * 60_000;
const MAX_NAME = 64;

/**
 * Group anomalous events into incidents. Only events with `isAnomaly` are considered; they are processed in time
 * order and linked to the previous anomalous event with the same source address (or user) when at most `windowMs`
 * earlier; connected events form one incident. Memory is proportional to the number of anomalous events.
 * Incidents are returned most severe first (max normalised score, then size, then start time).
 * @throws Error naming the option when options are invalid.
 */
export function groupIncidents(scored: Iterable<ScoredEvent>, options: IncidentOptions = {}): Incident[] {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  if (typeof windowMs !== 'number' || !(windowMs >= 0) || !Number.isFinite(windowMs)) {
    throw new Error(`groupIncidents option "windowMs" must be a finite number ≥ 0, got ${String(windowMs)}`);
  }
  const minEvents = options.minEvents ?? 1;
  if (!Number.isInteger(minEvents) || minEvents < 1) {
    throw new Error(`groupIncidents option "minEvents" must be an integer ≥ 1, got ${String(minEvents)}`);
  }
  const linkBy = options.linkBy ?? ['source', 'user'];
  if (!Array.isArray(linkBy) || linkBy.some((l) => l !== 'source' && l !== 'user')) {
    throw new Error(`groupIncidents option "linkBy" must be an array of 'source' and/or 'user', got ${JSON.stringify(linkBy)}`);
  }
  const userLinks = options.userLinks ?? 'all';
  if (userLinks !== 'all' && userLinks !== 'success') {
    throw new Error(`groupIncidents option "userLinks" must be 'all' or 'success', got ${JSON.stringify(userLinks)}`);
  }
  const bySource = linkBy.includes('source');
  const byUser = linkBy.includes('user');

  const anomalies: ScoredEvent[] = [];
  for (const s of scored) if (s.isAnomaly) anomalies.push(s);
  // stable sort by time (ties keep input order)
  const order = anomalies.map((_, i) => i);
  order.sort((a, b) => anomalies[a].event.timestamp - anomalies[b].event.timestamp || a - b);
  const sorted = order.map((i) => anomalies[i]);

  const parent = new Int32Array(sorted.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const last = new Map<string, number>();
  const link = (key: string, i: number, t: number): void => {
    const prev = last.get(key);
    if (prev !== undefined && t - sorted[prev].event.timestamp <= windowMs) union(prev, i);
    last.set(key, i);
  };
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i].event;
    if (bySource && e.sourceIp !== null && e.sourceIp !== '') link(`s\u0000${e.sourceIp}`, i, e.timestamp);
    if (byUser && e.userName !== null && e.userName !== '' && (userLinks === 'all' || e.outcome === 'success')) {
      link(`u\u0000${e.userName}`, i, e.timestamp);
    }
  }

  const members = new Map<number, ScoredEvent[]>();
  for (let i = 0; i < sorted.length; i++) {
    const r = find(i);
    let list = members.get(r);
    if (list === undefined) {
      list = [];
      members.set(r, list);
    }
    list.push(sorted[i]);
  }
  const incidents: Incident[] = [];
  const ids = new Set<string>();
  for (const list of members.values()) {
    if (list.length < minEvents) continue;
    const inc = buildIncident(list);
    let id = inc.id;
    for (let n = 2; ids.has(id); n++) id = `${inc.id}-${n}`;
    inc.id = id;
    ids.add(id);
    incidents.push(inc);
  }
  incidents.sort((a, b) => b.maxScore - a.maxScore || b.eventCount - a.eventCount || a.start - b.start || (a.id < b.id ? -1 : 1));
  return incidents;
}

/** Build one incident from its time-ordered member events. */
function buildIncident(events: ScoredEvent[]): Incident {
  const users = new Set<string>();
  const hosts = new Set<string>();
  const sources = new Set<string>();
  const successes: IncidentSuccess[] = [];
  let failedEvents = 0;
  let failedAttempts = 0;
  let maxScore = 0;
  let sumScore = 0;
  let end = -Infinity;
  for (const s of events) {
    const e = s.event;
    if (e.userName !== null && e.userName !== '') users.add(e.userName);
    if (e.hostName !== null && e.hostName !== '') hosts.add(e.hostName);
    if (e.sourceIp !== null && e.sourceIp !== '') sources.add(e.sourceIp);
    if (e.outcome === 'failure') {
      failedEvents++;
      failedAttempts += Math.max(1, e.failures);
    } else {
      failedAttempts += e.failures;
    }
    if (e.outcome === 'success') successes.push({ user: e.userName, host: e.hostName, source: e.sourceIp, timestamp: e.timestamp });
    if (Number.isFinite(s.normalized)) {
      if (s.normalized > maxScore) maxScore = s.normalized;
      sumScore += s.normalized;
    }
    end = Math.max(end, e.end ?? e.timestamp, e.timestamp);
  }
  const start = events[0].event.timestamp;
  const inc: Incident = {
    id: '',
    kind: 'single_event',
    start,
    end,
    users: [...users].sort(),
    hosts: [...hosts].sort(),
    sources: [...sources].sort(),
    eventCount: events.length,
    failedEvents,
    failedAttempts,
    successes,
    maxScore,
    sumScore,
    summary: '',
    events,
  };
  inc.kind = classify(inc);
  inc.summary = summarize(inc);
  inc.id = `inc-${fnv1a(`${start}|${inc.users.join(',')}|${inc.hosts.join(',')}|${inc.sources.join(',')}|${events.length}`)}`;
  return inc;
}

/** Guess the kind of an incident from its members (see {@link IncidentKind}). */
export function classify(inc: Pick<Incident, 'eventCount' | 'users' | 'failedEvents' | 'failedAttempts' | 'successes'>): IncidentKind {
  if (inc.eventCount === 1) return 'single_event';
  const successCount = inc.successes.length;
  const mostlyFailed = inc.failedEvents >= successCount && inc.failedEvents > 0;
  if (inc.users.length >= 3 && mostlyFailed) return 'spray';
  if (inc.users.length <= 2 && mostlyFailed && inc.failedAttempts >= 3) return 'brute_force';
  const successHosts = new Set(inc.successes.map((s) => s.host));
  const successUsers = new Set(inc.successes.map((s) => s.user));
  if (successCount >= 2 && successHosts.size >= 2 && successUsers.size <= 2) return 'lateral_movement';
  return 'mixed';
}

/** One-sentence summary of an incident. Names are sanitised (control characters → `?`, long names cut). */
export function summarize(inc: Incident): string {
  const dur = duration(inc.end - inc.start);
  const who = inc.sources.length === 1 ? name(inc.sources[0]) : inc.sources.length === 0 ? 'an unknown source' : `${inc.sources.length} sources (${list(inc.sources)})`;
  const onHosts = inc.hosts.length === 1 ? `on ${name(inc.hosts[0])}` : `on ${inc.hosts.length} hosts`;
  const succeeded = (): string => {
    const s = inc.successes;
    if (s.length === 0) return 'none succeeded';
    const pairs = [...new Set(s.map((x) => `${name(x.user ?? '?')} on ${name(x.host ?? '?')}`))];
    return `${s.length} succeeded (${list(pairs, 3, true)})`;
  };
  switch (inc.kind) {
    case 'spray':
      return `${who} tried ${inc.users.length} accounts ${onHosts} in ${dur}; ${succeeded()}`;
    case 'brute_force':
      return `${who} made ${inc.failedAttempts} failed attempts against ${list(inc.users)} ${onHosts} in ${dur}; ${succeeded()}`;
    case 'lateral_movement': {
      const path = [...new Set(inc.successes.map((s) => s.host ?? '?'))];
      const users = list([...new Set(inc.successes.map((s) => s.user ?? '?'))]);
      const first = inc.events.find((x) => x.event.sourceIp !== null && x.event.sourceIp !== '')?.event.sourceIp ?? null;
      const from = first === null ? '' : inc.sources.length === 1 ? ` from ${name(first)}` : ` starting from ${name(first)}`;
      const fails = inc.failedEvents > 0 ? `; ${inc.failedEvents} failed attempt${inc.failedEvents === 1 ? '' : 's'}` : '';
      return `${users} logged into ${path.length} hosts in ${dur}${from} (${pathText(path)})${fails}`;
    }
    case 'single_event':
      return singleSentence(inc.events[0]);
    default:
      return `${inc.eventCount} linked anomalous events in ${dur}: ${count(inc.users.length, 'user')} (${list(inc.users)}) ${onHosts} from ${inc.sources.length === 0 ? 'unknown sources' : count(inc.sources.length, 'source')}; ${inc.failedEvents} failed, ${inc.successes.length} succeeded`;
  }
}

function singleSentence(s: ScoredEvent): string {
  const e: LoginEvent = s.event;
  const user = name(e.userName ?? 'an unknown user');
  const host = name(e.hostName ?? 'an unknown host');
  const from = e.sourceIp === null ? '' : ` from ${name(e.sourceIp)}`;
  const at = ` at ${isoMinute(e.timestamp)}`;
  let text: string;
  if (e.kind === 'sudo') {
    text = `${user} ran sudo${e.userEffectiveName === null ? '' : ` as ${name(e.userEffectiveName)}`} on ${host}${at}${e.outcome === 'failure' ? ' (refused)' : ''}`;
  } else if (e.kind === 'su') {
    text = `${user} ${e.outcome === 'failure' ? 'failed to switch' : 'switched'} to ${name(e.userEffectiveName ?? '?')} with su on ${host}${at}`;
  } else if (e.outcome === 'success') {
    text = `${user} logged into ${host}${from}${at}`;
  } else if (e.outcome === 'failure') {
    const n = Math.max(1, e.failures);
    text = `failed login${n > 1 ? ` (${n} attempts)` : ''} as ${user}${e.invalidUser ? ' (no such user)' : ''} on ${host}${from}${at}`;
  } else {
    text = `${e.kind} event for ${user} on ${host}${from}${at}`;
  }
  if (s.reasons.length > 0) text += `: ${s.reasons[0]}`;
  return sanitizeText(text);
}

function pathText(path: string[]): string {
  const shown = path.slice(0, 5).map(name);
  return path.length > 5 ? `${shown.join(' → ')} → … (${path.length - 5} more)` : shown.join(' → ');
}

function name(s: string): string {
  return sanitizeText(s, MAX_NAME);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
function list(items: readonly string[], max = 3, sanitized = false): string {
  const shown = items.slice(0, max).map((x) => (sanitized ? x : name(x)));
  if (items.length > max) return `${shown.join(', ')} and ${items.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Human duration: "under a second", "45 seconds", "12 minutes", "2.5 hours", "3 days". */
export function duration(ms: number): string {
  if (!(ms >= 1000)) return 'under a second';
  const s = Math.round(ms / 1000);
  if (s < 60) return count(s, 'second');
  const m = Math.round(ms / 60_000);
  if (ms < 90 * 60_000) return count(m, 'minute');
  const h = ms / 3_600_000;
  if (h < 48) return `${Number(h.toFixed(1))} hours`;
  return `${Number((h / 24).toFixed(1))} days`;
}

function isoMinute(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? 'an unknown time' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
