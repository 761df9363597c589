/**
 * The shape every CLI command shares. `bin.ts` dispatches `loginsight <name> ...` to the command with that name.
 * Commands never call `process.exit` themselves: they return an exit code, so tests can run them in-process.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';

/** Exit codes scripts can rely on. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The job ran and found anomalies (only where a command documents it, e.g. `detect --fail-on-anomaly`). */
  findings: 1,
  /** Bad usage: unknown command or option, invalid option value. */
  usage: 2,
  /** Bad input: unreadable file, truncated .gz, empty input, binary garbage. */
  input: 3,
  /** Bad model directory: missing, tampered, or from an incompatible version. */
  model: 4,
  /** Unexpected internal error (a bug: please report it). */
  internal: 70,
} as const;

/** Streams and environment a command runs against (the process's own, or test doubles). */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  stderrIsTTY: boolean;
  /** Working directory for relative paths. */
  cwd: string;
}

/** One `loginsight <name>` command. */
export interface CliCommand {
  /** The word after `loginsight`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text, with examples. */
  help: string;
  /** Runs the command; resolves to an exit code from {@link EXIT}. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/**
 * A registry entry that loads its command on first use, so `loginsight parse` does not load the modules (tfjs) of
 * `loginsight train`. {@link runCli} accepts entries and loaded commands alike.
 */
export interface CliCommandEntry {
  /** The word after `loginsight`. */
  name: string;
  /** One line for the command list (the loaded command's `summary` is the same text). */
  summary: string;
  /** Loads the command's module. */
  load(): Promise<CliCommand>;
}

/** What {@link runCli} dispatches to: a loaded command or an entry that loads one. */
export type CliCommandLike = CliCommand | CliCommandEntry;

/** A usage error: the message names the option and what is allowed. bin.ts prints it and exits with EXIT.usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An input error (unreadable file, truncated gzip, ...). bin.ts prints it and exits with EXIT.input. */
export class InputError extends Error {
  override name = 'InputError';
}
