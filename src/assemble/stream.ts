/**
 * The stream form of the assembler: batches of records in, batches of events out.
 *
 * @module
 */
import type { LogRecord } from '../grammar/record.js';
import { EventAssembler } from './assembler.js';
import type { LoginEvent } from './event.js';
import type { AssemblerOptions } from './options.js';

/** Options of {@link assembleEvents}: assembler options, or an existing assembler (to read its counters afterwards). */
export interface AssembleEventsOptions extends AssemblerOptions {
  /** Use this assembler instead of creating one (its own options apply; the other fields are ignored). */
  assembler?: EventAssembler;
}

/**
 * Assemble a stream of record batches into a stream of event batches (empty batches are not yielded). The input
 * is consumed lazily; at its end the assembler is flushed.
 */
export async function* assembleEvents(
  source: AsyncIterable<readonly LogRecord[]> | Iterable<readonly LogRecord[]>,
  options?: AssembleEventsOptions,
): AsyncIterable<LoginEvent[]> {
  const asm = options?.assembler ?? new EventAssembler(options);
  for await (const batch of source) {
    const events = asm.push(batch);
    if (events.length > 0) yield events;
  }
  const rest = asm.flush();
  if (rest.length > 0) yield rest;
}
