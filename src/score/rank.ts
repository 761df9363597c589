/**
 * Entity roll-ups: which users, hosts or source addresses have the most anomalous events.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { ScoredEvent } from './types.js';

/** Which entity to rank by. */
export type EntityKind = 'user' | 'host' | 'source';

/** One ranked entity. */
export interface EntityRank {
  /** Entity kind. */
  kind: EntityKind;
  /** User name, host name or source address. */
  entity: string;
  /** Events of this entity seen (anomalous or not). */
  events: number;
  /** Of those, anomalous. */
  anomalies: number;
  /** Largest normalised score over all its events. */
  maxNormalized: number;
  /** Sum of normalised scores over its anomalous events (a volume × severity measure). */
  sumNormalized: number;
  /** Largest raw score over all its events. */
  maxScore: number;
  /** Time of its first anomalous event (epoch ms), `null` if none. */
  firstAnomaly: number | null;
  /** Time of its last anomalous event (epoch ms), `null` if none. */
  lastAnomaly: number | null;
}

/** Options of {@link rankEntities}. */
export interface RankEntitiesOptions {
  /** Keep only entities with at least one anomalous event (default true). Keeps memory proportional to anomalies. */
  onlyAnomalous?: boolean;
}

/** The entity key of an event (`null` when unknown). */
export function entityOf(event: LoginEvent, by: EntityKind): string | null {
  return by === 'user' ? event.userName : by === 'host' ? event.hostName : event.sourceIp;
}

/**
 * Rank entities by anomalous events: most anomalies first, then larger sum of normalised scores, then larger maximum,
 * then name (deterministic). Events whose entity is unknown are skipped.
 * With `onlyAnomalous` (default) only anomalous events are tracked, so memory is proportional to the entities that
 * have anomalies; `events` then counts only those. With `onlyAnomalous: false` every entity is tracked.
 * @param k how many to return (default 10); `Infinity` for all.
 * @throws Error when `by` or `k` is invalid.
 */
export function rankEntities(
  scored: Iterable<ScoredEvent>,
  by: EntityKind,
  k = 10,
  options: RankEntitiesOptions = {},
): EntityRank[] {
  if (by !== 'user' && by !== 'host' && by !== 'source') {
    throw new Error(`rankEntities: "by" must be 'user', 'host' or 'source', got ${JSON.stringify(by)}`);
  }
  if (!(k >= 1) || (Number.isFinite(k) && !Number.isInteger(k))) {
    throw new Error(`rankEntities: "k" must be a positive integer or Infinity, got ${String(k)}`);
  }
  const onlyAnomalous = options.onlyAnomalous ?? true;
  const table = new Map<string, EntityRank>();
  for (const s of scored) {
    if (onlyAnomalous && !s.isAnomaly) continue;
    const key = entityOf(s.event, by);
    if (key === null || key === '') continue;
    let r = table.get(key);
    if (r === undefined) {
      r = {
        kind: by,
        entity: key,
        events: 0,
        anomalies: 0,
        maxNormalized: 0,
        sumNormalized: 0,
        maxScore: -Infinity,
        firstAnomaly: null,
        lastAnomaly: null,
      };
      table.set(key, r);
    }
    r.events++;
    if (s.normalized > r.maxNormalized) r.maxNormalized = s.normalized;
    if (s.score > r.maxScore) r.maxScore = s.score;
    if (s.isAnomaly) {
      r.anomalies++;
      if (Number.isFinite(s.normalized)) r.sumNormalized += s.normalized;
      const t = s.event.timestamp;
      if (r.firstAnomaly === null || t < r.firstAnomaly) r.firstAnomaly = t;
      if (r.lastAnomaly === null || t > r.lastAnomaly) r.lastAnomaly = t;
    }
  }
  const all = [...table.values()];
  all.sort(
    (a, b) =>
      b.anomalies - a.anomalies ||
      b.sumNormalized - a.sumNormalized ||
      b.maxNormalized - a.maxNormalized ||
      (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0),
  );
  return Number.isFinite(k) ? all.slice(0, k) : all;
}
