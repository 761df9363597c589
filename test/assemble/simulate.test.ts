import { describe, expect, it } from 'vitest';
import { EventAssembler, type LoginEvent } from '../../src/assemble/index.js';
import { LineParser } from '../../src/grammar/index.js';
import { simulate, type LabelRow } from '../../src/simulate/index.js';
import { expectBalanced } from './helpers.js';

/**
 * Labelled output of the organisation simulator: every labelled login must be assembled exactly once with the
 * right user, source, pid, outcome, failure count and start time. The simulator skews host clocks, delivers some
 * lines late (out of order by seconds), mixes RFC 3164 and ISO 8601 hosts, OpenSSH versions (sshd, sshd-session),
 * VERBOSE and normal log levels, attack scenarios and internet noise.
 */
describe('labelled simulation', () => {
  const sim = simulate({ seed: 11, hosts: 10, users: 30, historyDays: 2, testDays: 2 });
  const summary = sim.summary();
  const parser = new LineParser({ year: summary.year, timezone: 'UTC' });
  const asm = new EventAssembler({ reorderWindowMs: 5000 });
  const events: LoginEvent[] = [];
  const labels: LabelRow[] = [];
  for (const b of sim.batches()) {
    labels.push(...b.labels);
    events.push(...asm.push(parser.parseBatch(b.lines)));
  }
  events.push(...asm.flush());

  it('accounts for every record', () => {
    expectBalanced(asm, events);
    expect(asm.counters.recordsIn).toBe(summary.counts.lines.history + summary.counts.lines.test);
    expect(asm.counters.noUserConnections).toBe(summary.counts.noUserConnections.history + summary.counts.noUserConnections.test);
    // every line of a simulated login joins its login: nothing is left over as an orphan or unparsed login line
    expect(asm.counters.ignoredByReason.orphan).toBe(0);
    expect(asm.counters.ignoredByReason.unknown).toBe(0);
  });

  it('assembles every labelled login exactly once with the right user, source, pid, outcome, failures and start', () => {
    expect(labels.length).toBeGreaterThan(500);
    expect(new Set(labels.map((l) => l.scenario)).size).toBeGreaterThan(3);
    const key = (host: string | null, kind: string, pid: number | null, user: string | null, start: number) => `${host}|${kind}|${pid}|${user}|${start}`;
    const byKey = new Map<string, LoginEvent[]>();
    for (const e of events) {
      const k = key(e.hostName, e.kind, e.pid, e.userName, e.timestamp);
      const list = byKey.get(k);
      if (list) list.push(e);
      else byKey.set(k, [e]);
    }
    const problems: string[] = [];
    for (const l of labels) {
      // identical keys (two pid-less sudo runs of one user in one second) are matched as a multiset
      const hits = byKey.get(key(l.host, l.kind, l.pid, l.user, l.start)) ?? [];
      const e = hits.shift();
      if (e === undefined) {
        problems.push(`no event for ${JSON.stringify(l)}`);
        continue;
      }
      if (l.kind === 'sudo' || l.kind === 'su') {
        if (e.userEffectiveName !== l.target) problems.push(`target ${e.userEffectiveName} for ${JSON.stringify(l)}`);
      } else if (e.sourceIp !== l.source) problems.push(`source ${e.sourceIp} for ${JSON.stringify(l)}`);
      if (e.outcome !== l.outcome) problems.push(`outcome ${e.outcome} for ${JSON.stringify(l)}`);
      if (l.end === null) {
        // cut off by the end of the log: the simulator's label counts attempts whose lines were never written,
        // the assembler counts what the log shows (never invents) and flags the event incomplete
        if (!e.incomplete || e.failures > l.failures) problems.push(`open event ${JSON.stringify(e)} for ${JSON.stringify(l)}`);
      } else if (e.failures !== l.failures) problems.push(`failures ${e.failures} for ${JSON.stringify(l)}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const leftover = [...byKey.values()].flat();
    expect(leftover.map((e) => JSON.stringify(e)).slice(0, 5)).toEqual([]);
    // and nothing else: every emitted event is a labelled one
    expect(events.length).toBe(labels.length);
  });
});
