/**
 * Small allocation-light scanning helpers shared by envelopes and message grammars. All of them are linear in the
 * length of the text they look at and never throw.
 *
 * @module
 */
import type { LogRecord } from './record.js';

/** Parses the unsigned decimal integer in `s[start, end)`; `-1` when empty, not all digits, or longer than 15 digits. */
export function parseUint(s: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Index just past the run of ASCII digits starting at `i`. */
export function skipDigits(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** True when `s` looks like an IPv4 or IPv6 address (optionally `[...]`-bracketed or with a `%zone`). */
export function isIpAddress(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 64) return false;
  let colons = 0;
  let dots = 0;
  let hexLetters = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46) dots++;
    else if (c === 58) colons++;
    else if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) hexLetters++;
    else if (c === 37 && colons > 0) return true; // fe80::1%eth0
    else return false;
  }
  if (colons >= 2) return true;
  return colons === 0 && hexLetters === 0 && dots === 3;
}

/**
 * Stores a printed remote address: an IP goes to `sourceIp` (brackets and zone stripped), anything else that is not
 * empty / `?` / `UNKNOWN` to `sourceDomain`.
 */
export function setAddress(rec: LogRecord, addr: string): void {
  if (addr.length === 0 || addr === '?' || addr === 'UNKNOWN' || addr === 'unknown') return;
  let a = addr;
  if (a.charCodeAt(0) === 91 && a.charCodeAt(a.length - 1) === 93) a = a.slice(1, -1);
  if (isIpAddress(a)) {
    const z = a.indexOf('%');
    rec.sourceIp = z >= 0 ? a.slice(0, z) : a;
    if (rec.sourceIp.startsWith('::ffff:') && rec.sourceIp.indexOf('.') > 0) rec.sourceIp = rec.sourceIp.slice(7);
  } else {
    rec.sourceDomain = a;
  }
}

/** Result slots of {@link tailAddrPort} (module-level to avoid an allocation per call). */
export const tail = { addrStart: -1, port: -1 };

/**
 * Reads `ADDR[ port PORT]` that ends exactly at `end` in `s` (the address is the last space-free token before the
 * optional port). Writes the address to `rec` and the port to `rec.sourcePort`; sets `tail.addrStart` to the index of
 * the address (so callers can look at what precedes it) and returns `true`; `false` when there is no token.
 * Reading from the end means attacker-typed user names printed before the address cannot move it.
 */
export function tailAddrPort(s: string, end: number, rec: LogRecord, start = 0): boolean {
  let addrEnd = end;
  tail.port = -1;
  const p = s.lastIndexOf(' port ', end - 6);
  if (p >= start && p + 6 < end) {
    const port = parseUint(s, p + 6, end);
    if (port >= 0 && port <= 65535) {
      tail.port = port;
      addrEnd = p;
    }
  }
  const sp = s.lastIndexOf(' ', addrEnd - 1);
  const addrStart = sp < start ? start : sp + 1;
  if (addrStart >= addrEnd) return false;
  tail.addrStart = addrStart;
  setAddress(rec, s.slice(addrStart, addrEnd));
  if (tail.port >= 0) rec.sourcePort = tail.port;
  return true;
}

/** Returns `end` moved left past trailing spaces / tabs. */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

/** Index of the first non-space character at or after `i`. */
export function skipSpaces(s: string, i: number): number {
  const n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  return i;
}

/** True when `s` starts with `prefix` at `pos` (a thin alias for readability). */
export function at(s: string, pos: number, prefix: string): boolean {
  return s.startsWith(prefix, pos);
}

/**
 * Parses the PAM key=value tail `logname=X uid=N euid=N tty=T ruser=R rhost=H [user=U]` starting at `i`.
 * Values are single tokens except `user=`, which is last and takes the rest of the text (it can be
 * attacker-typed). `rhost` is read before `user`, so a user name cannot change it.
 */
export function parsePamKv(s: string, i: number, end: number, rec: LogRecord): void {
  const u = s.indexOf(' user=', i);
  const kvEnd = u >= 0 && u < end ? u : end;
  let k = i;
  let pairs = 0; // PAM prints 6 pairs; the cap bounds the work on hostile text
  while (k < kvEnd && pairs++ < 32) {
    while (k < kvEnd && s.charCodeAt(k) === 32) k++;
    if (k >= kvEnd) break;
    const eq = s.indexOf('=', k);
    if (eq < 0 || eq >= kvEnd) break;
    let v = s.indexOf(' ', eq + 1);
    if (v < 0 || v > kvEnd) v = kvEnd;
    const keyLen = eq - k;
    if (v > eq + 1) {
      if (keyLen === 5 && s.startsWith('rhost', k)) setAddress(rec, s.slice(eq + 1, v));
      else if (keyLen === 3 && s.startsWith('tty', k)) rec.tty = s.slice(eq + 1, v);
    }
    k = v + 1;
  }
  if (u >= 0 && u < end) {
    const ue = trimEnd(s, u + 6, end);
    if (ue > u + 6) rec.userName = s.slice(u + 6, ue);
  }
}
