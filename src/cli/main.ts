/**
 * The dispatcher behind `loginsight <command> [options]`, runnable in-process: {@link runCli} takes argv and a
 * {@link CliIo} and resolves to an exit code. Every error becomes one line `loginsight <cmd>: <message>` on stderr
 * with the exit code scripts can rely on ({@link EXIT}).
 *
 * @module
 */
import { EXIT, type CliCommand, type CliCommandLike, type CliIo } from './command.js';
import { VERSION } from './version.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Print stack traces of internal errors (bin.ts sets it from `LOGINSIGHT_DEBUG`). */
  debug?: boolean;
}

const ISSUES_URL = 'https://github.com/loginsight/loginsight/issues';

/** The top-level help text for a command list. */
export function generalHelp(commands: readonly Pick<CliCommandLike, 'name' | 'summary'>[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `loginsight ${VERSION}: find suspicious logins in Linux auth logs without labels

Usage: loginsight <command> [options] [FILE...]
       loginsight <command> --help     (options and examples of one command)

Commands:
${list}

Inputs are files, globs ('logs/**/auth.log*'), .gz files and stdin ('-').

Examples:
  loginsight parse /var/log/auth.log | head
  loginsight events --format csv -o events.csv /var/log/auth.log*
  loginsight detect /var/log/auth.log*                      (train and score the same logs, in one go)
  loginsight simulate --out sim --seed 7
  loginsight train --out model sim/history.log
  loginsight score --model model sim/test.log > scored.jsonl
  loginsight evaluate --labels sim/labels.csv scored.jsonl

Global options:
  -h, --help      Show help (also after a command)
  -V, --version   Print the version

Exit codes: 0 ok, 1 anomalies found (only with commands that say so), 2 bad usage,
3 bad input or unwritable output, 4 bad model directory, 70 internal error (please report it).`;
}

/** The exit code for an error thrown by a command, by error name. */
export function exitCodeFor(err: unknown): number {
  const name = err instanceof Error ? err.name : '';
  switch (name) {
    case 'UsageError':
      return EXIT.usage;
    case 'InputError':
      return EXIT.input;
    case 'ModelError':
      return EXIT.model;
    default:
      return EXIT.internal;
  }
}

/** One line of text: the first line of the message, control characters made visible. */
export function oneLine(message: string): string {
  const first = message.split(/\r?\n/, 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex
  return first.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** True when argv (before a `--` terminator) asks for help. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** The command behind a registry entry (loading its module), or the command itself. */
export async function loadCommand(c: CliCommandLike): Promise<CliCommand> {
  return 'load' in c ? c.load() : c;
}

/**
 * Runs `loginsight` with `argv` (without the node and script paths) against `io`.
 *
 * @returns The exit code; never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommandLike[], options: RunCliOptions = {}): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(generalHelp(commands) + '\n');
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(generalHelp(commands) + '\n');
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const target = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && target === undefined) {
      io.stderr.write(`loginsight: unknown command '${oneLine(rest[0])}'; commands: ${commands.map((c) => c.name).join(', ')}\n`);
      return EXIT.usage;
    }
    if (target !== undefined) return runCli([target.name, '--help'], io, commands, options);
    io.stdout.write(generalHelp(commands) + '\n');
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === first);
  if (entry === undefined) {
    const what = first.startsWith('-') ? `unknown option '${oneLine(first)}' (a command comes first)` : `unknown command '${oneLine(first)}'`;
    io.stderr.write(`loginsight: ${what}; commands: ${commands.map((c) => c.name).join(', ')} (see loginsight --help)\n`);
    return EXIT.usage;
  }
  try {
    // loading is inside the try: a module that fails to load (a broken install) is reported like any other error
    const command = await loadCommand(entry);
    if (wantsHelp(rest)) {
      io.stdout.write(command.help + '\n');
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (err) {
    const code = exitCodeFor(err);
    const message = err instanceof Error ? err.message : String(err);
    if (code === EXIT.internal) {
      io.stderr.write(
        `loginsight ${entry.name}: internal error: ${oneLine(message)} (this is a bug: please report it at ${ISSUES_URL} with the command line; set LOGINSIGHT_DEBUG=1 for a stack trace)\n`,
      );
      if (options.debug === true && err instanceof Error && err.stack !== undefined) io.stderr.write(err.stack + '\n');
    } else {
      io.stderr.write(`loginsight ${entry.name}: ${oneLine(message)}\n`);
    }
    return code;
  }
}
