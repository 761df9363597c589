/**
 * The extension points of the grammar: {@link Envelope} (how a line is split into time, host, program, pid and
 * message) and {@link MessageGrammar} (how a program's message becomes typed fields), plus the parse options and
 * counters.
 *
 * @module
 */
import type { EnvelopeName, LogRecord } from './record.js';
import type { TimeResolver } from './time.js';
import type { GrammarRegistry } from './registry.js';

export type { TimeResolver } from './time.js';

/**
 * Splits a raw line into envelope fields. `parse` returns `true` when the line is in this envelope's format, after
 * writing `timestamp`, `hostName`, `processName`, `processPid` and `message` into the record (the parser sets
 * `envelope` itself). It returns `false` without touching the record otherwise. It must never throw and must run in
 * time linear in the line length.
 */
export interface Envelope {
  /** Unique name, reported in `record.envelope` and accepted by the `envelope` option. */
  readonly name: EnvelopeName;
  /**
   * Characters a line in this format can start with, used for cheap per-line dispatch in auto mode.
   * Omit it (or give `''`) to be tried on every line, after the envelopes that claim the line's first character.
   */
  readonly firstChars?: string;
  /** Parses `line` into `record`; see the interface description. */
  parse(line: string, record: LogRecord, time: TimeResolver): boolean;
}

/**
 * Turns the message of one program family into typed fields. `parse` returns `true` when it recognised the message
 * (after setting at least `record.action`), `false` otherwise, in which case later grammars are tried. It must never
 * throw and must run in time linear in the message length. Text in messages is attacker-controlled: take addresses
 * from positions the attacker cannot shift (usually the end of the line).
 */
export interface MessageGrammar {
  /** Name for diagnostics. */
  readonly name: string;
  /**
   * Program names (syslog tags) this grammar handles, e.g. {@link SSHD_PROGRAMS}. `null` means "any program":
   * such grammars are tried after the program-specific ones (PAM and auditd lines appear under many programs).
   */
  readonly programs: readonly string[] | null;
  /** Parses `message` into `record`; see the interface description. */
  parse(message: string, record: LogRecord): boolean;
}

/** Options of {@link LineParser}, `parseLine` and `parseLines`. */
export interface ParseOptions {
  /** Year of the first year-less (RFC 3164) timestamp. Default: inferred from the current date. */
  year?: number;
  /** Timezone of timestamps without an offset: `'UTC'` (default), an offset like `'+02:00'`, or an IANA name. */
  timezone?: string;
  /** `'auto'` (default) detects the envelope per line; a name forces that envelope for every line. */
  envelope?: 'auto' | EnvelopeName;
  /** Grammars to use. Default: a shared registry holding the built-ins. */
  registry?: GrammarRegistry;
}

/**
 * Counters of one parse stream. `lines === parsed + unknown`; `malformed` counts lines (parsed or not) whose
 * envelope was not recognised or was damaged, by reason in `malformedByReason`.
 */
export interface ParseCounters {
  /** Lines seen. */
  lines: number;
  /** Lines a message grammar recognised (`action !== 'unknown'`). */
  parsed: number;
  /** Lines no message grammar recognised (still emitted, `action: 'unknown'`). */
  unknown: number;
  /** Lines with `malformed !== null`. */
  malformed: number;
  /** `malformed` split by reason (`no-envelope`, `bad-json`, ...). */
  malformedByReason: Record<string, number>;
  /** Lines per `event.action`. */
  byAction: Record<string, number>;
  /** Lines per envelope name (`none` when no envelope matched). */
  byEnvelope: Record<string, number>;
}
