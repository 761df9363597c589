import { describe, expect, it } from 'vitest';
import { emptyEvent } from '../../src/assemble/event.js';
import { EventSpool } from '../../src/pipeline/event-spool.js';
import { TopK } from '../../src/pipeline/heap.js';
import { RowCache } from '../../src/pipeline/row-cache.js';
import { CappedDistinct, RunStats, SpaceSaving, MAX_TIME_KEYS } from '../../src/pipeline/stats.js';
import { existsSync } from 'node:fs';

describe('TopK', () => {
  it('keeps the largest keys, bounded', () => {
    const h = new TopK<number>(5);
    const xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const x of xs) h.push(x, x);
    expect(h.size).toBe(5);
    expect(h.sorted()).toEqual([999, 998, 997, 996, 995]);
    expect(h.accepts(994)).toBe(false);
    expect(h.accepts(1000)).toBe(true);
    h.push(NaN, -1);
    expect(h.sorted()).not.toContain(-1);
  });
  it('rejects a bad capacity', () => {
    expect(() => new TopK(0)).toThrow(/capacity/);
  });
});

describe('RowCache', () => {
  it('round-trips rows in order and shuffled, and cleans up', async () => {
    const width = 3;
    const cache = await RowCache.create(width);
    const n = 1000;
    for (let b = 0; b < 10; b++) {
      const rows = new Float32Array(100 * width);
      for (let i = 0; i < 100; i++) for (let j = 0; j < width; j++) rows[i * width + j] = (b * 100 + i) * 10 + j;
      await cache.append(rows);
      rows.fill(-1); // caller may reuse its array
    }
    await cache.seal();
    expect(cache.rows).toBe(n);
    const inOrder: number[] = [];
    for await (const b of cache.batches({ batchRows: 64 })) for (let i = 0; i < b.length; i += width) inOrder.push(b[i] / 10);
    expect(inOrder).toEqual(Array.from({ length: n }, (_, i) => i));
    const shuffled: number[] = [];
    for await (const b of cache.batches({ batchRows: 64, shuffle: true, seed: 3 })) {
      for (let i = 0; i < b.length; i += width) {
        expect(b[i + 2] - b[i]).toBe(2); // rows stay intact
        shuffled.push(b[i] / 10);
      }
    }
    expect(shuffled).not.toEqual(inOrder);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(inOrder);
    const part: number[] = [];
    for await (const b of cache.batches({ batchRows: 7, start: 900, end: 950 })) for (let i = 0; i < b.length; i += width) part.push(b[i] / 10);
    expect(part).toEqual(Array.from({ length: 50 }, (_, i) => 900 + i));
    const path = cache.path;
    await cache.dispose();
    expect(existsSync(path)).toBe(false);
  });
  it('maxRows stops an epoch early: exactly that many rows, a different random subset per seed', async () => {
    const cache = await RowCache.create(2);
    await cache.append(Float32Array.from({ length: 2 * 10_000 }, (_, i) => Math.floor(i / 2)));
    await cache.seal();
    const rowsOf = async (seed: number): Promise<number[]> => {
      const out: number[] = [];
      for await (const b of cache.batches({ batchRows: 256, shuffle: true, seed, maxRows: 1000 })) for (let i = 0; i < b.length; i += 2) out.push(b[i]);
      return out;
    };
    const a = await rowsOf(1);
    const b = await rowsOf(2);
    expect(a).toHaveLength(1000);
    expect(new Set(a).size).toBe(1000); // no row twice
    expect(b).toHaveLength(1000);
    expect(a.filter((x) => b.includes(x)).length).toBeLessThan(500); // mostly other rows
    let n = 0;
    for await (const x of cache.batches({ batchRows: 300, maxRows: 1000 })) n += x.length / 2;
    expect(n).toBe(1000); // the last batch is cut short
    await expect(async () => {
      for await (const x of cache.batches({ maxRows: 0 })) void x;
    }).rejects.toThrow(/maxRows must be a positive number/);
    await cache.dispose();
  });
  it('rejects a batch that is not whole rows', async () => {
    const cache = await RowCache.create(4);
    await expect(cache.append(new Float32Array(6))).rejects.toThrow(/multiple of width/);
    await cache.dispose();
  });
});

describe('EventSpool', () => {
  it('round-trips events exactly, in order, including odd strings', async () => {
    const spool = await EventSpool.create();
    const events = Array.from({ length: 2500 }, (_, i) => {
      const e = emptyEvent(i % 2 ? 'ssh_failed' : 'sudo', 1_700_000_000_000 + i);
      e.userName = i === 7 ? 'x"\n\u2028<evil>' : `u${i}`;
      e.pid = i % 3 ? i : null;
      e.incomplete = i % 5 === 0;
      return e;
    });
    await spool.append(events.slice(0, 1000));
    await spool.append(events.slice(1000));
    const back = [];
    for await (const b of spool.batches(333)) {
      expect(b.length).toBeLessThanOrEqual(333);
      back.push(...b);
    }
    expect(back).toEqual(events);
    expect(Object.keys(back[0])).toEqual(Object.keys(events[0]));
    await spool.dispose();
    expect(existsSync(spool.path)).toBe(false);
  });
});

describe('stats', () => {
  it('SpaceSaving finds heavy hitters with a small capacity', () => {
    const s = new SpaceSaving(10);
    for (let i = 0; i < 5000; i++) s.add(i % 3 === 0 ? 'heavy' : `k${i}`, i);
    expect(s.top(1)[0].name).toBe('heavy');
  });
  it('CappedDistinct stops at its cap', () => {
    const d = new CappedDistinct(10);
    for (let i = 0; i < 100; i++) d.add(`v${i % 50}`);
    expect(d.size).toBe(10);
  });
  it('RunStats summarises events: counts add up, timeline coarsens', () => {
    const stats = new RunStats({ keep: 3 });
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 24 * 30; i++) {
      const e = emptyEvent('ssh_session', t0 + i * 3_600_000);
      e.userName = `u${i % 4}`;
      e.hostName = 'h';
      const score = i % 100 === 0 ? 10 : 0.1;
      stats.add(e, score, score > 1, () => ({ event: e, score, normalized: 0, isAnomaly: score > 1, reasons: [] }));
    }
    expect(stats.events).toBe(720);
    expect(stats.anomalies).toBe(8);
    const tl = stats.timeline(200);
    expect(tl.buckets.length).toBeLessThanOrEqual(200);
    expect(tl.buckets.reduce((a, b) => a + b.events, 0)).toBe(720);
    expect(tl.buckets.reduce((a, b) => a + b.anomalies, 0)).toBe(8);
    expect(stats.histogram().counts.reduce((a, b) => a + b, 0)).toBe(720);
    expect(stats.top.size).toBe(3);
    expect(stats.entities().hosts[0]).toEqual({ name: 'h', anomalies: 8, maxScore: 10 });
    const d = stats.distinct();
    expect(d.users).toBe(4);
  });
  it('RunStats stays bounded when event times are spread over centuries (hostile or broken stamps)', () => {
    const stats = new RunStats({ keep: 3 });
    let s = 7;
    const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const end = Date.UTC(2199, 11, 31);
    for (let i = 0; i < 200_000; i++) {
      const e = emptyEvent('ssh_failed', Math.floor(rnd() * end));
      stats.add(e, 1, i % 1000 === 0, () => ({ event: e, score: 1, normalized: 0, isAnomaly: false, reasons: [] }));
    }
    expect((stats as unknown as { hours: Map<number, unknown> }).hours.size).toBeLessThanOrEqual(MAX_TIME_KEYS);
    const tl = stats.timeline(200);
    expect(tl.buckets.length).toBeLessThanOrEqual(201);
    expect(tl.buckets.length).toBeGreaterThan(100);
    expect(tl.buckets.reduce((a, b) => a + b.events, 0)).toBe(200_000);
    expect(tl.buckets.reduce((a, b) => a + b.anomalies, 0)).toBe(200);
  });
});

describe('rankIncidents', () => {
  it('puts incidents with a successful login first, then by highest raw score', async () => {
    const { rankIncidents } = await import('../../src/pipeline/collect.js');
    const mk = (id: string, success: boolean, scores: number[]) =>
      ({
        id,
        successes: success ? [{ user: 'a', host: 'h', source: null, timestamp: 0 }] : [],
        events: scores.map((score) => ({ score })),
        eventCount: scores.length,
        start: 0,
      }) as unknown as import('../../src/score/index.js').Incident;
    const big = mk('noise', false, [5, 5, 5, 5, 5, 5]);
    const got = mk('got-in', true, [2]);
    const worse = mk('worse', false, [9]);
    expect(rankIncidents([big, got, worse]).map((i) => i.id)).toEqual(['got-in', 'worse', 'noise']);
  });
});
