/**
 * RFC 5424 envelope: `<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]` with `-` for nil values.
 *
 * @module
 */
import type { LogRecord } from '../record.js';
import type { Envelope } from '../types.js';
import type { TimeResolver } from '../time.js';
import { isoEnd, readIsoTimestamp } from './iso.js';

function token(line: string, i: number): number {
  const j = line.indexOf(' ', i);
  return j < 0 ? line.length : j;
}

function parse5424(line: string, rec: LogRecord, time: TimeResolver): boolean {
  const n = line.length;
  if (line.charCodeAt(0) !== 60) return false;
  let i = 1;
  while (i < 5 && i < n) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === 1 || line.charCodeAt(i) !== 62) return false;
  i++;
  if (line.charCodeAt(i) !== 49 || line.charCodeAt(i + 1) !== 32) return false; // version 1
  i += 2;
  let ts: number | null = null;
  if (line.charCodeAt(i) === 45 && line.charCodeAt(i + 1) === 32) {
    i += 2;
  } else {
    const t = readIsoTimestamp(line, i, time);
    if (Number.isNaN(t) || line.charCodeAt(isoEnd.index) !== 32) return false;
    ts = t;
    i = isoEnd.index + 1;
  }
  let e = token(line, i);
  const host = line.slice(i, e);
  i = e + 1;
  e = token(line, i);
  const app = line.slice(i, e);
  i = e + 1;
  e = token(line, i);
  const procid = line.slice(i, e);
  i = e + 1;
  e = token(line, i); // MSGID
  i = e + 1;
  if (i > n) return false;
  // STRUCTURED-DATA: '-' or one or more [id k="v" ...] elements; inside quotes, \" \] \\ are escapes
  if (line.charCodeAt(i) === 45) {
    i++;
  } else if (line.charCodeAt(i) === 91) {
    while (i < n && line.charCodeAt(i) === 91) {
      let inQuote = false;
      i++;
      while (i < n) {
        const c = line.charCodeAt(i);
        if (c === 92) {
          i += 2;
          continue;
        }
        if (c === 34) inQuote = !inQuote;
        else if (c === 93 && !inQuote) break;
        i++;
      }
      if (i >= n) return false;
      i++; // past ']'
    }
  } else {
    return false;
  }
  if (i < n && line.charCodeAt(i) === 32) i++;
  let msg = i >= n ? '' : line.slice(i);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  rec.timestamp = ts;
  rec.hostName = host === '-' ? null : host;
  rec.processName = app === '-' ? null : app;
  if (procid !== '-' && procid.length > 0 && procid.length < 16) {
    let p = 0;
    let ok = true;
    for (let k = 0; k < procid.length; k++) {
      const d = procid.charCodeAt(k) - 48;
      if (d < 0 || d > 9) {
        ok = false;
        break;
      }
      p = p * 10 + d;
    }
    if (ok) rec.processPid = p;
  }
  rec.message = msg;
  return true;
}

/** The RFC 5424 envelope. */
export const rfc5424Envelope: Envelope = {
  name: 'rfc5424',
  firstChars: '<',
  parse: parse5424,
};
