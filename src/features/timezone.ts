/**
 * Local wall-clock hour and weekday of an epoch-ms timestamp in a configurable time zone ('UTC', a fixed offset
 * like '+02:00', or an IANA name such as 'Europe/Berlin'). IANA offsets come from `Intl` and are cached per
 * 15-minute bucket (every real-world offset change happens on a quarter hour), so the cost per event is a
 * comparison in the common case of time-ordered events.
 *
 * @module
 */

const QUARTER_MS = 15 * 60_000;
/** Largest |epoch ms| a JavaScript Date accepts. */
export const MAX_TIME_MS = 8.64e15;

/** Whether `t` is a time the clock can handle (finite, a day inside the Date range, so offsets can be looked up). */
export function isUsableTime(t: unknown): t is number {
  return typeof t === 'number' && t > -MAX_TIME_MS + 86_400_000 && t < MAX_TIME_MS - 86_400_000;
}

/** Parses '+02:00', '-0530', 'UTC', 'Z' into minutes east of UTC, or null when it is not a fixed offset. */
export function parseFixedOffset(tz: string): number | null {
  if (tz === 'UTC' || tz === 'Z' || tz === 'Etc/UTC' || tz === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 14 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/** Local time in one time zone. */
export class LocalClock {
  /** The zone as given. */
  readonly timezone: string;
  private readonly fixed: number | null;
  private readonly fmt: Intl.DateTimeFormat | null;
  private lastBucket = NaN;
  private lastOffsetMs = 0;
  private readonly cache = new Map<number, number>();
  /** Local hour of the last {@link LocalClock.set} call, fractional (0 <= hour < 24). */
  hour = 0;
  /** Local weekday of the last {@link LocalClock.set} call (0 = Sunday ... 6 = Saturday). */
  weekday = 0;

  /** @throws Error when `timezone` is neither a fixed offset nor an IANA zone known to this runtime. */
  constructor(timezone = 'UTC') {
    this.timezone = timezone;
    this.fixed = parseFixedOffset(timezone);
    if (this.fixed === null) {
      try {
        this.fmt = new Intl.DateTimeFormat('en-US', {
          timeZone: timezone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
      } catch {
        throw new Error(`timezone: '${timezone}' is not 'UTC', a fixed offset like '+02:00', or an IANA time zone name`);
      }
    } else {
      this.fmt = null;
    }
  }

  /** Offset of local time from UTC at instant `t` (epoch ms, finite and within Date range), in ms. */
  offsetMs(t: number): number {
    if (this.fmt === null) return (this.fixed as number) * 60_000;
    const bucket = Math.floor(t / QUARTER_MS);
    if (bucket === this.lastBucket) return this.lastOffsetMs;
    let off = this.cache.get(bucket);
    if (off === undefined) {
      const start = bucket * QUARTER_MS;
      const parts = this.fmt.formatToParts(new Date(start));
      let y = 1970;
      let mo = 1;
      let d = 1;
      let h = 0;
      let mi = 0;
      let se = 0;
      for (const p of parts) {
        if (p.type === 'year') y = Number(p.value);
        else if (p.type === 'month') mo = Number(p.value);
        else if (p.type === 'day') d = Number(p.value);
        else if (p.type === 'hour') h = Number(p.value);
        else if (p.type === 'minute') mi = Number(p.value);
        else if (p.type === 'second') se = Number(p.value);
      }
      const asUtc = Date.UTC(y, mo - 1, d, h, mi, se);
      off = Number.isFinite(asUtc) ? Math.round((asUtc - start) / 60_000) * 60_000 : 0;
      if (this.cache.size >= 4096) this.cache.clear();
      this.cache.set(bucket, off);
    }
    this.lastBucket = bucket;
    this.lastOffsetMs = off;
    return off;
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
