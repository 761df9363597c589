/**
 * Batch writers for JSON Lines and CSV, over any Writable (stdout) or a file path (written atomically, see
 * {@link AtomicFile}). Writers are batch-oriented (one `write` call per batch, one string per batch for JSON
 * Lines) and backpressure-aware (they await `drain`).
 *
 * @module
 */
import { format as csvFormat, type CsvFormatterStream } from 'fast-csv';
import type { Writable } from 'node:stream';
import { AtomicFile, endStream, waitDrain, writeWithBackpressure } from './atomic.js';

/** A sink of batches. Call {@link BatchWriter.close} on success and {@link BatchWriter.abort} on failure. */
export interface BatchWriter<T> {
  /** Writes one batch; resolves when the destination accepted it (after `drain` if needed). */
  write(batch: readonly T[]): Promise<void>;
  /** Flushes; for a file path, renames the temporary file onto the path. */
  close(): Promise<void>;
  /** Discards a file output (deletes the temporary file); for a stream, just stops. */
  abort(): Promise<void>;
  /** Items written so far. */
  readonly count: number;
}

/** Options shared by the writers. */
export interface WriterOptions {
  /** End the Writable on close (default false: stdout and caller-owned streams stay open). Ignored for paths. */
  end?: boolean;
}

/** A destination: a Writable, or a file path written atomically. */
export type WriteTarget = Writable | string;

async function openTarget(target: WriteTarget): Promise<{ stream: Writable; file: AtomicFile | null }> {
  if (typeof target === 'string') {
    const file = await AtomicFile.open(target);
    return { stream: file.stream, file };
  }
  return { stream: target, file: null };
}

/**
 * Writes objects as JSON Lines (one `JSON.stringify` per item, one write per batch).
 *
 * @example
 * ```ts
 * const out = await JsonLinesWriter.open('events.jsonl');
 * try { for await (const b of events) await out.write(b.map((e) => eventToEcs(e))); await out.close(); }
 * catch (e) { await out.abort(); throw e; }
 * ```
 */
export class JsonLinesWriter<T = unknown> implements BatchWriter<T> {
  private constructor(
    private readonly stream: Writable,
    private readonly file: AtomicFile | null,
    private readonly endOnClose: boolean,
  ) {}

  private written = 0;

  /** Items written so far. */
  get count(): number {
    return this.written;
  }

  /** Opens a writer on a Writable or a file path (atomic). */
  static async open<T = unknown>(target: WriteTarget, options: WriterOptions = {}): Promise<JsonLinesWriter<T>> {
    const { stream, file } = await openTarget(target);
    return new JsonLinesWriter<T>(stream, file, options.end === true);
  }

  /** Writes one batch of JSON-serialisable items. */
  async write(batch: readonly T[]): Promise<void> {
    if (batch.length === 0) return;
    let text = '';
    for (let i = 0; i < batch.length; i++) text += JSON.stringify(batch[i]) + '\n';
    await writeWithBackpressure(this.stream, text);
    this.written += batch.length;
  }

  /**
   * Writes already-serialised JSON texts (one per item, without newline), e.g. from `recordToEcsJson`:
   * the fast path, one write per batch.
   */
  async writeSerialized(jsonTexts: readonly string[]): Promise<void> {
    if (jsonTexts.length === 0) return;
    await writeWithBackpressure(this.stream, jsonTexts.join('\n') + '\n');
    this.written += jsonTexts.length;
  }

  /** Flushes; commits a file output. */
  async close(): Promise<void> {
    if (this.file !== null) await this.file.commit();
    else if (this.endOnClose) await endStream(this.stream);
    else await waitDrain(this.stream);
  }

  /** Deletes a file output's temporary file. */
  async abort(): Promise<void> {
    if (this.file !== null) await this.file.abort();
  }
}

const FULLWIDTH_TRIGGERS = new Set([0xff1d, 0xff0b, 0xff0d, 0xff20]);

/**
 * Makes one value safe as a spreadsheet cell: `null` -> empty, booleans -> `true`/`false`, arrays / objects -> JSON,
 * and any text starting with `=`, `+`, `-`, `@`, TAB, CR or LF (or their full-width forms) gets a leading `'` so
 * spreadsheet programs show it as text instead of evaluating a formula (CSV/formula injection, OWASP).
 * Numbers are written as numbers (a negative number is data, not a formula).
 */
export function csvSafeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'boolean') return value ? 'true' : 'false';
  else if (typeof value === 'bigint') return value.toString();
  else text = JSON.stringify(value) ?? '';
  if (text.length === 0) return text;
  const c = text.charCodeAt(0);
  if (c === 61 /* = */ || c === 43 /* + */ || c === 45 /* - */ || c === 64 /* @ */ || c === 9 || c === 13 || c === 10 || FULLWIDTH_TRIGGERS.has(c)) {
    return `'${text}`;
  }
  return text;
}

/**
 * Writes CSV through fast-csv with a fixed header row of dotted column names. Items are dotted ECS objects
 * (`{"source.ip": ...}`); every cell goes through {@link csvSafeCell} (formula-injection safe).
 */
export class CsvWriter implements BatchWriter<Readonly<Record<string, unknown>>> {
  private written = 0;
  private readonly finished: Promise<void>;

  private constructor(
    /** Column names in order (the header row). */
    readonly columns: readonly string[],
    private readonly csv: CsvFormatterStream<string[], string[]>,
    private readonly dest: Writable,
    private readonly file: AtomicFile | null,
    private readonly endOnClose: boolean,
  ) {
    this.finished = new Promise<void>((res, rej) => {
      csv.once('end', () => res());
      csv.once('error', rej);
      dest.once('error', rej);
    });
    this.finished.catch(() => undefined);
  }

  /** Items written so far. */
  get count(): number {
    return this.written;
  }

  /** Opens a CSV writer; the header row is written even when no rows follow. */
  static async open(target: WriteTarget, columns: readonly string[], options: WriterOptions = {}): Promise<CsvWriter> {
    if (columns.length === 0) throw new Error('CsvWriter: columns must not be empty');
    const { stream, file } = await openTarget(target);
    const csv = csvFormat<string[], string[]>({ headers: [...columns], alwaysWriteHeaders: true, includeEndRowDelimiter: true });
    csv.pipe(stream, { end: false });
    return new CsvWriter(columns, csv, stream, file, options.end === true);
  }

  /** Writes one batch of dotted ECS objects (missing columns are empty cells). */
  async write(batch: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    const cols = this.columns;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      const row = new Array<string>(cols.length);
      for (let j = 0; j < cols.length; j++) row[j] = csvSafeCell(item[cols[j]]);
      if (!this.csv.write(row)) await waitDrain(this.csv);
    }
    // Let the destination drain too, so memory stays bounded when the consumer is slow.
    await waitDrain(this.dest);
    this.written += batch.length;
  }

  /** Flushes the CSV stream; commits a file output. */
  async close(): Promise<void> {
    this.csv.end();
    await this.finished;
    if (this.file !== null) await this.file.commit();
    else if (this.endOnClose) await endStream(this.dest);
    else await waitDrain(this.dest);
  }

  /** Stops and deletes a file output's temporary file. */
  async abort(): Promise<void> {
    this.csv.unpipe(this.dest);
    this.csv.destroy();
    if (this.file !== null) await this.file.abort();
  }
}

/** Output formats of the data-writing commands. */
export type OutputFormat = 'jsonl' | 'csv';

/**
 * Opens a JSON Lines or CSV writer for ECS objects. CSV needs `columns` (dotted names, in order) and dotted
 * objects; JSON Lines writes the objects as given (dotted or nested).
 */
export async function openWriter(
  target: WriteTarget,
  format: OutputFormat,
  columns: readonly string[],
  options: WriterOptions = {},
): Promise<BatchWriter<Readonly<Record<string, unknown>>>> {
  if (format === 'csv') return CsvWriter.open(target, columns, options);
  if (format === 'jsonl') return JsonLinesWriter.open<Readonly<Record<string, unknown>>>(target, options);
  throw new Error(`unknown output format ${String(format)}: allowed are jsonl, csv`);
}
