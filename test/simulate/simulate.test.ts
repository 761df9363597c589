import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  simulate,
  writeSimulation,
  readLabels,
  resolveSimulateOptions,
  SCENARIO_NAMES,
  DEFAULT_SCENARIO_COUNTS,
  type LabelRow,
  type SimulateOptions,
} from '../../src/simulate/index.js';
import { LogIndex } from './logindex.js';

const SMALL: SimulateOptions = { seed: 11, hosts: 20, users: 40, historyDays: 7, testDays: 2 };

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'loginsight-sim-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('simulate: determinism', () => {
  it('same seed gives the same bytes; a different seed gives different bytes', async () => {
    await withDir(async (dir) => {
      await writeSimulation(join(dir, 'a'), SMALL);
      await writeSimulation(join(dir, 'b'), SMALL);

      for (const f of ['history.log', 'test.log', 'labels.csv', 'summary.json']) {
        const a = await readFile(join(dir, 'a', f), 'utf8');
        const b = await readFile(join(dir, 'b', f), 'utf8');
        expect(a.length).toBeGreaterThan(100);
        expect(sha(a)).toBe(sha(b));
      }
      const a = await readFile(join(dir, 'a', 'history.log'), 'utf8');
      const other = simulate({ ...SMALL, seed: 12, historyDays: 1, testDays: 1 }).history()[Symbol.iterator]().next().value as string[];
      const same = simulate({ ...SMALL, historyDays: 1, testDays: 1 }).history()[Symbol.iterator]().next().value as string[];
      expect(a.startsWith(same.join('\n') + '\n')).toBe(true);
      expect(a.startsWith(other.join('\n') + '\n')).toBe(false);
      expect(other.join('\n')).not.toBe(same.join('\n'));
      // no temporary files left behind (atomic rename)
      expect((await readdir(join(dir, 'a'))).sort()).toEqual(['history.log', 'labels.csv', 'summary.json', 'test.log']);
    });
  });

  it('the streaming iterables give the same text as the files, independent of batch size', async () => {
    await withDir(async (dir) => {
      await writeSimulation(dir, SMALL);
      const hist = await readFile(join(dir, 'history.log'), 'utf8');
      const test = await readFile(join(dir, 'test.log'), 'utf8');
      const sim = simulate({ ...SMALL, batchLines: 777 });
      let h = '';
      for (const b of sim.history()) {
        expect(b.length).toBeLessThanOrEqual(777);
        h += b.join('\n') + '\n';
      }
      expect(sha(h)).toBe(sha(hist));
      let t = '';
      for (const b of sim.test()) t += b.join('\n') + '\n';
      expect(sha(t)).toBe(sha(test));
      const labels = await readLabels(join(dir, 'labels.csv'));
      const fromApi = [...sim.labels()];
      expect(labels).toEqual(fromApi);
    });
  });
});

describe('simulate: scenarios and labels', () => {
  const sim = simulate(SMALL);
  const labels: LabelRow[] = [];
  const index = new LogIndex(2026);
  const lines = { history: 0, test: 0 };
  for (const b of sim.batches()) {
    index.add(b.lines);
    lines[b.period] += b.lines.length;
    for (const l of b.labels) labels.push(l);
  }
  const summary = sim.summary();

  it('writes both periods and every line parses as one of the two envelopes', () => {
    expect(lines.history).toBeGreaterThan(10_000);
    expect(lines.test).toBeGreaterThan(1_000);
    expect(index.unparsed).toBe(0);
    expect(summary.counts.lines).toEqual(lines);
  });

  it('injects exactly the configured number of instances of each scenario, only in the test period', () => {
    const o = resolveSimulateOptions(SMALL);
    for (const name of SCENARIO_NAMES) {
      const inst = summary.scenarios.filter((s) => s.scenario === name);
      expect(inst.length, name).toBe(o.scenarios[name]);
      for (const i of inst) {
        const rows = labels.filter((l) => l.incident === i.id);
        expect(rows.length, i.id).toBeGreaterThan(0);
        expect(rows.every((r) => r.label === 1 && r.scenario === name && r.period === 'test')).toBe(true);
      }
    }
    const attack = labels.filter((l) => l.label === 1);
    expect(attack.every((l) => l.period === 'test' && l.actor === 'attacker' && l.incident !== null)).toBe(true);
    expect(labels.filter((l) => l.label === 0).every((l) => l.scenario === 'normal' && l.incident === null)).toBe(true);
    const ids = new Set(summary.scenarios.map((s) => s.id));
    expect(new Set(attack.map((l) => l.incident))).toEqual(ids);
  });

  it('scenario counts follow the options (zero, custom, none)', () => {
    const s = simulate({ ...SMALL, scenarioDefaults: 'none', scenarios: { brute_force: 3, root_login: 1 } });
    const names = s.scenarios.map((x) => x.scenario);
    expect(names.filter((n) => n === 'brute_force').length).toBe(3);
    expect(names.filter((n) => n === 'root_login').length).toBe(1);
    expect(names.length).toBe(4);
    const quiet = simulate({ ...SMALL, scenarioDefaults: 'none' });
    expect(quiet.scenarios.length).toBe(0);
    let attacks = 0;
    for (const l of quiet.labels()) attacks += l.label;
    expect(attacks).toBe(0);
    expect(Object.values(DEFAULT_SCENARIO_COUNTS).every((n) => n > 0)).toBe(true);
  });

  it('has every event kind, normal novelty and internet noise', () => {
    const kinds = new Set(labels.map((l) => l.kind));
    for (const k of ['ssh_session', 'ssh_failed', 'sudo', 'su']) expect(kinds.has(k as LabelRow['kind']), k).toBe(true);
    const actors = new Set(labels.map((l) => l.actor));
    for (const a of ['user', 'service', 'internet', 'attacker']) expect(actors.has(a as LabelRow['actor']), a).toBe(true);
    expect(summary.counts.noUserConnections.history).toBeGreaterThan(0);
    expect(labels.some((l) => l.failures > 0 && l.outcome === 'success')).toBe(true);
    expect(labels.some((l) => l.end === null)).toBe(true);
  });

  it('labels agree with the text: the lines with that host, pid, user and source exist at the labelled times', () => {
    let checked = 0;
    for (const l of labels) {
      const to = l.end ?? Number.MAX_SAFE_INTEGER;
      if (l.kind === 'ssh_session' || l.kind === 'ssh_failed') {
        expect(l.pid).not.toBeNull();
        const mine = index.pidLines(l.host, l.pid as number, l.start, to);
        expect(mine.length, JSON.stringify(l)).toBeGreaterThan(0);
        expect(mine.some((x) => x.ts === l.start), `start of ${JSON.stringify(l)}`).toBe(true);
        const inv = `(invalid user )?`;
        const failed = mine.filter((x) => new RegExp(`^Failed (password|publickey) for ${inv}${l.user} from ${l.source} port `).test(x.msg));
        expect(failed.length, `failures of ${JSON.stringify(l)}`).toBe(l.failures);
        const accepted = mine.filter((x) => x.msg.startsWith(`Accepted ${l.method} for ${l.user} from ${l.source} port `));
        expect(accepted.length, `accepted of ${JSON.stringify(l)}`).toBe(l.kind === 'ssh_session' ? 1 : 0);
      } else if (l.kind === 'sudo') {
        const mine = l.pid === null ? index.programLines(l.host, 'sudo', l.start, to) : index.pidLines(l.host, l.pid, l.start, to);
        const cmd = mine.filter((x) => x.msg.startsWith(`${(l.user ?? '').padStart(8)} : `) && x.msg.includes(`USER=${l.target} ;`));
        expect(cmd.length, JSON.stringify(l)).toBeGreaterThan(0);
        expect(mine.some((x) => x.ts === l.start)).toBe(true);
      } else if (l.kind === 'su') {
        const mine = l.pid === null ? index.programLines(l.host, 'su', l.start, to) : index.pidLines(l.host, l.pid, l.start, to);
        expect(mine.some((x) => x.msg.includes(`by ${l.user}(uid=`) || x.msg.includes(`) ${l.user} on `)), JSON.stringify(l)).toBe(true);
      }
      if (l.end !== null) expect(l.end).toBeGreaterThanOrEqual(l.start);
      checked++;
    }
    expect(checked).toBe(labels.length);
  });

  it('no-user connections get no label row, and every sshd pid with an Accepted line has a label', () => {
    const labelled = new Set(labels.filter((l) => l.pid !== null).map((l) => `${l.host} ${l.pid}`));
    let accepted = 0;
    for (const [key, ls] of index.byPid) {
      if (ls.some((x) => x.msg.startsWith('Accepted '))) {
        accepted++;
        expect(labelled.has(key), key).toBe(true);
      }
      if (ls.some((x) => x.msg.startsWith('Unable to negotiate') || x.msg.startsWith('Did not receive identification') || x.msg.startsWith('banner exchange'))) {
        expect(labelled.has(key), key).toBe(false);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('simulate: bounded memory', () => {
  it('the lines held at once do not grow with the number of days', () => {
    const base = { seed: 3, hosts: 30, users: 60, scenarioDefaults: 'none' as const };
    const short = simulate({ ...base, historyDays: 3, testDays: 1 }).summary().counts;
    const long = simulate({ ...base, historyDays: 12, testDays: 4 }).summary().counts;
    expect(long.lines.history + long.lines.test).toBeGreaterThan(3 * (short.lines.history + short.lines.test));
    // one hour plus open sessions: the peaks stay within a small factor while total output quadruples
    expect(long.peakHourLines).toBeLessThan(short.peakHourLines * 2);
    expect(long.peakDeferredLines).toBeLessThan(short.peakDeferredLines * 2 + 2000);
  });
});

describe('simulate: edge sizes', () => {
  it('a tiny organisation with many scenario instances still yields every instance, in the test period', () => {
    const scenarios = Object.fromEntries(SCENARIO_NAMES.map((n) => [n, 6]));
    const sim = simulate({ seed: 2, hosts: 3, users: 5, historyDays: 1, testDays: 1, scenarios });
    expect(sim.scenarios.length).toBe(6 * SCENARIO_NAMES.length);
    const incidents = new Set<string>();
    for (const l of sim.labels()) {
      if (l.label === 1) {
        expect(l.period).toBe('test');
        incidents.add(l.incident as string);
      }
    }
    expect(incidents.size).toBe(sim.scenarios.length);
  });
});

describe('simulate: options', () => {
  it('rejects bad options with the option name', () => {
    expect(() => simulate({ hosts: 1 })).toThrow(/hosts/);
    expect(() => simulate({ seed: 1.5 })).toThrow(/seed/);
    expect(() => simulate({ scenarios: { nope: 1 } as never })).toThrow(/scenarios\.nope/);
    expect(() => simulate({ envelopes: { rfc3164: 0, iso8601: 0 } })).toThrow(/envelopes/);
    expect(() => simulate({ start: 'yesterday' })).toThrow(/start/);
    expect(() => simulate({ outOfOrder: { probability: 2 } })).toThrow(/outOfOrder\.probability/);
  });

  it('honours the envelope mix, verbosity, skew and start', () => {
    const iso = simulate({ ...SMALL, envelopes: { iso8601: 1 }, verboseFraction: 1, clockSkew: { baseMs: 0, maxMs: 0 } });
    expect(iso.hosts.every((h) => h.envelope === 'iso8601' && h.verbose && h.skewMs === 0)).toBe(true);
    const first = iso.history()[Symbol.iterator]().next().value as string[];
    expect(first[0]).toMatch(/^2026-03-0[12]T/);
    const s2 = simulate({ ...SMALL, start: '2025-06-01' });
    expect(s2.summary().periods.historyStart).toBe('2025-06-01T00:00:00.000Z');
  });
});
