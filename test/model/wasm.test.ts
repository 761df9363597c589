import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Autoencoder } from '../../src/model/index.js';
import { anomalies, auc, lowRank, maxAbsDiff, sample } from './helpers.js';

const W = 32;
const s = lowRank(W, 4, 21);
const train = sample(s, 3000, 1);
const test = sample(s, 200, 2);

describe('Autoencoder on wasm', () => {
  it('trains on wasm, detects anomalies, matches the kernel path and the cpu backend, and round-trips', async () => {
    const ae = new Autoencoder({ backend: 'wasm', seed: 8, epochs: 8, learningRate: 3e-3, fastPath: 'off' });
    const h = await ae.fit(train, { width: W });
    expect(h.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(h.epochs[h.epochs.length - 1].loss).toBeLessThan(h.epochs[0].loss);

    const bad = anomalies(W, 20, 4);
    const x = new Float32Array(test.length + bad.length);
    x.set(test);
    x.set(bad, test.length);
    const errs = await ae.reconstructionErrors(x);
    expect(auc(errs, Array.from({ length: errs.length }, (_, i) => i >= 200))).toBeGreaterThan(0.9);

    const onWasm = await ae.reconstruct(x);
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'loginsight-wasm-'));
    try {
      await ae.save(tmp + '/m');
      const before = tf.memory().numTensors;
      await ae.fit(train.subarray(0, 500 * W), { width: W, epochs: 1 });
      await ae.reconstruct(x);
      expect(tf.memory().numTensors).toBe(before);
      ae.dispose();
      // the same weights on cpu via tfjs, and via the TypeScript kernels
      const onCpu = await Autoencoder.load(tmp + '/m', { backend: 'cpu', fastPath: 'off' });
      expect(tf.getBackend()).toBe('cpu');
      expect(maxAbsDiff(await onCpu.autoencoder.reconstruct(x), onWasm)).toBeLessThan(1e-4);
      onCpu.autoencoder.dispose();
      const onTs = await Autoencoder.load(tmp + '/m', { backend: 'wasm', fastPath: 'on' });
      expect(maxAbsDiff(await onTs.autoencoder.reconstruct(x), onWasm)).toBeLessThan(1e-4);
      onTs.autoencoder.dispose();
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
