/**
 * Behavioural state carried across scoring runs (`score({ stateDir })`, `loginsight score --state DIR`).
 *
 * A daily job scores each new day's logs with the same model. Without a state directory every run starts from the
 * end of the training history, so a host a user first used yesterday is "new" again today, and "days since last
 * seen" keeps counting from the end of training; and a session open at the end of a day's file comes out as an
 * `open` event, its end in the next file as an orphan. With one, a run starts from the behavioural state and the
 * open logins (an assembler checkpoint) the previous run ended with, and saves its own for the next run (written
 * atomically, only after the run succeeded).
 *
 * The file records which model it belongs to (a fingerprint of the model's calibration and columns): a state from
 * another model is refused, not silently mixed in. It also records the time range already scored, so a run whose
 * input starts before that range ends (the same day scored twice) is reported: those events count twice in the
 * behavioural history.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssemblerCheckpoint } from '../assemble/index.js';
import { FeatureEncoder, type EncoderState } from '../features/index.js';
import { InputError } from '../cli/command.js';
import { writeFileAtomic } from '../io/atomic.js';
import { describeFsError } from '../io/glob.js';
import { ModelDirError } from './load.js';
import type { TrainedModel } from './types.js';

/** The state file inside a state directory. */
export const SCORING_STATE_FILE = 'scoring-state.json';
/** The lock file that keeps two runs from using one state directory at the same time. */
export const SCORING_STATE_LOCK = 'scoring-state.lock';

/** `format` of the state file. */
export const SCORING_STATE_FORMAT = 'loginsight-scoring-state';
/** Version of the state file this library reads and writes. */
export const SCORING_STATE_VERSION = 1;

/** The saved state of a scoring run (JSON). */
export interface ScoringStateFile {
  format: typeof SCORING_STATE_FORMAT;
  version: typeof SCORING_STATE_VERSION;
  /** Fingerprint of the model the state belongs to ({@link modelFingerprint}). */
  model: string;
  /** When the state was saved (ISO 8601). */
  savedAt: string;
  /** Runs that have contributed to this state. */
  runs: number;
  /** Events scored in those runs. */
  events: number;
  /** Earliest and latest event start time scored in those runs (epoch ms), null before any event. */
  firstEventTime: number | null;
  lastEventTime: number | null;
  /** The encoder's state (scaling and behavioural history). */
  encoder: EncoderState;
  /** The assembler's open logins at the end of the run (continued by the next run), or null. */
  assembler: AssemblerCheckpoint | null;
}

/**
 * Fingerprint of a trained model for state files: SHA-256 of the scorer's learnt calibration and the feature
 * columns, which differ between any two training runs (and do not change while scoring).
 */
export function modelFingerprint(trained: Pick<TrainedModel, 'scorer' | 'encoder'>): string {
  const h = createHash('sha256');
  // the learnt calibration only: counters move while scoring, and the threshold rule may be overridden per run
  const { calibration, groupCalibration, columnStats, metric, weights } = trained.scorer.toJSON();
  h.update(JSON.stringify({ calibration, groupCalibration, columnStats, metric, weights }));
  h.update('\n');
  h.update(JSON.stringify(trained.encoder.columns));
  return h.digest('hex');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nullableTime(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * Reads the state file of `dir`: `null` when the directory or file does not exist yet (first run).
 * @throws ModelDirError (exit code 4 in the CLI) naming the file when it is unreadable, malformed, of another
 * version, or belongs to another model.
 */
export async function readScoringState(dir: string, fingerprint: string): Promise<ScoringStateFile | null> {
  const path = join(dir, SCORING_STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw new ModelDirError(`state file ${path}: cannot read it (${(err as Error).message})`);
  }
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    throw new ModelDirError(`state file ${path}: not valid JSON (truncated or edited?)`);
  }
  if (!isObject(s) || s.format !== SCORING_STATE_FORMAT) throw new ModelDirError(`state file ${path}: not a loginsight scoring state`);
  if (s.version !== SCORING_STATE_VERSION) {
    throw new ModelDirError(`state file ${path}: version ${String(s.version)} is not supported (this version reads ${SCORING_STATE_VERSION})`);
  }
  if (s.model !== fingerprint) {
    throw new ModelDirError(
      `state file ${path}: it belongs to another model (a state directory follows one model; start a new one for a retrained model)`,
    );
  }
  if (
    typeof s.runs !== 'number' ||
    typeof s.events !== 'number' ||
    typeof s.savedAt !== 'string' ||
    !nullableTime(s.firstEventTime) ||
    !nullableTime(s.lastEventTime) ||
    !isObject(s.encoder) ||
    !(s.assembler === null || isObject(s.assembler))
  ) {
    throw new ModelDirError(`state file ${path}: fields missing or of the wrong type`);
  }
  return s as unknown as ScoringStateFile;
}

/** Restores the encoder of a state file (custom feature functions passed again). @throws ModelDirError */
export function encoderFromState(state: ScoringStateFile, dir: string, custom: TrainedModel['customFeatures']): FeatureEncoder {
  try {
    return FeatureEncoder.fromJSON(state.encoder, { custom });
  } catch (err) {
    throw new ModelDirError(`state file ${join(dir, SCORING_STATE_FILE)}: encoder state: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Writes the state file of `dir` atomically (creating the directory). */
export async function writeScoringState(dir: string, state: ScoringStateFile): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, SCORING_STATE_FILE), JSON.stringify(state));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Takes the state directory's lock (creating the directory): a second run on the same directory, in this process or
 * another, is refused while the first holds it; a lock left by a process that no longer runs is taken over.
 * Returns the release function (safe to call twice).
 * @throws InputError (CLI exit 3) naming the directory and the process that holds it.
 */
export async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, SCORING_STATE_LOCK);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError(`state directory ${dir}: ${describeFsError(err)}`);
  }
  // the lock appears with its content in one step: written to a private name, then hard-linked to the lock name
  // (link fails when the lock exists), so a competing run never reads a half-written pid
  const mine = join(dir, `${SCORING_STATE_LOCK}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(mine, String(process.pid));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(mine, path);
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        };
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST') throw new InputError(`state directory ${dir}: cannot create ${SCORING_STATE_LOCK} (${describeFsError(err)})`);
        const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
          throw new InputError(`state directory ${dir} is in use by another scoring run (pid ${pid}); runs on one state directory must take turns`);
        }
        await rm(path, { force: true }); // left by a run that died: take it over
      }
    }
    throw new InputError(`state directory ${dir}: could not take its lock`);
  } finally {
    await rm(mine, { force: true });
  }
}
