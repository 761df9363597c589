/**
 * RFC 3164 (BSD syslog) envelope: `[<PRI>]Mmm dd hh:mm:ss[.frac] [HOST] TAG[PID]: MESSAGE`. Also reads
 * `journalctl -o short` / `short-precise` output, which has the same shape. The year comes from the stream clock.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';
import type { TimeResolver } from '../time.js';
import { finishHostTag } from './tag.js';

/** Month 1..12 of the English abbreviation at `i` (case-sensitive first letter, as syslog prints), or 0. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  switch (a) {
    case 74: // J
      if (b === 97 && c === 110) return 1; // Jan
      if (b === 117 && c === 110) return 6; // Jun
      if (b === 117 && c === 108) return 7; // Jul
      return 0;
    case 70: // F
      return b === 101 && c === 98 ? 2 : 0;
    case 77: // M
      if (b === 97 && c === 114) return 3;
      if (b === 97 && c === 121) return 5;
      return 0;
    case 65: // A
      if (b === 112 && c === 114) return 4;
      if (b === 117 && c === 103) return 8;
      return 0;
    case 83: // S
      return b === 101 && c === 112 ? 9 : 0;
    case 79: // O
      return b === 99 && c === 116 ? 10 : 0;
    case 78: // N
      return b === 111 && c === 118 ? 11 : 0;
    case 68: // D
      return b === 101 && c === 99 ? 12 : 0;
    default:
      return 0;
  }
}

function dig(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function parse3164(line: string, rec: LogRecord, time: TimeResolver): boolean {
  let i = 0;
  const n = line.length;
  if (line.charCodeAt(0) === 60) {
    // <PRI>
    let j = 1;
    while (j < 5 && j < n && dig(line, j) >= 0) j++;
    if (j === 1 || line.charCodeAt(j) !== 62) return false;
    i = j + 1;
  }
  if (i + 15 > n) return false;
  const month = monthAt(line, i);
  if (month === 0 || line.charCodeAt(i + 3) !== 32) return false;
  i += 4;
  if (line.charCodeAt(i) === 32) i++;
  const d1 = dig(line, i);
  if (d1 < 0) return false;
  let day = d1;
  i++;
  const d2 = dig(line, i);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  if (day < 1 || day > 31 || line.charCodeAt(i) !== 32) return false;
  i++;
  // optional year ("Mar  4 2026 09:15:02")
  let year = -1;
  if (dig(line, i) >= 0 && dig(line, i + 3) >= 0 && line.charCodeAt(i + 4) === 32) {
    year = dig(line, i) * 1000 + dig(line, i + 1) * 100 + dig(line, i + 2) * 10 + dig(line, i + 3);
    i += 5;
  }
  if (i + 8 > n) return false;
  const h1 = dig(line, i);
  const h2 = dig(line, i + 1);
  const m1 = dig(line, i + 3);
  const m2 = dig(line, i + 4);
  const s1 = dig(line, i + 6);
  const s2 = dig(line, i + 7);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 || s1 < 0 || s2 < 0) return false;
  if (line.charCodeAt(i + 2) !== 58 || line.charCodeAt(i + 5) !== 58) return false;
  const hour = h1 * 10 + h2;
  const minute = m1 * 10 + m2;
  let second = s1 * 10 + s2;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (second === 60) second = 59;
  i += 8;
  let ms = 0;
  if (line.charCodeAt(i) === 46) {
    i++;
    let digits = 0;
    while (digits <= 9) {
      const c = dig(line, i);
      if (c < 0) break;
      if (digits < 3) ms = ms * 10 + c;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 9) return false;
    if (digits === 1) ms *= 100;
    else if (digits === 2) ms *= 10;
  }
  if (i < n && line.charCodeAt(i) !== 32) return false;
  rec.timestamp =
    year >= 0 ? time.local(year, month, day, hour, minute, second, ms) : time.yearless(month, day, hour, minute, second, ms);
  return finishHostTag(line, i, rec);
}

/** The RFC 3164 envelope (also journalctl `short` / `short-precise`). */
export const rfc3164Envelope: Envelope = {
  name: 'rfc3164',
  firstChars: 'JFMASOND<',
  parse: parse3164,
};
