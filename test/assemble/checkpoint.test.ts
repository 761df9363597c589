import { describe, expect, it } from 'vitest';
import { EventAssembler, type AssemblerOptions, type LoginEvent } from '../../src/assemble/index.js';
import { LineParser, type LogRecord } from '../../src/grammar/index.js';
import { simulate } from '../../src/simulate/index.js';

/** The simulated organisation's records, in file order (no out-of-order lines: a split is then exact). */
function records(seed: number): LogRecord[] {
  const sim = simulate({ seed, hosts: 8, users: 20, historyDays: 3, testDays: 1, outOfOrder: { probability: 0 } });
  const parser = new LineParser({ year: sim.summary().year, timezone: 'UTC' });
  const out: LogRecord[] = [];
  for (const b of sim.batches()) out.push(...parser.parseBatch(b.lines));
  return out;
}

function run(asm: EventAssembler, recs: readonly LogRecord[], out: LoginEvent[]): void {
  for (let i = 0; i < recs.length; i += 1000) out.push(...asm.push(recs.slice(i, i + 1000)));
}

const key = (e: LoginEvent): string => JSON.stringify(e);

describe('assembler checkpoints', () => {
  for (const options of [{}, { order: 'start' }] as AssemblerOptions[]) {
    it(`two runs joined by a checkpoint give the events of one run (${JSON.stringify(options)})`, () => {
      const recs = records(3);
      const one: LoginEvent[] = [];
      const a = new EventAssembler(options);
      run(a, recs, one);
      const openAtEnd = a.counters.open;
      one.push(...a.flush());

      for (const split of [Math.floor(recs.length * 0.37), Math.floor(recs.length * 0.81)]) {
        const two: LoginEvent[] = [];
        const first = new EventAssembler(options);
        run(first, recs.slice(0, split), two);
        const { events, checkpoint } = first.checkpoint();
        two.push(...events);
        expect(checkpoint.units.length).toBeGreaterThan(0); // logins were open at the split
        expect(first.counters.carriedOut).toBe(checkpoint.lines);
        // through JSON, as a daily job stores it
        const second = EventAssembler.fromCheckpoint(JSON.parse(JSON.stringify(checkpoint)));
        expect(second.counters.carriedIn).toBe(checkpoint.lines);
        run(second, recs.slice(split), two);
        // carried logins that ended before the split finish on time, not only at the final flush
        expect(second.counters.open).toBe(openAtEnd);
        two.push(...second.flush());
        const c = second.counters;
        expect(c.recordsIn).toBe(recs.length - split + checkpoint.lines);
        expect(c.recordsIn).toBe(c.recordsInEvents + c.recordsIgnored + c.recordsPending);
        expect(c.recordsPending).toBe(0);
        // the same events, each once (order aside: a checkpoint emits what waits for start order)
        expect(two.map(key).sort()).toEqual(one.map(key).sort());
      }
    });
  }

  it('without the checkpoint the split shows: open logins come out as open, their ends as orphans', () => {
    const recs = records(3);
    const split = Math.floor(recs.length * 0.37);
    const a = new EventAssembler();
    const out: LoginEvent[] = [];
    run(a, recs.slice(0, split), out);
    out.push(...a.flush());
    const b = new EventAssembler();
    run(b, recs.slice(split), out);
    out.push(...b.flush());
    expect(out.filter((e) => e.endReason === 'open').length).toBeGreaterThan(0);
    expect(b.counters.ignoredByReason.orphan).toBeGreaterThan(0);
  });

  it('rejects a checkpoint that is not one, of another version, or with dangling references', () => {
    const a = new EventAssembler();
    run(a, records(4).slice(0, 3000), []);
    const { checkpoint } = a.checkpoint();
    expect(() => EventAssembler.fromCheckpoint({ ...checkpoint, format: 'x' } as never)).toThrow(/not a loginsight assembler checkpoint/);
    expect(() => EventAssembler.fromCheckpoint({ ...checkpoint, version: 9 } as never)).toThrow(/version 9 is not supported/);
    const bad = JSON.parse(JSON.stringify(checkpoint)) as typeof checkpoint;
    bad.hosts[0].lastUnit = 10_000;
    expect(() => EventAssembler.fromCheckpoint(bad)).toThrow(/refers to a unit that is not there/);
  });
});
