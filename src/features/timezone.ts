/**
 * Local wall-clock hour and weekday of an epoch-ms timestamp in a configurable time zone ('UTC', a fixed offset
 * like '+02:00', or an IANA name such as 'Europe/Berlin'). Offsets come from the grammar's `ZoneConverter`
 * (`Intl`, cached per 15-minute bucket), so the cost per event is a comparison in the common case of time-ordered
 * events.
 *
 * @module
 */

import { ZoneConverter } from '../grammar/time.js';

/** Largest |epoch ms| a JavaScript Date accepts. */
export const MAX_TIME_MS = 8.64e15;

/** Whether `t` is a time the clock can handle (finite, a day inside the Date range, so offsets can be looked up). */
export function isUsableTime(t: unknown): t is number {
  return typeof t === 'number' && t > -MAX_TIME_MS + 86_400_000 && t < MAX_TIME_MS - 86_400_000;
}

/** Local time in one time zone. */
export class LocalClock {
  /** The zone as given. */
  readonly timezone: string;
  private readonly zone: ZoneConverter;
  /** Local hour of the last {@link LocalClock.set} call, fractional (0 <= hour < 24). */
  hour = 0;
  /** Local weekday of the last {@link LocalClock.set} call (0 = Sunday ... 6 = Saturday). */
  weekday = 0;

  /** @throws Error when `timezone` is neither a fixed offset nor an IANA zone known to this runtime. */
  constructor(timezone = 'UTC') {
    this.timezone = timezone;
    this.zone = new ZoneConverter(timezone);
  }

  /**
   * Offset of local time from UTC at instant `t` (epoch ms, finite and within Date range), in ms, rounded to whole
   * minutes (historical local-mean-time offsets have seconds; hours of day do not need them). The lookup and its
   * cache are the grammar's {@link ZoneConverter}.
   */
  offsetMs(t: number): number {
    const off = this.zone.offsetAt(t);
    return Number.isFinite(off) ? Math.round(off / 60_000) * 60_000 : 0;
  }

  /** Sets {@link LocalClock.hour} and {@link LocalClock.weekday} for instant `t` (finite, within Date range). */
  set(t: number): void {
    const local = t + this.offsetMs(t);
    const day = Math.floor(local / 86_400_000);
    const ms = local - day * 86_400_000;
    this.hour = ms / 3_600_000;
    // 1970-01-01 was a Thursday (4). |day| < 1e8 for every usable time, so int32 arithmetic is exact.
    const d = day | 0;
    this.weekday = (((d + 4) % 7) + 7) % 7;
  }
}
