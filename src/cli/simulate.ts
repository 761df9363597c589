/**
 * `loginsight simulate --out DIR`: writes a deterministic, labelled organisation (history.log, test.log,
 * labels.csv, summary.json) through the simulator API.
 *
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SCENARIO_NAMES,
  SIMULATION_FILES,
  resolveSimulateOptions,
  writeSimulation,
  type ScenarioName,
  type SimulateOptions,
  type SimulationSummary,
} from '../simulate/index.js';
import { describeFsError } from '../io/glob.js';
import { watchTempDir } from '../io/atomic.js';
import { flagOption, numberOption, parseCommandArgs, requiredString, stringOption, type OptionValues } from './args.js';
import { EXIT, InputError, UsageError, type CliCommand, type CliIo } from './command.js';
import { COMMON_HELP, asUsage, bytes, n, resolvePath, seconds, topCounts } from './common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight simulate --out DIR [options]

Simulate an organisation's login activity: real auth-log text (OpenSSH 7.x-9.x incl. sshd-session,
PAM, systemd-logind, sudo, su; RFC 3164 and ISO 8601 envelopes; clock skew and late delivery),
internet background noise and injected attack scenarios, with ground-truth labels. Deterministic:
the same options and seed give the same bytes. Writes, atomically:
  DIR/history.log   normal activity only (train on it)
  DIR/test.log      normal activity plus attacks (score it)
  DIR/labels.csv    one row per login event: host, pid, user, source, start, end, kind, label, scenario
  DIR/summary.json  options, hosts, scenario instances and counts

Options:
  -o, --out DIR           Output directory (created if missing; existing files are replaced)
  --seed N                Seed (integer, default 1)
  --hosts N               Servers and workstations, 3 to 100000 (default 50)
  --users N               Human users, 5 to 1000000 (default 150; service accounts come on top)
  --history-days N        Days of history, 1 to 3660 (default 14)
  --test-days N           Days of test period, 1 to 3660 (default 7)
  --start DATE            Start of history, ISO 8601 (default 2026-03-02, a Monday)
  --scenario NAME=N       Instances of one attack scenario (repeatable); NAME is one of:
                          ${SCENARIO_NAMES.join(', ')}
  --no-attacks            Start from zero instances of every scenario (then add some with --scenario)
  --noise-per-hour X      Internet background connections per exposed host per hour (default 20)
  --verbose-fraction F    Fraction of hosts logging at sshd LogLevel VERBOSE, 0 to 1 (default 0.3)

${COMMON_HELP}
  (the summary goes to stdout; with --json it is the summary.json object)

Examples:
  loginsight simulate --out sim
  loginsight simulate --out big --hosts 1000 --users 3000 --history-days 30 --test-days 7 --seed 42
  loginsight simulate --out sprays --no-attacks --scenario spray_fast=5 --scenario spray_slow=5
  # then: loginsight train --out model sim/history.log
  #       loginsight score --model model sim/test.log > scored.jsonl
  #       loginsight evaluate --labels sim/labels.csv scored.jsonl

Exit codes: 0 ok, 2 bad usage, 3 output directory not writable.`;

/** Reads the simulator options from the command line (ranges checked here, the rest by the simulator). */
export function simulateSettings(values: OptionValues): SimulateOptions {
  const o: SimulateOptions = {};
  const seed = numberOption(values, 'seed', { integer: true, min: -2147483648, max: 4294967295 });
  if (seed !== undefined) o.seed = seed;
  const hosts = numberOption(values, 'hosts', { integer: true, min: 3, max: 100_000 });
  if (hosts !== undefined) o.hosts = hosts;
  const users = numberOption(values, 'users', { integer: true, min: 5, max: 1_000_000 });
  if (users !== undefined) o.users = users;
  const historyDays = numberOption(values, 'history-days', { integer: true, min: 1, max: 3660 });
  if (historyDays !== undefined) o.historyDays = historyDays;
  const testDays = numberOption(values, 'test-days', { integer: true, min: 1, max: 3660 });
  if (testDays !== undefined) o.testDays = testDays;
  const start = stringOption(values, 'start');
  if (start !== undefined) {
    if (Number.isNaN(Date.parse(start))) throw new UsageError(`--start must be an ISO 8601 date such as 2026-03-02, got ${JSON.stringify(start)}`);
    o.start = start;
  }
  const noise = numberOption(values, 'noise-per-hour', { min: 0, max: 1_000_000 });
  if (noise !== undefined) o.noisePerHour = noise;
  const verbose = numberOption(values, 'verbose-fraction', { min: 0, max: 1 });
  if (verbose !== undefined) o.verboseFraction = verbose;
  if (flagOption(values, 'no-attacks')) o.scenarioDefaults = 'none';
  const raw = values.scenario;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (list.length > 0) {
    const scenarios: Partial<Record<ScenarioName, number>> = {};
    for (const item of list) {
      const m = typeof item === 'string' ? /^([a-z_]+)=(\d+)$/.exec(item.trim()) : null;
      if (m === null || !(SCENARIO_NAMES as readonly string[]).includes(m[1])) {
        throw new UsageError(`--scenario must be NAME=N with NAME one of ${SCENARIO_NAMES.join(', ')}, got ${JSON.stringify(item)}`);
      }
      const count = Number(m[2]);
      if (count > 10_000) throw new UsageError(`--scenario ${m[1]}: the count must be an integer from 0 to 10000, got ${m[2]}`);
      scenarios[m[1] as ScenarioName] = count;
    }
    o.scenarios = scenarios;
  }
  asUsage(() => resolveSimulateOptions(o));
  return o;
}

function sum(table: Readonly<Record<string, number>>): number {
  let s = 0;
  for (const v of Object.values(table)) s += v;
  return s;
}

async function sizeOf(p: string): Promise<number> {
  try {
    return (await stat(p)).size;
  } catch {
    return 0;
  }
}

/** The `simulate` command. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: SUMMARIES.simulate,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(
      argv,
      {
        out: { type: 'string', short: 'o' },
        seed: { type: 'string' },
        hosts: { type: 'string' },
        users: { type: 'string' },
        'history-days': { type: 'string' },
        'test-days': { type: 'string' },
        start: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        'no-attacks': { type: 'boolean' },
        'noise-per-hour': { type: 'string' },
        'verbose-fraction': { type: 'string' },
      },
      false,
    );
    const dir = resolvePath(io, requiredString(values, 'out', 'DIR (where to write the simulation)'));
    const options = simulateSettings(values);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new InputError(`cannot create output directory ${dir}: ${describeFsError(err)}`);
    }
    const progress = createProgress(io, flagOption(values, 'quiet'));
    const started = Date.now();
    let summary: SimulationSummary;
    const unwatch = watchTempDir(dir); // Ctrl-C removes the simulator's temporary files too
    try {
      summary = await writeSimulation(dir, options, {
        onProgress: (p) => progress.update({ label: `simulating ${p.period}`, done: p.lines, unit: 'lines', fraction: null, detail: `${n(p.labels)} labels` }),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== undefined && /^E[A-Z]+$/.test(code)) throw new InputError(`cannot write the simulation to ${dir}: ${describeFsError(err)}`);
      throw err;
    } finally {
      unwatch();
      progress.clear();
    }
    if (flagOption(values, 'json')) {
      io.stdout.write(JSON.stringify(summary) + '\n');
      return EXIT.ok;
    }
    if (flagOption(values, 'quiet')) return EXIT.ok;
    const o = summary.options;
    const c = summary.counts;
    const historyLabels = sum(c.events.history);
    const testLabels = sum(c.events.test);
    const attacks = sum(c.attackEvents);
    const files = {
      history: join(dir, SIMULATION_FILES.history),
      test: join(dir, SIMULATION_FILES.test),
      labels: join(dir, SIMULATION_FILES.labels),
    };
    const lines = [
      `simulate: wrote ${dir} in ${seconds(started)} s (seed ${o.seed}, ${n(o.hosts)} hosts, ${n(o.users)} users + ${summary.serviceAccounts.length} service accounts)`,
      `  periods: history ${summary.periods.historyStart} .. test ${summary.periods.testStart} .. end ${summary.periods.end}`,
      `  ${SIMULATION_FILES.history.padEnd(12)} ${n(c.lines.history).padStart(12)} lines  ${bytes(await sizeOf(files.history))}`,
      `  ${SIMULATION_FILES.test.padEnd(12)} ${n(c.lines.test).padStart(12)} lines  ${bytes(await sizeOf(files.test))}`,
      `  ${SIMULATION_FILES.labels.padEnd(12)} ${n(historyLabels + testLabels).padStart(12)} rows   (test: ${n(testLabels)} events, ${n(attacks)} labelled attack)`,
      `  attack events by scenario: ${topCounts(c.attackEvents, 20)}`,
      `  scenario instances: ${summary.scenarios.length}; summary in ${join(dir, SIMULATION_FILES.summary)}`,
      `Next: loginsight train --out model ${files.history}`,
      `      loginsight score --model model ${files.test} > scored.jsonl`,
      `      loginsight evaluate --labels ${files.labels} scored.jsonl`,
    ];
    io.stdout.write(lines.join('\n') + '\n');
    return EXIT.ok;
  },
};
