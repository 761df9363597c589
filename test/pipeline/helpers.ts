import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/command.js';
import { resolveSimulateOptions, type SimulateOptions } from '../../src/simulate/index.js';

/** A small organisation: simulates in well under a second, trains in a few seconds. */
export const SMALL_SIM: SimulateOptions = { seed: 11, hosts: 10, users: 24, historyDays: 4, testDays: 2 };

/** Year of the simulation's RFC 3164 timestamps (which print no year). */
export function simYear(o: SimulateOptions): number {
  return new Date(resolveSimulateOptions(o).start).getUTCFullYear();
}

/** Fast training settings for tests. */
export const FAST = { epochs: 4, seed: 5, backend: 'cpu' } as const;

/** A CliIo whose stdout/stderr are collected. */
export function fakeIo(cwd: string): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdin: Readable.from([]),
    stdout,
    stderr,
    stderrIsTTY: false,
    cwd,
    out: () => out,
    err: () => err,
  };
}
