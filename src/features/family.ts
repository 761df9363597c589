/**
 * The interface every built-in feature family implements, and the raw-feature descriptor.
 *
 * @module
 */
import type { History } from './history.js';
import type { Prepared } from './prepare.js';
import type { FamilyName } from './spec.js';

/** One raw feature (one output column before dropping). */
export interface RawFeature {
  /** Column name, `family.feature` or `family.feature=value` for one-hots. */
  readonly name: string;
  /** Family (or `custom`). */
  readonly family: FamilyName | 'custom';
  /** Applied to the raw value before scaling. */
  readonly transform: 'identity' | 'log1p';
  /** `robust`: centred and scaled by statistics learned in fit; `none`: used as is (bounded features). */
  readonly scaling: 'robust' | 'none';
  /**
   * Set by built-in families on unscaled identity features whose value is always finite and within [-1, 1]
   * (one-hots, flags, sin/cos, rarities): the encoder then skips clipping them (property-tested).
   */
  readonly unit?: boolean;
}

/** A built-in feature family. */
export interface Family {
  /** Family name. */
  readonly name: FamilyName;
  /** Its raw features, in column order. */
  readonly features: readonly RawFeature[];
  /**
   * Writes this event's raw features at index `base ..`, reading only state from earlier events: "unit" features
   * ({@link RawFeature.unit}: bounded, stored as float32 like the output) to `raw`, the others (scaled or
   * log-transformed) to `wide` at the same index, in full precision. The encoder zeroes `raw` before each group
   * of events, so one-hot families only set their ones.
   */
  compute(p: Prepared, h: History, raw: Float32Array, wide: Float64Array, base: number): void;
  /** Updates the family's own state with this event (after every family computed its row); absent when stateless. */
  update?(p: Prepared, h: History): void;
}

/**
 * Raw feature descriptor helper. An unscaled identity feature is marked {@link RawFeature.unit}: every built-in
 * one must be finite and within [-1, 1] (test/features/property.test.ts checks it for arbitrary events).
 */
export function feature(
  family: FamilyName,
  name: string,
  scaling: RawFeature['scaling'] = 'none',
  transform: RawFeature['transform'] = 'identity',
): RawFeature {
  const unit = scaling === 'none' && transform === 'identity';
  return unit ? { name: `${family}.${name}`, family, transform, scaling, unit } : { name: `${family}.${name}`, family, transform, scaling };
}

/** Short label of a window length for column names: `10m`, `1h`, `1d`, `90s`. */
export function windowLabel(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** Plain words for a window length: `10 minutes`, `hour`, `day`, `2 days`. */
export function windowWords(ms: number): string {
  const unit = (n: number, one: string): string => (n === 1 ? one : `${n} ${one}s`);
  if (ms % 86_400_000 === 0) return unit(ms / 86_400_000, 'day');
  if (ms % 3_600_000 === 0) return unit(ms / 3_600_000, 'hour');
  if (ms % 60_000 === 0) return unit(ms / 60_000, 'minute');
  return unit(Math.round(ms / 1000), 'second');
}
