import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Autoencoder,
  LIBRARY_VERSION,
  ModelFileError,
  fileSystemLoadHandler,
  selectBackend,
} from '../../src/model/index.js';
import { lowRank, maxAbsDiff, sample } from './helpers.js';

const W = 12;
const names = Array.from({ length: W }, (_, i) => `f${i}`);
const rows = sample(lowRank(W, 2, 3), 800, 1);
let tmp: string;
let ae: Autoencoder;
let modelDir: string;

beforeAll(async () => {
  await selectBackend('cpu');
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'loginsight-model-'));
  ae = new Autoencoder({ backend: 'cpu', seed: 4, epochs: 2 });
  await ae.fit(rows, { width: W });
  modelDir = path.join(tmp, 'model');
  await ae.save(modelDir, {
    featureNames: names,
    attachments: { encoder: { columns: names, scale: [1, 2] }, scorer: { threshold: 0.5 } },
    trainingSummary: { rows: 800 },
  });
});

afterAll(async () => {
  ae.dispose();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function copyModel(name: string): Promise<string> {
  const dst = path.join(tmp, name);
  await fs.cp(modelDir, dst, { recursive: true });
  return dst;
}

describe('model directories', () => {
  it('writes model.json, weights.bin, attachments and a manifest with checksums, and nothing else', async () => {
    const files = (await fs.readdir(modelDir)).sort();
    expect(files).toEqual(['encoder.json', 'manifest.json', 'model.json', 'scorer.json', 'weights.bin']);
    const m = JSON.parse(await fs.readFile(path.join(modelDir, 'manifest.json'), 'utf8'));
    expect(m.format).toBe('loginsight-model');
    expect(m.formatVersion).toBe(1);
    expect(m.libraryVersion).toBe(LIBRARY_VERSION);
    expect(m.featureNames).toEqual(names);
    expect(m.architecture.layers).toEqual([12, 6, 3, 6, 12]);
    expect(m.trainingSummary).toEqual({ rows: 800 });
    expect(Object.keys(m.files).sort()).toEqual(['encoder.json', 'model.json', 'scorer.json', 'weights.bin']);
    for (const entry of Object.values(m.files) as { sha256: string }[]) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await fs.readdir(tmp)).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it('round-trips: identical reconstructions, attachments and manifest', async () => {
    const { autoencoder, attachments, manifest } = await Autoencoder.load(modelDir, { expectFeatureNames: names, backend: 'cpu' });
    expect(maxAbsDiff(await autoencoder.reconstruct(rows), await ae.reconstruct(rows))).toBe(0);
    expect(attachments).toEqual({ encoder: { columns: names, scale: [1, 2] }, scorer: { threshold: 0.5 } });
    expect(manifest.featureNames).toEqual(names);
    expect(autoencoder.architecture).toEqual(ae.architecture);
    // a loaded model can continue training
    const h = await autoencoder.fit(rows, { width: W, epochs: 1 });
    expect(h.epochs).toHaveLength(1);
    autoencoder.dispose();
  });

  it('is readable by stock tf.loadLayersModel (fs IOHandler) with the same predictions', async () => {
    const model = await tfl.loadLayersModel(fileSystemLoadHandler(modelDir));
    const x = tf.tensor2d(rows.subarray(0, 50 * W), [50, W]);
    const y = model.predict(x, { batchSize: 50 }) as tf.Tensor;
    const stock = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    model.dispose();
    expect(maxAbsDiff(stock, await ae.reconstruct(rows.subarray(0, 50 * W)))).toBeLessThan(1e-5);
  });

  it('refuses a tampered weights file, naming it', async () => {
    const dir = await copyModel('tampered-weights');
    const f = path.join(dir, 'weights.bin');
    const b = await fs.readFile(f);
    b[10] ^= 0xff;
    await fs.writeFile(f, b);
    await expect(Autoencoder.load(dir)).rejects.toThrow(/checksum mismatch for weights\.bin/);
    await expect(Autoencoder.load(dir)).rejects.toBeInstanceOf(ModelFileError);
  });

  it('refuses a tampered attachment and a missing file', async () => {
    const dir = await copyModel('tampered-attachment');
    await fs.writeFile(path.join(dir, 'scorer.json'), JSON.stringify({ threshold: 99 }));
    await expect(Autoencoder.load(dir)).rejects.toThrow(/checksum mismatch for scorer\.json/);
    await fs.rm(path.join(dir, 'model.json'));
    await expect(Autoencoder.load(dir)).rejects.toThrow(/model\.json listed in the manifest is missing/);
  });

  it('refuses mismatched feature names, saying where they differ', async () => {
    const other = [...names];
    other[4] = 'hour_of_day';
    await expect(Autoencoder.load(modelDir, { expectFeatureNames: other })).rejects.toThrow(/column 4: model 'f4' vs expected 'hour_of_day'/);
    await expect(Autoencoder.load(modelDir, { expectFeatureNames: names.slice(1) })).rejects.toThrow(/feature names do not match/);
  });

  it('refuses an unsupported format version, a missing manifest and a non-model directory', async () => {
    const dir = await copyModel('future');
    const mf = path.join(dir, 'manifest.json');
    const m = JSON.parse(await fs.readFile(mf, 'utf8'));
    m.formatVersion = 99;
    await fs.writeFile(mf, JSON.stringify(m));
    await expect(Autoencoder.load(dir)).rejects.toThrow(/format version 99 .* is not supported/);
    await fs.rm(mf);
    await expect(Autoencoder.load(dir)).rejects.toThrow(/manifest\.json is missing/);
    await expect(Autoencoder.load(path.join(tmp, 'nope'))).rejects.toThrow(/manifest\.json is missing/);
  });

  it('refuses weights whose shapes disagree with the manifest architecture', async () => {
    const dir = await copyModel('shape');
    const mf = path.join(dir, 'manifest.json');
    const m = JSON.parse(await fs.readFile(mf, 'utf8'));
    m.architecture.layers = [12, 7, 3, 7, 12];
    await fs.writeFile(mf, JSON.stringify(m));
    await expect(Autoencoder.load(dir)).rejects.toThrow(/weights shapes \[12-6-3-6-12\] do not match the manifest architecture \[12-7-3-7-12\]/);
  });

  it('replaces an existing model directory atomically but never a foreign directory', async () => {
    const dir = await copyModel('replace');
    await ae.save(dir, { attachments: { scorer: { threshold: 1 } } });
    const { attachments, autoencoder } = await Autoencoder.load(dir);
    expect(attachments).toEqual({ scorer: { threshold: 1 } });
    expect((await fs.readdir(dir)).sort()).toEqual(['manifest.json', 'model.json', 'scorer.json', 'weights.bin']);
    autoencoder.dispose();
    const foreign = path.join(tmp, 'foreign');
    await fs.mkdir(foreign);
    await fs.writeFile(path.join(foreign, 'notes.txt'), 'keep me');
    await expect(ae.save(foreign)).rejects.toThrow(/not a loginsight model directory; refusing/);
    expect(await fs.readFile(path.join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('validates save extras', async () => {
    await expect(ae.save(path.join(tmp, 'x1'), { featureNames: ['a'] })).rejects.toThrow(/featureNames has 1 names but the model width is 12/);
    await expect(ae.save(path.join(tmp, 'x2'), { attachments: { '../evil': 1 } })).rejects.toThrow(/attachment name/);
    await expect(ae.save(path.join(tmp, 'x3'), { attachments: { manifest: 1 } })).rejects.toThrow(/attachment name/);
  });

  it('LIBRARY_VERSION equals the package.json version', async () => {
    const pkg = JSON.parse(await fs.readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });
});
