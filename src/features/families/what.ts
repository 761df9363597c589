/**
 * "What happened" family: one-hots of kind, outcome, action, authentication method and key type; failures and
 * duration (log-scaled); still open; sudo/su to root; password login by an account that (almost) always used
 * keys; invalid user; direct root login; incomplete record.
 *
 * @module
 */
import { feature, type Family, type RawFeature } from '../family.js';
import type { History } from '../history.js';
import { KEY_TYPES, KINDS, METHODS, OUTCOMES, type Prepared } from '../prepare.js';
import type { ResolvedSpec } from '../spec.js';

/** Index of an event kind in {@link KINDS}, or -1 (a switch: cheaper than a Map lookup per event). */
function kindIndex(k: string): number {
  switch (k) {
    case 'ssh_session':
      return 0;
    case 'ssh_failed':
      return 1;
    case 'ssh_no_user':
      return 2;
    case 'sudo':
      return 3;
    case 'su':
      return 4;
    case 'console':
      return 5;
    case 'audit':
      return 6;
    default:
      return -1;
  }
}

/** Offsets of the scalar features after the one-hots. */
export const WHAT_SCALARS = [
  'failures',
  'duration_s',
  'still_open',
  'sudo_root',
  'password_by_key_user',
  'invalid_user',
  'root_login',
  'incomplete',
] as const;

/** The what-happened family. */
export class WhatFamily implements Family {
  readonly name = 'what' as const;
  readonly features: readonly RawFeature[];
  private readonly actions: Map<string, number>;
  private readonly nActions: number;
  private readonly oOutcome = KINDS.length;
  private readonly oAction = KINDS.length + OUTCOMES.length;
  private readonly oMethod: number;
  private readonly oKey: number;
  private readonly oScalar: number;
  private readonly minHistory: number;

  constructor(opts: ResolvedSpec['families']['what']) {
    this.actions = new Map(opts.actions.map((a, i) => [a, i]));
    // No vocabulary, no action columns (by default the kind one-hot already says everything the action does).
    this.nActions = opts.actions.length === 0 ? 0 : opts.actions.length + 1;
    this.oMethod = this.oAction + this.nActions;
    this.oKey = this.oMethod + METHODS.length;
    this.oScalar = this.oKey + KEY_TYPES.length;
    this.minHistory = opts.minHistory;
    this.features = [
      ...KINDS.map((k) => feature('what', `kind=${k}`)),
      ...OUTCOMES.map((o) => feature('what', `outcome=${o}`)),
      ...(opts.actions.length === 0 ? [] : [...opts.actions, 'other']).map((a) => feature('what', `action=${a}`)),
      ...METHODS.map((m) => feature('what', `method=${m}`)),
      ...KEY_TYPES.map((k) => feature('what', `key_type=${k}`)),
      feature('what', 'failures', 'robust', 'log1p'),
      feature('what', 'duration_s', 'robust', 'log1p'),
      feature('what', 'still_open'),
      feature('what', 'sudo_root'),
      feature('what', 'password_by_key_user'),
      feature('what', 'invalid_user'),
      feature('what', 'root_login'),
      feature('what', 'incomplete'),
    ];
  }

  compute(p: Prepared, h: History, raw: Float32Array, wide: Float64Array, b: number): void {
    const e = p.event;
    // The one-hot slots are zero on entry (the encoder clears the chunk): only the ones are set.
    const k = kindIndex(e.kind);
    if (k >= 0) raw[b + k] = 1;
    raw[b + this.oOutcome + (e.outcome === 'success' ? 0 : e.outcome === 'failure' ? 1 : 2)] = 1;
    if (this.nActions > 0) {
      const a = typeof e.action === 'string' ? this.actions.get(e.action) : undefined;
      raw[b + this.oAction + (a === undefined ? this.nActions - 1 : a)] = 1;
    }
    raw[b + this.oMethod + p.method] = 1;
    raw[b + this.oKey + p.keyType] = 1;
    const o = b + this.oScalar;
    wide[o] = p.failures;
    const end = e.end;
    const dur = typeof end === 'number' && end === end ? (end - p.t) / 1000 : 0;
    wide[o + 1] = dur > 0 ? (dur < 1e9 ? dur : 1e9) : 0;
    const session = e.kind === 'ssh_session' || e.kind === 'console' || e.kind === 'su';
    raw[o + 2] = e.endReason === 'open' || (session && e.outcome === 'success' && end === null) ? 1 : 0;
    raw[o + 3] = (e.kind === 'sudo' || e.kind === 'su') && e.userEffectiveName === 'root' ? 1 : 0;
    let pk = 0;
    const s = p.profile;
    if (s >= 0 && (p.method === 1 || p.method === 2) && p.established) {
      const b = s * h.profiles.w64;
      const keys = h.profiles.f64[b + h.oKeys];
      const all = keys + h.profiles.f64[b + h.oPasswords];
      if (all >= this.minHistory) pk = keys / all;
    }
    raw[o + 4] = pk;
    raw[o + 5] = e.invalidUser === true ? 1 : 0;
    raw[o + 6] = e.userName === 'root' && (e.kind === 'ssh_session' || e.kind === 'ssh_failed' || e.kind === 'console') ? 1 : 0;
    raw[o + 7] = e.incomplete === true ? 1 : 0;
  }
}
