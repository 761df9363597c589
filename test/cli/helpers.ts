import { PassThrough, Readable } from 'node:stream';
import type { CliCommand, CliIo } from '../../src/cli/command.js';
import { evaluateCommand } from '../../src/cli/evaluate.js';
import { eventsCommand } from '../../src/cli/events.js';
import { parseCommand } from '../../src/cli/parse.js';
import { simulateCommand } from '../../src/cli/simulate.js';
import { runCli } from '../../src/cli/main.js';

/** Fake process streams for in-process command runs. */
export interface FakeIo extends CliIo {
  out(): string;
  err(): string;
}

export function fakeIo(stdinData: string | Buffer = '', cwd = process.cwd(), tty = false): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  return {
    stdin: Readable.from(stdinData.length === 0 ? [] : [Buffer.from(stdinData)]),
    stdout,
    stderr,
    stderrIsTTY: tty,
    cwd,
    out: () => Buffer.concat(o).toString('utf8'),
    err: () => Buffer.concat(e).toString('utf8'),
  };
}

/** The commands this suite tests (without the pipeline ones, which load tfjs: faster imports). */
export const COMMANDS: readonly CliCommand[] = [parseCommand, eventsCommand, simulateCommand, evaluateCommand];

/** Runs `loginsight ...argv` in-process; returns exit code and captured output. */
export async function run(argv: string[], opts: { stdin?: string | Buffer; cwd?: string; tty?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(opts.stdin ?? '', opts.cwd, opts.tty);
  const code = await runCli(argv, io, COMMANDS);
  await new Promise((r) => setImmediate(r));
  return { code, out: io.out(), err: io.err() };
}
