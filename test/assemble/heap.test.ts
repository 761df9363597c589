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
        const rest: number[] = [];
        while (heap.size > 0) rest.push(heap.pop() as number);
        expect(rest).toEqual(model.map((m) => m.id));
      }),
      { numRuns: 500 },
    );
  });
});
