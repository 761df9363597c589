import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder, selectBackend, type EpochLogs } from '../../src/model/index.js';
import { anomalies, auc, lowRank, maxAbsDiff, mean, sample } from './helpers.js';

const W = 24;
const structure = lowRank(W, 3, 11);
const train = sample(structure, 4000, 1);
const heldOut = sample(structure, 300, 2);

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('Autoencoder on cpu', () => {
  it('training lowers reconstruction error on low-rank data and ranks injected anomalies higher', async () => {
    const ae = new Autoencoder({ backend: 'cpu', seed: 5, epochs: 1, learningRate: 3e-3 });
    await ae.fit(train, { width: W });
    const early = mean(await ae.reconstructionErrors(heldOut));
    const logs: EpochLogs[] = [];
    const h = await ae.fit(train, { width: W, epochs: 12, onEpochEnd: (l) => void logs.push(l) });
    const late = mean(await ae.reconstructionErrors(heldOut));
    expect(logs.length).toBe(h.epochs.length);
    expect(h.epochs[h.epochs.length - 1].loss).toBeLessThan(h.epochs[0].loss);
    expect(late).toBeLessThan(early * 0.5);
    expect(h.epochs[0].valRows).toBe(400);
    expect(h.epochs[0].trainRows).toBe(3600);

    const bad = anomalies(W, 30, 3);
    const mixed = new Float32Array(heldOut.length + bad.length);
    mixed.set(heldOut);
    mixed.set(bad, heldOut.length);
    const errs = await ae.reconstructionErrors(mixed);
    const isBad = Array.from({ length: errs.length }, (_, i) => i >= 300);
    expect(auc(errs, isBad)).toBeGreaterThan(0.9);
    ae.dispose();
  });

  it('is deterministic with a seed on cpu, and the seed matters', async () => {
    const run = async (seed: number): Promise<{ r: Float32Array; loss: number[] }> => {
      const ae = new Autoencoder({ backend: 'cpu', seed, epochs: 2, dropout: 0.1, inputNoise: 0.05, fastPath: 'off' });
      const h = await ae.fit(train.subarray(0, 1000 * W), { width: W });
      const r = await ae.reconstruct(heldOut);
      ae.dispose();
      return { r, loss: h.epochs.map((e) => e.loss) };
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(b.loss).toEqual(a.loss);
    expect(maxAbsDiff(a.r, b.r)).toBe(0);
    expect(maxAbsDiff(a.r, c.r)).toBeGreaterThan(1e-4);
  });

  it('leaks no tensors across repeated fit and reconstruct (array, stream and dataset inputs)', async () => {
    const initial = tf.memory().numTensors;
    const ae = new Autoencoder({ backend: 'cpu', seed: 1, epochs: 1, batchSize: 128, fastPath: 'off' });
    const small = train.subarray(0, 600 * W);
    await ae.fit(small, { width: W });
    await ae.reconstruct(heldOut);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await ae.fit(small, { width: W });
      await ae.fit(() => [small.subarray(0, 300 * W), small.subarray(300 * W)], { width: W });
      await ae.fit(
        {
          iterator: async () => {
            let k = 0;
            return { next: async () => (k++ < 2 ? { done: false, value: tf.tensor2d(small.subarray(0, 200 * W), [200, W]) } : { done: true, value: undefined }) };
          },
        },
        { width: W },
      );
      await ae.reconstruct(heldOut);
      await ae.reconstructionErrors(heldOut);
    }
    expect(tf.memory().numTensors).toBe(before);
    ae.dispose();
    expect(tf.memory().numTensors).toBe(initial);
    // the kernel path (default on cpu) creates tensors only for the model's own variables
    const k = new Autoencoder({ backend: 'cpu', seed: 1, epochs: 1 });
    await k.fit(small, { width: W });
    const kBefore = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await k.fit(() => [small], { width: W });
      await k.reconstruct(heldOut);
    }
    expect(tf.memory().numTensors).toBe(kBefore);
    k.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });

  it('streams: calls the factory once per epoch, re-batches odd chunk sizes and holds out every k-th batch', async () => {
    const ae = new Autoencoder({ backend: 'cpu', seed: 2, batchSize: 100, validationSplit: 0.25, patience: 0 });
    let calls = 0;
    const factory = (): AsyncIterable<Float32Array> => {
      calls++;
      return (async function* () {
        for (let off = 0; off < 2000; off += 333) yield train.subarray(off * W, Math.min(2000, off + 333) * W);
      })();
    };
    const h = await ae.fit(factory, { width: W, epochs: 3 });
    expect(calls).toBe(3);
    expect(h.epochs).toHaveLength(3);
    // 20 batches of 100 rows; every 4th is validation
    for (const e of h.epochs) {
      expect(e.valRows).toBe(500);
      expect(e.trainRows).toBe(1500);
    }
    expect(h.epochs[2].valLoss as number).toBeLessThan(h.epochs[0].valLoss as number);
    ae.dispose();
  });

  it('counts and skips rows with NaN or Infinity', async () => {
    const ae = new Autoencoder({ backend: 'cpu', seed: 2, epochs: 1, validationSplit: 0 });
    const x = train.slice(0, 200 * W);
    x[5 * W + 3] = Number.NaN;
    x[9 * W] = Infinity;
    const h = await ae.fit(x, { width: W });
    expect(h.nonFiniteRows).toBe(2);
    expect(h.epochs[0].trainRows).toBe(198);
    expect(Number.isFinite(h.epochs[0].loss)).toBe(true);
    ae.dispose();
  });

  it('stops early when the monitored loss stops improving, and on a callback returning false', async () => {
    const ae = new Autoencoder({ backend: 'cpu', seed: 2, epochs: 50, patience: 2, minDelta: 1e6 });
    const h = await ae.fit(train.subarray(0, 500 * W), { width: W });
    expect(h.stopReason).toBe('early-stopping');
    expect(h.epochs).toHaveLength(3);
    expect(h.bestEpoch).toBe(0);
    const h2 = await ae.fit(train.subarray(0, 500 * W), { width: W, epochs: 10, onEpochEnd: (l) => l.epoch < 1 });
    expect(h2.stopReason).toBe('callback');
    expect(h2.epochs).toHaveLength(2);
    const ac = new AbortController();
    const h3 = await ae.fit(train.subarray(0, 500 * W), { width: W, epochs: 10, signal: ac.signal, onEpochEnd: () => ac.abort() });
    expect(h3.stopReason).toBe('aborted');
    expect(h3.epochs).toHaveLength(1);
    // a timer can abort a long in-memory epoch: fit yields to the event loop between batches
    const big = new Float32Array(400_000 * W).map((_, i) => Math.sin(i));
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 20);
    const h4 = await ae.fit(big, { width: W, epochs: 50, signal: ac2.signal });
    expect(h4.stopReason).toBe('aborted');
    expect(h4.epochs).toHaveLength(0); // stopped inside the first epoch
    ae.dispose();
  });

  it.each([
    ['relu', 'linear'],
    ['tanh', 'linear'],
    ['tanh', 'tanh'],
  ] as const)('the WebAssembly kernels match tfjs (%s hidden, %s output): forward, and one Adam step with L2', async (activation, outputActivation) => {
    const x = train.subarray(0, 256 * W);
    const make = (fastPath: 'on' | 'off'): Autoencoder =>
      new Autoencoder({
        backend: 'cpu',
        seed: 9,
        hidden: [13, 7],
        bottleneck: 3,
        activation,
        outputActivation,
        l2: 1e-3,
        learningRate: 1e-2,
        batchSize: 256,
        validationSplit: 0,
        shuffle: false,
        fastPath,
      });
    const a = make('off');
    const b = make('on');
    const engines = [];
    for (const ae of [a, b]) engines.push((await ae.fit(x, { width: W, epochs: 1 })).engine);
    expect(engines).toEqual(['tfjs', 'kernels']);
    const ra = await a.reconstruct(heldOut);
    const rb = await b.reconstruct(heldOut);
    // after one identical step from identical initial weights, the weights (hence reconstructions) agree
    expect(maxAbsDiff(ra, rb)).toBeLessThan(1e-4);
    const wa = a.layersModel!.getWeights().map((t) => t.dataSync());
    const wb = b.layersModel!.getWeights().map((t) => t.dataSync());
    wa.forEach((w, i) => expect(maxAbsDiff(w, wb[i])).toBeLessThan(1e-5));
    // the kernel forward pass on b's weights equals tfjs's forward pass on the same weights
    const tfjsOnB = await (async () => {
      const y = b.layersModel!.predict(tf.tensor2d(heldOut, [heldOut.length / W, W])) as tf.Tensor;
      const d = (await y.data()) as Float32Array;
      y.dispose();
      return d;
    })();
    expect(maxAbsDiff(tfjsOnB, rb)).toBeLessThan(1e-5);
    // and training a few epochs on each path reaches a similar loss
    const ha = await a.fit(train.subarray(0, 2000 * W), { width: W, epochs: 3 });
    const hb = await b.fit(train.subarray(0, 2000 * W), { width: W, epochs: 3 });
    expect(Math.abs(ha.epochs[2].loss - hb.epochs[2].loss)).toBeLessThan(0.2 * ha.epochs[2].loss);
    a.dispose();
    b.dispose();
  });

  it('is deterministic with a seed on the kernel path too', async () => {
    const run = async (): Promise<Float32Array> => {
      const ae = new Autoencoder({ backend: 'cpu', seed: 77, epochs: 2, fastPath: 'on' });
      await ae.fit(train.subarray(0, 1000 * W), { width: W });
      const r = await ae.reconstruct(heldOut);
      ae.dispose();
      return r;
    };
    expect(maxAbsDiff(await run(), await run())).toBe(0);
  });

  it('derives default widths from the input width', async () => {
    const ae = new Autoencoder({ backend: 'cpu', epochs: 1 });
    await ae.fit(sample(lowRank(64, 3, 1), 300, 1), { width: 64 });
    expect(ae.architecture?.layers).toEqual([64, 32, 8, 32, 64]);
    ae.dispose();
  });

  it('rejects bad options and inputs with messages naming them', async () => {
    expect(() => new Autoencoder({ optimizer: 'adamw' as 'adam' })).toThrow(/option optimizer must be one of 'adam', 'sgd', 'rmsprop'/);
    expect(() => new Autoencoder({ activation: 'gelu' as 'relu' })).toThrow(/option activation/);
    expect(() => new Autoencoder({ dropout: 1 })).toThrow(/option dropout must be a number in \[0, 1\)/);
    expect(() => new Autoencoder({ batchSize: 0 })).toThrow(/option batchSize/);
    expect(() => new Autoencoder({ hidden: [8, -1] })).toThrow(/option hidden\[1\]/);
    expect(() => new Autoencoder({ learningRate: 0 })).toThrow(/option learningRate/);
    expect(() => new Autoencoder({ validationSplit: 0.9 })).toThrow(/option validationSplit/);
    expect(() => new Autoencoder({ epohcs: 3 } as never)).toThrow(/option epohcs/);
    const ae = new Autoencoder({ backend: 'cpu', epochs: 1 });
    await expect(ae.fit(new Float32Array(10), { width: 3 })).rejects.toThrow(/not a multiple of width 3/);
    await expect(ae.reconstruct(new Float32Array(3))).rejects.toThrow(/not trained or loaded/);
    await expect(ae.fit('x' as never, { width: 3 })).rejects.toThrow(/data must be/);
    const empty = await ae.fit(new Float32Array(0), { width: 3 });
    expect(empty.stopReason).toBe('no-data');
    expect(empty.epochs).toEqual([]);
    await ae.fit(new Float32Array(30), { width: 3 });
    await expect(ae.fit(new Float32Array(40), { width: 4 })).rejects.toThrow(/width 4 differs/);
    await expect(ae.reconstruct(new Float32Array(4))).rejects.toThrow(/multiple of width 3/);
    ae.dispose();
    await expect(ae.reconstruct(new Float32Array(3))).rejects.toThrow(/after dispose/);
  });
});
