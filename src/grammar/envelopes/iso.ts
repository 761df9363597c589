/**
 * ISO 8601 / RFC 3339 timestamp reader shared by the `iso8601` and `rfc5424` envelopes.
 *
 * @module
 */
import type { TimeResolver } from '../time.js';
import { civilToEpochMs } from '../time.js';

/** Index just past the timestamp read by the last successful {@link readIsoTimestamp}. */
export const isoEnd = { index: 0 };

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/**
 * Reads `YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm|±hhmm|±hh]` at `i`. Returns epoch ms, or `NaN` when the text is not
 * such a timestamp (then `isoEnd.index` is unspecified). Stamps without an offset are read in the resolver's zone.
 */
export function readIsoTimestamp(s: string, i: number, time: TimeResolver): number {
  const n = s.length;
  if (i + 19 > n) return Number.NaN;
  const y1 = d2(s, i);
  const y2 = d2(s, i + 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return Number.NaN;
  const year = y1 * 100 + y2;
  const month = d2(s, i + 5);
  const day = d2(s, i + 8);
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return Number.NaN;
  const hour = d2(s, i + 11);
  const minute = d2(s, i + 14);
  const second = d2(s, i + 17);
  if (s.charCodeAt(i + 13) !== 58 || s.charCodeAt(i + 16) !== 58) return Number.NaN;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return Number.NaN;
  }
  if (second < 0 || second > 60) return Number.NaN;
  let k = i + 19;
  let ms = 0;
  if (k < n && (s.charCodeAt(k) === 46 || s.charCodeAt(k) === 44)) {
    k++;
    let digits = 0;
    while (k < n && digits <= 9) {
      const c = s.charCodeAt(k) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 3) ms = ms * 10 + c;
      digits++;
      k++;
    }
    if (digits === 0 || digits > 9) return Number.NaN;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  let offsetMin = Number.NaN;
  if (k < n) {
    const c = s.charCodeAt(k);
    if (c === 90 || c === 122) {
      offsetMin = 0;
      k++;
    } else if (c === 43 || c === 45) {
      const oh = d2(s, k + 1);
      if (oh < 0 || oh > 23) return Number.NaN;
      let om = 0;
      let e = k + 3;
      if (s.charCodeAt(e) === 58) {
        om = d2(s, e + 1);
        e += 3;
      } else if (e + 1 < n && d2(s, e) >= 0) {
        om = d2(s, e);
        e += 2;
      }
      if (om < 0 || om > 59) return Number.NaN;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
      k = e;
    }
  }
  isoEnd.index = k;
  const sec = second === 60 ? 59 : second;
  if (Number.isNaN(offsetMin)) return time.local(year, month, day, hour, minute, sec, ms);
  return civilToEpochMs(year, month, day, hour, minute, sec, ms) - offsetMin * 60_000;
}
