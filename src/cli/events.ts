/**
 * `loginsight events [FILE...|-]`: parse and assemble raw logs into login events (JSON Lines or CSV, ECS keys).
 *
 * @module
 */
import { EventAssembler, resolveAssemblerOptions, type AssemblerCounters, type AssemblerOptions, type LoginEvent } from '../assemble/index.js';
import { LineParser } from '../grammar/index.js';
import { eventEcsColumns, eventToEcs, eventToEcsJson, type EcsObject } from '../io/ecs.js';
import { newReadCounters } from '../io/read-lines.js';
import { JsonLinesWriter, openWriter, type BatchWriter } from '../io/writers.js';
import { choiceOption, durationOption, flagOption, numberOption, parseCommandArgs, type OptionSpecs, type OptionValues } from './args.js';
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
  type OutputSettings,
} from './common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

/** Assembler options as command-line options (shared with the pipeline commands if they want them). */
export const ASSEMBLER_CLI_OPTIONS: OptionSpecs = {
  'reorder-window': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-open': { type: 'string' },
  'emit-no-user': { type: 'boolean' },
  order: { type: 'string' },
};

/** Help text for {@link ASSEMBLER_CLI_OPTIONS}. */
export const ASSEMBLER_HELP = `Assembler options:
  --reorder-window D   How far out of order lines of one host may arrive (default 2s)
  --idle-timeout D     Evict an open session with no line for this long (default 7d)
  --max-open N         Cap on open logins held in memory; the oldest is evicted beyond it (default 200000)
  --emit-no-user       Also emit connections that never named a user (kind ssh_no_user; default: counted only)
  --order O            completion (default: when a login ends) or start (start-time order behind a watermark)
  Durations: 500ms, 30s, 5m, 2h, 7d; a bare number is seconds.`;

/** Reads the assembler options; validates them through the assembler's own validation. */
export function assemblerSettings(values: OptionValues): AssemblerOptions {
  const options: AssemblerOptions = {};
  const reorder = durationOption(values, 'reorder-window', { minMs: 0, maxMs: 86_400_000 });
  if (reorder !== undefined) options.reorderWindowMs = reorder;
  const idle = durationOption(values, 'idle-timeout', { minMs: 1000 });
  if (idle !== undefined) options.idleTimeoutMs = idle;
  const maxOpen = numberOption(values, 'max-open', { integer: true, min: 1, max: 100_000_000 });
  if (maxOpen !== undefined) options.maxOpen = maxOpen;
  if (flagOption(values, 'emit-no-user')) options.emitNoUser = true;
  const order = choiceOption(values, 'order', ['completion', 'start'] as const);
  if (order !== undefined) options.order = order;
  asUsage(() => resolveAssemblerOptions(options));
  return options;
}

const HELP = `Usage: loginsight events [options] [FILE...|-]

Parse and assemble raw auth logs into login events: one record per login (ssh session, failed ssh
connection, sudo, su, console, audit), merging the lines of each login across processes, in bounded
memory. Writes JSON Lines (default) or CSV with ECS keys; a summary of the counters goes to stderr.

${OUTPUT_HELP}

${ASSEMBLER_HELP}

${LOG_INPUT_HELP}

${COMMON_HELP}

Examples:
  loginsight events /var/log/auth.log > events.jsonl
  loginsight events --format csv -o events.csv 'logs/*/secure*'
  zcat auth.log.*.gz | loginsight events --order start --reorder-window 30s -
  loginsight events --emit-no-user --json auth.log > /dev/null     # counters only, as JSON on stderr

Exit codes: 0 ok, 2 bad usage, 3 unreadable input (missing file, truncated .gz) or unwritable output.`;

async function writeEvents(writer: BatchWriter<Readonly<Record<string, unknown>>>, events: readonly LoginEvent[], output: OutputSettings): Promise<void> {
  if (events.length === 0) return;
  if (writer instanceof JsonLinesWriter) {
    const texts = new Array<string>(events.length);
    for (let i = 0; i < events.length; i++) texts[i] = eventToEcsJson(events[i], output.style, output.omitNull);
    await writer.writeSerialized(texts);
    return;
  }
  // CSV: dotted objects with every column
  const out: EcsObject[] = new Array<EcsObject>(events.length);
  for (let i = 0; i < events.length; i++) out[i] = eventToEcs(events[i], 'dotted');
  await writer.write(out);
}

/** Text lines describing assembler counters (used by `events`; reusable by other commands). */
export function describeAssemblerCounters(c: AssemblerCounters): string[] {
  const lines = [
    `  events ${n(c.eventsOut)}: ${topCounts(c.eventsByKind as Record<string, number>)}`,
    `  records ${n(c.recordsIn)}: in events ${n(c.recordsInEvents)}, not logins ${n(c.recordsIgnored)} (${topCounts(c.ignoredByReason as Record<string, number>)})`,
  ];
  const extra: string[] = [];
  if (c.incomplete > 0) extra.push(`incomplete ${n(c.incomplete)}`);
  if (c.evicted > 0) extra.push(`evicted ${n(c.evicted)} (idle ${n(c.evictedByReason.idle)}, cap ${n(c.evictedByReason.cap)}, pid reuse ${n(c.evictedByReason.pidReuse)})`);
  if (c.lateRecords > 0) extra.push(`late lines ${n(c.lateRecords)}`);
  if (c.noUserConnections > 0) extra.push(`connections without user ${n(c.noUserConnections)}`);
  extra.push(`hosts ${n(c.hosts)}, peak open ${n(c.peakOpen)}`);
  lines.push(`  ${extra.join(', ')}`);
  return lines;
}

/** The `events` command. */
export const eventsCommand: CliCommand = {
  name: 'events',
  summary: SUMMARIES.events,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, { ...OUTPUT_OPTIONS, ...LOG_INPUT_OPTIONS, ...ASSEMBLER_CLI_OPTIONS }, true);
    const output = outputSettings(values, io);
    const parseOptions = logInputSettings(values);
    const assemblerOptions = assemblerSettings(values);
    const parser = asUsage(() => new LineParser(parseOptions));
    const assembler = new EventAssembler(assemblerOptions);
    const progress = createProgress(io, flagOption(values, 'quiet'));
    const readCounters = newReadCounters();
    const started = Date.now();
    const writer = await openWriter(output.out ?? io.stdout, output.format, eventEcsColumns());
    try {
      for await (const lines of readWithProgress(inputsOf(positionals, io), io, progress, 'assembling', readCounters)) {
        await writeEvents(writer, assembler.push(parser.parseBatch(lines)), output);
      }
      await writeEvents(writer, assembler.flush(), output);
      await writer.close();
    } catch (err) {
      progress.clear();
      await writer.abort();
      throw err;
    }
    progress.clear();
    const pc = parser.counters;
    const ac = assembler.counters;
    const elapsed = seconds(started);
    const text = [
      `events: ${n(ac.eventsOut)} events from ${n(pc.lines)} lines (${bytes(readCounters.bytesRead)}, ${n(readCounters.files)} input${readCounters.files === 1 ? '' : 's'}) in ${elapsed} s`,
      `  lines: parsed ${n(pc.parsed)}, unknown ${n(pc.unknown)}, malformed ${n(pc.malformed)}`,
      ...describeAssemblerCounters(ac),
    ];
    if (output.out !== null) text.push(`  wrote ${output.out}`);
    printSummary(io, values, text, {
      command: 'events',
      inputs: readCounters.files,
      bytesRead: readCounters.bytesRead,
      elapsedSeconds: elapsed,
      parse: pc,
      assemble: ac,
      output: output.out,
    });
    return EXIT.ok;
  },
};
