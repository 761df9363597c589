/**
 * A small, fast, seedable pseudo-random generator (sfc32) and the hashing used to derive independent streams
 * from one seed. Everything random in the simulator goes through here, so the same seed gives the same bytes on
 * every platform (only 32-bit integer arithmetic and IEEE doubles are used).
 *
 * @module
 */

/** Mixes one 32-bit integer into a hash state (murmur3-style finaliser). */
function mix32(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Final avalanche of a hash state. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a list of integers into an unsigned 32-bit value (deterministic, order-sensitive). */
export function hashInts(a: number, b = 0, c = 0, d = 0): number {
  let h = 0x9747b28c;
  h = mix32(h, a | 0);
  h = mix32(h, b | 0);
  h = mix32(h, c | 0);
  h = mix32(h, d | 0);
  return fmix32(h ^ 16);
}

/** Hash of a string into an unsigned 32-bit value. */
export function hashString(s: string, seed = 0): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = mix32(h, s.charCodeAt(i));
  return fmix32(h ^ s.length);
}

/** A uniform number in [0, 1) derived from integers only (no generator state): for per-day/per-user choices. */
export function hashFloat(a: number, b = 0, c = 0, d = 0): number {
  return hashInts(a, b, c, d) / 4294967296;
}

/** sfc32 generator with convenience draws. Deterministic for a given seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds the generator from up to four integers (hashed, so nearby seeds give unrelated streams). */
  constructor(seed: number, stream = 0, sub = 0) {
    this.a = hashInts(seed, stream, sub, 1);
    this.b = hashInts(seed, stream, sub, 2);
    this.c = hashInts(seed, stream, sub, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn with the given non-negative weights (at least one positive). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal draw (Box-Muller, one value per call). */
  normal(): number {
    let u = this.next();
    if (u < 1e-12) u = 1e-12;
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal draw with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson draw (Knuth for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > l) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Exponential draw with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** A random lower-case hex string of the given length. */
  hex(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += HEX[this.u32() & 15];
    return s;
  }

  /** A random base64 (no padding) string of the given length, as in OpenSSH SHA256 fingerprints. */
  base64(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += B64[this.u32() & 63];
    return s;
  }
}

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
