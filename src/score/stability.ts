/**
 * Ranking stability: do two runs (e.g. two training seeds) put the same events at the top? A ranking that changes
 * with the seed is not evidence.
 *
 * Inputs are either arrays of {@link ScoredEvent} (ranked by `score`, identified by host, pid, user, source and
 * start time) or arrays of numbers / Float32Array holding one score per event, aligned by index across runs
 * (the usual case: several models scoring the same test set; identity = index).
 *
 * @module
 */
import type { ScoredEvent } from './types.js';

/** A ranking input: scored events, or per-event scores aligned by index. */
export type RankingInput = readonly ScoredEvent[] | ArrayLike<number>;

/** Identity of a scored event for comparing rankings across runs. */
export function eventKey(s: ScoredEvent): string {
  const e = s.event;
  return `${e.hostName ?? ''}\u0000${e.pid ?? ''}\u0000${e.userName ?? ''}\u0000${e.sourceIp ?? ''}\u0000${e.timestamp}\u0000${e.kind}`;
}

function isScored(x: RankingInput): x is readonly ScoredEvent[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * The ids of the top `k` items, highest score first. Ties are broken by position (earlier first) so the result is
 * deterministic; NaN scores rank last. Ids are indices (as strings) for numeric input, {@link eventKey} otherwise.
 */
export function topKIds(input: RankingInput, k: number): string[] {
  checkK(k);
  const n = input.length;
  const scored = isScored(input);
  const val = (i: number): number => {
    const v = scored ? (input as readonly ScoredEvent[])[i].score : (input as ArrayLike<number>)[i];
    return Number.isNaN(v) ? -Infinity : v;
  };
  // "a ranks before b": higher score, then earlier position
  const before = (a: number, b: number): boolean => {
    const va = val(a);
    const vb = val(b);
    return va > vb || (va === vb && a < b);
  };
  const m = Math.min(k, n);
  // bounded min-heap of the best m seen so far (root = the worst of them): O(n log k) time, O(k) memory
  const heap: number[] = [];
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && before(heap[worst], heap[l])) worst = l;
      if (r < heap.length && before(heap[worst], heap[r])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < m) {
      heap.push(i);
      let c = heap.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!before(heap[p], heap[c])) break;
        [heap[p], heap[c]] = [heap[c], heap[p]];
        c = p;
      }
    } else if (m > 0 && before(i, heap[0])) {
      heap[0] = i;
      down(0);
    }
  }
  heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return scored ? heap.map((i) => eventKey((input as readonly ScoredEvent[])[i])) : heap.map(String);
}

/** Share of the top-`k` of `a` that is also in the top-`k` of `b`: `|A ∩ B| / k`, in [0, 1]. */
export function topKOverlap(a: RankingInput, b: RankingInput, k: number): number {
  const ta = topKIds(a, k);
  const tb = new Set(topKIds(b, k));
  let common = 0;
  for (const id of ta) if (tb.has(id)) common++;
  const denom = Math.max(ta.length, tb.size);
  return denom === 0 ? 1 : common / denom;
}

/** Jaccard index of the two top-`k` sets: `|A ∩ B| / |A ∪ B|`, in [0, 1]. */
export function topKJaccard(a: RankingInput, b: RankingInput, k: number): number {
  const ta = new Set(topKIds(a, k));
  const tb = new Set(topKIds(b, k));
  let common = 0;
  for (const id of ta) if (tb.has(id)) common++;
  const union = ta.size + tb.size - common;
  return union === 0 ? 1 : common / union;
}

/**
 * Rank-biased overlap (Webber, Moffat & Zobel 2010), truncated at depth `k`, extrapolated form ("RBO_ext"):
 * top-weighted agreement of two rankings in [0, 1]; `p` (default 0.9) sets how steeply weight falls with depth
 * (the top `1/(1−p)` ranks carry most of it).
 */
export function rankBiasedOverlap(a: RankingInput, b: RankingInput, k: number, p = 0.9): number {
  if (!(p > 0 && p < 1)) throw new Error(`rankBiasedOverlap: "p" must be in (0, 1), got ${String(p)}`);
  const ta = topKIds(a, k);
  const tb = topKIds(b, k);
  const depth = Math.min(ta.length, tb.length);
  if (depth === 0) return 1;
  const seenA = new Set<string>();
  const seenB = new Set<string>();
  let overlap = 0;
  let sum = 0;
  for (let d = 1; d <= depth; d++) {
    const x = ta[d - 1];
    const y = tb[d - 1];
    if (x === y) overlap++;
    else {
      if (seenB.has(x)) overlap++;
      if (seenA.has(y)) overlap++;
    }
    seenA.add(x);
    seenB.add(y);
    sum += (overlap / d) * Math.pow(p, d);
  }
  return ((1 - p) / p) * sum + (overlap / depth) * Math.pow(p, depth);
}

/** Summary of {@link rankingStability}. */
export interface RankingStability {
  /** The `k` used. */
  k: number;
  /** Number of rankings compared. */
  runs: number;
  /** Number of pairs compared (`runs·(runs−1)/2`). */
  pairs: number;
  /** Mean pairwise {@link topKOverlap}. */
  meanOverlap: number;
  /** Smallest pairwise overlap. */
  minOverlap: number;
  /** Mean pairwise {@link topKJaccard}. */
  meanJaccard: number;
  /** Mean pairwise {@link rankBiasedOverlap} (p = 0.9). */
  meanRbo: number;
  /** Ids in the top `k` of every run (the stable core), in the first run's order. */
  stableCore: string[];
}

/**
 * Mean pairwise agreement of the top-`k` across several rankings (e.g. one per training seed).
 * @throws Error when fewer than two rankings are given or `k` is invalid.
 */
export function rankingStability(rankings: readonly RankingInput[], k: number): RankingStability {
  checkK(k);
  if (!Array.isArray(rankings) || rankings.length < 2) {
    throw new Error(`rankingStability: "rankings" needs at least 2 rankings, got ${Array.isArray(rankings) ? rankings.length : 'none'}`);
  }
  let pairs = 0;
  let sumO = 0;
  let minO = 1;
  let sumJ = 0;
  let sumR = 0;
  for (let i = 0; i < rankings.length; i++) {
    for (let j = i + 1; j < rankings.length; j++) {
      const o = topKOverlap(rankings[i], rankings[j], k);
      sumO += o;
      minO = Math.min(minO, o);
      sumJ += topKJaccard(rankings[i], rankings[j], k);
      sumR += rankBiasedOverlap(rankings[i], rankings[j], k);
      pairs++;
    }
  }
  const sets = rankings.map((r) => new Set(topKIds(r, k)));
  const stableCore = topKIds(rankings[0], k).filter((id) => sets.every((s) => s.has(id)));
  return { k, runs: rankings.length, pairs, meanOverlap: sumO / pairs, minOverlap: minO, meanJaccard: sumJ / pairs, meanRbo: sumR / pairs, stableCore };
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`"k" must be a positive integer, got ${String(k)}`);
}
