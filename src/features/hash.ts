/**
 * String and key hashing for the encoder's bounded tables. Every entity (user, host, source address, key
 * fingerprint, pair of entities) is reduced to a 64-bit key held as two int32 halves, so tables store numbers,
 * never strings. Keys are never `0,0` (that pattern marks an empty slot).
 *
 * @module
 */

/** Scratch output of {@link hashString}: `[h1, h2]`. Read it immediately; the next call overwrites it. */
export const HASH_OUT = new Int32Array(2);

/**
 * MurmurHash3's 32-bit finaliser: a full-avalanche mix of one 32-bit word. Returns a signed int32: hashes stay
 * small integers (Smis) in V8, so passing them between functions never allocates.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Two 32-bit hashes of a string in one pass, written to {@link HASH_OUT}: the UTF-16 code units are read two at
 * a time as one 32-bit word, which feeds two multiply-rotate hashes (different odd multipliers and rotations),
 * both finalised with {@link fmix32}. Linear in the string length; any string is accepted.
 */
export function hashString(s: string): void {
  const n = s.length;
  let a = 0x811c9dc5 ^ n;
  let b = 0x9747b28c;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ w, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b = (b << 13) | (b >>> 19);
  }
  if (i < n) {
    const w = s.charCodeAt(i);
    a = Math.imul(a ^ w, 0xcc9e2d51);
    b = Math.imul(b ^ w, 0x5bd1e995);
  }
  HASH_OUT[0] = nonZero(fmix32(a));
  HASH_OUT[1] = fmix32(b ^ 0x27d4eb2f);
}

/** `h` unless it is 0, in which case 1 (key halves `h1` are never 0 so that `0` can mark an empty slot). */
export function nonZero(h: number): number {
  return h === 0 ? 1 : h | 0;
}

/** First half of the key of the pair (a, b) in relation `rel` (order matters: user→host is not host→user). */
export function pairKey1(a1: number, b1: number, rel: number): number {
  return nonZero(fmix32((a1 ^ Math.imul(b1, 0x9e3779b1) ^ Math.imul(rel + 1, 0x632be5ab)) | 0));
}

/** Second half of the key of the pair (a, b) in relation `rel`. */
export function pairKey2(a2: number, b2: number, rel: number): number {
  return fmix32((Math.imul(a2, 0x85ebca77) + b2 + Math.imul(rel + 7, 0x27d4eb2f)) | 0);
}
