/**
 * The declarative feature spec: which feature families are on, their options and weights, dropped columns,
 * per-column weights, user feature functions, scaling and memory bounds. {@link DEFAULT_FEATURE_SPEC} documents
 * the defaults; {@link resolveSpec} validates a spec and fills every default in (the resolved spec is what the
 * encoder's state stores).
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { AddressClass } from './address.js';
import { parseFixedOffset } from '../grammar/time.js';

/** The built-in feature families. */
export const FAMILY_NAMES = ['time', 'what', 'where', 'novelty', 'velocity'] as const;

/** One built-in feature family. */
export type FamilyName = (typeof FAMILY_NAMES)[number];

/** Options shared by every family. */
export interface FamilyOptions {
  /** Turn the family off (default true). */
  enabled?: boolean;
  /** Weight multiplied into every column of the family after scaling (default 1). */
  weight?: number;
}

/** Time of day and week. */
export interface TimeFamilyOptions extends FamilyOptions {
  /** Local weekdays counted as weekend (0 = Sunday ... 6 = Saturday). Default [0, 6]. */
  weekendDays?: number[];
  /** Successful logins a user needs before "usual hours" features become non-zero. Default 5. */
  minHistory?: number;
}

/** What happened: kind, outcome, action, method, key type, failures, duration, flags. */
export interface WhatFamilyOptions extends FamilyOptions {
  /**
   * `event.action` values with their own one-hot column (plus `what.action=other`). Default `[]`: no action
   * columns, because the built-in assembler's actions map one-to-one to the event kind, which has its own
   * one-hot. Set it when custom grammars produce actions worth telling apart.
   */
  actions?: string[];
  /** Logins (key or password) a user needs before `what.password_by_key_user` can fire. Default 5. */
  minHistory?: number;
}

/** Where from: source address class, IPv6, hashed network buckets. */
export interface WhereFamilyOptions extends FamilyOptions {
  /** Number of hashed one-hot buckets of the source's /16 (IPv4) or /32 (IPv6) prefix; 0 disables. Default 8. */
  networkBuckets?: number;
}

/** Novelty against history. */
export type NoveltyFamilyOptions = FamilyOptions;

/** Velocity in sliding windows. */
export interface VelocityFamilyOptions extends FamilyOptions {
  /** Window of the per-user features (distinct hosts, logins). Default 3,600,000 (1 hour). */
  userWindowMs?: number;
  /** Short per-source window (failures, distinct users). Default 600,000 (10 minutes). */
  shortWindowMs?: number;
  /** Long per-source window (low-and-slow). Default 86,400,000 (1 day). */
  longWindowMs?: number;
}

/** Scaling learned in `fit`. */
export interface ScalingOptions {
  /** `robust`: (x - median) / (IQR / 1.349); `standard`: (x - mean) / std. Default `robust`. */
  method?: 'robust' | 'standard';
  /** Scaled values are clipped to [-clip, clip] before weighting. Default 10. */
  clip?: number;
  /**
   * Smallest scale a scaled column may get, in transformed units (log units for log columns). Default 0.1: a
   * difference of 0.1 log units is a 10% change of a count or duration, finer than any judgment depends on.
   * Zero-inflated columns (failures per source, idle days of busy accounts) have an IQR and standard deviation near
   * 0, which would turn one failure into dozens of "standard deviations" and drown every other column at the clip.
   */
  minScale?: number;
  /** Reservoir sample size used to estimate the statistics. Default 4096. */
  sampleSize?: number;
  /** Seed of the reservoir's random choices (deterministic). Default 1. */
  seed?: number;
}

/** Memory bounds of the behavioural state (each table is allocated once and never grows). */
export interface MemoryOptions {
  /** Slots of the user profile table and of the per-user velocity table. Default 16,384. */
  users?: number;
  /** Slots of each relation table (user→host, user→subnet, user→key, user→method, host→source). Default 131,072. */
  pairs?: number;
  /** Slots of the per-source velocity table. Default 65,536. */
  sources?: number;
  /** Counters per row of the source and subnet count-min sketches. Default 65,536. */
  sketchWidth?: number;
  /** Rows of the count-min sketches: 1, 2, 4, 8 or 16. Default 4. */
  sketchDepth?: number;
}

/** Read-only facts about the event being encoded, for {@link CustomFeature.compute}. */
export interface FeatureContext {
  /** The event's local hour (fractional, 0 <= h < 24) in the spec's time zone. */
  readonly localHour: number;
  /** The event's local weekday (0 = Sunday). */
  readonly weekday: number;
  /** The event's timestamp after sanitising (non-finite or out-of-range values replaced by the last good time). */
  readonly time: number;
  /** Earlier successful logins of this user (0 when unknown or evicted). */
  readonly userLogins: number;
  /** Source address class. */
  readonly sourceClass: AddressClass;
  /** Value of a built-in raw (unscaled) feature of this event by column name, or NaN when not computed. */
  raw(column: string): number;
}

/** A user feature function: one column, computed from the event and context, before any state update. */
export interface CustomFeature {
  /** Column name suffix; the column is `custom.<name>`. Letters, digits, `_`, `-`, `.`, `=` only. */
  name: string;
  /** Raw value of the feature for `event`. Must depend only on `event`, `ctx` and earlier events. Non-finite results become 0. */
  compute(event: LoginEvent, ctx: FeatureContext): number;
  /** Applied before scaling (default `identity`). */
  transform?: 'identity' | 'log1p';
  /** `robust` (learned in fit, default) or `none` (used as is). */
  scaling?: 'robust' | 'none';
  /** Weight after scaling (default 1). */
  weight?: number;
  /** Plain-language phrase for explanations; default `"<name> = <raw>"`. */
  describe?(event: LoginEvent, raw: number): string;
  /** Called after the event's row is computed, when state is being updated (for features with their own history). */
  update?(event: LoginEvent, ctx: FeatureContext): void;
  /** Forget history (called by `resetHistory` and `fit`). */
  reset?(): void;
}

/** The declarative feature spec. Every field is optional; see {@link DEFAULT_FEATURE_SPEC}. */
export interface FeatureSpec {
  /** Time zone for hour/weekday features: 'UTC', '+02:00', or an IANA name. Default 'UTC'. */
  timezone?: string;
  /** Family options; `false` disables a family, `true` keeps the defaults. */
  families?: {
    /** Time of day and week. */
    time?: TimeFamilyOptions | boolean;
    /** What happened. */
    what?: WhatFamilyOptions | boolean;
    /** Where from. */
    where?: WhereFamilyOptions | boolean;
    /** Novelty against history. */
    novelty?: NoveltyFamilyOptions | boolean;
    /** Velocity in sliding windows. */
    velocity?: VelocityFamilyOptions | boolean;
  };
  /** Columns to drop: exact names, or prefixes ending in `*` (e.g. `where.net_bucket*`). */
  drop?: string[];
  /** Per-column weight multipliers (exact names or `prefix*`), on top of the family weight. */
  weights?: Record<string, number>;
  /** User feature functions, appended after the built-in columns. */
  custom?: CustomFeature[];
  /** Scaling options. */
  scaling?: ScalingOptions;
  /** Memory bounds. */
  memory?: MemoryOptions;
}

/** A spec with every default filled in, as stored in the encoder state (custom features by name only). */
export interface ResolvedSpec {
  /** Time zone. */
  timezone: string;
  /** Every family's options, defaults filled in. */
  families: {
    time: Required<TimeFamilyOptions>;
    what: Required<WhatFamilyOptions>;
    where: Required<WhereFamilyOptions>;
    novelty: Required<NoveltyFamilyOptions>;
    velocity: Required<VelocityFamilyOptions>;
  };
  /** Dropped columns / prefixes. */
  drop: string[];
  /** Column weights, keys sorted. */
  weights: Record<string, number>;
  /** Custom features by name and settings (functions are supplied at construction). */
  custom: { name: string; transform: 'identity' | 'log1p'; scaling: 'robust' | 'none'; weight: number }[];
  /** Scaling options. */
  scaling: Required<ScalingOptions>;
  /** Memory bounds. */
  memory: Required<MemoryOptions>;
}

/** The default actions with their own one-hot column: none (see {@link WhatFamilyOptions.actions}). */
export const DEFAULT_ACTIONS: readonly string[] = [];

/**
 * Default per-column weights, merged under the user's `weights` (a user key with the same name replaces the default;
 * set it to 1 to undo). Flags that by themselves mean "this login is not what the account normally does" and are
 * almost never 1 for normal logins: a key never seen for the user (planted `authorized_keys`), a password login by
 * an account that always used keys (stolen password). Unweighted, a 0/1 flag adds at most 1 to a squared error
 * summed over ~68 columns and ranks thousands of places below scaled columns' noise.
 */
export const DEFAULT_COLUMN_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  'novelty.user_key_new': 3,
  'what.password_by_key_user': 3,
});

/** The documented default spec (docs/features.md explains every column). */
export const DEFAULT_FEATURE_SPEC: Readonly<ResolvedSpec> = Object.freeze<ResolvedSpec>({
  timezone: 'UTC',
  families: {
    time: { enabled: true, weight: 1, weekendDays: [0, 6], minHistory: 5 },
    what: { enabled: true, weight: 1, actions: [...DEFAULT_ACTIONS], minHistory: 5 },
    where: { enabled: true, weight: 1, networkBuckets: 8 },
    novelty: { enabled: true, weight: 1 },
    velocity: { enabled: true, weight: 1, userWindowMs: 3_600_000, shortWindowMs: 600_000, longWindowMs: 86_400_000 },
  },
  drop: [],
  weights: { ...DEFAULT_COLUMN_WEIGHTS },
  custom: [],
  scaling: { method: 'robust', clip: 10, minScale: 0.1, sampleSize: 4096, seed: 1 },
  memory: { users: 16_384, pairs: 131_072, sources: 65_536, sketchWidth: 65_536, sketchDepth: 4 },
});

function fail(option: string, allowed: string): never {
  throw new Error(`FeatureSpec.${option}: ${allowed}`);
}

function num(v: unknown, option: string, def: number, min: number, max: number, integer = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    fail(option, `must be a${integer ? 'n integer' : ' number'} in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

function family<T extends object>(v: T | boolean | undefined, name: string): (T & FamilyOptions) | { enabled: false } {
  if (v === undefined || v === true) return {} as T;
  if (v === false) return { enabled: false };
  if (v === null || typeof v !== 'object') fail(`families.${name}`, 'must be an options object or a boolean');
  return v as T & FamilyOptions;
}

const NAME_RE = /^[A-Za-z0-9_.=-]{1,64}$/;

/** Validates a spec and fills in every default. Throws an Error naming the bad option and what is allowed. */
export function resolveSpec(spec: FeatureSpec = {}): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') fail('(root)', 'must be an object');
  const d = DEFAULT_FEATURE_SPEC;
  const timezone = spec.timezone ?? d.timezone;
  if (typeof timezone !== 'string') fail('timezone', "must be 'UTC', an offset like '+02:00' or an IANA name");
  if (parseFixedOffset(timezone) === null) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      fail('timezone', `'${timezone}' is not 'UTC', an offset like '+02:00' or an IANA time zone name`);
    }
  }
  const fams = spec.families ?? {};
  const known = new Set<string>(FAMILY_NAMES);
  for (const k of Object.keys(fams)) if (!known.has(k)) fail(`families.${k}`, `unknown family; allowed: ${FAMILY_NAMES.join(', ')}`);
  const base = (f: FamilyOptions, name: string): { enabled: boolean; weight: number } => ({
    enabled: f.enabled === undefined ? true : f.enabled === true ? true : f.enabled === false ? false : fail(`families.${name}.enabled`, 'must be a boolean'),
    weight: num(f.weight, `families.${name}.weight`, 1, 0, 1e6),
  });
  const t = family(fams.time, 'time') as TimeFamilyOptions;
  const weekendDays = t.weekendDays ?? d.families.time.weekendDays;
  if (!Array.isArray(weekendDays) || weekendDays.some((x) => !Number.isInteger(x) || x < 0 || x > 6)) {
    fail('families.time.weekendDays', 'must be an array of integers 0 (Sunday) .. 6 (Saturday)');
  }
  const w = family(fams.what, 'what') as WhatFamilyOptions;
  const actions = w.actions ?? d.families.what.actions;
  if (!Array.isArray(actions) || actions.some((a) => typeof a !== 'string' || !NAME_RE.test(a) || a === 'other')) {
    fail('families.what.actions', "must be an array of action names (letters, digits, _ . = -), not 'other'");
  }
  if (new Set(actions).size !== actions.length) fail('families.what.actions', 'must not repeat a name');
  const wh = family(fams.where, 'where') as WhereFamilyOptions;
  const n = family(fams.novelty, 'novelty') as NoveltyFamilyOptions;
  const v = family(fams.velocity, 'velocity') as VelocityFamilyOptions;
  const drop = spec.drop ?? [];
  if (!Array.isArray(drop) || drop.some((x) => typeof x !== 'string')) fail('drop', 'must be an array of column names or prefixes ending in *');
  const userWeights = spec.weights ?? {};
  if (userWeights === null || typeof userWeights !== 'object') fail('weights', 'must be an object of column name (or prefix*) to number');
  const weights: Record<string, number> = { ...d.weights, ...userWeights };
  const weightsOut: Record<string, number> = {};
  for (const k of Object.keys(weights).sort()) weightsOut[k] = num(weights[k], `weights['${k}']`, 1, 0, 1e6);
  const custom = spec.custom ?? [];
  if (!Array.isArray(custom)) fail('custom', 'must be an array of CustomFeature');
  const seen = new Set<string>();
  const customOut = custom.map((c, i) => {
    if (c === null || typeof c !== 'object' || typeof c.compute !== 'function') fail(`custom[${i}]`, 'must be { name, compute(event, ctx) }');
    if (typeof c.name !== 'string' || !NAME_RE.test(c.name)) fail(`custom[${i}].name`, 'must be 1-64 letters, digits, _ . = -');
    if (seen.has(c.name)) fail(`custom[${i}].name`, `'${c.name}' is used twice`);
    seen.add(c.name);
    const transform = c.transform ?? 'identity';
    if (transform !== 'identity' && transform !== 'log1p') fail(`custom[${i}].transform`, "must be 'identity' or 'log1p'");
    const scaling = c.scaling ?? 'robust';
    if (scaling !== 'robust' && scaling !== 'none') fail(`custom[${i}].scaling`, "must be 'robust' or 'none'");
    return { name: c.name, transform, scaling, weight: num(c.weight, `custom[${i}].weight`, 1, 0, 1e6) };
  });
  const s = spec.scaling ?? {};
  const method = s.method ?? 'robust';
  if (method !== 'robust' && method !== 'standard') fail('scaling.method', "must be 'robust' or 'standard'");
  const m = spec.memory ?? {};
  const shortMs = v.shortWindowMs ?? 600_000;
  const longMs = v.longWindowMs ?? 86_400_000;
  if (typeof shortMs === 'number' && typeof longMs === 'number' && !(shortMs < longMs)) {
    fail('families.velocity.shortWindowMs', `must be shorter than longWindowMs (${longMs}), got ${shortMs}`);
  }
  return {
    timezone,
    families: {
      time: {
        ...base(t, 'time'),
        weekendDays: [...new Set(weekendDays)].sort((a, b) => a - b),
        minHistory: num(t.minHistory, 'families.time.minHistory', d.families.time.minHistory, 1, 1e9, true),
      },
      what: {
        ...base(w, 'what'),
        actions: [...actions],
        minHistory: num(w.minHistory, 'families.what.minHistory', d.families.what.minHistory, 1, 1e9, true),
      },
      where: { ...base(wh, 'where'), networkBuckets: num(wh.networkBuckets, 'families.where.networkBuckets', 8, 0, 1024, true) },
      novelty: { ...base(n, 'novelty') },
      velocity: {
        ...base(v, 'velocity'),
        userWindowMs: num(v.userWindowMs, 'families.velocity.userWindowMs', 3_600_000, 1000, 366 * 86_400_000, true),
        shortWindowMs: num(v.shortWindowMs, 'families.velocity.shortWindowMs', 600_000, 1000, 366 * 86_400_000, true),
        longWindowMs: num(v.longWindowMs, 'families.velocity.longWindowMs', 86_400_000, 1000, 366 * 86_400_000, true),
      },
    },
    drop: [...drop],
    weights: weightsOut,
    custom: customOut,
    scaling: {
      method,
      clip: num(s.clip, 'scaling.clip', d.scaling.clip, 0.001, 1e6),
      minScale: num(s.minScale, 'scaling.minScale', d.scaling.minScale, 0, 1e6),
      sampleSize: num(s.sampleSize, 'scaling.sampleSize', 4096, 16, 1 << 20, true),
      seed: num(s.seed, 'scaling.seed', 1, 0, 0xffffffff, true),
    },
    memory: {
      users: num(m.users, 'memory.users', 16_384, 16, 1 << 26, true),
      pairs: num(m.pairs, 'memory.pairs', 131_072, 16, 1 << 28, true),
      sources: num(m.sources, 'memory.sources', 65_536, 16, 1 << 26, true),
      sketchWidth: num(m.sketchWidth, 'memory.sketchWidth', 65_536, 16, 1 << 26, true),
      sketchDepth: [1, 2, 4, 8, 16].includes(m.sketchDepth ?? 4) ? (m.sketchDepth ?? 4) : fail('memory.sketchDepth', 'must be 1, 2, 4, 8 or 16'),
    },
  };
}
