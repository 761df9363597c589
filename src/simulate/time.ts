/**
 * Fast timestamp rendering for the two envelopes the simulator writes, and the matching "printed time" (the epoch
 * ms a parser reads back from the text).
 *
 * @module
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? '0' + i : String(i));
const PAD3: string[] = [];
for (let i = 0; i < 1000; i++) PAD3.push(i < 10 ? '00' + i : i < 100 ? '0' + i : String(i));

const DAY_MS = 86_400_000;

/** Caches the date part of timestamps per day (RFC 3164 `Mar  4 ` and ISO `2026-03-04T`). */
export class TimeFormatter {
  private rfcDay = -1;
  private rfcDate = '';
  private isoDay = -1;
  private isoDate = '';

  /** RFC 3164 timestamp (`Mar  4 09:15:02`, UTC, second precision). */
  rfc3164(ms: number): string {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.rfcDay) {
      const d = new Date(day * DAY_MS);
      const dd = d.getUTCDate();
      this.rfcDate = MONTHS[d.getUTCMonth()] + (dd < 10 ? '  ' : ' ') + dd + ' ';
      this.rfcDay = day;
    }
    const t = ms - day * DAY_MS;
    const s = Math.floor(t / 1000);
    return this.rfcDate + PAD2[Math.floor(s / 3600)] + ':' + PAD2[Math.floor(s / 60) % 60] + ':' + PAD2[s % 60];
  }

  /**
   * rsyslog high-precision timestamp (`2026-03-04T09:15:02.123456+00:00`) in a fixed UTC offset (minutes).
   * `micros` (0..999) fills the last three digits.
   */
  iso8601(ms: number, offsetMin: number, micros: number): string {
    const local = ms + offsetMin * 60_000;
    const day = Math.floor(local / DAY_MS);
    if (day !== this.isoDay) {
      const d = new Date(day * DAY_MS);
      this.isoDate = d.getUTCFullYear() + '-' + PAD2[d.getUTCMonth() + 1] + '-' + PAD2[d.getUTCDate()] + 'T';
      this.isoDay = day;
    }
    const t = local - day * DAY_MS;
    const s = Math.floor(t / 1000);
    const a = Math.abs(offsetMin);
    const off = (offsetMin < 0 ? '-' : '+') + PAD2[Math.floor(a / 60)] + ':' + PAD2[a % 60];
    return (
      this.isoDate + PAD2[Math.floor(s / 3600)] + ':' + PAD2[Math.floor(s / 60) % 60] + ':' + PAD2[s % 60] + '.' +
      PAD3[t % 1000] + PAD3[micros] + off
    );
  }
}

/** The epoch ms a parser reads back from a printed time: seconds for RFC 3164, milliseconds for ISO 8601. */
export function printedTime(ms: number, envelope: 'rfc3164' | 'iso8601'): number {
  return envelope === 'rfc3164' ? Math.floor(ms / 1000) * 1000 : ms;
}
