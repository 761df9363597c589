/**
 * The `Autoencoder`: a dense tfjs-layers network trained to reproduce its input, with streaming training, seeded
 * runs, early stopping and batched reconstruction.
 *
 * @module
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from './backend.js';
import { ArraySource, StreamSource, datasetFactory, type BatchFactory, type BatchSource, type DatasetLike, type FitData } from './batches.js';
import { resolveOptions, validateOptions, type Activation, type AutoencoderOptions, type ResolvedOptions } from './options.js';
import { captureHandler, readModelDirectory, writeModelDirectory, ModelFileError, type ModelManifest, type ReadOptions, type SaveExtras } from './files.js';
import { WasmNet, simdAvailable, type KernelActivation } from './kernels/net.js';
import { mulberry32, nextSeed, type Rng } from './random.js';
import type { Architecture, EpochLogs, FitOptions, LoadOptions, TrainingHistory } from './types.js';

export type { Architecture, EpochLogs, FitOptions, LoadOptions, StopReason, TrainingHistory } from './types.js';

/** What {@link Autoencoder.load} returns. */
export interface LoadedModel {
  /** The ready-to-use autoencoder. */
  autoencoder: Autoencoder;
  /** Attachments saved with the model (opaque JSON, e.g. encoder state, scorer calibration). */
  attachments: Record<string, unknown>;
  /** The verified manifest. */
  manifest: ModelManifest;
}


interface DenseVars {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
  activation: Activation;
}

function applyActivation(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

function makeOptimizer(o: ResolvedOptions): tf.Optimizer {
  switch (o.optimizer) {
    case 'adam':
      return tf.train.adam(o.learningRate);
    case 'sgd':
      return tf.train.sgd(o.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(o.learningRate);
  }
}

function isDataset(v: unknown): v is DatasetLike {
  return typeof v === 'object' && v !== null && typeof (v as DatasetLike).iterator === 'function';
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A dense autoencoder over row-major Float32Array batches of a fixed width.
 *
 * The network is built on the first {@link fit} (when the width is known) or by {@link Autoencoder.load}. The tfjs
 * backend is chosen on first use via {@link selectBackend} (`backend` option; tfjs backends are process-wide).
 *
 * @example
 * ```ts
 * const ae = new Autoencoder({ seed: 7, epochs: 10 });
 * await ae.fit(rows, { width: 64 });
 * const recon = await ae.reconstruct(rows);
 * ae.dispose();
 * ```
 */
export class Autoencoder {
  private readonly options: AutoencoderOptions;
  private readonly seed: number;
  private cfg: ResolvedOptions | null = null;
  private model: tfl.Sequential | tfl.LayersModel | null = null;
  private vars: DenseVars[] = [];
  private optimizer: tf.Optimizer | null = null;
  private backendName: string | null = null;
  private net: WasmNet | null = null;
  /** True when the tfjs variables hold newer weights than `net`. */
  private netStale = true;
  private rng: Rng;
  private disposed = false;

  /** @param options network, training and backend options (validated here; bad values throw naming the option). */
  constructor(options: AutoencoderOptions = {}) {
    validateOptions(options);
    this.options = { ...options };
    this.seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
    this.rng = mulberry32(this.seed);
  }

  /** Input width once built (by fit or load), else null. */
  get width(): number | null {
    return this.cfg === null ? null : this.vars.length > 0 ? this.vars[0].kernel.shape[0] : null;
  }

  /** Name of the tfjs backend in use once one was selected, else null. */
  get backend(): string | null {
    return this.backendName;
  }

  /** The network shape and training settings once built, else null. */
  get architecture(): Architecture | null {
    const c = this.cfg;
    const w = this.width;
    if (c === null || w === null) return null;
    return {
      width: w,
      hidden: [...c.hidden],
      bottleneck: c.bottleneck,
      layers: [w, ...this.vars.map((v) => v.kernel.shape[1])],
      activation: c.activation,
      outputActivation: c.outputActivation,
      dropout: c.dropout,
      inputNoise: c.inputNoise,
      inputDropout: c.inputDropout,
      l2: c.l2,
      optimizer: c.optimizer,
      learningRate: c.learningRate,
      batchSize: c.batchSize,
      seed: c.seed,
    };
  }

  /** The underlying tfjs-layers model (for inspection or export), or null before fit/load. */
  get layersModel(): tfl.LayersModel | null {
    return this.model;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('Autoencoder: used after dispose()');
  }

  /** Select the backend (once). */
  private async ensureBackend(): Promise<string> {
    const want = this.options.backend ?? 'auto';
    const tfns = this.options.tf;
    // Re-select when another user switched the process-wide backend since.
    if (this.backendName === null || tf.getBackend() !== this.backendName) {
      this.backendName = await selectBackend(want === 'auto' && this.backendName !== null ? this.backendName : want, {
        ...(tfns ? { tf: tfns } : {}),
        verbose: this.options.verbose === true,
      });
    }
    return this.backendName;
  }

  private build(width: number): void {
    const c = resolveOptions(this.options, width, this.seed);
    const widths = [...c.hidden, c.bottleneck, ...[...c.hidden].reverse(), width];
    const model = tfl.sequential();
    widths.forEach((units, i) => {
      const last = i === widths.length - 1;
      model.add(
        tfl.layers.dense({
          units,
          activation: last ? c.outputActivation : c.activation,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: (c.seed + 7919 * (i + 1)) >>> 0 }),
          biasInitializer: 'zeros',
          name: last ? 'reconstruction' : i === c.hidden.length ? 'bottleneck' : `dense_${i + 1}`,
          ...(i === 0 ? { inputShape: [width] } : {}),
        }),
      );
    });
    this.adopt(model, c);
  }

  /** Take ownership of a built or loaded model. */
  private adopt(model: tfl.LayersModel, c: ResolvedOptions): void {
    const vars: DenseVars[] = [];
    for (const layer of model.layers) {
      const w = layer.trainableWeights;
      if (w.length !== 2) throw new Error(`model: layer ${layer.name} is not a dense layer with kernel and bias`);
      const cfg = layer.getConfig() as { activation?: string };
      vars.push({
        kernel: w[0].read() as tf.Variable<tf.Rank.R2>,
        bias: w[1].read() as tf.Variable<tf.Rank.R1>,
        activation: (cfg.activation ?? 'linear') as Activation,
      });
    }
    this.model = model;
    this.vars = vars;
    this.cfg = c;
    this.net = null;
    this.netStale = true;
  }

  /** Forward pass on tfjs (inside a tidy of the caller). */
  private forward(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    const c = this.cfg as ResolvedOptions;
    let h: tf.Tensor2D = x;
    if (training && c.inputNoise > 0) {
      h = tf.add(h, tf.randomNormal(h.shape, 0, c.inputNoise, 'float32', nextSeed(this.rng))) as tf.Tensor2D;
    }
    if (training && c.inputDropout > 0) h = tf.dropout(h, c.inputDropout, undefined, nextSeed(this.rng)) as tf.Tensor2D;
    const L = this.vars.length;
    for (let i = 0; i < L; i++) {
      const { kernel, bias, activation } = this.vars[i];
      if (activation === 'relu' || activation === 'linear') {
        h = tf.fused.matMul({ a: h, b: kernel, bias, activation }) as tf.Tensor2D;
      } else {
        h = applyActivation(tf.fused.matMul({ a: h, b: kernel, bias }), activation) as tf.Tensor2D;
      }
      if (training && c.dropout > 0 && i < L - 1) h = tf.dropout(h, c.dropout, undefined, nextSeed(this.rng)) as tf.Tensor2D;
    }
    return h;
  }

  /**
   * Train on `data`: a Float32Array of rows (n x width, in memory), a factory returning a fresh (async) iterable of
   * row batches for each epoch (streams: never materialised), or a tfjs Dataset of row tensors.
   * Calling fit again continues training the same network.
   */
  async fit(data: FitData, options: FitOptions): Promise<TrainingHistory> {
    this.assertLive();
    if (options === null || typeof options !== 'object') throw new Error('fit: options { width } are required');
    const { width } = options;
    if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
      throw new Error(`fit: option width must be a positive integer; got ${String(width)}`);
    }
    if (options.epochs !== undefined && (!Number.isInteger(options.epochs) || options.epochs < 1)) {
      throw new Error(`fit: option epochs must be a positive integer; got ${String(options.epochs)}`);
    }
    if (data instanceof Float32Array && data.length % width !== 0) {
      throw new Error(`fit: data length ${data.length} is not a multiple of width ${width}`);
    }
    const backend = await this.ensureBackend();
    if (this.model === null) this.build(width);
    else if (this.width !== width) throw new Error(`fit: width ${width} differs from the model's width ${this.width}`);
    const c = this.cfg as ResolvedOptions;
    const net = this.kernelsFor('train') ? this.syncedNet(c.batchSize) : null;
    const optimizer = net === null ? (this.optimizer ??= makeOptimizer(c)) : null;
    const step = { optimizer: c.optimizer === 'sgd' ? ('sgd' as const) : ('adam' as const), learningRate: c.learningRate, l2: c.l2 };

    let source: BatchSource;
    const valEvery = c.validationSplit > 0 ? Math.max(2, Math.round(1 / c.validationSplit)) : 0;
    if (data instanceof Float32Array) {
      source = new ArraySource(data, width, c.batchSize, c.validationSplit, c.shuffle, this.rng);
    } else if (typeof data === 'function') {
      source = new StreamSource(data as BatchFactory, width, c.batchSize, valEvery, c.shuffle ? c.shuffleBuffer : 0, this.rng);
    } else if (isDataset(data)) {
      source = new StreamSource(datasetFactory(data), width, c.batchSize, valEvery, c.shuffle ? c.shuffleBuffer : 0, this.rng);
    } else {
      throw new Error('fit: data must be a Float32Array, a function returning an (async) iterable of Float32Array, or a tf.data.Dataset');
    }

    const epochs = options.epochs ?? c.epochs;
    const varList: tf.Variable[] = this.vars.flatMap((v) => [v.kernel as tf.Variable, v.bias as tf.Variable]);
    const kernels = this.vars.map((v) => v.kernel);
    const history: TrainingHistory = {
      epochs: [],
      stopReason: 'epochs',
      bestEpoch: -1,
      bestLoss: Infinity,
      seed: c.seed,
      backend,
      engine: net === null ? 'tfjs' : 'kernels',
      nonFiniteRows: 0,
    };
    let best: tf.Tensor[] | null = null;
    let bestNet: Float32Array | null = null;
    let sinceBest = 0;
    let current: tf.Tensor2D | null = null;
    const lossFn = (): tf.Scalar => {
      const x = current as tf.Tensor2D;
      const y = this.forward(x, true);
      const mse = tf.mean(tf.squaredDifference(y, x)) as tf.Scalar;
      if (c.l2 <= 0) return mse;
      return tf.add(mse, tf.mul(tf.addN(kernels.map((k) => tf.sum(tf.square(k)))), c.l2)) as tf.Scalar;
    };

    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const t0 = performance.now();
        let lossSum: tf.Tensor = tf.scalar(0);
        let valSum: tf.Tensor = tf.scalar(0);
        let netLoss = 0;
        let netSse = 0;
        let trainRows = 0;
        let valRows = 0;
        let aborted = false;
        try {
          let lastYield = performance.now();
          for await (const batch of source.epoch()) {
            // Let timers, I/O and abort signals run at least every ~50 ms, even on in-memory data.
            if (performance.now() - lastYield > 50) {
              await yieldToEventLoop();
              lastYield = performance.now();
            }
            if (options.signal?.aborted) {
              aborted = true;
              break;
            }
            if (net !== null) {
              if (batch.kind === 'train') {
                netLoss += net.trainStep(batch.data, batch.rows, step) * batch.rows;
                trainRows += batch.rows;
              } else {
                netSse += net.sse(batch.data, batch.rows);
                valRows += batch.rows;
              }
              continue;
            }
            const opt = optimizer as tf.Optimizer;
            const x = tf.tensor2d(batch.data, [batch.rows, width]);
            try {
              if (batch.kind === 'train') {
                current = x;
                const prev = lossSum;
                lossSum = tf.tidy(() => {
                  const cost = opt.minimize(lossFn, true, varList) as tf.Scalar;
                  return tf.add(prev, tf.mul(cost, batch.rows));
                });
                prev.dispose();
                trainRows += batch.rows;
              } else {
                const prev = valSum;
                valSum = tf.tidy(() => tf.add(prev, tf.sum(tf.squaredDifference(this.forward(x, false), x))));
                prev.dispose();
                valRows += batch.rows;
              }
            } finally {
              current = null;
              x.dispose();
            }
          }
          const [l, v] = net !== null ? [[netLoss], [netSse]] : await Promise.all([lossSum.data(), valSum.data()]);
          if (aborted) {
            history.stopReason = 'aborted';
            break;
          }
          if (trainRows === 0) {
            history.stopReason = 'no-data';
            break;
          }
          const logs: EpochLogs = {
            epoch,
            loss: l[0] / trainRows,
            valLoss: valRows > 0 ? v[0] / (valRows * width) : null,
            trainRows,
            valRows,
            seconds: (performance.now() - t0) / 1000,
          };
          history.epochs.push(logs);
          history.nonFiniteRows = source.counters.nonFiniteRows;
          const monitored = logs.valLoss ?? logs.loss;
          if (!Number.isFinite(monitored)) throw new Error(`fit: loss became ${monitored} in epoch ${epoch}; lower learningRate`);
          if (monitored < history.bestLoss - c.minDelta) {
            history.bestLoss = monitored;
            history.bestEpoch = epoch;
            sinceBest = 0;
            best?.forEach((t) => t.dispose());
            best = null;
            bestNet = null;
            if (c.restoreBestWeights && epoch < epochs - 1) {
              if (net !== null) bestNet = net.snapshot();
              else best = varList.map((v) => tf.clone(v));
            }
          } else sinceBest++;
          const verdict = options.onEpochEnd ? await options.onEpochEnd(logs) : undefined;
          if (verdict === false) {
            history.stopReason = 'callback';
            break;
          }
          if (c.patience > 0 && sinceBest >= c.patience) {
            history.stopReason = 'early-stopping';
            break;
          }
        } finally {
          lossSum.dispose();
          valSum.dispose();
        }
        await yieldToEventLoop();
      }
      const last = history.epochs.length - 1;
      if ((best !== null || bestNet !== null) && c.restoreBestWeights && history.bestEpoch >= 0 && history.bestEpoch !== last) {
        const snapshot = best;
        if (snapshot !== null) varList.forEach((v, i) => v.assign(snapshot[i]));
        if (net !== null && bestNet !== null) net.restore(bestNet);
      } else if (history.bestEpoch !== last && last >= 0 && !c.restoreBestWeights) {
        history.bestEpoch = last;
        history.bestLoss = history.epochs[last].valLoss ?? history.epochs[last].loss;
      }
    } finally {
      best?.forEach((t) => t.dispose());
      if (net !== null) this.pushNetWeights(net);
      else this.netStale = true;
    }
    return history;
  }

  /**
   * Whether the WebAssembly SIMD kernels run this job: relu/tanh/linear layers only; for training also adam/sgd without
   * dropout or input noise. `fastPath: 'auto'` uses them on the cpu and wasm backends (tfjs-node is left to TF).
   */
  private kernelsFor(job: 'train' | 'predict'): boolean {
    const c = this.cfg;
    if (c === null || c.fastPath === 'off') return false;
    if (c.fastPath === 'auto' && this.backendName !== 'cpu' && this.backendName !== 'wasm') return false;
    if (this.vars.some((v) => v.activation !== 'relu' && v.activation !== 'linear' && v.activation !== 'tanh')) return false;
    if (job === 'train') {
      if (c.optimizer === 'rmsprop' || c.dropout > 0 || c.inputNoise > 0 || c.inputDropout > 0) return false;
    }
    return simdAvailable();
  }

  /** The kernel network holding the current weights, sized for `capacity` rows per call. */
  private syncedNet(capacity: number): WasmNet {
    if (this.net === null) {
      const w = this.width as number;
      this.net = WasmNet.create([w, ...this.vars.map((v) => v.kernel.shape[1])], this.vars.map((v) => v.activation as KernelActivation), capacity);
      if (this.net === null) throw new Error('WebAssembly SIMD is unavailable');
      this.netStale = true;
    }
    if (this.netStale) {
      this.net.setWeights(
        this.vars.map((v) => v.kernel.dataSync() as Float32Array),
        this.vars.map((v) => v.bias.dataSync() as Float32Array),
      );
      this.netStale = false;
    }
    return this.net;
  }

  /** Copy trained kernel weights into the tfjs variables (the model files' source of truth). */
  private pushNetWeights(net: WasmNet): void {
    const { kernels, biases } = net.getWeights();
    tf.tidy(() => {
      this.vars.forEach((v, i) => {
        v.kernel.assign(tf.tensor2d(kernels[i], v.kernel.shape));
        v.bias.assign(tf.tensor1d(biases[i]));
      });
    });
    this.netStale = false;
  }

  private checkRows(rows: Float32Array, what: string): { n: number; width: number } {
    this.assertLive();
    if (this.model === null) throw new Error(`${what}: the model is not trained or loaded yet`);
    if (!(rows instanceof Float32Array)) throw new Error(`${what}: rows must be a Float32Array`);
    const width = this.width as number;
    if (rows.length % width !== 0) {
      throw new Error(`${what}: rows length ${rows.length} is not a multiple of width ${width}`);
    }
    return { n: rows.length / width, width };
  }

  /**
   * Reconstruct `rows` (n x width, row-major), in batches of `predictBatchSize`. Returns a new Float32Array with the
   * same layout. Non-finite inputs give non-finite outputs for that row (the scorer decides what to do with them).
   */
  async reconstruct(rows: Float32Array): Promise<Float32Array> {
    const { n, width } = this.checkRows(rows, 'reconstruct');
    await this.ensureBackend();
    const out = new Float32Array(n * width);
    if (n === 0) return out;
    if (this.kernelsFor('predict')) {
      this.syncedNet((this.cfg as ResolvedOptions).batchSize).forward(rows, n, out);
      return out;
    }
    const bs = (this.cfg as ResolvedOptions).predictBatchSize;
    for (let start = 0; start < n; start += bs) {
      const m = Math.min(bs, n - start);
      const y = tf.tidy(() => this.forward(tf.tensor2d(rows.subarray(start * width, (start + m) * width), [m, width]), false));
      try {
        out.set(await y.data(), start * width);
      } finally {
        y.dispose();
      }
    }
    return out;
  }

  /** Mean squared reconstruction error of each row (n values). */
  async reconstructionErrors(rows: Float32Array): Promise<Float32Array> {
    const { n, width } = this.checkRows(rows, 'reconstructionErrors');
    const recon = await this.reconstruct(rows);
    const err = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = r * width, e = j + width; j < e; j++) {
        const d = recon[j] - rows[j];
        s += d * d;
      }
      err[r] = s / width;
    }
    return err;
  }

  /** Free the network, optimiser state and weights snapshot. The instance is unusable afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer?.dispose();
    this.optimizer = null;
    this.model?.dispose();
    this.model = null;
    this.vars = [];
    this.net = null;
  }

  /**
   * Save to directory `dir` (created or replaced atomically): `model.json` + `weights.bin` in the stock tfjs
   * LayersModel format, `<name>.json` per attachment, and `manifest.json` with checksums of every file.
   */
  async save(dir: string, extras: SaveExtras = {}): Promise<ModelManifest> {
    this.assertLive();
    const arch = this.architecture;
    if (this.model === null || arch === null) throw new Error('save: the model is not trained or loaded yet');
    const cap = captureHandler();
    await this.model.save(cap.handler);
    return writeModelDirectory(dir, cap.artifacts(), { ...arch }, extras);
  }

  /**
   * Load a directory written by {@link save}, verifying the manifest version, every checksum, the feature names
   * (with `expectFeatureNames`) and the weight shapes. Throws {@link ModelFileError} naming what is wrong.
   */
  static async load(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
    const { expectFeatureNames, ...run } = options;
    const read = await readModelDirectory(dir, expectFeatureNames !== undefined ? { expectFeatureNames } : {});
    const a = read.manifest.architecture as unknown as Architecture;
    const saved: AutoencoderOptions = {
      hidden: a.hidden,
      bottleneck: a.bottleneck,
      activation: a.activation,
      outputActivation: a.outputActivation,
      dropout: a.dropout,
      inputNoise: a.inputNoise,
      inputDropout: a.inputDropout,
      l2: a.l2,
      optimizer: a.optimizer as AutoencoderOptions['optimizer'],
      learningRate: a.learningRate,
      batchSize: a.batchSize,
      seed: a.seed,
    };
    let ae: Autoencoder;
    try {
      ae = new Autoencoder({ ...saved, ...run });
    } catch (e) {
      throw new ModelFileError(path.resolve(dir), `manifest architecture is invalid: ${(e as Error).message}`);
    }
    await ae.ensureBackend();
    let model: tfl.LayersModel;
    try {
      model = await tfl.loadLayersModel(tf.io.fromMemory(read.artifacts));
    } catch (e) {
      throw new ModelFileError(path.resolve(dir), `model.json/weights.bin could not be loaded by tfjs: ${(e as Error).message}`);
    }
    ae.adopt(model, resolveOptions(ae.options, a.width, ae.seed));
    const got = ae.architecture?.layers ?? [];
    if (got.length !== a.layers.length || got.some((v, i) => v !== a.layers[i])) {
      ae.dispose();
      throw new ModelFileError(path.resolve(dir), `network layers [${got.join('-')}] differ from the manifest [${a.layers.join('-')}]`);
    }
    return { autoencoder: ae, attachments: read.attachments, manifest: read.manifest };
  }
}
