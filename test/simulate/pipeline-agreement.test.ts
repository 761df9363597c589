/**
 * Cross-check with the real grammar and assembler: the simulator's labels must describe the events that the
 * library's own parser and assembler reconstruct from the simulated text (kind, pid, user, source, start,
 * failures, outcome). This is the simulator's "labels agree with the text" at the level of login events.
 */
import { describe, it, expect } from 'vitest';
import { LineParser } from '../../src/grammar/index.js';
import { EventAssembler } from '../../src/assemble/index.js';
import type { LoginEvent } from '../../src/assemble/event.js';
import { evaluate } from '../../src/evaluate/index.js';
import { simulate, type LabelRow } from '../../src/simulate/index.js';

describe('simulate: labels agree with the parsed and assembled events', () => {
  const sim = simulate({ seed: 11, hosts: 20, users: 40, historyDays: 3, testDays: 2 });
  const parser = new LineParser({ year: sim.summary().year, timezone: 'UTC' });
  const asm = new EventAssembler({});
  const events: LoginEvent[] = [];
  const labels: LabelRow[] = [];
  for (const b of sim.batches()) {
    for (const e of asm.push(parser.parseBatch(b.lines))) events.push(e);
    for (const l of b.labels) labels.push(l);
  }
  for (const e of asm.flush()) events.push(e);

  it('every labelled login is assembled (coverage >= 99.5 %) and nothing extra appears', () => {
    const r = evaluate(events.map((e) => ({ event: e, score: 0 })), labels, { period: 'all', toleranceMs: 1000 });
    expect(r.coverage.all.coverage as number).toBeGreaterThanOrEqual(0.995);
    expect(r.coverage.positives.coverage as number).toBeGreaterThanOrEqual(0.995);
    expect(r.counts.unmatchedEvents).toBeLessThanOrEqual(labels.length * 0.005);
    expect(r.counts.kindMismatches).toBe(0);
  });

  it('kind, source, failure count, outcome and start agree for >= 99 % of pid-joined events', () => {
    const byKey = new Map<string, LabelRow[]>();
    for (const l of labels) {
      if (l.pid === null) continue;
      const k = `${l.host}|${l.pid}|${l.user}`;
      const b = byKey.get(k);
      if (b) b.push(l);
      else byKey.set(k, [l]);
    }
    let joined = 0;
    let agree = 0;
    for (const e of events) {
      const c = byKey.get(`${e.hostName}|${e.pid}|${e.userName}`);
      const l = c?.find((x) => x.start === e.timestamp);
      if (!l) continue;
      joined++;
      if (l.kind === e.kind && (l.source ?? null) === e.sourceIp && l.failures === e.failures && l.outcome === e.outcome) agree++;
    }
    expect(joined).toBeGreaterThan(labels.filter((l) => l.pid !== null).length * 0.99);
    expect(agree / joined).toBeGreaterThanOrEqual(0.99);
  });
});
