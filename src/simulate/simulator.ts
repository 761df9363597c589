/**
 * The simulation engine: hour by hour it plans normal and attack specs, renders them to lines stamped with their
 * collector arrival time, sorts the hour and emits it in batches. Lines that arrive in a later hour (session ends,
 * late delivery) wait in a per-hour bucket, so memory is bounded by one hour of output plus the open sessions,
 * whatever the length of the run.
 *
 * @module
 */
import type { LabelRow } from './labels.js';
import { NormalPlanner } from './normal.js';
import { resolveSimulateOptions, SCENARIO_NAMES, type ResolvedSimulateOptions, type SimEnvelope, type SimulateOptions } from './options.js';
import { Renderer } from './render.js';
import { Rng } from './rng.js';
import { buildScenarios, type ScenarioInstance } from './scenarios.js';
import type { Spec } from './spec.js';
import { buildWorld, type HostRole } from './world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One batch of output: lines of one period in arrival order, plus the label rows of events starting in it. */
export interface SimulationBatch {
  period: 'history' | 'test';
  lines: string[];
  labels: LabelRow[];
}

/** Description of one simulated host (for documentation, debugging and parser options). */
export interface SimHostInfo {
  name: string;
  role: HostRole;
  ip: string;
  distro: string;
  openssh: string;
  sshProgram: string;
  envelope: SimEnvelope;
  /** UTC offset printed by ISO 8601 hosts (minutes); RFC 3164 hosts print UTC. */
  offsetMin: number;
  verbose: boolean;
  skewMs: number;
  exposed: boolean;
}

/** Counts gathered during a full run. */
export interface SimulationCounts {
  lines: { history: number; test: number };
  /** Label rows per period, kind and label. */
  events: { history: Record<string, number>; test: Record<string, number> };
  /** Label rows with label 1 per scenario name. */
  attackEvents: Record<string, number>;
  /** Label rows per actor. */
  byActor: Record<string, number>;
  /** Connections that never named a user (no label row). */
  noUserConnections: { history: number; test: number };
  /** Lines that would have arrived after the end (open sessions at the end of the log). */
  droppedAfterEnd: number;
  /** Most lines held for one hour, and most lines waiting for a later hour (memory bound of the generator). */
  peakHourLines: number;
  peakDeferredLines: number;
}

/** Deterministic description of a run: options, periods, hosts, scenario instances, counts. */
export interface SimulationSummary {
  generator: 'loginsight-simulate';
  version: 1;
  options: ResolvedSimulateOptions;
  /** ISO times of the history start, test start and end (UTC). */
  periods: { historyStart: string; testStart: string; end: string };
  /** Year of the RFC 3164 timestamps (which print no year); they are printed in UTC. */
  year: number;
  hosts: SimHostInfo[];
  users: number;
  serviceAccounts: string[];
  scenarios: ScenarioInstance[];
  counts: SimulationCounts;
}

/** A simulation: iterate it as many times as you like; each iteration regenerates the same bytes. */
export interface Simulation {
  /** Resolved options. */
  readonly options: ResolvedSimulateOptions;
  /** Injected scenario instances (known before generation). */
  readonly scenarios: readonly ScenarioInstance[];
  /** Hosts of the organisation. */
  readonly hosts: readonly SimHostInfo[];
  /** Everything in one pass: batches of history lines, then test lines, with their label rows. */
  batches(): Iterable<SimulationBatch>;
  /** History lines only (generates the whole run, skipping test output). */
  history(): Iterable<string[]>;
  /** Test lines only (generates the whole run; history is produced and discarded). */
  test(): Iterable<string[]>;
  /** All label rows (both periods) in event-start order per hour. */
  labels(): Iterable<LabelRow>;
  /** Summary of a full run (runs the generator once when called before any complete iteration). */
  summary(): SimulationSummary;
}

function hostInfos(o: ResolvedSimulateOptions): SimHostInfo[] {
  return buildWorld(o).hosts.map((h) => ({
    name: h.name, role: h.role, ip: h.ip, distro: h.distro.name, openssh: `${Math.floor(h.distro.ssh / 10)}.${h.distro.ssh % 10}`,
    sshProgram: h.distro.sshProgram, envelope: h.envelope, offsetMin: h.offsetMin, verbose: h.verbose, skewMs: h.skewMs, exposed: h.exposed,
  }));
}

function emptyCounts(): SimulationCounts {
  const ev = (): Record<string, number> => ({});
  const attack: Record<string, number> = {};
  for (const n of SCENARIO_NAMES) attack[n] = 0;
  return { lines: { history: 0, test: 0 }, events: { history: ev(), test: ev() }, attackEvents: attack, byActor: {}, noUserConnections: { history: 0, test: 0 }, droppedAfterEnd: 0, peakHourLines: 0, peakDeferredLines: 0 };
}


/** The generator of one full run. */
function* run(o: ResolvedSimulateOptions, counts: SimulationCounts | null, want: 'all' | 'history' | 'test'): Generator<SimulationBatch> {
  const world = buildWorld(o);
  const historyHours = o.historyDays * 24;
  const totalHours = historyHours + o.testDays * 24;
  const testStart = o.start + o.historyDays * DAY;
  const simEnd = o.start + totalHours * HOUR;
  const normal = new NormalPlanner(world, o.seed, o.start, o.historyDays, o.noisePerHour);
  const attacks = buildScenarios(world, o, normal).specs;
  let ai = 0;
  const r = new Renderer(world, o.start, testStart, simEnd, o.outOfOrder.probability, o.outOfOrder.maxDelayMs);
  const specs: Spec[] = [];
  for (let h = 0; h < totalHours; h++) {
    if (want === 'history' && h >= historyHours) break;
    const rng = new Rng(o.seed, 0x40a2, h);
    specs.length = 0;
    normal.plan(h, rng, specs);
    const hourEnd = o.start + (h + 1) * HOUR;
    while (ai < attacks.length && attacks[ai].t < hourEnd) specs.push(attacks[ai++]);
    specs.sort((a, b) => a.t - b.t);
    r.beginHour(h, rng);
    for (let i = 0; i < specs.length; i++) r.render(specs[i]);
    r.endHour();
    const lines = r.current;
    const labels = r.labels;
    const period = h < historyHours ? 'history' : 'test';
    if (counts !== null) {
      counts.lines[period] += lines.length;
      for (const l of labels) {
        const key = `${l.kind}:${l.label}`;
        const bucket = counts.events[l.period];
        bucket[key] = (bucket[key] ?? 0) + 1;
        if (l.label === 1) counts.attackEvents[l.scenario] = (counts.attackEvents[l.scenario] ?? 0) + 1;
        counts.byActor[l.actor] = (counts.byActor[l.actor] ?? 0) + 1;
      }
    }
    if (want !== 'all' && want !== period) continue;
    const step = o.batchLines;
    if (lines.length === 0) {
      if (labels.length > 0) yield { period, lines: [], labels };
      continue;
    }
    const texts = lines.sorted();
    if (texts.length <= step) {
      yield { period, lines: texts, labels };
      continue;
    }
    for (let i = 0; i < texts.length; i += step) {
      yield { period, lines: texts.slice(i, i + step), labels: i === 0 ? labels : [] };
    }
  }
  if (counts !== null) {
    counts.noUserConnections.history = r.counters.noUserConnections.history;
    counts.noUserConnections.test = r.counters.noUserConnections.test;
    counts.droppedAfterEnd = r.counters.droppedAfterEnd;
    counts.peakHourLines = r.counters.peakHourLines;
    counts.peakDeferredLines = r.counters.peakDeferredLines;
  }
}

/** Builds the summary object from options and counts. */
function makeSummary(o: ResolvedSimulateOptions, scenarios: readonly ScenarioInstance[], hosts: readonly SimHostInfo[], counts: SimulationCounts): SimulationSummary {
  const world = buildWorld(o);
  return {
    generator: 'loginsight-simulate',
    version: 1,
    options: o,
    periods: {
      historyStart: new Date(o.start).toISOString(),
      testStart: new Date(o.start + o.historyDays * DAY).toISOString(),
      end: new Date(o.start + (o.historyDays + o.testDays) * DAY).toISOString(),
    },
    year: new Date(o.start).getUTCFullYear(),
    hosts: [...hosts],
    users: o.users,
    serviceAccounts: world.services.map((s) => s.name),
    scenarios: [...scenarios],
    counts,
  };
}

/**
 * Creates a deterministic simulation of an organisation's login activity. Nothing is generated until one of the
 * iterables is consumed; each is a stream of batches in bounded memory.
 *
 * @example
 * ```ts
 * const sim = simulate({ seed: 7, hosts: 20, users: 40, historyDays: 7, testDays: 2 });
 * for (const batch of sim.batches()) write(batch.period, batch.lines);
 * ```
 */
export function simulate(options: SimulateOptions = {}): Simulation {
  const o = resolveSimulateOptions(options);
  const pre = buildWorld(o);
  const scenarios = buildScenarios(pre, o, new NormalPlanner(pre, o.seed, o.start, o.historyDays, o.noisePerHour)).instances;
  const hosts = hostInfos(o);
  let summary: SimulationSummary | null = null;
  const sim: Simulation = {
    options: o,
    scenarios,
    hosts,
    batches: () => ({
      *[Symbol.iterator]() {
        const counts = emptyCounts();
        yield* run(o, counts, 'all');
        summary = makeSummary(o, scenarios, hosts, counts);
      },
    }),
    history: () => ({
      *[Symbol.iterator]() {
        for (const b of run(o, null, 'history')) if (b.lines.length > 0) yield b.lines;
      },
    }),
    test: () => ({
      *[Symbol.iterator]() {
        for (const b of run(o, null, 'test')) if (b.lines.length > 0) yield b.lines;
      },
    }),
    labels: () => ({
      *[Symbol.iterator]() {
        for (const b of run(o, null, 'all')) for (const l of b.labels) yield l;
      },
    }),
    summary: () => {
      if (summary === null) {
        const counts = emptyCounts();
        for (const _ of run(o, counts, 'all')) void _;
        summary = makeSummary(o, scenarios, hosts, counts);
      }
      return summary;
    },
  };
  return sim;
}
