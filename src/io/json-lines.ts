/**
 * Reading JSON Lines (our own outputs: records, events, scored events) from files, globs, `.gz` and stdin.
 *
 * @module
 */
import { InputError } from '../cli/command.js';
import { resolveInputs } from './glob.js';
import { newReadCounters, readLines, type ReadLinesOptions } from './read-lines.js';

/** Options of {@link readJsonLines}. */
export interface ReadJsonLinesOptions extends ReadLinesOptions {
  /** Skip lines that are not a JSON object (counted in `skipped`) instead of failing (default false). */
  lenient?: boolean;
  /** Filled in while reading: JSON objects yielded and lines skipped (blank lines are always skipped silently). */
  stats?: { objects: number; skipped: number };
}

/**
 * Reads JSON Lines as batches of objects. Blank lines are ignored.
 *
 * @throws InputError `scored.jsonl:17: not a JSON object (Unexpected token ...)` unless `lenient`.
 */
export async function* readJsonLines(inputs: readonly string[] | '-', options: ReadJsonLinesOptions = {}): AsyncGenerator<Record<string, unknown>[]> {
  const files = await resolveInputs(inputs === '-' ? ['-'] : inputs, options.cwd ?? process.cwd());
  const stats = options.stats ?? { objects: 0, skipped: 0 };
  const counters = options.counters ?? newReadCounters();
  for (const file of files) {
    let lineNo = 0;
    for await (const lines of readLines([file], { ...options, counters })) {
      const out: Record<string, unknown>[] = [];
      for (const line of lines) {
        lineNo++;
        if (line.trim() === '') continue;
        let value: unknown;
        let problem: string | null = null;
        try {
          value = JSON.parse(line);
          if (value === null || typeof value !== 'object' || Array.isArray(value)) problem = 'not a JSON object';
        } catch (err) {
          problem = `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
        }
        if (problem !== null) {
          if (options.lenient === true) {
            stats.skipped++;
            continue;
          }
          throw new InputError(`${file}:${lineNo}: ${problem}`);
        }
        stats.objects++;
        out.push(value as Record<string, unknown>);
      }
      if (out.length > 0) yield out;
    }
  }
}
