import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { simulate } from '../../src/simulate/index.js';

// A full GC before each sample, so the test measures what the generator holds, not how much garbage happens to be
// uncollected (that made the bound flaky when test files ran in parallel).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('simulate: streaming in bounded heap', () => {
  it('generates a run larger than the heap bound batch by batch without holding it', () => {
    gc();
    const base = process.memoryUsage().heapUsed;
    const sim = simulate({ seed: 5, hosts: 120, users: 360, historyDays: 12, testDays: 2, scenarioDefaults: 'none' });
    let lines = 0;
    let bytes = 0;
    let peak = 0;
    let n = 0;
    for (const b of sim.batches()) {
      lines += b.lines.length;
      for (const l of b.lines) bytes += l.length + 1;
      if (++n % 10 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    // Holding the output would take at least `bytes` of heap (JS strings are >= 1 byte per char); a streaming
    // generator holds one hour plus open sessions and its world model (live heap measured below).
    expect(bytes).toBeGreaterThan(100e6);
    console.log(`simulator live heap peak ${(peak / 1e6).toFixed(1)} MB for ${(bytes / 1e6).toFixed(0)} MB of output`);
    expect(peak).toBeLessThan(bytes * 0.25);
    const c = sim.summary().counts;
    expect(c.peakHourLines).toBeLessThan(lines / 100);
  }, 60_000);
});
