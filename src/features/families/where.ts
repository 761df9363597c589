/**
 * "Where from" family: source address class (missing, loopback, private, public, other), IPv6, and a hashed
 * one-hot bucket of the source's wide prefix (/16 for IPv4, /32 for IPv6) so the model can learn which network
 * ranges are normal.
 *
 * @module
 */
import { ADDRESS_CLASSES } from '../address.js';
import { feature, type Family, type RawFeature } from '../family.js';
import type { Prepared } from '../prepare.js';
import type { ResolvedSpec } from '../spec.js';

/** The where-from family. */
export class WhereFamily implements Family {
  readonly name = 'where' as const;
  readonly features: readonly RawFeature[];
  private readonly buckets: number;
  /** `buckets − 1` when `buckets` is a power of two (then `x % buckets === (x & mask)` for x ≥ 0), else -1. */
  private readonly mask: number;

  constructor(opts: ResolvedSpec['families']['where']) {
    this.buckets = opts.networkBuckets;
    this.mask = this.buckets > 0 && (this.buckets & (this.buckets - 1)) === 0 ? this.buckets - 1 : -1;
    this.features = [
      ...ADDRESS_CLASSES.map((c) => feature('where', `class=${c}`)),
      feature('where', 'ipv6'),
      ...Array.from({ length: this.buckets }, (_, i) => feature('where', `net_bucket=${i}`)),
    ];
  }

  compute(p: Prepared, _h: unknown, raw: Float32Array, _wide: Float64Array, b: number): void {
    const n = ADDRESS_CLASSES.length;
    // The slots are zero on entry (the encoder clears the chunk): only the ones are set.
    raw[b + p.addr.cls] = 1;
    raw[b + n] = p.addr.v6;
    if (this.buckets > 0 && p.hasSource) {
      const x = p.addr.wide >>> 0;
      raw[b + n + 1 + (this.mask >= 0 ? x & this.mask : x % this.buckets)] = 1;
    }
  }
}
