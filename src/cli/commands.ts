/**
 * The registry of `loginsight` commands, in the order `loginsight --help` lists them.
 *
 * @module
 */
import type { CliCommand } from './command.js';
import { detectCommand } from './detect.js';
import { eventsCommand } from './events.js';
import { evaluateCommand } from './evaluate.js';
import { parseCommand } from './parse.js';
import { scoreCommand } from './score.js';
import { simulateCommand } from './simulate.js';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';

/** Every command bin.ts dispatches to. */
export const COMMANDS: readonly CliCommand[] = [parseCommand, eventsCommand, simulateCommand, trainCommand, scoreCommand, detectCommand, tuneCommand, evaluateCommand];
