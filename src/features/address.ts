/**
 * Source address parsing for the encoder: class (loopback, private, public, ...), IPv6 flag, and numeric keys of
 * the address's subnet (/24 for IPv4, /64 for IPv6) and of its wider prefix (/16 for IPv4, /32 for IPv6).
 * Linear-time, allocation-light, never throws: anything that is not an address is class `other` (e.g. a host
 * name logged by sshd with `UseDNS yes`) or `missing` (null or empty).
 *
 * @module
 */
import { fmix32, hashString, HASH_OUT, nonZero } from './hash.js';

/** Source address classes, in column order. */
export const ADDRESS_CLASSES = ['missing', 'loopback', 'private', 'public', 'other'] as const;

/** One {@link ADDRESS_CLASSES} value. */
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

/** Parsed facts about one source address. Reused scratch object: copy what you need. */
export interface AddressInfo {
  /** Index into {@link ADDRESS_CLASSES}. */
  cls: number;
  /** 1 for IPv6 (not IPv4-mapped), else 0. */
  v6: number;
  /** Key halves of the /24 (IPv4) or /64 (IPv6) subnet; of the whole string for `other`. 0 when missing. */
  net1: number;
  /** Second half. */
  net2: number;
  /** 32-bit hash of the /16 (IPv4) or /32 (IPv6) prefix; of the whole string for `other`. */
  wide: number;
  /** Key halves of the whole address (IPv4-mapped IPv6 equals its IPv4 form); of the string for `other`. 0 when missing. */
  key1: number;
  /** Second half. */
  key2: number;
}

const hex = new Int32Array(8);

function parseV4(s: string, from: number, to: number): number {
  // Returns the address as uint32, or -1.
  let part = 0;
  let digits = 0;
  let parts = 0;
  let value = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits >= 3) return -1;
      part = part * 10 + (c - 48);
      digits++;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 into `hex` (8 groups). Returns -1 on failure, 0 for IPv6, or the uint32 of an embedded IPv4 +1 shift handled by caller. */
function parseV6(s: string, end: number): boolean {
  let groups = 0;
  let gap = -1;
  let i = 0;
  if (end >= 2 && s.charCodeAt(0) === 58 && s.charCodeAt(1) === 58) {
    gap = 0;
    i = 2;
    if (end === 2) {
      hex.fill(0);
      return true;
    }
  } else if (s.charCodeAt(0) === 58) {
    return false;
  }
  while (i < end) {
    // Embedded IPv4 tail?
    let j = i;
    let v = 0;
    let n = 0;
    while (j < end && n < 5) {
      const h = hexVal(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      n++;
      j++;
    }
    if (j < end && s.charCodeAt(j) === 46) {
      if (groups > 6) return false;
      const v4 = parseV4(s, i, end);
      if (v4 < 0) return false;
      hex[groups++] = v4 >>> 16;
      hex[groups++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (n === 0 || n > 4 || groups >= 8) return false;
    hex[groups++] = v;
    i = j;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = groups;
      i++;
      if (i === end) break;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return groups === 8;
  if (groups > 7) return false;
  const tail = groups - gap;
  for (let k = 0; k < tail; k++) hex[7 - k] = hex[groups - 1 - k];
  for (let k = gap; k < 8 - tail; k++) hex[k] = 0;
  return true;
}

function v4Class(v: number): number {
  const a = v >>> 24;
  const b = (v >>> 16) & 0xff;
  if (a === 127) return 1;
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 2;
  if ((a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254)) return 2;
  if (a === 0) return 0;
  return 3;
}

function setV4(out: AddressInfo, v: number): void {
  out.cls = v4Class(v);
  out.v6 = 0;
  const net = v >>> 8;
  out.net1 = nonZero(fmix32(net ^ 0x4a7c15));
  out.net2 = fmix32(net + 0x2545f491);
  out.wide = fmix32((v >>> 16) ^ 0x16161616);
  out.key1 = nonZero(fmix32((v ^ 0x7f4a7c15) | 0));
  out.key2 = fmix32((v + 0x9e3779b9) | 0);
}

/**
 * Parses `ip` into `out` (and returns it). Accepts dotted IPv4, IPv6 (compressed, with an IPv4 tail, with a
 * `%zone` suffix or in brackets), and IPv4-mapped IPv6 (treated as IPv4).
 */
export function parseAddress(ip: string | null, out: AddressInfo): AddressInfo {
  if (ip === null || ip.length === 0) {
    out.cls = 0;
    out.v6 = 0;
    out.net1 = 0;
    out.net2 = 0;
    out.wide = 0;
    out.key1 = 0;
    out.key2 = 0;
    return out;
  }
  let s = ip;
  if (s.length > 2 && s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93) s = s.slice(1, -1);
  const v4 = s.length <= 15 ? parseV4(s, 0, s.length) : -1;
  if (v4 >= 0) {
    setV4(out, v4);
    return out;
  }
  let end = s.indexOf('%');
  if (end < 0) end = s.length;
  if (end <= 45 && s.indexOf(':') >= 0 && parseV6(s, end)) {
    if (hex[0] === 0 && hex[1] === 0 && hex[2] === 0 && hex[3] === 0 && hex[4] === 0 && hex[5] === 0xffff) {
      setV4(out, ((hex[6] << 16) | hex[7]) | 0);
      return out;
    }
    out.v6 = 1;
    let zero = true;
    for (let k = 0; k < 8; k++) if (hex[k] !== 0) zero = false;
    const h0 = hex[0];
    if (zero) out.cls = 0;
    else if (hex[0] === 0 && hex[1] === 0 && hex[2] === 0 && hex[3] === 0 && hex[4] === 0 && hex[5] === 0 && hex[6] === 0 && hex[7] === 1) out.cls = 1;
    else if ((h0 & 0xfe00) === 0xfc00 || (h0 & 0xffc0) === 0xfe80) out.cls = 2;
    else out.cls = 3;
    const a = ((hex[0] << 16) | hex[1]) >>> 0;
    const b = ((hex[2] << 16) | hex[3]) >>> 0;
    out.net1 = nonZero(fmix32(a ^ Math.imul(b, 0x9e3779b1) ^ 0x6464));
    out.net2 = fmix32((Math.imul(a, 0x85ebca77) + b + 0x3264) | 0);
    out.wide = fmix32(a ^ 0x32323232);
    const c = ((hex[4] << 16) | hex[5]) >>> 0;
    const d = ((hex[6] << 16) | hex[7]) >>> 0;
    out.key1 = nonZero(fmix32((out.net1 ^ Math.imul(c, 0xcc9e2d51) ^ Math.imul(d, 0x1b873593)) | 0));
    out.key2 = fmix32((out.net2 + Math.imul(c, 0x85ebca6b) + Math.imul(d ^ 0x6b6b, 0xc2b2ae35)) | 0);
    return out;
  }
  out.cls = 4;
  out.v6 = 0;
  hashString(s);
  out.net1 = HASH_OUT[0];
  out.net2 = HASH_OUT[1];
  out.wide = HASH_OUT[0];
  out.key1 = HASH_OUT[0];
  out.key2 = fmix32(HASH_OUT[1] ^ 0x5bd1e995);
  return out;
}

/** A fresh {@link AddressInfo}. */
export function emptyAddressInfo(): AddressInfo {
  return { cls: 0, v6: 0, net1: 0, net2: 0, wide: 0, key1: 0, key2: 0 };
}

/** Human name of an address's subnet for messages: `203.0.113.0/24`, `2001:db8:1:2::/64`, or the string itself. */
export function subnetLabel(ip: string): string {
  const info = parseAddress(ip, emptyAddressInfo());
  if (info.cls === 0 || info.cls === 4) return ip;
  if (info.v6 === 0) {
    const m = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
    return m ? `${m[1]}.${m[2]}.${m[3]}.0/24` : ip;
  }
  return `${Array.from(hex.subarray(0, 4), (h) => h.toString(16)).join(':')}::/64`;
}
