/**
 * The scoring sink shared by {@link score} and {@link detect}: writes scored events (JSON Lines or CSV, atomically),
 * keeps bounded summaries (top-N heap, histogram, timeline, entity counters) and builds incidents and report data
 * at the end.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { eventEcsColumns, eventToEcs, openWriter, type BatchWriter, type EcsStyle } from '../io/index.js';
import type { ReportIncident } from '../report/types.js';
import { groupIncidents, type Incident, type ScoredEvent } from '../score/index.js';
import { RunStats } from './stats.js';
import type { PipelineCounters, ScoreResult } from './types.js';

/** ECS names of the anomaly fields added to every scored event. */
export const ANOMALY_FIELDS = ['anomaly.score', 'anomaly.normalized', 'anomaly.is_anomaly', 'anomaly.reasons'] as const;

/** Columns of the CSV output of scored events. */
export function scoredEventColumns(): string[] {
  return eventEcsColumns([...ANOMALY_FIELDS]);
}

/**
 * A scored event as an ECS object: the event's fields plus `anomaly.*`. For CSV (`joinReasons`) the reasons are one
 * cell joined with ` | `.
 */
export function scoredEventToEcs(s: ScoredEvent, style: EcsStyle = 'dotted', joinReasons = false, omitNull = false): Record<string, unknown> {
  return eventToEcs(s.event, style, {
    omitNull,
    extras: [
      ['anomaly.score', round(s.score)],
      ['anomaly.normalized', round(s.normalized)],
      ['anomaly.is_anomaly', s.isAnomaly],
      ['anomaly.reasons', joinReasons ? s.reasons.join(' | ') : s.reasons],
    ],
  });
}

function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/** Options of {@link ScoreCollector}. */
export interface CollectorOptions {
  /** Output path or stream. */
  out?: string | NodeJS.WritableStream;
  /** Output format (default jsonl). */
  format?: 'jsonl' | 'csv';
  /** Nested JSON objects instead of dotted keys. */
  nested?: boolean;
  /** Only write flagged events. */
  onlyAnomalies?: boolean;
  /** Leave out null fields (JSON Lines only). */
  omitNull?: boolean;
  /** Highest-scoring events kept (default 2000). */
  keep?: number;
}

/** Collects scored events into outputs and bounded summaries. */
export class ScoreCollector {
  /** The bounded summaries. */
  readonly stats: RunStats;
  private writer: BatchWriter<Readonly<Record<string, unknown>>> | null = null;

  constructor(private readonly options: CollectorOptions = {}) {
    const keep = options.keep ?? 2000;
    if (!Number.isInteger(keep) || keep < 1) throw new Error(`option keep must be a positive integer, got ${keep}`);
    this.stats = new RunStats({ keep });
    const f = options.format ?? 'jsonl';
    if (f !== 'jsonl' && f !== 'csv') throw new Error(`option format must be 'jsonl' or 'csv', got ${String(f)}`);
  }

  /** Opens the output (the file is written to a temp name and renamed on {@link ScoreCollector.close}). */
  async open(): Promise<void> {
    const out = this.options.out;
    if (out === undefined) return;
    const format = this.options.format ?? 'jsonl';
    this.writer = await openWriter(out as string | Writable, format, scoredEventColumns());
  }

  /** Adds a batch: summaries, then the output. */
  async add(batch: readonly ScoredEvent[]): Promise<void> {
    const stats = this.stats;
    for (const s of batch) stats.add(s.event, s.score, s.isAnomaly, () => s);
    if (this.writer) {
      const csv = (this.options.format ?? 'jsonl') === 'csv';
      const style: EcsStyle = this.options.nested && !csv ? 'nested' : 'dotted';
      const rows: Record<string, unknown>[] = [];
      for (const s of batch) {
        if (this.options.onlyAnomalies && !s.isAnomaly) continue;
        rows.push(scoredEventToEcs(s, style, csv, this.options.omitNull === true && !csv));
      }
      if (rows.length > 0) await this.writer.write(rows);
    }
  }

  /** Commits the output file. */
  async close(): Promise<void> {
    await this.writer?.close();
  }

  /** Discards the output file. */
  async abort(): Promise<void> {
    await this.writer?.abort().catch(() => undefined);
  }

  /** Builds the result: top events, incidents from the kept anomalies, report data. */
  result(extra: {
    threshold: number;
    lines: number;
    files: readonly string[];
    counters: PipelineCounters;
    timings: Record<string, number>;
    title?: string;
    timeZone?: string;
  }): ScoreResult {
    const top = this.stats.top.sorted() as ScoredEvent[];
    const incidents = rankIncidents(groupIncidents(top.filter((s) => s.isAnomaly), { userLinks: 'success' }));
    return {
      events: this.stats.events,
      lines: extra.lines,
      anomalies: this.stats.anomalies,
      threshold: extra.threshold,
      top,
      incidents,
      counters: extra.counters,
      timings: extra.timings,
      report: this.stats.toReportData({
        title: extra.title,
        files: extra.files,
        lines: extra.lines,
        threshold: extra.threshold,
        incidents: incidents.map(toReportIncident),
        counters: extra.counters,
        timeZone: extra.timeZone,
      }),
    };
  }
}

/** An incident as the report shows it (max raw score of its events). */
export function toReportIncident(inc: Incident): ReportIncident {
  const max = maxRawScore(inc);
  return {
    summary: inc.summary,
    start: inc.start,
    end: inc.end,
    events: inc.eventCount,
    maxScore: max,
    users: inc.users,
    hosts: inc.hosts,
    sources: inc.sources,
  };
}

function maxRawScore(inc: Incident): number {
  let max = -Infinity;
  for (const s of inc.events) if (s.score > max) max = s.score;
  return max;
}

/**
 * Orders incidents for people: those with a successful login first (a failed spray matters less than one that got
 * in), then by the highest raw score, then by size. Incidents are linked by shared source, and by user only through
 * successful logins, so unrelated internet scanners trying `root` do not merge into one giant incident.
 */
export function rankIncidents(incidents: Incident[]): Incident[] {
  return incidents
    .map((inc) => ({ inc, success: inc.successes.length > 0 ? 1 : 0, max: maxRawScore(inc) }))
    .sort((a, b) => b.success - a.success || b.max - a.max || b.inc.eventCount - a.inc.eventCount || a.inc.start - b.inc.start)
    .map((x) => x.inc);
}
