import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readLinesFromStream } from '../../src/io/read-lines.js';

/** Reference: decode everything at once, split on LF, strip one trailing CR, no empty line after a final LF. */
function reference(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.length === 0) return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

// bytes biased towards line structure and multi-byte UTF-8 (é = c3 a9, € = e2 82 ac, 😀 = f0 9f 98 80)
const piece = fc.oneof(
  fc.constantFrom(new Uint8Array([10]), new Uint8Array([13, 10]), new Uint8Array([13]), new Uint8Array([0])),
  fc.constantFrom(new Uint8Array([0xc3, 0xa9]), new Uint8Array([0xe2, 0x82, 0xac]), new Uint8Array([0xf0, 0x9f, 0x98, 0x80]), new Uint8Array([0xff]), new Uint8Array([0xef, 0xbb, 0xbf])),
  fc.uint8Array({ minLength: 0, maxLength: 12 }),
  fc.string({ maxLength: 20 }).map((s) => new TextEncoder().encode(s)),
);

describe('readLinesFromStream (property)', () => {
  it('any bytes split into any chunks give the same lines as decoding the whole input at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 5 }), async (pieces, cuts, batchLines) => {
        const total = pieces.reduce((n, p) => n + p.length, 0);
        const bytes = new Uint8Array(total);
        let off = 0;
        for (const p of pieces) {
          bytes.set(p, off);
          off += p.length;
        }
        // gzip magic must not appear at the start for this reference (a gzip header would be decompressed)
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) return;
        const chunks: Uint8Array[] = [];
        for (let i = 0, c = 0; i < bytes.length; c++) {
          const n = cuts[c % cuts.length];
          chunks.push(bytes.subarray(i, i + n));
          i += n;
        }
        async function* gen(): AsyncGenerator<Uint8Array> {
          yield* chunks;
        }
        const got: string[] = [];
        for await (const b of readLinesFromStream(gen(), { batchLines, binaryCheck: false })) {
          expect(b.length).toBeLessThanOrEqual(batchLines);
          expect(b.length).toBeGreaterThan(0);
          got.push(...b);
        }
        expect(got).toEqual(reference(bytes));
      }),
      { numRuns: 400 },
    );
  });
});
