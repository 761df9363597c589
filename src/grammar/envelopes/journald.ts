/**
 * journald JSON export envelope (`journalctl -o json`, one object per line): `__REALTIME_TIMESTAMP` (µs since the
 * epoch, as a string), `_HOSTNAME`, `SYSLOG_IDENTIFIER` (else `_COMM`), `SYSLOG_PID` (else `_PID`) and `MESSAGE`,
 * which journald writes as an array of bytes when it is not valid UTF-8.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return v[0] as string; // repeated field: first value
    const bytes = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const b = v[i];
      bytes[i] = typeof b === 'number' ? b & 0xff : 0x3f;
    }
    return decoder.decode(bytes);
  }
  return null;
}

function uint(v: unknown): number | null {
  const s = str(v);
  if (s === null || s.length === 0 || s.length > 16) return null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(s);
}

/**
 * True when the JSON text nests no deeper than `max` (object = 1, array in it = 2), checked in one pass outside
 * strings. journald export objects are flat, so deeper text is rejected before `JSON.parse` (which would spend
 * hundreds of milliseconds building a megabyte of nested arrays).
 */
function shallowJson(s: string, max: number): boolean {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

function parseJournal(line: string, rec: LogRecord): boolean {
  if (line.charCodeAt(0) !== 123) return false;
  if (!shallowJson(line, 2)) {
    rec.malformed = 'bad-json';
    return false;
  }
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    rec.malformed = 'bad-json';
    return false;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    rec.malformed = 'bad-json';
    return false;
  }
  const o = obj as Record<string, unknown>;
  if (!('MESSAGE' in o) && !('__REALTIME_TIMESTAMP' in o)) {
    rec.malformed = 'not-journal-json';
    return false;
  }
  const us = uint(o.__REALTIME_TIMESTAMP) ?? uint(o._SOURCE_REALTIME_TIMESTAMP);
  rec.timestamp = us === null ? null : Math.floor(us / 1000);
  rec.hostName = str(o._HOSTNAME);
  rec.processName = str(o.SYSLOG_IDENTIFIER) ?? str(o._COMM);
  rec.processPid = uint(o.SYSLOG_PID) ?? uint(o._PID);
  rec.message = str(o.MESSAGE) ?? '';
  if (rec.timestamp === null) rec.malformed = 'bad-timestamp';
  return true;
}

/** The journald JSON envelope. */
export const journaldJsonEnvelope: Envelope = {
  name: 'journald-json',
  firstChars: '{',
  parse: parseJournal,
};
