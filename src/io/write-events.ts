/**
 * One call to write a stream of login events (or records) as JSON Lines or CSV with ECS keys.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import type { LogRecord } from '../grammar/record.js';
import { eventEcsColumns, eventToEcs, eventToEcsJson, recordEcsColumns, recordToEcs, recordToEcsJson, type EcsObject, type EcsStyle } from './ecs.js';
import { CsvWriter, JsonLinesWriter, type OutputFormat, type WriteTarget, type WriterOptions } from './writers.js';

/** Options of {@link writeEvents} and {@link writeRecords}. */
export interface WriteEcsOptions extends WriterOptions {
  /** `jsonl` (default) or `csv` (dotted columns, formula-injection safe). */
  format?: OutputFormat;
  /** JSON key layout (default `dotted`; CSV is always dotted). */
  style?: EcsStyle;
  /** Leave out null fields (JSON Lines only). */
  omitNull?: boolean;
}

async function writeAll<T>(
  source: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  target: WriteTarget,
  options: WriteEcsOptions,
  columns: readonly string[],
  toJson: (item: T, style: EcsStyle, omitNull: boolean) => string,
  toObject: (item: T, style: EcsStyle, omitNull: boolean) => EcsObject,
): Promise<number> {
  const format = options.format ?? 'jsonl';
  const style = format === 'csv' ? 'dotted' : (options.style ?? 'dotted');
  const omitNull = format === 'jsonl' && options.omitNull === true;
  if (format !== 'jsonl' && format !== 'csv') throw new Error(`writeEvents: option format must be 'jsonl' or 'csv', got ${String(format)}`);
  const writer = format === 'csv' ? await CsvWriter.open(target, columns, options) : await JsonLinesWriter.open<EcsObject>(target, options);
  try {
    for await (const batch of source) {
      if (batch.length === 0) continue;
      if (writer instanceof JsonLinesWriter) await writer.writeSerialized(batch.map((x) => toJson(x, style, omitNull)));
      else await writer.write(batch.map((x) => toObject(x, style, omitNull)));
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.count;
}

/**
 * Writes batches of events to a stream or a file path (atomically) as ECS JSON Lines or CSV; resolves to the
 * number of events written. On error a file output is removed and the error rethrown.
 *
 * @example
 * ```ts
 * await writeEvents(assembleEvents(parseLines(readLines(['auth.log']))), 'events.csv', { format: 'csv' });
 * ```
 */
export function writeEvents(source: AsyncIterable<readonly LoginEvent[]> | Iterable<readonly LoginEvent[]>, target: WriteTarget, options: WriteEcsOptions = {}): Promise<number> {
  return writeAll(source, target, options, eventEcsColumns(), eventToEcsJson, (e, style, omitNull) => eventToEcs(e, style, { omitNull }));
}

/** Like {@link writeEvents}, for parsed records (one output row per record). */
export function writeRecords(source: AsyncIterable<readonly LogRecord[]> | Iterable<readonly LogRecord[]>, target: WriteTarget, options: WriteEcsOptions = {}): Promise<number> {
  return writeAll(source, target, options, recordEcsColumns(), recordToEcsJson, (r, style, omitNull) => recordToEcs(r, style, { omitNull }));
}
