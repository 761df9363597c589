/**
 * The two `journalctl` text outputs the RFC 3164 and ISO 8601 envelopes do not cover:
 *
 * - `-o short-unix`: `1700000000.123456 host prog[pid]: msg` — seconds since the epoch with six decimals (systemd
 *   prints `%10u.%06u`); unambiguous, no time zone involved.
 * - `-o short-full`: `Tue 2023-11-14 22:13:20 CET host prog[pid]: msg` — weekday, date, time and the zone
 *   abbreviation of the exporting machine (`UTC` with `--utc`). Numeric zones (`+03`, `-0530`) and the
 *   unambiguous abbreviations in {@link ZONE_ABBREVIATIONS} give the offset; any other abbreviation (`IST`, `CST`
 *   and `AST` name several zones) falls back to the `timezone` option, as a stamp without a zone does.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';
import { civilToEpochMs, parseFixedOffset, type TimeResolver } from '../time.js';
import { parseHostTag } from './tag.js';

function dig(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function parseShortUnix(line: string, rec: LogRecord): boolean {
  const n = line.length;
  let i = 0;
  let sec = 0;
  // up to 11 digits of seconds (year 5138), then exactly 6 of microseconds
  while (i < n && i < 11) {
    const d = dig(line, i);
    if (d < 0) break;
    sec = sec * 10 + d;
    i++;
  }
  if (i === 0 || line.charCodeAt(i) !== 46) return false;
  i++;
  let us = 0;
  for (let k = 0; k < 6; k++, i++) {
    const d = dig(line, i);
    if (d < 0) return false;
    us = us * 10 + d;
  }
  if (i < n && line.charCodeAt(i) !== 32) return false;
  rec.timestamp = sec * 1000 + Math.floor(us / 1000);
  if (i >= n) {
    rec.message = '';
    return true;
  }
  parseHostTag(line, i + 1, rec);
  return true;
}

/** `journalctl -o short-unix`. */
export const journalShortUnixEnvelope: Envelope = {
  name: 'journal-short-unix',
  firstChars: '0123456789',
  parse: (line, rec) => parseShortUnix(line, rec),
};

/**
 * Zone abbreviations that name one offset (minutes east of UTC) wherever they are printed by glibc for the tz
 * database zones that use them. Ambiguous ones (`IST`: India, Israel, Ireland; `CST`: US Central, China, Cuba;
 * `AST`: Atlantic, Arabia; `BST` in old data: Bangladesh) are left out on purpose.
 */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = Object.freeze({
  UTC: 0,
  UT: 0,
  GMT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  SAST: 120,
  PKT: 300,
  HKT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  PST: -480,
  PDT: -420,
  MST: -420,
  MDT: -360,
  CDT: -300,
  EST: -300,
  EDT: -240,
  NST: -210,
  NDT: -150,
});

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MAX_ZONE = 8;

function parseShortFull(line: string, rec: LogRecord, time: TimeResolver): boolean {
  const n = line.length;
  // "Www YYYY-MM-DD HH:MM:SS ZONE"
  if (n < 25 || line.charCodeAt(3) !== 32 || !WEEKDAYS.includes(line.slice(0, 3))) return false;
  const y0 = dig(line, 4);
  const y1 = dig(line, 5);
  const y2 = dig(line, 6);
  const y3 = dig(line, 7);
  const mo0 = dig(line, 9);
  const mo1 = dig(line, 10);
  const d0 = dig(line, 12);
  const d1 = dig(line, 13);
  const h0 = dig(line, 15);
  const h1 = dig(line, 16);
  const mi0 = dig(line, 18);
  const mi1 = dig(line, 19);
  const s0 = dig(line, 21);
  const s1 = dig(line, 22);
  if ((y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1) < 0) return false;
  if (line.charCodeAt(8) !== 45 || line.charCodeAt(11) !== 45 || line.charCodeAt(14) !== 32) return false;
  if (line.charCodeAt(17) !== 58 || line.charCodeAt(20) !== 58) return false;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  let second = s0 * 10 + s1;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  if (second === 60) second = 59;
  let i = 23;
  let ms = 0;
  if (line.charCodeAt(i) === 46) {
    // a fraction is not printed by journalctl today; accept one (µs or ms) all the same
    i++;
    let digits = 0;
    while (digits < 9) {
      const c = dig(line, i);
      if (c < 0) break;
      if (digits < 3) ms = ms * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0) return false;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  if (line.charCodeAt(i) !== 32) return false;
  i++;
  const z0 = i;
  while (i < n && i - z0 <= MAX_ZONE && line.charCodeAt(i) !== 32) i++;
  if (i === z0 || i - z0 > MAX_ZONE) return false;
  const zone = line.slice(z0, i);
  const offset = ZONE_ABBREVIATIONS[zone] ?? parseFixedOffset(zone);
  rec.timestamp =
    offset !== null && offset !== undefined
      ? civilToEpochMs(year, month, day, hour, minute, second, ms) - offset * 60_000
      : time.local(year, month, day, hour, minute, second, ms);
  if (i >= n) {
    rec.message = '';
    return true;
  }
  parseHostTag(line, i + 1, rec);
  return true;
}

/** `journalctl -o short-full`. */
export const journalShortFullEnvelope: Envelope = {
  name: 'journal-short-full',
  firstChars: 'MTWFS',
  parse: parseShortFull,
};
