/**
 * The `HOST TAG[PID]: MESSAGE` part shared by the RFC 3164 and ISO 8601 (rsyslog / journalctl) envelopes.
 *
 * @module
 */
import type { LogRecord } from '../record.js';

const MAX_TAG = 128;

/**
 * The end of every `TIMESTAMP HOST TAG[PID]: MESSAGE` envelope: `i` is the index just past the timestamp (a space or
 * the end of the line). Returns true, for the envelope's `parse` to return.
 */
export function finishHostTag(line: string, i: number, rec: LogRecord): true {
  if (i >= line.length) rec.message = '';
  else parseHostTag(line, i + 1, rec);
  return true;
}

/**
 * Parses `HOST TAG[PID]: MESSAGE` from `i`. Handles an empty host field (`"  sshd[1]: x"`), a missing host
 * (`"sshd[1]: x"`), a tag without pid (`"sudo: x"`), and text without a tag (message = rest, program `null`).
 */
export function parseHostTag(line: string, i: number, rec: LogRecord): void {
  const n = line.length;
  // empty host field: a second space right after the timestamp
  if (i < n && line.charCodeAt(i) === 32) {
    i++;
    while (i < n && line.charCodeAt(i) === 32) i++;
    parseTag(line, i, rec);
    return;
  }
  let j = i;
  let hasBracket = false;
  while (j < n) {
    const c = line.charCodeAt(j);
    if (c === 32) break;
    if (c === 91) hasBracket = true;
    j++;
  }
  if (hasBracket || (j > i && line.charCodeAt(j - 1) === 58) || j >= n) {
    // the first token is already the tag: no host field
    parseTag(line, i, rec);
    return;
  }
  rec.hostName = line.slice(i, j);
  parseTag(line, j + 1, rec);
}

function parseTag(line: string, i: number, rec: LogRecord): void {
  const n = line.length;
  const limit = Math.min(n, i + MAX_TAG);
  let j = i;
  while (j < limit) {
    const c = line.charCodeAt(j);
    if (c === 91 || c === 58 || c === 32) break;
    j++;
  }
  if (j >= n || j === i || j === limit) {
    rec.message = line.slice(i);
    return;
  }
  const c = line.charCodeAt(j);
  if (c === 32) {
    rec.message = line.slice(i);
    return;
  }
  let k = j;
  let pid = -1;
  if (c === 91) {
    let p = 0;
    let q = j + 1;
    let digits = 0;
    while (q < n) {
      const d = line.charCodeAt(q) - 48;
      if (d < 0 || d > 9) break;
      if (digits < 15) p = p * 10 + d;
      digits++;
      q++;
    }
    if (q >= n || line.charCodeAt(q) !== 93) {
      rec.message = line.slice(i);
      return;
    }
    if (digits > 0 && digits <= 15) pid = p;
    k = q + 1;
    if (k >= n || line.charCodeAt(k) !== 58) {
      rec.message = line.slice(i);
      return;
    }
  }
  rec.processName = line.slice(i, j);
  if (pid >= 0) rec.processPid = pid;
  k++; // past ':'
  if (k < n && line.charCodeAt(k) === 32) k++;
  rec.message = k >= n ? '' : line.slice(k);
}
