/**
 * The registry of `loginsight` commands, in the order `loginsight --help` lists them. Each entry loads its command
 * module on first use (the CLI bundle is split per command), so a command starts without loading the others:
 * `parse`, `events`, `simulate` and `evaluate` never load tfjs.
 *
 * @module
 */
import type { CliCommand, CliCommandEntry } from './command.js';
import { SUMMARIES, type CommandName } from './summaries.js';

function entry(name: CommandName, load: () => Promise<CliCommand>): CliCommandEntry {
  return { name, summary: SUMMARIES[name], load };
}

/** Every command bin.ts dispatches to. */
export const COMMANDS: readonly CliCommandEntry[] = [
  entry('parse', async () => (await import('./parse.js')).parseCommand),
  entry('events', async () => (await import('./events.js')).eventsCommand),
  entry('simulate', async () => (await import('./simulate.js')).simulateCommand),
  entry('train', async () => (await import('./train.js')).trainCommand),
  entry('score', async () => (await import('./score.js')).scoreCommand),
  entry('detect', async () => (await import('./detect.js')).detectCommand),
  entry('tune', async () => (await import('./tune.js')).tuneCommand),
  entry('evaluate', async () => (await import('./evaluate.js')).evaluateCommand),
];
