/**
 * Public types of the Autoencoder: fit options, epoch logs, training history, architecture, load options.
 *
 * @module
 */
import type { ReadOptions } from './files.js';
import type { Activation, AutoencoderOptions } from './options.js';

/** Options of `Autoencoder.load`: checks to apply and how to run the loaded model. */
export interface LoadOptions
  extends ReadOptions,
    Pick<AutoencoderOptions, 'backend' | 'tf' | 'verbose' | 'fastPath' | 'predictBatchSize' | 'epochs' | 'patience' | 'validationSplit'> {}

/** Losses of one finished epoch, passed to `onEpochEnd` and kept in {@link TrainingHistory}. */
export interface EpochLogs {
  /** 0-based epoch number. */
  epoch: number;
  /** Mean training loss (MSE plus the L2 penalty), averaged over training rows. */
  loss: number;
  /** Mean reconstruction MSE on validation rows, or null without validation. */
  valLoss: number | null;
  /** Training rows seen this epoch. */
  trainRows: number;
  /** Validation rows seen this epoch. */
  valRows: number;
  /** Wall-clock seconds of the epoch. */
  seconds: number;
}

/** Options of one `Autoencoder.fit` call. */
export interface FitOptions {
  /** Row width (number of features). Must match earlier fits of the same model. */
  width: number;
  /** Epochs for this call (default: the constructor's `epochs`). */
  epochs?: number;
  /** Called after each epoch; return `false` to stop training. */
  onEpochEnd?: (logs: EpochLogs) => void | boolean | Promise<void | boolean>;
  /** Abort training between batches (the history so far is returned with `stopReason: 'aborted'`). */
  signal?: AbortSignal;
}

/** Why training ended. */
export type StopReason = 'epochs' | 'early-stopping' | 'callback' | 'aborted' | 'no-data';

/** What `Autoencoder.fit` returns. */
export interface TrainingHistory {
  /** One entry per finished epoch. */
  epochs: EpochLogs[];
  /** Why training ended. */
  stopReason: StopReason;
  /** Epoch whose weights the model holds at the end (the best one when `restoreBestWeights`). */
  bestEpoch: number;
  /** Monitored loss (valLoss, or loss without validation) at `bestEpoch`. */
  bestLoss: number;
  /** The seed used (the given one, or the random one drawn when none was given). */
  seed: number;
  /** The tfjs backend that ran the training. */
  backend: string;
  /**
   * What ran the training steps: `'kernels'`, loginsight's WebAssembly SIMD kernels (relu/tanh/linear networks with
   * adam or sgd, no dropout or input noise, on the cpu and wasm backends), or `'tfjs'`, tfjs operations.
   */
  engine: 'kernels' | 'tfjs';
  /** Rows dropped because they contained NaN or Infinity (last epoch). */
  nonFiniteRows: number;
}

/** The network's shape and training settings, as stored in the model manifest. */
export interface Architecture {
  /** Input (and output) width. */
  width: number;
  /** Encoder hidden widths. */
  hidden: number[];
  /** Bottleneck width. */
  bottleneck: number;
  /** Layer widths from input to output, e.g. [64, 32, 8, 32, 64]. */
  layers: number[];
  activation: Activation;
  outputActivation: Activation;
  dropout: number;
  inputNoise: number;
  inputDropout: number;
  l2: number;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  seed: number;
}
