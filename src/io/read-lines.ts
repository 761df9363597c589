/**
 * Line sources: files, globs, `.gz` (detected by magic bytes), stdin and any Node readable, as batches of lines.
 *
 * Bytes are decoded as UTF-8 with a streaming `TextDecoder` (invalid sequences become U+FFFD, a sequence split
 * across chunks is decoded correctly), lines are split on `\n` with a trailing `\r` removed, NUL bytes are kept for
 * the grammar to count, and a last line without a final newline is still yielded. Memory is bounded by the batch
 * size and {@link ReadLinesOptions.maxLineLength}.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../cli/command.js';
import { describeFsError, resolveInputs } from './glob.js';

/** Running totals of a line source; pass one in {@link ReadLinesOptions.counters} to watch progress. */
export interface ReadCounters {
  /** Inputs opened so far (files, or 1 for stdin). */
  files: number;
  /** Raw bytes read from the inputs (compressed bytes for `.gz`): compare with {@link ReadCounters.totalBytes}. */
  bytesRead: number;
  /** Sum of the input file sizes, `null` when an input has no known size (stdin). */
  totalBytes: number | null;
  /** Lines yielded. */
  lines: number;
  /** Lines cut at {@link ReadLinesOptions.maxLineLength} characters (the rest of such a line is discarded). */
  truncatedLines: number;
  /** Inputs that were gzip-compressed. */
  gzipInputs: number;
  /** The input currently being read (path, or `-` for stdin). */
  current: string | null;
}

/** Options of {@link readLines} and {@link readLinesFromStream}. */
export interface ReadLinesOptions {
  /** Yield a batch once it holds this many lines (default 4096). */
  batchLines?: number;
  /** Yield a batch once its lines hold about this many characters (default 1 MiB). */
  batchChars?: number;
  /** Longest line kept, in characters (default 4 MiB); longer lines are cut and counted in `truncatedLines`. */
  maxLineLength?: number;
  /** Stream used for `'-'` (default `process.stdin`). */
  stdin?: Readable;
  /** Base directory for relative paths and globs (default `process.cwd()`). */
  cwd?: string;
  /** Filled in while reading. */
  counters?: ReadCounters;
  /** Chunk size of file reads in bytes (default 256 KiB). */
  highWaterMark?: number;
  /**
   * Reject inputs that look like binary data rather than text (default true): more than 10% control characters
   * (other than TAB, LF, CR, FF, ESC) or invalid UTF-8 in the first 64 KiB of decoded text (after gunzip).
   * Single NUL bytes or stray bad bytes in a real log stay far below that and are passed on to the grammar.
   */
  binaryCheck?: boolean;
}

/** Fraction of suspicious characters above which an input is rejected as binary (see `binaryCheck`). */
export const BINARY_THRESHOLD = 0.1;
const BINARY_SAMPLE = 64 * 1024;
const BINARY_MIN_SAMPLE = 256;

/** Fraction of characters of `text` that are control characters (not TAB/LF/CR/FF/ESC) or U+FFFD. */
export function binaryFraction(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) || c === 0x7f || c === 0xfffd) bad++;
  }
  return bad / text.length;
}

/** A fresh, zeroed {@link ReadCounters}. */
export function newReadCounters(): ReadCounters {
  return { files: 0, bytesRead: 0, totalBytes: 0, lines: 0, truncatedLines: 0, gzipInputs: 0, current: null };
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

interface Batcher {
  batch: string[];
  chars: number;
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`readLines: option ${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Decodes a byte stream (gzip or plain, detected by magic bytes) and splits it into lines, yielding batches.
 * Errors from the source or from gunzip are rethrown as {@link InputError} naming `name`.
 */
async function* linesOf(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  name: string,
  counters: ReadCounters,
  state: Batcher,
  opts: { batchLines: number; batchChars: number; maxLineLength: number; binaryCheck: boolean },
): AsyncGenerator<string[]> {
  const it = source[Symbol.asyncIterator]();
  // Peek at least two bytes for the gzip magic.
  let head: Buffer = Buffer.alloc(0);
  let ended = false;
  try {
    while (head.length < 2) {
      const r = await it.next();
      if (r.done) {
        ended = true;
        break;
      }
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      counters.bytesRead += chunk.length;
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    }
  } catch (err) {
    throw toInputError(err, name);
  }
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      const v = r.value;
      const chunk = typeof v === 'string' ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      counters.bytesRead += chunk.length;
      yield chunk;
    }
  }
  let bytes: AsyncIterable<Buffer>;
  if (gzip) {
    counters.gzipInputs++;
    const gunzip = createGunzip();
    const src = Readable.from(raw(), { objectMode: false });
    src.on('error', (err) => gunzip.destroy(err));
    src.pipe(gunzip);
    bytes = gunzip;
  } else {
    bytes = raw();
  }

  const decoder = new TextDecoder('utf-8', { fatal: false });
  const { batchLines, batchChars, maxLineLength } = opts;
  // Pieces of the current (unfinished) line; joined once its newline arrives, so long lines stay linear.
  let pending: string[] = [];
  let pendingLength = 0;
  let truncating = false;

  const pushLine = (line: string): boolean => {
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    state.batch.push(line);
    state.chars += line.length + 1;
    counters.lines++;
    return state.batch.length >= batchLines || state.chars >= batchChars;
  };

  const take = (): string[] => {
    const out = state.batch;
    state.batch = [];
    state.chars = 0;
    return out;
  };

  /** Splits `text` into lines, yielding a batch each time one fills up (so batches never overshoot by a chunk). */
  function* feed(text: string): Generator<string[]> {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      let line: string;
      if (pendingLength === 0 && !truncating) {
        line = text.slice(start, nl);
        if (line.length > maxLineLength) {
          line = line.slice(0, maxLineLength);
          counters.truncatedLines++;
        }
      } else {
        const wasTruncating = truncating;
        if (!truncating) pending.push(text.slice(start, nl));
        line = pending.join('');
        if (line.length > maxLineLength) {
          line = line.slice(0, maxLineLength);
          if (!wasTruncating) counters.truncatedLines++;
        }
        pending = [];
        pendingLength = 0;
        truncating = false;
      }
      start = nl + 1;
      if (pushLine(line)) yield take();
    }
    if (start < text.length && !truncating) {
      const rest = text.slice(start);
      pending.push(rest);
      pendingLength += rest.length;
      if (pendingLength > maxLineLength) {
        const cut = pending.join('').slice(0, maxLineLength);
        pending = [cut];
        pendingLength = cut.length;
        truncating = true;
        counters.truncatedLines++;
      }
    }
  }

  // Binary check: hold the first texts until enough is sampled, then decide once.
  let held: string[] | null = opts.binaryCheck ? [] : null;
  let heldLength = 0;
  const checkHeld = (): string[] => {
    const texts = held ?? [];
    held = null;
    const sample = texts.join('').slice(0, BINARY_SAMPLE);
    if (sample.length >= BINARY_MIN_SAMPLE) {
      const f = binaryFraction(sample);
      if (f > BINARY_THRESHOLD) {
        throw new InputError(
          `${name}: binary data, not a text log (${Math.round(f * 100)}% of the first ${Math.round(sample.length / 1024)} KiB are control bytes or invalid UTF-8)`,
        );
      }
    }
    return texts;
  };

  try {
    for await (const chunk of bytes) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length === 0) continue;
      if (held !== null) {
        held.push(text);
        heldLength += text.length;
        if (heldLength < BINARY_SAMPLE) continue;
        for (const t of checkHeld()) yield* feed(t);
        continue;
      }
      yield* feed(text);
    }
  } catch (err) {
    throw toInputError(err, name);
  }
  const tail = decoder.decode();
  if (held !== null) {
    if (tail.length > 0) held.push(tail);
    for (const t of checkHeld()) yield* feed(t);
  } else if (tail.length > 0) yield* feed(tail);
  if (pendingLength > 0 || truncating) {
    const line = pending.join('');
    pending = [];
    pendingLength = 0;
    truncating = false;
    if (pushLine(line)) yield take();
  } else if (state.batch.length >= batchLines || state.chars >= batchChars) {
    yield take();
  }
}

/** Maps a stream / zlib / fs error to an {@link InputError} naming the input. */
function toInputError(err: unknown, name: string): Error {
  if (err instanceof InputError) return err;
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) {
    return new InputError(`${name}: unexpected end of gzip data (the .gz file is truncated)`);
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_STREAM_ERROR') {
    return new InputError(`${name}: corrupt gzip data (${e?.message ?? code})`);
  }
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return new InputError(`${name}: ${describeFsError(err)}`);
  return err instanceof Error ? err : new Error(String(err));
}

function normalizeOptions(options: ReadLinesOptions): { batchLines: number; batchChars: number; maxLineLength: number; binaryCheck: boolean } {
  return {
    binaryCheck: options.binaryCheck !== false,
    batchLines: checkPositive('batchLines', options.batchLines, 4096),
    batchChars: checkPositive('batchChars', options.batchChars, 1 << 20),
    maxLineLength: checkPositive('maxLineLength', options.maxLineLength, 4 << 20),
  };
}

/**
 * Reads lines from files, glob patterns, `.gz` files and stdin (`'-'`, alone or as one entry of the list), in order,
 * as batches (arrays) of lines. Every input is checked before the first batch is yielded, so a missing file fails
 * fast, before any output is written.
 *
 * @param inputs File paths / glob patterns, or `'-'` for stdin.
 * @throws InputError naming the file: missing or unreadable file, directory, glob matching nothing, truncated or
 *   corrupt gzip data.
 * @example
 * ```ts
 * for await (const lines of readLines(['/var/log/auth.log*'])) parser.parseBatch(lines);
 * ```
 */
export async function* readLines(inputs: readonly string[] | '-', options: ReadLinesOptions = {}): AsyncGenerator<string[]> {
  const opts = normalizeOptions(options);
  const counters = options.counters ?? newReadCounters();
  const list = inputs === '-' ? ['-'] : inputs;
  const files = await resolveInputs(list, options.cwd ?? process.cwd());
  let total: number | null = 0;
  for (const f of files) {
    if (f === '-') total = null;
    else if (total !== null) total += (await stat(f)).size;
  }
  counters.totalBytes = total;
  const state: Batcher = { batch: [], chars: 0 };
  for (const file of files) {
    counters.files++;
    counters.current = file;
    if (file === '-') {
      const stdin = options.stdin ?? process.stdin;
      yield* linesOf(stdin, '-', counters, state, opts);
    } else {
      const stream = createReadStream(file, { highWaterMark: options.highWaterMark ?? 256 * 1024 });
      try {
        yield* linesOf(stream, file, counters, state, opts);
      } finally {
        stream.destroy();
      }
    }
  }
  counters.current = null;
  if (state.batch.length > 0) yield state.batch;
}

/**
 * Reads lines from one Node readable (or any async iterable of byte chunks / strings), gzip detected by magic
 * bytes, as batches of lines. Same decoding rules as {@link readLines}.
 *
 * @param options Read options; `options.name` is used in error messages (default `'stream'`).
 */
export async function* readLinesFromStream(
  readable: AsyncIterable<Buffer | Uint8Array | string>,
  options: ReadLinesOptions & { name?: string } = {},
): AsyncGenerator<string[]> {
  const opts = normalizeOptions(options);
  const counters = options.counters ?? newReadCounters();
  counters.totalBytes = null;
  counters.files++;
  const state: Batcher = { batch: [], chars: 0 };
  yield* linesOf(readable, options.name ?? 'stream', counters, state, opts);
  if (state.batch.length > 0) yield state.batch;
}
