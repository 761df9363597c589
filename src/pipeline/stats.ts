/**
 * Bounded streaming summaries of a scoring run, from which the reports are drawn: a log-scale score histogram,
 * events and anomalies per hour, space-saving top-k counters for users/hosts/sources, capped distinct counts,
 * and a bounded heap of the highest-scoring events. Memory does not grow with the number of events; the timeline
 * counts per hour, and when the events cover more than {@link MAX_TIME_KEYS} distinct units (hostile or broken
 * timestamps spread over centuries) it re-buckets to days, weeks, then coarser, so it stays bounded too.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { EntityCount, ReportData, ReportEvent, ReportIncident, ScoreHistogram, Timeline } from '../report/types.js';
import { TopK } from './heap.js';

/** Lower edge (log10) of the histogram. */
const LOG10_MIN = -8;
/** Bin width (log10). */
const LOG10_STEP = 0.05;
/** Number of bins: 1e-8 .. 1e6. */
const BINS = 280;
const HOUR = 3_600_000;
/** Most timeline keys kept before the timeline coarsens its unit (hour → day → week → 4 weeks → ...). */
export const MAX_TIME_KEYS = 20_000;

/** Space-saving (Metwally et al.) top-k counter: at most `capacity` keys; counts over-estimate by at most the
 * smallest kept count. */
export class SpaceSaving {
  private readonly counts = new Map<string, { count: number; max: number }>();

  /** @param capacity keys kept. */
  constructor(readonly capacity = 2000) {}

  /** Counts one occurrence of `key` with a score. */
  add(key: string, score: number): void {
    const c = this.counts.get(key);
    if (c) {
      c.count++;
      if (score > c.max) c.max = score;
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(key, { count: 1, max: score });
      return;
    }
    let minKey = '';
    let min = Infinity;
    for (const [k, v] of this.counts) {
      if (v.count < min) {
        min = v.count;
        minKey = k;
      }
    }
    this.counts.delete(minKey);
    this.counts.set(key, { count: min + 1, max: score });
  }

  /** The top `k` keys, most frequent first (ties: higher max score first). */
  top(k: number): EntityCount[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1].count - a[1].count || b[1].max - a[1].max || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([name, v]) => ({ name, anomalies: v.count, maxScore: v.max }));
  }
}

/** Counts distinct strings exactly up to a cap, then stops growing (the count becomes a lower bound). */
export class CappedDistinct {
  private readonly seen = new Set<string>();

  /** @param cap the most distinct values remembered. */
  constructor(readonly cap = 100_000) {}

  /** Adds a value (ignored when null). */
  add(value: string | null): void {
    if (value === null || this.seen.size >= this.cap) return;
    this.seen.add(value);
  }

  /** Distinct values seen (at most `cap`). */
  get size(): number {
    return this.seen.size;
  }
}

/** Options of {@link RunStats}. */
export interface RunStatsOptions {
  /** Highest-scoring events kept (default 2000). */
  keep?: number;
  /** Keys kept per space-saving counter (default 2000). */
  entityCapacity?: number;
  /** Cap of the distinct counters (default 100,000). */
  distinctCap?: number;
}

/** One scored event as {@link RunStats} receives it. */
export type StatsEvent = ReportEvent;

/** Accumulates bounded summaries of scored events. */
export class RunStats {
  /** Events seen. */
  events = 0;
  /** Events flagged. */
  anomalies = 0;
  /** Events whose outcome is `failure`. */
  failures = 0;
  /** First and last event time. */
  periodStart: number | null = null;
  /** Last event time. */
  periodEnd: number | null = null;
  /** The highest-scoring events. */
  readonly top: TopK<StatsEvent>;
  private readonly hist = new Array<number>(BINS).fill(0);
  private nonPositive = 0;
  /** Events and anomalies per time unit (`unit` ms, an hour until the span forces coarser units). */
  private hours = new Map<number, [number, number]>();
  private unit = HOUR;
  private readonly users: SpaceSaving;
  private readonly hosts: SpaceSaving;
  private readonly sources: SpaceSaving;
  private readonly distinctUsers: CappedDistinct;
  private readonly distinctHosts: CappedDistinct;
  private readonly distinctSources: CappedDistinct;

  constructor(options: RunStatsOptions = {}) {
    this.top = new TopK(options.keep ?? 2000);
    const cap = options.entityCapacity ?? 2000;
    this.users = new SpaceSaving(cap);
    this.hosts = new SpaceSaving(cap);
    this.sources = new SpaceSaving(cap);
    const d = options.distinctCap ?? 100_000;
    this.distinctUsers = new CappedDistinct(d);
    this.distinctHosts = new CappedDistinct(d);
    this.distinctSources = new CappedDistinct(d);
  }

  /**
   * Adds one event. `make` builds the kept item lazily (only when the event enters the top heap), so callers can
   * defer explanations.
   */
  add(event: LoginEvent, score: number, isAnomaly: boolean, make: () => StatsEvent): void {
    this.events++;
    if (event.outcome === 'failure') this.failures++;
    const t = event.timestamp;
    if (Number.isFinite(t)) {
      if (this.periodStart === null || t < this.periodStart) this.periodStart = t;
      const end = event.end ?? t;
      if (this.periodEnd === null || end > this.periodEnd) this.periodEnd = end;
      const h = Math.floor(t / this.unit) * this.unit;
      let b = this.hours.get(h);
      if (!b) {
        b = [0, 0];
        this.hours.set(h, b);
      }
      b[0]++;
      if (isAnomaly) b[1]++;
      if (this.hours.size > MAX_TIME_KEYS) this.coarsen();
    }
    if (score > 0 && Number.isFinite(score)) {
      const bin = Math.floor((Math.log10(score) - LOG10_MIN) / LOG10_STEP);
      this.hist[Math.max(0, Math.min(BINS - 1, bin))]++;
    } else {
      this.nonPositive++;
    }
    this.distinctUsers.add(event.userName);
    this.distinctHosts.add(event.hostName);
    this.distinctSources.add(event.sourceIp);
    if (isAnomaly) {
      this.anomalies++;
      if (event.userName !== null) this.users.add(event.userName, score);
      if (event.hostName !== null) this.hosts.add(event.hostName, score);
      if (event.sourceIp !== null) this.sources.add(event.sourceIp, score);
    }
    if (this.top.accepts(score)) this.top.push(score, make());
  }

  /** Re-buckets the timeline to a unit wide enough that it holds at most half of {@link MAX_TIME_KEYS} keys. */
  private coarsen(): void {
    const keys = [...this.hours.keys()];
    const span = Math.max(...keys) - Math.min(...keys) + this.unit;
    let unit = this.unit;
    // day, week, then multiples of 4 weeks
    while (span / unit > MAX_TIME_KEYS / 2) unit = unit < 24 * HOUR ? 24 * HOUR : unit < 168 * HOUR ? 168 * HOUR : unit < 672 * HOUR ? 672 * HOUR : unit * 2;
    const merged = new Map<number, [number, number]>();
    for (const [k, v] of this.hours) {
      const nk = Math.floor(k / unit) * unit;
      const b = merged.get(nk);
      if (b) {
        b[0] += v[0];
        b[1] += v[1];
      } else merged.set(nk, [v[0], v[1]]);
    }
    this.hours = merged;
    this.unit = unit;
  }

  /** The score histogram. */
  histogram(): ScoreHistogram {
    return { log10Min: LOG10_MIN, log10Step: LOG10_STEP, counts: [...this.hist], nonPositive: this.nonPositive };
  }

  /** The timeline, coarsened to about `maxBuckets` buckets (hours, multi-hour, days, ...; at most one more from alignment). */
  timeline(maxBuckets = 200): Timeline {
    if (this.hours.size === 0) return { bucketMs: this.unit, buckets: [] };
    const keys = [...this.hours.keys()].sort((a, b) => a - b);
    const span = keys[keys.length - 1] - keys[0] + this.unit;
    const widths = [1, 2, 3, 6, 12, 24, 48, 24 * 7, 24 * 30].map((h) => h * HOUR).filter((w) => w >= this.unit && w % this.unit === 0);
    // beyond 30-day buckets (a span of years): whole multiples of the unit, so there are never more than maxBuckets
    const bucketMs = widths.find((w) => span / w <= maxBuckets) ?? Math.ceil(span / maxBuckets / this.unit) * this.unit;
    const out = new Map<number, { start: number; events: number; anomalies: number }>();
    const first = Math.floor(keys[0] / bucketMs) * bucketMs;
    const last = Math.floor(keys[keys.length - 1] / bucketMs) * bucketMs;
    for (let s = first; s <= last; s += bucketMs) out.set(s, { start: s, events: 0, anomalies: 0 });
    for (const k of keys) {
      const b = out.get(Math.floor(k / bucketMs) * bucketMs);
      const v = this.hours.get(k);
      if (b && v) {
        b.events += v[0];
        b.anomalies += v[1];
      }
    }
    return { bucketMs, buckets: [...out.values()] };
  }

  /** Top users, hosts and sources by anomalous events. */
  entities(k = 10): { users: EntityCount[]; hosts: EntityCount[]; sources: EntityCount[] } {
    return { users: this.users.top(k), hosts: this.hosts.top(k), sources: this.sources.top(k) };
  }

  /** Distinct users, hosts, sources seen (exact up to the cap). */
  distinct(): { users: number; hosts: number; sources: number; cap: number } {
    return {
      users: this.distinctUsers.size,
      hosts: this.distinctHosts.size,
      sources: this.distinctSources.size,
      cap: this.distinctUsers.cap,
    };
  }

  /** Builds the report data. */
  toReportData(extra: {
    title?: string;
    files: readonly string[];
    lines: number;
    threshold: number;
    incidents: readonly ReportIncident[];
    counters?: Record<string, Record<string, number>>;
    evaluation?: string;
    timeZone?: string;
    generatedAt?: number;
  }): ReportData {
    const d = this.distinct();
    const ent = this.entities(10);
    return {
      title: extra.title ?? 'loginsight report',
      generatedAt: extra.generatedAt ?? Date.now(),
      input: {
        files: extra.files,
        lines: extra.lines,
        events: this.events,
        periodStart: this.periodStart,
        periodEnd: this.periodEnd,
        hosts: d.hosts,
        users: d.users,
        sources: d.sources,
        distinctCap: d.cap,
      },
      anomalies: this.anomalies,
      threshold: extra.threshold,
      histogram: this.histogram(),
      timeline: this.timeline(),
      topUsers: ent.users,
      topHosts: ent.hosts,
      topSources: ent.sources,
      flagged: this.top.sorted(),
      incidents: extra.incidents,
      counters: extra.counters,
      evaluation: extra.evaluation,
      timeZone: extra.timeZone,
    };
  }
}
