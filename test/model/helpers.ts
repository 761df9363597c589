/** Test data for the model tests: low-rank structure plus noise, and anomalies off that structure. */

/** Deterministic uniform [0,1) generator. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A rank-`rank` linear structure in `width` dimensions. */
export interface LowRank {
  width: number;
  rank: number;
  basis: Float32Array;
}

/** Make a random basis. */
export function lowRank(width: number, rank: number, seed = 1): LowRank {
  const r = lcg(seed);
  const basis = new Float32Array(rank * width).map(() => (r() - 0.5) * 2);
  return { width, rank, basis };
}

/** `n` rows on the structure (latent ~ U(-1.5,1.5)) plus uniform noise of amplitude `noise`. */
export function sample(s: LowRank, n: number, seed: number, noise = 0.05): Float32Array {
  const r = lcg(seed);
  const out = new Float32Array(n * s.width);
  const z = new Float32Array(s.rank);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < s.rank; q++) z[q] = (r() - 0.5) * 3;
    for (let j = 0; j < s.width; j++) {
      let v = 0;
      for (let q = 0; q < s.rank; q++) v += z[q] * s.basis[q * s.width + j];
      out[i * s.width + j] = v + (r() - 0.5) * 2 * noise;
    }
  }
  return out;
}

/** `n` anomalous rows: independent values with roughly the same per-value scale as the structured rows. */
export function anomalies(width: number, n: number, seed: number, scale = 1.5): Float32Array {
  const r = lcg(seed);
  return new Float32Array(n * width).map(() => (r() - 0.5) * 2 * scale);
}

/** ROC-AUC of scores where `positive[i]` marks anomalies (ties count half). */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  let pos = 0;
  let neg = 0;
  let wins = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!positive[i]) continue;
    pos++;
    for (let j = 0; j < scores.length; j++) {
      if (positive[j]) continue;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  for (let j = 0; j < scores.length; j++) if (!positive[j]) neg++;
  return wins / (pos * neg);
}

/** Mean of a typed array. */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Largest absolute difference between two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
