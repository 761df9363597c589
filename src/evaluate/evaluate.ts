/**
 * Joins scored events to ground-truth labels and computes the evaluation report.
 *
 * Join: host + pid + user + start within a tolerance (nearest unmatched label wins); when the event or the label
 * has no pid (sudo/su without pid, missing lines), host + user + kind + start. Each label is matched at most
 * once. Labelled events the pipeline never produced are "missed": they enter every metric with the lowest
 * possible score, so coverage problems lower the numbers instead of hiding.
 *
 * @module
 */
import type { LoginEvent, LoginEventKind } from '../assemble/event.js';
import type { LabelActor, LabelRow } from '../simulate/labels.js';
import { averagePrecision, median, midRanks, precisionAtK, rankItems, recallAtFpr, rocAuc, type FprPoint } from './metrics.js';

/** A scored event as produced by the scorer (only `event` and `score` are read). */
export interface ScoredLike {
  event: LoginEvent;
  score: number;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Largest difference between event and label start times for a match (ms). Default 2000. */
  toleranceMs?: number;
  /** Which labels to evaluate against. Default `'test'`. */
  period?: 'test' | 'history' | 'all';
  /** Only these event kinds (labels and events). Default: all. */
  kinds?: readonly LoginEventKind[];
  /**
   * Only labels of these actors enter the metrics (e.g. `['user', 'service', 'attacker']` to leave internet
   * background noise out). Events joined to other labels are counted as `excludedEvents`. Default: all.
   */
  actors?: readonly LabelActor[];
  /** k values of precision@k. Default [10, 50, 100]. */
  k?: readonly number[];
  /** False-positive-rate budgets. Default [0.01, 0.001]. */
  fpr?: readonly number[];
}

/** Per-scenario results. */
export interface ScenarioReport {
  scenario: string;
  /** Labelled events of the scenario (matched + missed). */
  events: number;
  matched: number;
  missed: number;
  /** Scenario instances (incidents). */
  incidents: number;
  /** ROC-AUC of this scenario's events against all normal events. */
  rocAuc: number | null;
  /** Best and median 1-based mid-rank of the scenario's events among all evaluated events. */
  bestRank: number | null;
  medianRank: number | null;
  /** Recall of the scenario's events at the global thresholds, and incidents with at least one event flagged. */
  atFpr: { fpr: number; recall: number | null; incidentsDetected: number }[];
}

/** Coverage of one group of labels. */
export interface CoverageEntry {
  labels: number;
  matched: number;
  coverage: number | null;
}

/** The evaluation report (plain JSON-serialisable data). */
export interface EvaluationReport {
  period: 'test' | 'history' | 'all';
  toleranceMs: number;
  counts: {
    /** Labels evaluated (after period/kind filters). */
    labels: number;
    positives: number;
    negatives: number;
    /** Scored events read. */
    scoredEvents: number;
    /** Scored events joined to a label. */
    matchedEvents: number;
    /** Scored events inside the labels' time range that matched no label (not in the metrics). */
    unmatchedEvents: number;
    /** Unmatched events by kind. */
    unmatchedByKind: Record<string, number>;
    /** Scored events outside the labels' time range (e.g. history events when evaluating test). */
    outOfRangeEvents: number;
    /** Scored events skipped by the kind filter. */
    filteredEvents: number;
    /** Scored events joined to a label of an actor left out by the `actors` option. */
    excludedEvents: number;
    /** Events whose score was not a finite number (treated as the lowest score). */
    invalidScores: number;
    /** Matches where the event kind differs from the label kind (pid join). */
    kindMismatches: number;
    /** Labels no event matched (scored as lowest). */
    missedLabels: number;
    missedPositives: number;
  };
  coverage: { all: CoverageEntry; positives: CoverageEntry; negatives: CoverageEntry; byKind: Record<string, CoverageEntry> };
  rocAuc: number | null;
  averagePrecision: number | null;
  /** Fraction of positives among all evaluated items (the AP of a random ranking). */
  baseRate: number | null;
  precisionAtK: { k: number; precision: number | null; positives: number }[];
  recallAtFpr: FprPoint[];
  scenarios: ScenarioReport[];
}

function fail(name: string, allowed: string, got: unknown): never {
  throw new Error(`evaluate: option ${name} must be ${allowed} (got ${JSON.stringify(got)})`);
}

function cov(labels: number, matched: number): CoverageEntry {
  return { labels, matched, coverage: labels === 0 ? null : matched / labels };
}

/** Joins scored events to labels and computes ranking metrics. See the module docs for the join rules. */
export function evaluate(scored: Iterable<ScoredLike>, labels: readonly LabelRow[], options: EvaluateOptions = {}): EvaluationReport {
  const tol = options.toleranceMs ?? 2000;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) fail('toleranceMs', 'a non-negative number', tol);
  const period = options.period ?? 'test';
  if (period !== 'test' && period !== 'history' && period !== 'all') fail('period', "'test', 'history' or 'all'", period);
  const ks = options.k ?? [10, 50, 100];
  for (const k of ks) if (!Number.isInteger(k) || k < 1) fail('k', 'positive integers', ks);
  const budgets = options.fpr ?? [0.01, 0.001];
  for (const f of budgets) if (typeof f !== 'number' || !(f >= 0 && f <= 1)) fail('fpr', 'numbers in [0, 1]', budgets);
  const kinds = options.kinds ? new Set<string>(options.kinds) : null;
  const actorSet = options.actors ? new Set<string>(options.actors) : null;
  if (options.actors) for (const a of options.actors) if (!['user', 'service', 'internet', 'attacker'].includes(a)) fail('actors', "a list of 'user', 'service', 'internet', 'attacker'", options.actors);

  // excluded-actor labels still take part in the join (so their events are not miscounted), not in the metrics
  const joinRows = labels.filter((l) => (period === 'all' || l.period === period) && (kinds === null || kinds.has(l.kind)));
  joinRows.sort((a, b) => Number(actorSet !== null && !actorSet.has(a.actor)) - Number(actorSet !== null && !actorSet.has(b.actor)));
  const rows = joinRows;
  const nAll = rows.length;
  let n = nAll;
  if (actorSet !== null) {
    n = 0;
    while (n < nAll && actorSet.has(rows[n].actor)) n++;
  }
  const score = new Float64Array(nAll).fill(-Infinity);
  const matched = new Uint8Array(nAll);
  const byPid = new Map<string, number[]>();
  const byUser = new Map<string, number[]>();
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < nAll; i++) {
    const l = rows[i];
    if (l.start < lo) lo = l.start;
    if (l.start > hi) hi = l.start;
    if (l.pid !== null) push(byPid, `${l.host}\u0000${l.pid}\u0000${l.user ?? ''}`, i);
    push(byUser, `${l.host}\u0000${l.user ?? ''}\u0000${l.kind}`, i);
  }
  const byStart = (a: number, b: number): number => rows[a].start - rows[b].start || a - b;
  for (const v of byPid.values()) v.sort(byStart);
  for (const v of byUser.values()) v.sort(byStart);
  const counts: EvaluationReport['counts'] = {
    labels: n, positives: 0, negatives: 0, scoredEvents: 0, matchedEvents: 0, unmatchedEvents: 0, unmatchedByKind: {},
    outOfRangeEvents: 0, filteredEvents: 0, excludedEvents: 0, invalidScores: 0, kindMismatches: 0, missedLabels: 0, missedPositives: 0,
  };
  for (const s of scored) {
    counts.scoredEvents++;
    const e = s.event;
    if (kinds !== null && !kinds.has(e.kind)) {
      counts.filteredEvents++;
      continue;
    }
    if (nAll === 0 || e.timestamp < lo - tol || e.timestamp > hi + tol) {
      counts.outOfRangeEvents++;
      continue;
    }
    const host = e.hostName ?? '';
    const user = e.userName ?? '';
    let hit = -1;
    if (e.pid !== null) hit = nearest(byPid.get(`${host}\u0000${e.pid}\u0000${user}`), rows, matched, e.timestamp, tol, null);
    if (hit < 0) hit = nearest(byUser.get(`${host}\u0000${user}\u0000${e.kind}`), rows, matched, e.timestamp, tol, e.pid === null ? null : 'nullPidOnly');
    if (hit < 0) {
      counts.unmatchedEvents++;
      counts.unmatchedByKind[e.kind] = (counts.unmatchedByKind[e.kind] ?? 0) + 1;
      continue;
    }
    matched[hit] = 1;
    if (hit >= n) {
      counts.excludedEvents++;
      continue;
    }
    counts.matchedEvents++;
    if (rows[hit].kind !== e.kind) counts.kindMismatches++;
    const v = s.score;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      counts.invalidScores++;
      score[hit] = v === Infinity ? Number.MAX_VALUE : -Number.MAX_VALUE;
    } else score[hit] = v;
  }
  const y = new Uint8Array(n);
  const kindCov: Record<string, [number, number]> = {};
  let mPos = 0, mNeg = 0;
  for (let i = 0; i < n; i++) {
    const l = rows[i];
    y[i] = l.label;
    if (l.label) counts.positives++;
    else counts.negatives++;
    if (!matched[i]) {
      counts.missedLabels++;
      if (l.label) counts.missedPositives++;
    } else if (l.label) mPos++;
    else mNeg++;
    const kc = (kindCov[l.kind] ??= [0, 0]);
    kc[0]++;
    kc[1] += matched[i];
  }
  const ranked = rankItems(score.subarray(0, n), y);
  const points = budgets.map((b) => recallAtFpr(ranked, b));
  const ranks = midRanks(ranked);

  // per scenario: positives of the scenario vs all negatives
  const scen = new Map<string, number[]>();
  for (let i = 0; i < n; i++) if (rows[i].label === 1) push(scen, rows[i].scenario, i);
  const negIdx: number[] = [];
  for (let i = 0; i < n; i++) if (rows[i].label === 0) negIdx.push(i);
  const scenarios: ScenarioReport[] = [];
  for (const [name, idx] of [...scen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const sub = idx.concat(negIdx);
    const ss = new Float64Array(sub.length);
    const sy = new Uint8Array(sub.length);
    sub.forEach((j, k) => {
      ss[k] = score[j];
      sy[k] = rows[j].label;
    });
    const incidents = new Set(idx.map((j) => rows[j].incident ?? `${name}?`));
    const rk = idx.map((j) => ranks[j]);
    scenarios.push({
      scenario: name,
      events: idx.length,
      matched: idx.filter((j) => matched[j]).length,
      missed: idx.filter((j) => !matched[j]).length,
      incidents: incidents.size,
      rocAuc: rocAuc(rankItems(ss, sy)),
      bestRank: rk.length ? rk.reduce((a, b) => (b < a ? b : a), Infinity) : null,
      medianRank: median(rk),
      atFpr: points.map((p) => {
        const flagged = p.threshold === null ? [] : idx.filter((j) => score[j] >= (p.threshold as number));
        const det = new Set(flagged.map((j) => rows[j].incident ?? `${name}?`));
        return { fpr: p.fpr, recall: idx.length ? flagged.length / idx.length : null, incidentsDetected: det.size };
      }),
    });
  }
  const byKind: Record<string, CoverageEntry> = {};
  for (const [k, [a, b]] of Object.entries(kindCov)) byKind[k] = cov(a, b);
  return {
    period,
    toleranceMs: tol,
    counts,
    coverage: { all: cov(n, mPos + mNeg), positives: cov(counts.positives, mPos), negatives: cov(counts.negatives, mNeg), byKind },
    rocAuc: rocAuc(ranked),
    averagePrecision: averagePrecision(ranked),
    baseRate: n === 0 ? null : counts.positives / n,
    precisionAtK: ks.map((k) => precisionAtK(ranked, k)),
    recallAtFpr: points.map((p) => ({ ...p, threshold: p.threshold === null || !Number.isFinite(p.threshold) ? null : p.threshold })),
    scenarios,
  };
}

function push(m: Map<string, number[]>, k: string, i: number): void {
  const b = m.get(k);
  if (b === undefined) m.set(k, [i]);
  else b.push(i);
}

function nearest(cands: number[] | undefined, rows: readonly LabelRow[], matched: Uint8Array, t: number, tol: number, mode: 'nullPidOnly' | null): number {
  if (cands === undefined) return -1;
  // candidates are sorted by start: binary search the window [t - tol, t + tol]
  let a = 0, b = cands.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (rows[cands[m]].start < t - tol) a = m + 1;
    else b = m;
  }
  let best = -1;
  let bestD = Infinity;
  for (let k = a; k < cands.length; k++) {
    const i = cands[k];
    if (rows[i].start > t + tol) break;
    if (matched[i]) continue;
    if (mode === 'nullPidOnly' && rows[i].pid !== null) continue;
    const d = Math.abs(rows[i].start - t);
    if (d <= tol && d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}
