/**
 * Pieces shared by the pipeline commands (`train`, `score`, `detect`, `tune`): model options, progress wiring,
 * and the mapping of pipeline errors to exit codes.
 *
 * @module
 */
import { Autoencoder, type AutoencoderOptions } from '../model/index.js';
import type { PipelineProgress } from '../pipeline/types.js';
import { ModelDirError } from '../pipeline/load.js';
import { choiceOption, numberOption, stringOption, type OptionSpecs, type OptionValues } from './args.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, InputError, UsageError, type CliIo } from './command.js';
import type { Progress } from './progress.js';
import { asUsage } from './common.js';

/** Options of commands that train a model. */
export const MODEL_OPTIONS: OptionSpecs = {
  config: { type: 'string' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  epochs: { type: 'string' },
  hidden: { type: 'string' },
  bottleneck: { type: 'string' },
  'learning-rate': { type: 'string' },
  'batch-size': { type: 'string' },
  activation: { type: 'string' },
};

/** Help text for {@link MODEL_OPTIONS}. */
export const MODEL_HELP = `Model options:
  --config FILE        Model settings from 'loginsight tune' (tune-best.json); flags below override it
  --backend B          tfjs backend: auto (default: tensorflow if @tensorflow/tfjs-node is installed,
                       else wasm), cpu, wasm, tensorflow
  --seed N             Seed for weights and shuffling (same seed + backend = same model)
  --epochs N           Training epochs (default 10; early stopping on a 10% validation split)
  --hidden W[,W...]    Encoder hidden layer widths, e.g. 32 or 64,32 (default: half the feature width)
  --activation A       Hidden activation: tanh (default), relu, elu, selu, sigmoid, linear
  --bottleneck N       Bottleneck width (default: sqrt of the feature width)
  --learning-rate X    Adam learning rate (default 0.001)
  --batch-size N       Rows per training batch (default 256)`;

/** Backends accepted by `--backend`. */
export const BACKENDS = ['auto', 'cpu', 'wasm', 'tensorflow'] as const;

/** Model settings from {@link MODEL_OPTIONS}. */
export interface ModelSettings {
  backend: string;
  seed: number | undefined;
  epochs: number | undefined;
  model: AutoencoderOptions;
}

/** Parses a comma-separated list of positive integers (`--hidden 64,32`). */
export function intListOption(values: OptionValues, name: string, min = 1, max = 4096): number[] | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.length === 0 || parts.length > 8 || xs.some((x) => !Number.isInteger(x) || x < min || x > max)) {
    throw new UsageError(`--${name} must be 1 to 8 comma-separated integers from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return xs;
}

/** Reads {@link MODEL_OPTIONS}. */
export function modelSettings(values: OptionValues, cwd = process.cwd()): ModelSettings {
  const backend = choiceOption(values, 'backend', BACKENDS, 'auto');
  const seed = numberOption(values, 'seed', { integer: true, min: 0, max: 2 ** 31 - 1 });
  const model: AutoencoderOptions = readConfig(values, cwd);
  const epochs = numberOption(values, 'epochs', { integer: true, min: 1, max: 10_000 }) ?? model.epochs;
  delete model.epochs;
  const hidden = intListOption(values, 'hidden');
  if (hidden) model.hidden = hidden;
  const bottleneck = numberOption(values, 'bottleneck', { integer: true, min: 1, max: 1024 });
  if (bottleneck !== undefined) model.bottleneck = bottleneck;
  const lr = numberOption(values, 'learning-rate', { min: 1e-7, max: 1 });
  if (lr !== undefined) model.learningRate = lr;
  const activation = choiceOption(values, 'activation', ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'] as const);
  if (activation !== undefined) model.activation = activation;
  const bs = numberOption(values, 'batch-size', { integer: true, min: 1, max: 65_536 });
  if (bs !== undefined) model.batchSize = bs;
  // Validate now so a bad combination is a usage error (exit 2), not a failure after reading the logs.
  asUsage(() => new Autoencoder({ ...model, backend, seed, epochs }).dispose());
  return { backend, seed, epochs, model };
}

/** A pipeline progress callback that draws on the CLI progress line. */
export function pipelineProgress(progress: Progress): ((p: PipelineProgress) => void) | undefined {
  if (!progress.enabled) return undefined;
  return (p) => {
    switch (p.stage) {
      case 'read':
        progress.update({
          label: 'reading',
          done: p.lines,
          unit: 'lines',
          fraction: p.totalBytes ? p.bytesRead / p.totalBytes : null,
          detail: `${p.events.toLocaleString('en-US')} events`,
        });
        break;
      case 'train':
        progress.update({
          label: `training epoch ${p.epoch ?? 0}${p.epochs ? `/${p.epochs}` : ''}`,
          done: p.events,
          unit: 'events',
          fraction: p.epochs && p.epoch ? p.epoch / p.epochs : null,
          detail: p.loss !== undefined ? `loss ${p.loss.toPrecision(3)}` : undefined,
        });
        break;
      default:
        progress.update({
          label: p.stage === 'encode' ? 'encoding' : p.stage === 'calibrate' ? 'calibrating' : 'scoring',
          done: p.events,
          unit: 'events',
          fraction: p.stage === 'score' && p.totalBytes ? p.bytesRead / p.totalBytes : null,
        });
    }
  };
}

/**
 * Runs a command body; a {@link ModelDirError} becomes one line on stderr and {@link EXIT.model}. Other errors
 * propagate to bin.ts (usage, input, internal).
 */
export async function withModelErrors(io: CliIo, command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ModelDirError) {
      io.stderr.write(`loginsight ${command}: ${err.message}\n`);
      return EXIT.model;
    }
    throw err;
  }
}

/** `1.23 s` from ms. */
export function secs(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}

/** Model options from `--config FILE` (the `model` object of a `loginsight tune` result), or `{}`. */
export function readConfig(values: OptionValues, cwd: string): AutoencoderOptions {
  const path = stringOption(values, 'config');
  if (path === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read --config ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const model = (parsed as { model?: unknown }).model;
  if (model === null || typeof model !== 'object' || Array.isArray(model)) {
    throw new UsageError(`--config ${path} has no "model" object (write it with loginsight tune)`);
  }
  const allowed = ['hidden', 'bottleneck', 'activation', 'outputActivation', 'learningRate', 'epochs', 'batchSize', 'dropout', 'inputNoise', 'l2', 'optimizer'];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(model as Record<string, unknown>)) {
    if (!allowed.includes(k)) throw new UsageError(`--config ${path}: unknown model setting "${k}"; allowed: ${allowed.join(', ')}`);
    out[k] = v;
  }
  return out as AutoencoderOptions;
}
