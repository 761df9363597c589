import { emptyEvent, type LoginEvent, type LoginEventKind } from '../../src/assemble/event.js';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal via Box–Muller. */
export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** A login event with the given fields. */
export function ev(
  fields: Partial<LoginEvent> & { timestamp: number },
  kind: LoginEventKind = 'ssh_session',
): LoginEvent {
  return { ...emptyEvent(kind, fields.timestamp), ...fields };
}
