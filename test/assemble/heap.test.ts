import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeHeap } from '../../src/assemble/heap.js';

describe('TimeHeap', () => {
  it('pops in (key, insertion) order for any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 200 }), (ops) => {
        const heap = new TimeHeap<number>();
        const model: { key: number; id: number }[] = [];
        let id = 0;
        for (const op of ops) {
          if (op >= 0) {
            heap.push(id, op);
            model.push({ key: op, id: id++ });
          } else {
            model.sort((a, b) => a.key - b.key || a.id - b.id);
            expect(heap.peekKey()).toBe(model.length ? model[0].key : Infinity);
            expect(heap.pop()).toBe(model.shift()?.id);
          }
          expect(heap.size).toBe(model.length);
        }
        model.sort((a, b) => a.key - b.key || a.id - b.id);
        if (model.length > 0) {
          // popAtMost refuses items above the limit and pops the smallest otherwise
          expect(heap.popAtMost(model[0].key - 1)).toBeUndefined();
          const m = model.shift()!;
          expect(heap.popAtMost(m.key)).toBe(m.id);
        }
        const rest: number[] = [];
        while (heap.size > 0) rest.push(heap.pop() as number);
        expect(rest).toEqual(model.map((m) => m.id));
      }),
      { numRuns: 500 },
    );
  });
});

describe('TimeHeap in-order run', () => {
  it('keeps order across run compaction (long in-order streams with a backlog)', () => {
    const heap = new TimeHeap<number>();
    const out: number[] = [];
    let next = 0;
    for (let i = 0; i < 20_000; i++) {
      heap.push(i, i);
      if (i % 7 === 3) heap.push(-i, i - 0.5); // an out-of-order item now and then
      // keep a backlog of ~3000 items so the run is compacted rather than emptied
      while (heap.size > 3000) out.push(heap.pop() as number);
      next = i;
    }
    while (heap.size > 0) out.push(heap.pop() as number);
    expect(next).toBe(19_999);
    const keys = out.map((v) => (v >= 0 ? v : -v - 0.5));
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThanOrEqual(keys[i - 1]);
    expect(out.length).toBe(20_000 + Math.floor((20_000 - 4) / 7) + 1);
  });
});

describe('TimeHeap reserved arrival numbers', () => {
  it('an item pushed later with a seq reserved by takeSeq keeps its arrival place among equal keys', () => {
    // ops: [0, key] push now; [1, key] reserve a seq, hold the item outside; [2, _] push the oldest held item with
    // its reserved seq; [3, _] pop. The model orders by (key, arrival number).
    const op = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new TimeHeap<number>();
        const model: { key: number; seq: number; id: number }[] = [];
        const held: { key: number; seq: number; id: number }[] = [];
        let id = 0;
        let seq = 0;
        const check = () => {
          model.sort((a, b) => a.key - b.key || a.seq - b.seq);
          expect(heap.size).toBe(model.length);
          expect(heap.peekKey()).toBe(model.length ? model[0].key : Infinity);
          expect(heap.peekSeq()).toBe(model.length ? model[0].seq : Infinity);
        };
        for (const [kind, key] of ops) {
          if (kind === 0) {
            heap.push(id, key, id % 7);
            model.push({ key, seq: seq++, id: id++ });
          } else if (kind === 1) {
            const s = heap.takeSeq();
            expect(s).toBe(seq++);
            held.push({ key, seq: s, id: id++ });
          } else if (kind === 2) {
            const h = held.shift();
            if (h === undefined) continue;
            heap.push(h.id, h.key, h.id % 7, h.seq);
            model.push(h);
          } else {
            check();
            const m = model.shift();
            expect(heap.pop()).toBe(m?.id);
            if (m !== undefined) expect(heap.lastTag).toBe(m.id % 7);
          }
          check();
        }
        for (const h of held) {
          heap.push(h.id, h.key, 0, h.seq);
          model.push(h);
        }
        check();
        const rest: number[] = [];
        while (heap.size > 0) rest.push(heap.pop() as number);
        expect(rest).toEqual(model.map((m) => m.id));
      }),
      { numRuns: 500 },
    );
  });
});
