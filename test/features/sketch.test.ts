import { describe, expect, it } from 'vitest';
import { hashString, HASH_OUT } from '../../src/features/hash.js';
import { CountMinSketch, linearCount } from '../../src/features/sketch.js';
import { SlotTable } from '../../src/features/table.js';

describe('sketches and tables', () => {
  it('count-min never under-counts and is exact when keys do not collide', () => {
    const cms = new CountMinSketch(16_384, 4);
    const truth = new Map<string, number>();
    let s = 1;
    for (let i = 0; i < 20_000; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const key = `k${s % 3000}`;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      hashString(key);
      cms.increment(HASH_OUT[0], HASH_OUT[1]);
    }
    let exact = 0;
    let withinBound = 0;
    const bound = (Math.E * 20_000) / 16_384; // documented per-row bound e·N/width
    for (const [k, n] of truth) {
      hashString(k);
      const e = cms.estimate(HASH_OUT[0], HASH_OUT[1]);
      expect(e).toBeGreaterThanOrEqual(n);
      if (e === n) exact++;
      if (e - n <= bound) withinBound++;
    }
    expect(cms.total).toBe(20_000);
    console.log(`count-min: ${truth.size} keys, exact ${exact}, within e*N/width ${withinBound}`);
    expect(withinBound / truth.size).toBeGreaterThan(1 - 1 / Math.E);
    expect(exact / truth.size).toBeGreaterThan(0.5);
    const fresh = new CountMinSketch(1024, 4);
    fresh.increment(5, 7);
    fresh.increment(5, 7);
    expect(fresh.estimate(5, 7)).toBe(2);
    expect(fresh.estimate(6, 7)).toBe(0);
    expect(() => new CountMinSketch(1024, 3)).toThrow(/sketchDepth/);
  });

  it('linear counting is close for small sets', () => {
    expect(linearCount(0)).toBe(0);
    expect(linearCount(3)).toBeCloseTo(3.0357, 4);
    expect(linearCount(128)).toBeCloseTo(128 * Math.log(128), 9);
  });

  it('slot table evicts the least recently used entry of a full probe window', () => {
    const t = new SlotTable(16, [{ name: 'v', type: 'f64', count: 1 }], 16);
    for (let i = 1; i <= 16; i++) t.insert(i, i, 1000 + i);
    expect(t.size).toBe(16);
    expect(t.find(1, 1)).toBeGreaterThanOrEqual(0);
    t.touch(t.find(1, 1), 5000);
    t.insert(99, 99, 6000); // table full: evicts key 2 (oldest use), not key 1 (touched)
    expect(t.evictions).toBe(1);
    expect(t.find(2, 2)).toBe(-1);
    expect(t.find(1, 1)).toBeGreaterThanOrEqual(0);
    expect(t.find(99, 99)).toBeGreaterThanOrEqual(0);
    const copy = new SlotTable(16, [{ name: 'v', type: 'f64', count: 1 }], 16);
    copy.load(t.toJSON(), 't');
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(t.toJSON()));
  });
});
