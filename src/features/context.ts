/**
 * The {@link FeatureContext} handed to custom feature functions: one reused object per encoder, refreshed for
 * every event.
 *
 * @module
 */
import { ADDRESS_CLASSES, type AddressClass } from './address.js';
import type { History } from './history.js';
import type { Prepared } from './prepare.js';
import type { FeatureContext } from './spec.js';

/** Mutable implementation of {@link FeatureContext}. */
export class MutableContext implements FeatureContext {
  localHour = 0;
  weekday = 0;
  time = 0;
  userLogins = 0;
  sourceClass: AddressClass = 'missing';

  /**
   * @param index raw feature index by column name.
   * @param rawBuf the current event's unit features (float32).
   * @param wideBuf the current event's other features (float64), same indices.
   * @param isWide 1 where a raw feature lives in `wideBuf`.
   */
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly rawBuf: Float32Array,
    private readonly wideBuf: Float64Array,
    private readonly isWide: Uint8Array,
  ) {}

  /** Refreshes the context for the prepared event. */
  set(p: Prepared, h: History): void {
    this.localHour = p.hour;
    this.weekday = p.weekday;
    this.time = p.t;
    this.userLogins = p.profile >= 0 ? h.logins(p.profile) : 0;
    this.sourceClass = ADDRESS_CLASSES[p.addr.cls];
  }

  raw(column: string): number {
    const i = this.index.get(column);
    if (i === undefined) return NaN;
    return this.isWide[i] === 1 ? this.wideBuf[i] : this.rawBuf[i];
  }
}
