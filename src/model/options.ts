/**
 * Autoencoder options: types, defaults derived from the input width, and validation with clear messages.
 *
 * @module
 */
import type { BackendName, TfNamespace } from './backend.js';

/** Activation functions supported by the network (hidden layers and output). */
export const ACTIVATIONS = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'] as const;
/** One of {@link ACTIVATIONS}. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Optimisers supported for training. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Options of {@link Autoencoder}. Every field is optional; widths default from the input width. */
export interface AutoencoderOptions {
  /** Encoder hidden layer widths, outermost first; the decoder mirrors them. Default: derived from the input width. */
  hidden?: readonly number[];
  /** Width of the bottleneck (code) layer. Default: round(sqrt(width)), clamped to [2, 32] and below the last hidden width. */
  bottleneck?: number;
  /** Activation of hidden and bottleneck layers (default 'relu'). */
  activation?: Activation;
  /** Activation of the output layer (default 'linear', right for standardised features). */
  outputActivation?: Activation;
  /** Dropout rate after each hidden layer during training, in [0, 1) (default 0). */
  dropout?: number;
  /** Standard deviation of Gaussian noise added to inputs during training (denoising autoencoder; default 0). */
  inputNoise?: number;
  /** Fraction of input values zeroed during training (masking noise; default 0). */
  inputDropout?: number;
  /** L2 penalty on kernels: loss += l2 * sum(W^2) (default 1e-5). */
  l2?: number;
  /** Optimiser (default 'adam'). */
  optimizer?: OptimizerName;
  /** Learning rate (default 1e-3 for adam and rmsprop, 1e-2 for sgd). */
  learningRate?: number;
  /** Rows per training batch (default 256). */
  batchSize?: number;
  /** Rows per call when reconstructing (default 8192; larger batches amortise per-call overhead). */
  predictBatchSize?: number;
  /** Training epochs (default 20; a fit call may override). */
  epochs?: number;
  /** Seed for initial weights, shuffling, noise and dropout. Default: random (recorded in the training history). */
  seed?: number;
  /** Fraction of data held out for validation, in [0, 0.5] (default 0.1). Streams hold out every round(1/v)-th batch. */
  validationSplit?: number;
  /** Stop after this many epochs without improvement of the monitored loss (default 5; 0 disables early stopping). */
  patience?: number;
  /** Minimum decrease of the monitored loss that counts as improvement (default 0). */
  minDelta?: number;
  /** Restore the weights of the best epoch when training ends (default true). */
  restoreBestWeights?: boolean;
  /** Shuffle rows: in-memory arrays fully each epoch, streams within a buffer of `shuffleBuffer` batches (default true). */
  shuffle?: boolean;
  /** Stream shuffle buffer size in batches (default 16). */
  shuffleBuffer?: number;
  /** tfjs backend (default 'auto': tfjs-node when installed, else wasm, else cpu). See {@link selectBackend}. */
  backend?: BackendName | (string & {});
  /** Your own `tf` namespace (e.g. tfjs-node-gpu). */
  tf?: TfNamespace;
  /**
   * Run training steps and reconstruction on the built-in WebAssembly SIMD kernels instead of tfjs ops:
   * 'auto' (default) on the cpu and wasm backends, 'on' on any backend, 'off' never. Only networks with relu/tanh/linear
   * layers qualify, and for training only adam/sgd without dropout or input noise; others always use tfjs.
   * Weights are copied back into the tfjs model after each fit, so model files are unaffected.
   */
  fastPath?: 'auto' | 'on' | 'off';
  /** Let tfjs print its banners and warnings (default false). */
  verbose?: boolean;
}

/** Options with every default filled in, for a known input width. */
export interface ResolvedOptions {
  hidden: number[];
  bottleneck: number;
  activation: Activation;
  outputActivation: Activation;
  dropout: number;
  inputNoise: number;
  inputDropout: number;
  l2: number;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  predictBatchSize: number;
  epochs: number;
  seed: number;
  validationSplit: number;
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
  shuffle: boolean;
  shuffleBuffer: number;
  backend: string;
  fastPath: 'auto' | 'on' | 'off';
  verbose: boolean;
}

function fail(option: string, allowed: string, got: unknown): never {
  let shown: string;
  try {
    shown = typeof got === 'string' ? `'${got}'` : JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  throw new Error(`option ${option} must be ${allowed}; got ${shown}`);
}

function int(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(name, `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? 'inf' : max}]`, v);
  }
  return v;
}

function num(name: string, v: unknown, min: number, max: number, maxExclusive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (maxExclusive ? v >= max : v > max)) {
    fail(name, `a number in [${min}, ${max}${maxExclusive ? ')' : ']'}`, v);
  }
  return v;
}

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  }
  return v as T;
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(name, 'true or false', v);
  return v;
}

const KNOWN = new Set<string>([
  'hidden', 'bottleneck', 'activation', 'outputActivation', 'dropout', 'inputNoise', 'inputDropout', 'l2', 'optimizer',
  'learningRate', 'batchSize', 'predictBatchSize', 'epochs', 'seed', 'validationSplit', 'patience', 'minDelta',
  'restoreBestWeights', 'shuffle', 'shuffleBuffer', 'backend', 'tf', 'fastPath', 'verbose',
]);

/** Default hidden widths for an input width: one layer of width/2 (two layers, width/2 and width/4, above 256). */
export function defaultHidden(width: number, bottleneck: number): number[] {
  const h1 = Math.max(bottleneck * 2, Math.round(width / 2));
  if (width > 256) return [h1, Math.max(bottleneck * 2, Math.round(width / 4))];
  return [h1];
}

/** Default bottleneck for an input width: round(sqrt(width)) clamped to [2, 32], and at most width - 1. */
export function defaultBottleneck(width: number): number {
  return Math.max(1, Math.min(width - 1, Math.max(2, Math.min(32, Math.round(Math.sqrt(width))))));
}

/**
 * Validate options (throws an Error naming the option and the allowed values) without a width; widths that need
 * the input width are checked by {@link resolveOptions}.
 */
export function validateOptions(o: AutoencoderOptions): void {
  if (o === null || typeof o !== 'object') fail('options', 'an object', o);
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) fail(k, `not set: unknown option (known: ${[...KNOWN].join(', ')})`, (o as Record<string, unknown>)[k]);
  }
  if (o.hidden !== undefined) {
    if (!Array.isArray(o.hidden)) fail('hidden', 'an array of positive integers', o.hidden);
    o.hidden.forEach((h, i) => int(`hidden[${i}]`, h, 1, 65536));
  }
  if (o.bottleneck !== undefined) int('bottleneck', o.bottleneck, 1, 65536);
  if (o.activation !== undefined) oneOf('activation', o.activation, ACTIVATIONS);
  if (o.outputActivation !== undefined) oneOf('outputActivation', o.outputActivation, ACTIVATIONS);
  if (o.dropout !== undefined) num('dropout', o.dropout, 0, 1, true);
  if (o.inputNoise !== undefined) num('inputNoise', o.inputNoise, 0, 1e6);
  if (o.inputDropout !== undefined) num('inputDropout', o.inputDropout, 0, 1, true);
  if (o.l2 !== undefined) num('l2', o.l2, 0, 1e6);
  if (o.optimizer !== undefined) oneOf('optimizer', o.optimizer, OPTIMIZERS);
  if (o.learningRate !== undefined) {
    num('learningRate', o.learningRate, 0, 10);
    if (o.learningRate === 0) fail('learningRate', 'a number in (0, 10]', o.learningRate);
  }
  if (o.batchSize !== undefined) int('batchSize', o.batchSize, 1, 1 << 20);
  if (o.predictBatchSize !== undefined) int('predictBatchSize', o.predictBatchSize, 1, 1 << 22);
  if (o.epochs !== undefined) int('epochs', o.epochs, 1, 1e6);
  if (o.seed !== undefined) int('seed', o.seed, 0, 0xffffffff);
  if (o.validationSplit !== undefined) num('validationSplit', o.validationSplit, 0, 0.5);
  if (o.patience !== undefined) int('patience', o.patience, 0, 1e6);
  if (o.minDelta !== undefined) num('minDelta', o.minDelta, 0, 1e6);
  if (o.restoreBestWeights !== undefined) bool('restoreBestWeights', o.restoreBestWeights);
  if (o.shuffle !== undefined) bool('shuffle', o.shuffle);
  if (o.shuffleBuffer !== undefined) int('shuffleBuffer', o.shuffleBuffer, 1, 1 << 16);
  if (o.backend !== undefined && (typeof o.backend !== 'string' || o.backend.length === 0)) {
    fail('backend', "'auto', 'tensorflow', 'wasm', 'cpu' or a registered tfjs backend name", o.backend);
  }
  if (o.tf !== undefined && (o.tf === null || typeof o.tf.setBackend !== 'function' || typeof o.tf.engine !== 'function')) {
    fail('tf', 'a tf namespace (with setBackend and engine)', typeof o.tf);
  }
  if (o.fastPath !== undefined) oneOf('fastPath', o.fastPath, ['auto', 'on', 'off'] as const);
  if (o.verbose !== undefined) bool('verbose', o.verbose);
}

/** Fill in defaults for input width `width` (validates first). */
export function resolveOptions(o: AutoencoderOptions, width: number, seed: number): ResolvedOptions {
  validateOptions(o);
  int('width', width, 1, 1 << 20);
  const bottleneck = o.bottleneck ?? defaultBottleneck(width);
  const hidden = o.hidden ? [...o.hidden] : defaultHidden(width, bottleneck);
  const optimizer = o.optimizer ?? 'adam';
  return {
    hidden,
    bottleneck,
    activation: o.activation ?? 'relu',
    outputActivation: o.outputActivation ?? 'linear',
    dropout: o.dropout ?? 0,
    inputNoise: o.inputNoise ?? 0,
    inputDropout: o.inputDropout ?? 0,
    l2: o.l2 ?? 1e-5,
    optimizer,
    learningRate: o.learningRate ?? (optimizer === 'sgd' ? 1e-2 : 1e-3),
    batchSize: o.batchSize ?? 256,
    predictBatchSize: o.predictBatchSize ?? 8192,
    epochs: o.epochs ?? 20,
    seed: o.seed ?? seed,
    validationSplit: o.validationSplit ?? 0.1,
    patience: o.patience ?? 5,
    minDelta: o.minDelta ?? 0,
    restoreBestWeights: o.restoreBestWeights ?? true,
    shuffle: o.shuffle ?? true,
    shuffleBuffer: o.shuffleBuffer ?? 16,
    backend: o.backend ?? 'auto',
    fastPath: o.fastPath ?? 'auto',
    verbose: o.verbose ?? false,
  };
}
