/**
 * Pieces shared by the commands: the log-input options (`--year`, `--timezone`, `--envelope`), the output options
 * (`--out`, `--format`, `--nested` / `--dotted`), reading inputs with progress, and printing summaries.
 *
 * @module
 */
import { resolve } from 'node:path';
import type { EcsStyle } from '../io/ecs.js';
import type { OutputFormat } from '../io/writers.js';
import { newReadCounters, readLines, type ReadCounters } from '../io/read-lines.js';
import { BUILTIN_ENVELOPES, type ParseOptions } from '../grammar/index.js';
import { choiceOption, exclusive, flagOption, numberOption, stringOption, type OptionSpecs, type OptionValues } from './args.js';
import { UsageError, type CliIo } from './command.js';
import type { Progress } from './progress.js';
import { wrapWords } from '../report/format.js';

/** Values accepted by `--envelope`: `auto` and the built-in envelopes. */
export const ENVELOPE_NAMES: readonly string[] = ['auto', ...BUILTIN_ENVELOPES.map((e) => e.name)];

/** Options of commands that read raw logs. */
export const LOG_INPUT_OPTIONS: OptionSpecs = {
  year: { type: 'string' },
  timezone: { type: 'string' },
  envelope: { type: 'string' },
};

/** Help text lines for {@link LOG_INPUT_OPTIONS}. */
export const LOG_INPUT_HELP = `Log input options:
  --year N             Year of year-less syslog timestamps (default: the current year; a stream crossing
                       New Year rolls over, it never jumps back)
  --timezone TZ        Zone of timestamps without one: UTC (default), an IANA name (Europe/Berlin) or +02:00
  --envelope NAME      Force one line envelope instead of per-line auto-detection:
${wrapWords(ENVELOPE_NAMES.join(', '), 100 - 23, '').map((l) => ' '.repeat(23) + l).join('\n')}`;

/** Options of commands that write records or events. */
export const OUTPUT_OPTIONS: OptionSpecs = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  nested: { type: 'boolean' },
  dotted: { type: 'boolean' },
  'omit-null': { type: 'boolean' },
};

/** Help text lines for {@link OUTPUT_OPTIONS}. */
export const OUTPUT_HELP = `Output options:
  -o, --out FILE       Write to FILE instead of stdout (atomically: FILE appears only when complete)
  --format F           jsonl (default) or csv (dotted column names, safe to open in a spreadsheet)
  --dotted             JSON keys as dotted ECS names: {"source.ip": ...} (default)
  --nested             JSON keys as nested ECS objects: {"source": {"ip": ...}}
  --omit-null          Leave out fields that are null (JSON Lines only)`;

/** Help text lines for the options every command has. */
export const COMMON_HELP = `Common options:
  -q, --quiet          No progress line and no text summary on stderr
  --json               Print the summary as one JSON object (machine-readable)
  -h, --help           Show this help`;

/** Resolved output options. */
export interface OutputSettings {
  /** File path, or null for stdout. */
  out: string | null;
  format: OutputFormat;
  style: EcsStyle;
  omitNull: boolean;
}

/** Reads `--out`, `--format`, `--nested`, `--dotted`, `--omit-null`. */
export function outputSettings(values: OptionValues, io: CliIo): OutputSettings {
  exclusive(values, 'nested', 'dotted');
  const format = choiceOption(values, 'format', ['jsonl', 'csv'] as const, 'jsonl');
  const nested = flagOption(values, 'nested');
  if (format === 'csv' && nested) throw new UsageError('--nested applies to JSON Lines only; CSV columns are always dotted');
  const out = stringOption(values, 'out');
  if (out === '') throw new UsageError('--out needs a file name');
  return {
    out: out === undefined || out === '-' ? null : resolvePath(io, out),
    format,
    style: nested ? 'nested' : 'dotted',
    omitNull: flagOption(values, 'omit-null'),
  };
}

/** Resolves a path against the command's working directory. */
export function resolvePath(io: CliIo, p: string): string {
  return resolve(io.cwd, p);
}

const OFFSET_RE = /^[+-](?:[01]\d|2[0-3]):?[0-5]\d$/;

/** Reads `--year`, `--timezone`, `--envelope` into grammar {@link ParseOptions}; validates year and zone. */
export function logInputSettings(values: OptionValues): ParseOptions {
  const options: ParseOptions = {};
  const year = numberOption(values, 'year', { integer: true, min: 1970, max: 9999 });
  if (year !== undefined) options.year = year;
  const tz = stringOption(values, 'timezone');
  if (tz !== undefined) {
    if (!isValidTimezone(tz)) {
      throw new UsageError(`--timezone must be UTC, an IANA zone name such as Europe/Berlin, or an offset such as +02:00, got ${JSON.stringify(tz)}`);
    }
    options.timezone = tz;
  }
  const envelope = stringOption(values, 'envelope');
  if (envelope !== undefined) {
    if (!ENVELOPE_NAMES.includes(envelope)) throw new UsageError(`--envelope must be one of ${ENVELOPE_NAMES.join(', ')}, got ${JSON.stringify(envelope)}`);
    options.envelope = envelope;
  }
  return options;
}

/** True for `UTC`, `Z`, `+02:00`-style offsets and IANA zone names known to this Node. */
export function isValidTimezone(tz: string): boolean {
  if (tz === 'UTC' || tz === 'Z' || OFFSET_RE.test(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` and turns an Error thrown by a library's option validation into a {@link UsageError} (exit 2)
 * with the library's message (which names the option and what is allowed).
 */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && err.name === 'Error') throw new UsageError(err.message);
    throw err;
  }
}

/**
 * The file arguments: none means stdin, unless stdin is a terminal (then nobody is piping logs in and waiting
 * would look like a hang).
 *
 * @throws UsageError when no FILE is given and stdin is a terminal.
 */
export function inputsOf(positionals: readonly string[], io: CliIo): string[] {
  if (positionals.length > 0) return [...positionals];
  if ((io.stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError('no input: give FILE... (or - for stdin) or pipe logs in; see --help');
  }
  return ['-'];
}

/**
 * Reads the inputs as batches of lines, updating the progress line with lines, percentage of bytes and the
 * current file.
 */
export async function* readWithProgress(
  inputs: readonly string[],
  io: CliIo,
  progress: Progress,
  label: string,
  counters: ReadCounters = newReadCounters(),
): AsyncGenerator<string[]> {
  for await (const batch of readLines(inputs, { stdin: io.stdin, cwd: io.cwd, counters })) {
    if (progress.enabled) {
      const total = counters.totalBytes;
      progress.update({
        label,
        done: counters.lines,
        unit: 'lines',
        fraction: total !== null && total > 0 ? counters.bytesRead / total : null,
        detail: counters.current === null || counters.current === '-' ? undefined : shortName(counters.current),
      });
    }
    yield batch;
  }
}

function shortName(p: string): string {
  const i = p.lastIndexOf('/');
  // file names may hold terminal escape sequences: show control characters as '?'
  // eslint-disable-next-line no-control-regex
  return (i >= 0 ? p.slice(i + 1) : p).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Formats a count with thousands separators. */
export function n(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Formats a byte count (`12.3 MB`). */
export function bytes(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} GB`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} MB`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} kB`;
  return `${x} B`;
}

/** `a 3, b 2` from a count table, largest first, at most `limit` entries (`+N more`). */
export function topCounts(table: Readonly<Record<string, number>>, limit = 8): string {
  const entries = Object.entries(table)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return 'none';
  const shown = entries.slice(0, limit).map(([k, v]) => `${k} ${n(v)}`);
  if (entries.length > limit) shown.push(`+${entries.length - limit} more`);
  return shown.join(', ');
}

/**
 * Prints a command's summary on stderr: `lines` as text unless `--quiet`, or `data` as one JSON line with `--json`
 * (printed even with `--quiet`, since it was asked for).
 */
export function printSummary(io: CliIo, values: OptionValues, lines: readonly string[], data: unknown): void {
  if (flagOption(values, 'json')) io.stderr.write(JSON.stringify(data) + '\n');
  else if (!flagOption(values, 'quiet')) io.stderr.write(lines.join('\n') + '\n');
}

/** A small warning on stderr (suppressed by `--quiet` and `--json`). */
export function warn(io: CliIo, values: OptionValues, command: string, message: string): void {
  if (!flagOption(values, 'quiet') && !flagOption(values, 'json')) io.stderr.write(`loginsight ${command}: warning: ${message}\n`);
}

/** Elapsed seconds since `start` (ms), rounded for summaries. */
export function seconds(start: number): number {
  return Math.round((Date.now() - start) / 10) / 100;
}
