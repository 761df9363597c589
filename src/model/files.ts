/**
 * Model directories: `model.json` + `weights.bin` in the stock tfjs LayersModel format (readable by
 * `tf.loadLayersModel`), JSON attachments, and `manifest.json` with versions, feature names, architecture, training
 * summary and sha256 checksums of every file. Written atomically (temp dir + rename) with node:fs only.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { LIBRARY_VERSION, MODEL_FORMAT_VERSION, SUPPORTED_MODEL_FORMAT_VERSIONS } from './version.js';

/** File names inside a model directory. */
export const MODEL_FILES = { manifest: 'manifest.json', topology: 'model.json', weights: 'weights.bin' } as const;

/** Identifies loginsight model manifests. */
export const MANIFEST_FORMAT = 'loginsight-model';

/** Checksum and size of one file in a model directory. */
export interface FileEntry {
  /** Hex sha256 of the file's bytes. */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
}

/** The contents of `manifest.json`. */
export interface ModelManifest {
  /** Always 'loginsight-model'. */
  format: typeof MANIFEST_FORMAT;
  /** Layout version of the directory. */
  formatVersion: number;
  /** loginsight version that wrote it. */
  libraryVersion: string;
  /** ISO time of writing. */
  createdAt: string;
  /** Feature (column) names in row order, or null when not given. */
  featureNames: string[] | null;
  /** Network shape and training settings. */
  architecture: Record<string, unknown> & { width: number; layers: number[] };
  /** Free-form training summary (rows, epochs, losses...). */
  trainingSummary: Record<string, unknown>;
  /** Attachment names; each is stored as `<name>.json`. */
  attachments: string[];
  /** Every other file of the directory with its checksum. */
  files: Record<string, FileEntry>;
}

/** Extra content saved with a model. */
export interface SaveExtras {
  /** Opaque JSON documents (e.g. `encoder`, `scorer`), each written to `<name>.json`. Names: letters, digits, `-`, `_`. */
  attachments?: Record<string, unknown>;
  /** Feature names in column order (length must equal the model width). */
  featureNames?: readonly string[];
  /** Training summary recorded in the manifest. */
  trainingSummary?: Record<string, unknown>;
}

/** Thrown when a model directory is missing, tampered, incompatible or does not match expectations. */
export class ModelFileError extends Error {
  /** The directory concerned. */
  readonly dir: string;
  constructor(dir: string, message: string) {
    super(`model directory ${dir}: ${message}`);
    this.name = 'ModelFileError';
    this.dir = dir;
  }
}

const ATTACHMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const RESERVED = new Set(['manifest', 'model', 'weights']);

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function toBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const buf = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  return new Uint8Array(buf);
}

/** The stock tfjs `model.json` document for saved artifacts. */
function modelJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  return {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? 'TensorFlow.js',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
}

/**
 * A tfjs save handler that captures the artifacts in memory (no tfjs-node, no browser APIs); `files.ts` writes them.
 */
export function captureHandler(): { handler: tf.io.IOHandler; artifacts: () => tf.io.ModelArtifacts } {
  let captured: tf.io.ModelArtifacts | null = null;
  const handler: tf.io.IOHandler = {
    save: async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  return {
    handler,
    artifacts: () => {
      if (captured === null) throw new Error('model was not saved');
      return captured;
    },
  };
}

/**
 * A tfjs load handler reading `model.json` + its weight files from a directory with node:fs (no tfjs-node).
 * Works with stock `tf.loadLayersModel(fileSystemLoadHandler(dir))`.
 */
export function fileSystemLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await fs.readFile(path.join(dir, MODEL_FILES.topology), 'utf8')) as tf.io.ModelJSON;
      const specs: tf.io.WeightsManifestEntry[] = [];
      const parts: ArrayBuffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const b = await fs.readFile(path.join(dir, path.basename(p)));
          parts.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
      }
      return tf.io.getModelArtifactsForJSON(json, async () => [specs, tf.io.concatenateArrayBuffers(parts)]);
    },
  };
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Write a model directory atomically: everything goes to a sibling temp directory which then replaces `dir`.
 * An existing `dir` is replaced only if it is empty or a loginsight model directory (has manifest.json).
 */
export async function writeModelDirectory(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
  architecture: ModelManifest['architecture'],
  extras: SaveExtras = {},
): Promise<ModelManifest> {
  const target = path.resolve(dir);
  const attachments = extras.attachments ?? {};
  for (const name of Object.keys(attachments)) {
    if (!ATTACHMENT_NAME.test(name) || RESERVED.has(name)) {
      throw new Error(`save: attachment name '${name}' must be letters, digits, '-' or '_' (max 64) and not manifest, model or weights`);
    }
  }
  if (extras.featureNames !== undefined) {
    if (!Array.isArray(extras.featureNames) || extras.featureNames.some((f) => typeof f !== 'string')) {
      throw new Error('save: featureNames must be an array of strings');
    }
    if (extras.featureNames.length !== architecture.width) {
      throw new Error(`save: featureNames has ${extras.featureNames.length} names but the model width is ${architecture.width}`);
    }
  }
  if (await exists(target)) {
    const entries = await fs.readdir(target);
    if (entries.length > 0 && !entries.includes(MODEL_FILES.manifest)) {
      throw new Error(`save: ${target} exists and is not a loginsight model directory; refusing to replace it`);
    }
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(tmp);
  try {
    const files: Record<string, FileEntry> = {};
    const write = async (name: string, data: Uint8Array): Promise<void> => {
      await fs.writeFile(path.join(tmp, name), data);
      files[name] = { sha256: sha256(data), bytes: data.byteLength };
    };
    await write(MODEL_FILES.topology, Buffer.from(JSON.stringify(modelJson(artifacts))));
    await write(MODEL_FILES.weights, toBytes(artifacts.weightData));
    for (const [name, value] of Object.entries(attachments)) {
      const text = JSON.stringify(value);
      if (text === undefined) throw new Error(`save: attachment '${name}' is not JSON-serialisable`);
      await write(`${name}.json`, Buffer.from(text));
    }
    const manifest: ModelManifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      libraryVersion: LIBRARY_VERSION,
      createdAt: new Date().toISOString(),
      featureNames: extras.featureNames ? [...extras.featureNames] : null,
      architecture,
      trainingSummary: extras.trainingSummary ?? {},
      attachments: Object.keys(attachments),
      files,
    };
    await fs.writeFile(path.join(tmp, MODEL_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
    // Swap in: move the old directory aside (rename of a non-empty directory over another fails), then remove it.
    let old: string | null = null;
    if (await exists(target)) {
      old = `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
      await fs.rename(target, old);
    }
    try {
      await fs.rename(tmp, target);
    } catch (err) {
      if (old !== null) await fs.rename(old, target);
      throw err;
    }
    if (old !== null) await fs.rm(old, { recursive: true, force: true });
    return manifest;
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Options for reading a model directory. */
export interface ReadOptions {
  /** Refuse the model unless its feature names equal these, in order. */
  expectFeatureNames?: readonly string[];
}

/** A verified model directory: manifest, tfjs artifacts and parsed attachments. */
export interface ModelDirectory {
  manifest: ModelManifest;
  artifacts: tf.io.ModelArtifacts;
  attachments: Record<string, unknown>;
}

/**
 * Read and verify a model directory: manifest present and supported, every listed file present with matching
 * sha256, feature names as expected, weights size matching the weight specs. Throws {@link ModelFileError}.
 */
export async function readModelDirectory(dir: string, options: ReadOptions = {}): Promise<ModelDirectory> {
  const root = path.resolve(dir);
  const err = (m: string): ModelFileError => new ModelFileError(root, m);
  let manifestText: string;
  try {
    manifestText = await fs.readFile(path.join(root, MODEL_FILES.manifest), 'utf8');
  } catch {
    throw err(`${MODEL_FILES.manifest} is missing (not a loginsight model directory, or the directory does not exist)`);
  }
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(manifestText) as ModelManifest;
  } catch {
    throw err(`${MODEL_FILES.manifest} is not valid JSON`);
  }
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== MANIFEST_FORMAT) {
    throw err(`${MODEL_FILES.manifest} is not a loginsight model manifest`);
  }
  if (!SUPPORTED_MODEL_FORMAT_VERSIONS.includes(manifest.formatVersion)) {
    throw err(
      `format version ${String(manifest.formatVersion)} (written by loginsight ${String(manifest.libraryVersion)}) ` +
        `is not supported by loginsight ${LIBRARY_VERSION} (supported: ${SUPPORTED_MODEL_FORMAT_VERSIONS.join(', ')})`,
    );
  }
  if (manifest.files === null || typeof manifest.files !== 'object') throw err('manifest lists no files');
  for (const required of [MODEL_FILES.topology, MODEL_FILES.weights]) {
    if (!(required in manifest.files)) throw err(`manifest does not list ${required}`);
  }
  const contents = new Map<string, Buffer>();
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (name !== path.basename(name) || name.startsWith('.')) throw err(`manifest lists a bad file name '${name}'`);
    let data: Buffer;
    try {
      data = await fs.readFile(path.join(root, name));
    } catch {
      throw err(`file ${name} listed in the manifest is missing`);
    }
    if (sha256(data) !== entry.sha256 || data.byteLength !== entry.bytes) {
      throw err(`checksum mismatch for ${name}: the file was modified or corrupted after saving`);
    }
    contents.set(name, data);
  }
  if (options.expectFeatureNames !== undefined) {
    const want = options.expectFeatureNames;
    const got = manifest.featureNames;
    if (got === null) throw err('the model records no feature names, but expectFeatureNames was given');
    if (got.length !== want.length || got.some((f, i) => f !== want[i])) {
      const i = got.findIndex((f, k) => f !== want[k]);
      const at = i >= 0 ? i : Math.min(got.length, want.length);
      throw err(
        `feature names do not match: model has ${got.length} features, expected ${want.length}; first difference ` +
          `at column ${at}: model '${got[at] ?? '(none)'}' vs expected '${want[at] ?? '(none)'}'`,
      );
    }
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse((contents.get(MODEL_FILES.topology) as Buffer).toString('utf8')) as tf.io.ModelJSON;
  } catch {
    throw err(`${MODEL_FILES.topology} is not valid JSON`);
  }
  const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const weights = contents.get(MODEL_FILES.weights) as Buffer;
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (specs.some((w) => w.dtype !== 'float32') || expected !== weights.byteLength) {
    throw err(`${MODEL_FILES.weights} holds ${weights.byteLength} bytes but model.json describes ${expected} (float32)`);
  }
  const widths = manifest.architecture?.layers;
  if (Array.isArray(widths)) {
    const kernels = specs.filter((w) => w.shape.length === 2).map((w) => w.shape);
    const fromSpecs = kernels.length > 0 ? [kernels[0][0], ...kernels.map((s) => s[1])] : [];
    if (fromSpecs.length !== widths.length || fromSpecs.some((v, i) => v !== widths[i])) {
      throw err(`weights shapes [${fromSpecs.join('-')}] do not match the manifest architecture [${widths.join('-')}]`);
    }
  }
  if (manifest.featureNames !== null && manifest.featureNames.length !== manifest.architecture.width) {
    throw err(`manifest has ${manifest.featureNames.length} feature names for width ${manifest.architecture.width}`);
  }
  const attachments: Record<string, unknown> = {};
  for (const name of manifest.attachments ?? []) {
    const buf = contents.get(`${name}.json`);
    if (buf === undefined) throw err(`attachment ${name}.json is not listed with a checksum`);
    try {
      attachments[name] = JSON.parse(buf.toString('utf8'));
    } catch {
      throw err(`attachment ${name}.json is not valid JSON`);
    }
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async () => [specs, weightData]);
  return { manifest, artifacts, attachments };
}
