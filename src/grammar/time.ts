/**
 * Time helpers for envelopes: civil time → epoch milliseconds without `Date` objects, timezone offsets
 * (UTC, fixed `±HH:MM`, or IANA names through a cached `Intl.DateTimeFormat` lookup), and the year inference
 * with New-Year rollover used for year-less (RFC 3164) timestamps.
 *
 * @module
 */

const MS_PER_HOUR = 3_600_000;
const MS_PER_QUARTER = 900_000;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). Pure arithmetic, valid for any year. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch milliseconds of a civil time read as UTC (month 1..12). */
export function civilToEpochMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * 60_000 + second * 1000 + ms;
}

/** Parses `Z`, `UTC`, `GMT`, `±HH:MM`, `±HHMM` or `±HH` to an offset in minutes; `null` when it is none of those. */
export function parseFixedOffset(tz: string): number | null {
  if (tz === 'Z' || tz === 'UTC' || tz === 'GMT' || tz === 'Etc/UTC' || tz === 'utc') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz);
  if (m === null) return null;
  const h = Number(m[2]);
  const min = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/**
 * Converts local civil times of one timezone to UTC. Fixed offsets cost nothing; IANA zones ask
 * `Intl.DateTimeFormat` once per distinct quarter hour of UTC time (cached, bounded), so a log stream pays a few
 * lookups per hour of log time.
 */
export class ZoneConverter {
  /** The timezone as given. */
  readonly timezone: string;
  private readonly fixedMs: number | null;
  private readonly fmt: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffset = 0;

  /** @throws Error naming the `timezone` option when the zone is unknown. */
  constructor(timezone: string) {
    this.timezone = timezone;
    const fixed = parseFixedOffset(timezone);
    if (fixed !== null) {
      this.fixedMs = fixed * 60_000;
      this.fmt = null;
      return;
    }
    this.fixedMs = null;
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
      throw new Error(
        `Invalid option timezone: ${JSON.stringify(timezone)} (allowed: 'UTC', an offset like '+02:00', or an IANA zone name like 'Europe/Berlin')`,
      );
    }
  }

  /** Offset of the zone (local minus UTC) in milliseconds at the UTC instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (this.fixedMs !== null) return this.fixedMs;
    // Buckets of 15 minutes: every real-world offset change happens on a quarter hour (some at :30 UTC).
    const bucket = Math.floor(utcMs / MS_PER_QUARTER);
    if (bucket === this.lastBucket) return this.lastOffset;
    let off = this.cache.get(bucket);
    if (off === undefined) {
      off = this.lookup(bucket * MS_PER_QUARTER);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(bucket, off);
    }
    this.lastBucket = bucket;
    this.lastOffset = off;
    return off;
  }

  /** UTC epoch ms of a local civil time given as "epoch ms if the civil time were UTC". */
  toUtc(localAsUtcMs: number): number {
    if (this.fixedMs !== null) return localAsUtcMs - this.fixedMs;
    const o1 = this.offsetAt(localAsUtcMs);
    let utc = localAsUtcMs - o1;
    const o2 = this.offsetAt(utc);
    if (o2 !== o1) utc = localAsUtcMs - o2;
    return utc;
  }

  private lookup(utcMs: number): number {
    const parts = (this.fmt as Intl.DateTimeFormat).formatToParts(utcMs);
    let y = 1970;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of parts) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value) % 24;
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
        default:
          break;
      }
    }
    const local = civilToEpochMs(y, mo, d, h, mi, s, 0);
    return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  }
}

/**
 * The clock an envelope uses to turn the civil time it read into epoch milliseconds. One per parse stream:
 * it carries the year state for year-less timestamps.
 */
export interface TimeResolver {
  /**
   * A year-less civil time (month 1..12) in the configured timezone. The year comes from the `year` option (or the
   * current year, stepped back when the stamp would lie more than a day in the future); after that the resolver
   * follows the stream: a jump back of six months or more (Dec → Jan) moves to the next year, and a line eight
   * months or more ahead of the stream (a late December line among January lines) is placed in the previous year
   * without changing the state.
   */
  yearless(month: number, day: number, hour: number, minute: number, second: number, ms: number): number;
  /** A civil time with a year but no offset, in the configured timezone. */
  local(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number;
}

/** The {@link TimeResolver} of one parse stream. */
export class StreamClock implements TimeResolver {
  private readonly zone: ZoneConverter;
  private year: number | null;
  private lastMonth = 0;
  private readonly now: () => number;

  /**
   * @param timezone zone of stamps that carry no offset.
   * @param year year of the first year-less stamp; inferred from `now()` when absent.
   * @param now clock used only for year inference (tests inject one).
   */
  constructor(timezone = 'UTC', year?: number, now: () => number = Date.now) {
    if (year !== undefined && (!Number.isInteger(year) || year < 1 || year > 9999)) {
      throw new Error(`Invalid option year: ${String(year)} (allowed: an integer from 1 to 9999)`);
    }
    this.zone = new ZoneConverter(timezone);
    this.year = year ?? null;
    this.now = now;
  }

  /** The year the next in-order year-less stamp would get (`null` before the first one when inferred). */
  get currentYear(): number | null {
    return this.year;
  }

  yearless(month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
    let year = this.year;
    if (year === null) {
      const nowMs = this.now();
      year = new Date(nowMs).getUTCFullYear();
      const t = this.local(year, month, day, hour, minute, second, ms);
      if (t > nowMs + MS_PER_DAY) year -= 1;
      this.year = year;
      this.lastMonth = month;
      return this.local(year, month, day, hour, minute, second, ms);
    }
    const last = this.lastMonth;
    if (last !== 0) {
      if (last - month >= 6) {
        year += 1;
        this.year = year;
      } else if (month - last >= 8) {
        // a straggler from before New Year (a December line among January lines): previous year, state unchanged
        return this.local(year - 1, month, day, hour, minute, second, ms);
      }
    }
    this.lastMonth = month;
    return this.local(year, month, day, hour, minute, second, ms);
  }

  local(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
    return this.zone.toUtc(civilToEpochMs(year, month, day, hour, minute, second, ms));
  }
}
