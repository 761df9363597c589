import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/simulate/index.js';

describe('simulate: streaming in bounded heap', () => {
  it('generates a run larger than the heap bound batch by batch without holding it', () => {
    const base = process.memoryUsage().heapUsed;
    const sim = simulate({ seed: 5, hosts: 120, users: 360, historyDays: 12, testDays: 2, scenarioDefaults: 'none' });
    let lines = 0;
    let bytes = 0;
    let peak = 0;
    let n = 0;
    for (const b of sim.batches()) {
      lines += b.lines.length;
      for (const l of b.lines) bytes += l.length + 1;
      if (++n % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    // Holding the output would take at least `bytes` of heap (JS strings are >= 1 byte per char);
    // a streaming generator holds one hour plus open sessions (measured ~85 MB incl. garbage for this size).
    expect(bytes).toBeGreaterThan(100e6);
    expect(peak).toBeLessThan(bytes * 0.8);
    const c = sim.summary().counts;
    expect(c.peakHourLines).toBeLessThan(lines / 100);
  }, 60_000);
});
