/**
 * Options of the organisation simulator, their defaults and validation.
 *
 * @module
 */

/** Names of the attack scenarios the simulator can inject into the test period. */
export const SCENARIO_NAMES = [
  'brute_force',
  'spray_fast',
  'spray_slow',
  'stolen_credentials',
  'lateral_movement',
  'service_misuse',
  'root_login',
  'new_key',
  'dormant_account',
  'offhours_sudo',
  'long_session',
] as const;

/** One attack scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Number of injected instances per scenario. */
export type ScenarioCounts = Record<ScenarioName, number>;

/** Default instance count of each scenario (used for names the caller does not set). */
export const DEFAULT_SCENARIO_COUNTS: Readonly<ScenarioCounts> = {
  brute_force: 2,
  spray_fast: 2,
  spray_slow: 1,
  stolen_credentials: 3,
  lateral_movement: 2,
  service_misuse: 2,
  root_login: 2,
  new_key: 3,
  dormant_account: 2,
  offhours_sudo: 3,
  long_session: 2,
};

/** Log envelope written by a host. */
export type SimEnvelope = 'rfc3164' | 'iso8601';

/** Options of {@link simulate}. Every field is optional; see {@link DEFAULT_SIMULATE_OPTIONS}. */
export interface SimulateOptions {
  /** Seed of the generator: the same options and seed give the same bytes. Integer. Default 1. */
  seed?: number;
  /** Number of servers and workstations. Default 50. */
  hosts?: number;
  /** Number of human users (service accounts come on top). Default 150. */
  users?: number;
  /** Days of history (normal behaviour only). Default 14. */
  historyDays?: number;
  /** Days of test period (normal behaviour plus attacks). Default 7. */
  testDays?: number;
  /** Start of the history period: ISO 8601 date/time or epoch ms, UTC. Default `2026-03-02T00:00:00Z` (a Monday). */
  start?: string | number;
  /** Instances per attack scenario; names not given take `scenarioDefaults`. */
  scenarios?: Partial<Record<ScenarioName, number>>;
  /** Base counts for scenarios not named in `scenarios`: the standard mix or none. Default `'standard'`. */
  scenarioDefaults?: 'standard' | 'none';
  /** Relative weights of the envelopes written by hosts (per host). Default `{ rfc3164: 0.6, iso8601: 0.4 }`. */
  envelopes?: Partial<Record<SimEnvelope, number>>;
  /** Fraction of hosts whose sshd logs at LogLevel VERBOSE (Connection from, User child is on pid). Default 0.3. */
  verboseFraction?: number;
  /** Per-host clock skew: every host drifts within ±`baseMs`, a fraction `skewedFraction` within ±`maxMs`. */
  clockSkew?: { baseMs?: number; maxMs?: number; skewedFraction?: number };
  /** Collector delivery: each line is late by up to `maxDelayMs` with probability `probability`. */
  outOfOrder?: { probability?: number; maxDelayMs?: number };
  /** Mean internet background connections per exposed host per hour. Default 12. */
  noisePerHour?: number;
  /** Lines per emitted batch (upper bound). Default 8192. */
  batchLines?: number;
}

/** Fully resolved options (every field set). */
export interface ResolvedSimulateOptions {
  seed: number;
  hosts: number;
  users: number;
  historyDays: number;
  testDays: number;
  start: number;
  scenarios: ScenarioCounts;
  envelopes: Record<SimEnvelope, number>;
  verboseFraction: number;
  clockSkew: { baseMs: number; maxMs: number; skewedFraction: number };
  outOfOrder: { probability: number; maxDelayMs: number };
  noisePerHour: number;
  batchLines: number;
}

/** Defaults used for options the caller leaves out (a demo scale that simulates in a few seconds). */
export const DEFAULT_SIMULATE_OPTIONS: Readonly<ResolvedSimulateOptions> = {
  seed: 1,
  hosts: 50,
  users: 150,
  historyDays: 14,
  testDays: 7,
  start: Date.UTC(2026, 2, 2),
  scenarios: { ...DEFAULT_SCENARIO_COUNTS },
  envelopes: { rfc3164: 0.6, iso8601: 0.4 },
  verboseFraction: 0.3,
  clockSkew: { baseMs: 800, maxMs: 45_000, skewedFraction: 0.1 },
  outOfOrder: { probability: 0.005, maxDelayMs: 4000 },
  noisePerHour: 12,
  batchLines: 8192,
};

function fail(name: string, allowed: string, got: unknown): never {
  throw new Error(`simulate: option ${name} must be ${allowed} (got ${JSON.stringify(got)})`);
}

function intIn(name: string, v: unknown, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(name, `an integer in [${lo}, ${hi}]`, v);
  return v;
}

function numIn(name: string, v: unknown, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) fail(name, `a number in [${lo}, ${hi}]`, v);
  return v;
}

/** Validates options and fills defaults. Throws an Error naming the bad option and what is allowed. */
export function resolveSimulateOptions(options: SimulateOptions = {}): ResolvedSimulateOptions {
  const d = DEFAULT_SIMULATE_OPTIONS;
  const seed = intIn('seed', options.seed, -2147483648, 4294967295, d.seed);
  const hosts = intIn('hosts', options.hosts, 3, 100_000, d.hosts);
  const users = intIn('users', options.users, 5, 1_000_000, d.users);
  const historyDays = intIn('historyDays', options.historyDays, 1, 3660, d.historyDays);
  const testDays = intIn('testDays', options.testDays, 1, 3660, d.testDays);
  let start = d.start;
  if (options.start !== undefined) {
    const s = options.start;
    const t = typeof s === 'number' ? s : typeof s === 'string' ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || s.length <= 10 ? s : s + 'Z') : NaN;
    if (!Number.isFinite(t)) fail('start', 'an ISO 8601 date or epoch milliseconds', s);
    start = Math.floor(t / 3_600_000) * 3_600_000;
  }
  const base = options.scenarioDefaults ?? 'standard';
  if (base !== 'standard' && base !== 'none') fail('scenarioDefaults', "'standard' or 'none'", base);
  const scenarios = {} as ScenarioCounts;
  for (const n of Object.keys(options.scenarios ?? {})) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(n)) fail(`scenarios.${n}`, `one of ${SCENARIO_NAMES.join(', ')}`, n);
  }
  for (const n of SCENARIO_NAMES) {
    scenarios[n] = intIn(`scenarios.${n}`, options.scenarios?.[n], 0, 10_000, base === 'standard' ? DEFAULT_SCENARIO_COUNTS[n] : 0);
  }
  const envelopes = { rfc3164: 0, iso8601: 0 };
  if (options.envelopes === undefined) Object.assign(envelopes, d.envelopes);
  else {
    for (const k of Object.keys(options.envelopes)) {
      if (k !== 'rfc3164' && k !== 'iso8601') fail(`envelopes.${k}`, "'rfc3164' or 'iso8601'", k);
    }
    envelopes.rfc3164 = numIn('envelopes.rfc3164', options.envelopes.rfc3164, 0, 1e9, 0);
    envelopes.iso8601 = numIn('envelopes.iso8601', options.envelopes.iso8601, 0, 1e9, 0);
    if (envelopes.rfc3164 + envelopes.iso8601 <= 0) fail('envelopes', 'weights with a positive sum', options.envelopes);
  }
  const sk = options.clockSkew ?? {};
  const clockSkew = {
    baseMs: numIn('clockSkew.baseMs', sk.baseMs, 0, 3_600_000, d.clockSkew.baseMs),
    maxMs: numIn('clockSkew.maxMs', sk.maxMs, 0, 86_400_000, d.clockSkew.maxMs),
    skewedFraction: numIn('clockSkew.skewedFraction', sk.skewedFraction, 0, 1, d.clockSkew.skewedFraction),
  };
  const oo = options.outOfOrder ?? {};
  const outOfOrder = {
    probability: numIn('outOfOrder.probability', oo.probability, 0, 1, d.outOfOrder.probability),
    maxDelayMs: numIn('outOfOrder.maxDelayMs', oo.maxDelayMs, 0, 600_000, d.outOfOrder.maxDelayMs),
  };
  return {
    seed,
    hosts,
    users,
    historyDays,
    testDays,
    start,
    scenarios,
    envelopes,
    verboseFraction: numIn('verboseFraction', options.verboseFraction, 0, 1, d.verboseFraction),
    clockSkew,
    outOfOrder,
    noisePerHour: numIn('noisePerHour', options.noisePerHour, 0, 1_000_000, d.noisePerHour),
    batchLines: intIn('batchLines', options.batchLines, 1, 10_000_000, d.batchLines),
  };
}
