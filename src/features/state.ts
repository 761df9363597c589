/**
 * The serialised encoder state: versioned, validated on load, and byte-for-byte deterministic when passed to
 * `JSON.stringify` (keys sorted at every level, tables serialised in slot order).
 *
 * @module
 */
import type { HistoryState } from './history.js';
import type { ScalerState } from './scaler.js';
import type { ResolvedSpec } from './spec.js';

/** Format tag of {@link EncoderState}. */
export const ENCODER_STATE_FORMAT = 'loginsight.feature-encoder';
/**
 * Current {@link EncoderState} version. 2: scale floor (`scaling.minScale`), default column weights, idle days on
 * established logins only, sudo/su as methods — rows of a version-1 state would not match its model. 3: string keys
 * hashed two UTF-16 units at a time (every stored key differs), recognised login methods and sudo/su kept as a bit
 * set in the user profile (`methods` column; the `user_method` relation holds only unrecognised method strings),
 * and the velocity windows store their bitmaps' set-bit counts.
 */
export const ENCODER_STATE_VERSION = 3;

/** Serialised {@link FeatureEncoder}. */
export interface EncoderState {
  /** Always {@link ENCODER_STATE_FORMAT}. */
  format: typeof ENCODER_STATE_FORMAT;
  /** {@link ENCODER_STATE_VERSION} at the time of writing. */
  version: number;
  /** The resolved spec (custom features by name and settings; their functions are supplied again on load). */
  spec: ResolvedSpec;
  /** Output column names, in order. */
  columns: string[];
  /** Scaling sample and statistics. */
  scaling: ScalerState;
  /** Behavioural state. */
  history: HistoryState;
}

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Returns a deep copy of a JSON-like value with every object's keys in sorted order. */
export function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => sortKeysDeep(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

/** Checks the envelope of a state (format, version, required parts) and throws a clear Error when wrong. */
export function checkState(state: unknown): asserts state is EncoderState {
  if (state === null || typeof state !== 'object') throw new Error('encoder state: expected an object from FeatureEncoder.toJSON()');
  const s = state as Partial<EncoderState>;
  if (s.format !== ENCODER_STATE_FORMAT) {
    throw new Error(`encoder state: format is ${JSON.stringify(s.format)}, expected '${ENCODER_STATE_FORMAT}'`);
  }
  if (s.version !== ENCODER_STATE_VERSION) {
    throw new Error(
      `encoder state: version ${JSON.stringify(s.version)} is not supported (this build reads version ${ENCODER_STATE_VERSION}; the stored keys and tables differ between versions: train again to rebuild the state)`,
    );
  }
  for (const k of ['spec', 'scaling', 'history'] as const) {
    if (s[k] === null || typeof s[k] !== 'object') throw new Error(`encoder state: '${k}' is missing or not an object`);
  }
  if (!Array.isArray(s.columns) || s.columns.some((c) => typeof c !== 'string')) throw new Error("encoder state: 'columns' must be an array of strings");
}
