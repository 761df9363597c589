/**
 * Exact ranking metrics over (score, label) pairs with ties handled consistently: ROC-AUC (Mann-Whitney with
 * mid-ranks), average precision (step-wise, thresholds at distinct scores, as scikit-learn), precision@k (expected
 * value under random order within a tie), recall at a false-positive-rate budget (thresholds at distinct scores).
 *
 * @module
 */

/** Items sorted by score, descending, grouped by equal score. */
export interface RankedItems {
  /** Item indices in descending score order (ties keep input order). */
  order: Uint32Array;
  /** Start offsets (into `order`) of each group of equal scores, plus a final entry = n. */
  groupStart: number[];
  scores: Float64Array;
  labels: Uint8Array;
  positives: number;
  negatives: number;
}

/** Sorts items by score (NaN counts as the lowest score). */
export function rankItems(scores: Float64Array, labels: Uint8Array): RankedItems {
  const n = scores.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = Number.isNaN(scores[i]) ? -Infinity : scores[i];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (s[b] > s[a] ? 1 : s[b] < s[a] ? -1 : a - b));
  const groupStart: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || s[order[i]] !== s[order[i - 1]]) groupStart.push(i);
  groupStart.push(n);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  return { order, groupStart, scores: s, labels, positives, negatives: n - positives };
}

/** ROC-AUC: probability a random positive outscores a random negative, ties counting one half. `null` if a class is empty. */
export function rocAuc(r: RankedItems): number | null {
  if (r.positives === 0 || r.negatives === 0) return null;
  // walk groups from the top: each positive in a group beats all negatives below, ties half
  let negBelow = r.negatives;
  let sum = 0;
  for (let g = 0; g + 1 < r.groupStart.length; g++) {
    let p = 0, q = 0;
    for (let i = r.groupStart[g]; i < r.groupStart[g + 1]; i++) {
      if (r.labels[r.order[i]]) p++;
      else q++;
    }
    negBelow -= q;
    sum += p * negBelow + 0.5 * p * q;
  }
  return sum / (r.positives * r.negatives);
}

/** Average precision: sum over distinct-score thresholds of (recall step) x precision. `null` without positives. */
export function averagePrecision(r: RankedItems): number | null {
  if (r.positives === 0) return null;
  let tp = 0, fp = 0, ap = 0, prevRecall = 0;
  for (let g = 0; g + 1 < r.groupStart.length; g++) {
    for (let i = r.groupStart[g]; i < r.groupStart[g + 1]; i++) {
      if (r.labels[r.order[i]]) tp++;
      else fp++;
    }
    const recall = tp / r.positives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/**
 * Precision among the top k: within the tie group that straddles position k, positives are counted in proportion
 * (the expected value when ties are broken at random). k larger than the item count uses all items.
 */
export function precisionAtK(r: RankedItems, k: number): { precision: number | null; positives: number; k: number } {
  const n = r.order.length;
  const kk = Math.min(k, n);
  if (kk <= 0) return { precision: null, positives: 0, k: kk };
  let pos = 0;
  for (let g = 0; g + 1 < r.groupStart.length; g++) {
    const a = r.groupStart[g], b = r.groupStart[g + 1];
    if (a >= kk) break;
    let p = 0;
    for (let i = a; i < b; i++) if (r.labels[r.order[i]]) p++;
    if (b <= kk) pos += p;
    else pos += (p * (kk - a)) / (b - a);
  }
  return { precision: pos / kk, positives: pos, k: kk };
}

/** Operating point at a false-positive-rate budget. */
export interface FprPoint {
  /** The budget. */
  fpr: number;
  /** Highest recall over thresholds (distinct scores) whose false-positive rate is within the budget. */
  recall: number | null;
  /** The score threshold (events with score >= threshold are flagged); `null` when no threshold fits. */
  threshold: number | null;
  /** False-positive rate actually reached at that threshold. */
  actualFpr: number;
  truePositives: number;
  falsePositives: number;
}

/** Recall at a false-positive-rate budget (no interpolation between thresholds). */
export function recallAtFpr(r: RankedItems, budget: number): FprPoint {
  const best: FprPoint = { fpr: budget, recall: r.positives === 0 ? null : 0, threshold: null, actualFpr: 0, truePositives: 0, falsePositives: 0 };
  let tp = 0, fp = 0;
  for (let g = 0; g + 1 < r.groupStart.length; g++) {
    for (let i = r.groupStart[g]; i < r.groupStart[g + 1]; i++) {
      if (r.labels[r.order[i]]) tp++;
      else fp++;
    }
    const rate = r.negatives === 0 ? 0 : fp / r.negatives;
    if (rate > budget) break;
    const score = r.scores[r.order[r.groupStart[g]]];
    if (score === -Infinity) break; // missed events cannot be flagged
    best.threshold = score;
    best.actualFpr = rate;
    best.truePositives = tp;
    best.falsePositives = fp;
    best.recall = r.positives === 0 ? null : tp / r.positives;
  }
  return best;
}

/** 1-based mid-rank (average position within its tie group) of every item, in descending score order. */
export function midRanks(r: RankedItems): Float64Array {
  const ranks = new Float64Array(r.order.length);
  for (let g = 0; g + 1 < r.groupStart.length; g++) {
    const a = r.groupStart[g], b = r.groupStart[g + 1];
    const mid = (a + 1 + b) / 2;
    for (let i = a; i < b; i++) ranks[r.order[i]] = mid;
  }
  return ranks;
}

/** Median of a non-empty list of numbers (mean of the middle two for even length). */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
