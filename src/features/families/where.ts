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

  constructor(opts: ResolvedSpec['families']['where']) {
    this.buckets = opts.networkBuckets;
    this.features = [
      ...ADDRESS_CLASSES.map((c) => feature('where', `class=${c}`)),
      feature('where', 'ipv6'),
      ...Array.from({ length: this.buckets }, (_, i) => feature('where', `net_bucket=${i}`)),
    ];
  }

  compute(p: Prepared, _h: unknown, raw: Float64Array, b: number): void {
    const n = ADDRESS_CLASSES.length;
    for (let j = b, end = b + n + 1 + this.buckets; j < end; j++) raw[j] = 0;
    raw[b + p.addr.cls] = 1;
    raw[b + n] = p.addr.v6;
    if (this.buckets > 0 && p.hasSource) raw[b + n + 1 + ((p.addr.wide >>> 0) % this.buckets)] = 1;
  }
}
