import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyEvent, type LoginEvent, type LoginEventKind } from '../../src/assemble/event.js';
import { evaluate, formatEvaluation } from '../../src/evaluate/index.js';
import { simulate, readLabels, labelCsvHeader, labelToCsv, parseLabelsCsv, type LabelRow } from '../../src/simulate/index.js';

function label(p: Partial<LabelRow> & Pick<LabelRow, 'host' | 'start'>): LabelRow {
  return {
    pid: null, user: 'alice', source: null, end: null, kind: 'ssh_session', label: 0, scenario: 'normal', period: 'test',
    failures: 0, outcome: 'success', actor: 'user', incident: null, target: null, method: null, ...p,
  };
}

function ev(host: string, pid: number | null, user: string, ts: number, kind: LoginEventKind = 'ssh_session'): LoginEvent {
  const e = emptyEvent(kind, ts);
  e.hostName = host;
  e.pid = pid;
  e.userName = user;
  return e;
}

describe('evaluate: join', () => {
  const labels: LabelRow[] = [
    label({ host: 'h1', pid: 100, start: 1000, label: 1, scenario: 'brute_force', incident: 'brute_force#1', actor: 'attacker' }),
    label({ host: 'h1', start: 5000, kind: 'sudo' }),
    label({ host: 'h2', pid: 200, user: 'bob', start: 10_000 }),
    label({ host: 'h2', pid: 201, user: 'bob', start: 20_000 }),
    label({ host: 'h1', pid: 300, start: 2000 }),
    label({ host: 'h9', pid: 1, start: 0, period: 'history' }),
  ];

  it('matches on host + pid + user + start within tolerance, falls back to host + user + kind without pid', () => {
    const scored = [
      { event: ev('h1', 100, 'alice', 1500), score: 5 }, // -> label 0 (pid 100 preferred over pid 300 at 2000)
      { event: ev('h1', null, 'alice', 5000, 'sudo'), score: 1 }, // -> sudo label via fallback
      { event: ev('h2', 200, 'bob', 13_000), score: 9 }, // outside tolerance -> unmatched
      { event: ev('h1', 100, 'alice', 1000), score: 7 }, // same label again -> unmatched (one-to-one)
      { event: ev('h3', 1, 'eve', 1e12), score: 1 }, // out of range
    ];
    const r = evaluate(scored, labels, { toleranceMs: 2000 });
    expect(r.counts.labels).toBe(5); // history label filtered out
    expect(r.counts.matchedEvents).toBe(2);
    expect(r.counts.unmatchedEvents).toBe(2);
    expect(r.counts.outOfRangeEvents).toBe(1);
    expect(r.counts.missedLabels).toBe(3);
    expect(r.coverage.all).toEqual({ labels: 5, matched: 2, coverage: 0.4 });
    expect(r.coverage.positives.coverage).toBe(1);
    // the positive (5) outranks every normal item (1, -inf, -inf, -inf)
    expect(r.rocAuc).toBe(1);
    expect(r.averagePrecision).toBe(1);
    expect(r.precisionAtK[0]).toEqual({ k: 5, precision: 0.2, positives: 1 });
    expect(r.scenarios).toHaveLength(1);
    expect(r.scenarios[0]).toMatchObject({ scenario: 'brute_force', events: 1, matched: 1, missed: 0, bestRank: 1, medianRank: 1, incidents: 1 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('a missed attack gets the lowest score', () => {
    const r = evaluate([{ event: ev('h1', 300, 'alice', 2000), score: 3 }], labels, { k: [1] });
    expect(r.counts.missedPositives).toBe(1);
    // positive at -inf ties with 3 missed normals and is below the one matched normal: 1.5 / 4
    expect(r.rocAuc).toBeCloseTo(1.5 / 4, 12);
    expect(r.recallAtFpr[0].recall).toBe(0);
    expect(r.scenarios[0].atFpr[0].incidentsDetected).toBe(0);
    expect(r.scenarios[0].medianRank).toBe(3.5);
  });

  it('leaves labels of excluded actors out of the metrics but still joins their events', () => {
    const rows = [
      label({ host: 'h1', pid: 1, start: 0, label: 1, scenario: 'brute_force', actor: 'attacker', incident: 'b#1' }),
      label({ host: 'h1', pid: 2, start: 0, user: 'admin', kind: 'ssh_failed', actor: 'internet' }),
      label({ host: 'h1', pid: 3, start: 0, actor: 'user' }),
    ];
    const scored = [
      { event: ev('h1', 1, 'alice', 0), score: 2 },
      { event: ev('h1', 2, 'admin', 0, 'ssh_failed'), score: 9 },
      { event: ev('h1', 3, 'alice', 0), score: 1 },
    ];
    const all = evaluate(scored, rows);
    expect(all.rocAuc).toBe(0.5);
    const noNoise = evaluate(scored, rows, { actors: ['user', 'service', 'attacker'] });
    expect(noNoise.counts.labels).toBe(2);
    expect(noNoise.counts.excludedEvents).toBe(1);
    expect(noNoise.counts.unmatchedEvents).toBe(0);
    expect(noNoise.rocAuc).toBe(1);
    expect(() => evaluate(scored, rows, { actors: ['robot' as never] })).toThrow(/actors/);
  });

  it('validates options', () => {
    expect(() => evaluate([], labels, { toleranceMs: -1 })).toThrow(/toleranceMs/);
    expect(() => evaluate([], labels, { k: [0] })).toThrow(/\bk\b/);
    expect(() => evaluate([], labels, { fpr: [2] })).toThrow(/fpr/);
    expect(() => evaluate([], labels, { period: 'x' as never })).toThrow(/period/);
  });

  it('formats a readable table', () => {
    const r = evaluate([{ event: ev('h1', 100, 'alice', 1000), score: 5 }], labels);
    const t = formatEvaluation(r);
    expect(t).toMatch(/ROC-AUC\s+1\.000/);
    expect(t).toMatch(/brute_force/);
    expect(t).toMatch(/coverage 20\.0%/);
  });
});

describe('evaluate: on simulator labels', () => {
  const sim = simulate({ seed: 21, hosts: 20, users: 40, historyDays: 3, testDays: 2 });
  const labels = [...sim.labels()];
  const asEvent = (l: LabelRow): LoginEvent => {
    const e = ev(l.host, l.pid, l.user ?? '', l.start, l.kind);
    e.sourceIp = l.source;
    return e;
  };

  it('a perfect assembler with an oracle score gets AUC = AP = 1 and full coverage', () => {
    const scored = labels.map((l) => ({ event: asEvent(l), score: l.label }));
    const r = evaluate(scored, labels, { toleranceMs: 0 });
    expect(r.counts.matchedEvents).toBe(labels.filter((l) => l.period === 'test').length);
    expect(r.coverage.all.coverage).toBe(1);
    expect(r.rocAuc).toBe(1);
    expect(r.averagePrecision).toBe(1);
    expect(r.recallAtFpr.every((p) => p.recall === 1)).toBe(true);
    expect(r.scenarios.length).toBe(sim.scenarios.length > 0 ? new Set(sim.scenarios.map((s) => s.scenario)).size : 0);
    for (const s of r.scenarios) expect(s.atFpr[0].incidentsDetected).toBe(s.incidents);
    expect(r.counts.outOfRangeEvents).toBeGreaterThan(0); // the history events
  });

  it('a constant score gives AUC 0.5 and AP = base rate', () => {
    const r = evaluate(labels.map((l) => ({ event: asEvent(l), score: 1 })), labels);
    expect(r.rocAuc).toBe(0.5);
    expect(r.averagePrecision).toBeCloseTo(r.baseRate as number, 12);
  });

  it('labels survive the CSV round trip, also with hostile user names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loginsight-eval-'));
    try {
      const odd = label({ host: 'h', pid: 7, user: 'x,"y"\n=z', source: '1.2.3.4', start: 1, end: 2 });
      const rows = [...labels.slice(0, 500), odd];
      const text = labelCsvHeader() + rows.map(labelToCsv).join('');
      await writeFile(join(dir, 'labels.csv'), text);
      expect(await readLabels(join(dir, 'labels.csv'))).toEqual(rows);
      expect(parseLabelsCsv(text)).toEqual(rows);
      await writeFile(join(dir, 'bad.csv'), 'host,pid\nx,1\n');
      await expect(readLabels(join(dir, 'bad.csv'))).rejects.toThrow(/missing column/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
