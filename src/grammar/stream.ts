/**
 * {@link parseStream}: parse a byte or text stream (a Node `Readable`, `process.stdin`, a fetch body, any async
 * iterable of chunks) without a separate line reader. Splits on `\n` (a `\r` before it is removed by the parser),
 * decodes UTF-8 across chunk boundaries (invalid bytes become U+FFFD), and handles a missing final newline.
 *
 * @module
 */
import { StringDecoder } from 'node:string_decoder';
import type { LogRecord } from './record.js';
import type { ParseOptions } from './types.js';
import { LineParser } from './parser.js';

/** Options of {@link parseStream}. */
export interface ParseStreamOptions extends ParseOptions {
  /** Lines per yielded batch (default 4096). */
  batchSize?: number;
}

/**
 * Parses a stream of byte or string chunks into batches of records, one record per line, in order.
 * Pass a {@link LineParser} as `parser` to read its counters afterwards.
 */
export async function* parseStream(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ParseStreamOptions = {},
  parser: LineParser = new LineParser(options),
): AsyncIterable<LogRecord[]> {
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Invalid option batchSize: ${String(batchSize)} (allowed: a positive integer)`);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let batch: string[] = [];
  for await (const chunk of chunks as AsyncIterable<Uint8Array | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      carry += text;
      continue;
    }
    batch.push(carry + text.slice(0, nl));
    carry = '';
    start = nl + 1;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      batch.push(text.slice(start, nl));
      start = nl + 1;
      if (batch.length >= batchSize) {
        yield parser.parseBatch(batch);
        batch = [];
      }
    }
    carry = text.slice(start);
    if (batch.length >= batchSize) {
      yield parser.parseBatch(batch);
      batch = [];
    }
  }
  carry += decoder.end();
  if (carry.length > 0) batch.push(carry);
  if (batch.length > 0) yield parser.parseBatch(batch);
}
