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
import { isoEnd, readIsoTimestamp } from './iso.js';
import { finishHostTag } from './tag.js';

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
  return finishHostTag(line, i, rec);
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

/** Reads civil time as if it were UTC (the zone is applied after, from the abbreviation). */
const CIVIL: TimeResolver = {
  local: (year, month, day, hour, minute, second, ms) => civilToEpochMs(year, month, day, hour, minute, second, ms),
  yearless: () => Number.NaN,
};

function parseShortFull(line: string, rec: LogRecord, time: TimeResolver): boolean {
  // "Www YYYY-MM-DD HH:MM:SS[.frac] ZONE": the date and time as ISO 8601 with a space, then the zone
  if (line.length < 25 || line.charCodeAt(3) !== 32 || line.charCodeAt(14) !== 32 || !WEEKDAYS.includes(line.slice(0, 3))) return false;
  const civil = readIsoTimestamp(line, 4, CIVIL);
  let i = isoEnd.index;
  if (Number.isNaN(civil) || line.charCodeAt(i) !== 32) return false;
  const z0 = ++i;
  const n = line.length;
  while (i < n && i - z0 <= MAX_ZONE && line.charCodeAt(i) !== 32) i++;
  if (i === z0 || i - z0 > MAX_ZONE) return false;
  const zone = line.slice(z0, i);
  const offset = ZONE_ABBREVIATIONS[zone] ?? parseFixedOffset(zone);
  // an ambiguous or unknown abbreviation: the same civil time in the `timezone` option's zone
  rec.timestamp = offset !== null && offset !== undefined ? civil - offset * 60_000 : readIsoTimestamp(line, 4, time);
  return finishHostTag(line, i, rec);
}

/** `journalctl -o short-full`. */
export const journalShortFullEnvelope: Envelope = {
  name: 'journal-short-full',
  firstChars: 'MTWFS',
  parse: parseShortFull,
};
