/**
 * The data a report renders. Built by the pipeline from bounded streaming summaries (histogram, timeline,
 * top entities, the top flagged events, incidents); the report itself never sees the full event stream.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';

/** One scored event as the report shows it (structurally the score module's `ScoredEvent`). */
export interface ReportEvent {
  /** The login event. */
  event: LoginEvent;
  /** Anomaly score, higher = more anomalous. */
  score: number;
  /** Score normalised to 0..1 against the calibration distribution. */
  normalized: number;
  /** True when the score is above the threshold. */
  isAnomaly: boolean;
  /** Plain-language reasons. */
  reasons: readonly string[];
}

/** A group of anomalous events that belong together, as the report shows it. */
export interface ReportIncident {
  /** One plain sentence. */
  summary: string;
  /** First event time, epoch ms. */
  start: number;
  /** Last event time, epoch ms. */
  end: number;
  /** Number of anomalous events in the incident. */
  events: number;
  /** Highest score in the incident. */
  maxScore: number;
  /** Users involved (capped list). */
  users: readonly string[];
  /** Hosts involved (capped list). */
  hosts: readonly string[];
  /** Source addresses involved (capped list). */
  sources: readonly string[];
}

/** Histogram of scores on a log10 axis. */
export interface ScoreHistogram {
  /** log10 of the lower edge of the first bin. */
  log10Min: number;
  /** Bin width in log10 units. */
  log10Step: number;
  /** Count per bin. Scores below the first bin are in bin 0, above the last in the last bin. */
  counts: readonly number[];
  /** Scores that were zero or not finite (not plotted). */
  nonPositive: number;
}

/** Events and anomalies per time bucket. */
export interface Timeline {
  /** Bucket width in ms. */
  bucketMs: number;
  /** Buckets in time order. */
  buckets: readonly { start: number; events: number; anomalies: number }[];
}

/** An entity (user, host, source) and its anomalous events. */
export interface EntityCount {
  /** The user name, host name or source address as printed in the log. */
  name: string;
  /** Number of anomalous events. */
  anomalies: number;
  /** Highest score among them. */
  maxScore: number;
}

/** What was analysed. */
export interface AnalysedInput {
  /** Input files (or `-` for stdin). */
  files: readonly string[];
  /** Lines read. */
  lines: number;
  /** Login events scored. */
  events: number;
  /** First event time, epoch ms (`null` when no events). */
  periodStart: number | null;
  /** Last event time, epoch ms. */
  periodEnd: number | null;
  /** Distinct hosts (exact up to `distinctCap`). */
  hosts: number;
  /** Distinct users. */
  users: number;
  /** Distinct source addresses. */
  sources: number;
  /** Distinct counts stop at this cap (reported as "at least"). */
  distinctCap: number;
}

/** Everything a report renders. */
export interface ReportData {
  /** Report title. */
  title: string;
  /** When the report was generated, epoch ms. */
  generatedAt: number;
  /** What was analysed. */
  input: AnalysedInput;
  /** Number of events flagged as anomalous. */
  anomalies: number;
  /** Score threshold above which an event is flagged. */
  threshold: number;
  /** Score distribution. */
  histogram: ScoreHistogram;
  /** Anomalies over time. */
  timeline: Timeline;
  /** Top users by anomalous events. */
  topUsers: readonly EntityCount[];
  /** Top hosts by anomalous events. */
  topHosts: readonly EntityCount[];
  /** Top source addresses by anomalous events. */
  topSources: readonly EntityCount[];
  /** Highest-scoring events, best first. */
  flagged: readonly ReportEvent[];
  /** Incidents, most severe first. */
  incidents: readonly ReportIncident[];
  /** Stage counters (name → counter → value), shown in an appendix. */
  counters?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Optional evaluation against labels, as preformatted text. */
  evaluation?: string;
  /** IANA time zone or 'UTC' for displayed times (default UTC). */
  timeZone?: string;
  /** Caveats about the result itself (e.g. from `detect`), shown right after the first summary line. */
  warnings?: readonly string[];
}
