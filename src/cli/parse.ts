/**
 * `loginsight parse [FILE...|-]`: one ECS JSON object (or CSV row) per input line, in input order.
 *
 * @module
 */
import { LineParser, type ParseCounters } from '../grammar/index.js';
import { recordEcsColumns, recordToEcs, recordToEcsJson, type EcsObject } from '../io/ecs.js';
import { newReadCounters } from '../io/read-lines.js';
import { JsonLinesWriter, openWriter } from '../io/writers.js';
import { flagOption, parseCommandArgs } from './args.js';
import { EXIT, type CliCommand, type CliIo } from './command.js';
import {
  COMMON_HELP,
  LOG_INPUT_HELP,
  LOG_INPUT_OPTIONS,
  OUTPUT_HELP,
  OUTPUT_OPTIONS,
  asUsage,
  bytes,
  inputsOf,
  logInputSettings,
  n,
  outputSettings,
  printSummary,
  readWithProgress,
  seconds,
  topCounts,
  warn,
} from './common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight parse [options] [FILE...|-]

Parse raw auth-log lines into ECS records: exactly one JSON object per input line, in input order
(lines no grammar knows come out with event.action "unknown"; nothing is dropped). Reads files, globs
('logs/**/auth.log*'), .gz files (detected by content) and stdin ('-' or no FILE). A summary of the
counters goes to stderr.

${OUTPUT_HELP}

${LOG_INPUT_HELP}

${COMMON_HELP}

Examples:
  loginsight parse /var/log/auth.log | jq -c 'select(.["event.action"] == "ssh_login")'
  loginsight parse --nested --year 2025 --timezone Europe/Berlin 'archive/auth.log*.gz' -o records.jsonl
  journalctl -o json -u ssh | loginsight parse --envelope journald-json -
  loginsight parse --format csv --out records.csv secure secure.1

Exit codes: 0 ok, 2 bad usage, 3 unreadable input (missing file, truncated .gz) or unwritable output.`;

/** The `parse` command. */
export const parseCommand: CliCommand = {
  name: 'parse',
  summary: SUMMARIES.parse,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, { ...OUTPUT_OPTIONS, ...LOG_INPUT_OPTIONS }, true);
    const output = outputSettings(values, io);
    const parseOptions = logInputSettings(values);
    const parser = asUsage(() => new LineParser(parseOptions));
    const progress = createProgress(io, flagOption(values, 'quiet'));
    const readCounters = newReadCounters();
    const started = Date.now();
    const target = output.out ?? io.stdout;
    // JSON Lines takes the compiled serialiser (no intermediate objects).
    const fast = output.format === 'jsonl' ? await JsonLinesWriter.open(target) : null;
    const writer = fast ?? (await openWriter(target, output.format, recordEcsColumns()));
    try {
      for await (const lines of readWithProgress(inputsOf(positionals, io), io, progress, 'parsing', readCounters)) {
        const records = parser.parseBatch(lines);
        if (fast !== null) {
          const texts = new Array<string>(records.length);
          for (let i = 0; i < records.length; i++) texts[i] = recordToEcsJson(records[i], output.style, output.omitNull);
          await fast.writeSerialized(texts);
          continue;
        }
        const out: EcsObject[] = new Array<EcsObject>(records.length);
        for (let i = 0; i < records.length; i++) out[i] = recordToEcs(records[i], 'dotted');
        await writer.write(out);
      }
      await writer.close();
    } catch (err) {
      progress.clear();
      await writer.abort();
      throw err;
    }
    progress.clear();
    const c: ParseCounters = parser.counters;
    const elapsed = seconds(started);
    const text = [
      `parse: ${n(c.lines)} lines from ${n(readCounters.files)} input${readCounters.files === 1 ? '' : 's'} (${bytes(readCounters.bytesRead)}) in ${elapsed} s` +
        (elapsed > 0 ? ` (${n(c.lines / elapsed)} lines/s)` : ''),
      `  parsed ${n(c.parsed)}, unknown ${n(c.unknown)}, malformed ${n(c.malformed)}` +
        (c.malformed > 0 ? ` (${topCounts(c.malformedByReason)})` : ''),
      `  actions: ${topCounts(c.byAction)}`,
      `  envelopes: ${topCounts(c.byEnvelope)}`,
    ];
    if (readCounters.truncatedLines > 0) text.push(`  over-long lines cut: ${n(readCounters.truncatedLines)}`);
    if (output.out !== null) text.push(`  wrote ${output.out}`);
    printSummary(io, values, text, {
      command: 'parse',
      inputs: readCounters.files,
      bytesRead: readCounters.bytesRead,
      truncatedLines: readCounters.truncatedLines,
      elapsedSeconds: elapsed,
      counters: c,
      output: output.out,
    });
    if (c.lines >= 100 && c.malformed / c.lines > 0.5) {
      warn(io, values, 'parse', `${Math.round((100 * c.malformed) / c.lines)}% of lines are malformed: is this a log file, and is --envelope right?`);
    }
    return EXIT.ok;
  },
};
