/**
 * Loading a model directory written by {@link train}: network, encoder state, scorer calibration, pipeline state.
 * Anything wrong (missing, tampered, another version, mismatched columns) becomes one {@link ModelDirError}.
 *
 * @module
 */
import { FeatureEncoder, type CustomFeature } from '../features/index.js';
import { Autoencoder } from '../model/index.js';
import { ReconstructionScorer } from '../score/index.js';
import { PIPELINE_FORMAT, PIPELINE_VERSION, type PipelineState } from './train.js';
import type { ReconstructionModel, TrainedModel } from './types.js';

/**
 * A model directory that cannot be used: missing, tampered, from another version, or inconsistent. Its `name` is
 * `'ModelError'`, which the CLI maps to exit code 4 (`EXIT.model`).
 */
export class ModelDirError extends Error {
  override name = 'ModelError';
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Loads a model directory. @throws ModelDirError with a one-line message naming the problem. */
export async function loadTrained(
  dir: string,
  options: { backend?: string; customFeatures?: readonly CustomFeature[] } = {},
): Promise<TrainedModel & { manifest: unknown }> {
  let loaded: Awaited<ReturnType<typeof Autoencoder.load>>;
  try {
    loaded = await Autoencoder.load(dir, options.backend !== undefined ? { backend: options.backend } : {});
  } catch (err) {
    throw new ModelDirError(`bad model directory ${dir}: ${firstLine(err)}`);
  }
  const { autoencoder, attachments, manifest } = loaded;
  try {
    const pipeline = attachments.pipeline;
    if (!isObject(pipeline) || pipeline.format !== PIPELINE_FORMAT) {
      throw new Error('not written by the loginsight pipeline (no pipeline attachment)');
    }
    if (pipeline.version !== PIPELINE_VERSION) {
      throw new Error(`pipeline state version ${String(pipeline.version)} is not supported (this version reads ${PIPELINE_VERSION})`);
    }
    if (!isObject(attachments.encoder)) throw new Error('encoder state missing');
    if (!isObject(attachments.scorer)) throw new Error('scorer state missing');
    let encoder: FeatureEncoder;
    try {
      encoder = FeatureEncoder.fromJSON(attachments.encoder as unknown as Parameters<typeof FeatureEncoder.fromJSON>[0], {
        custom: options.customFeatures ?? [],
      });
    } catch (err) {
      throw new Error(`encoder state: ${firstLine(err)}`);
    }
    let scorer: ReconstructionScorer;
    try {
      scorer = ReconstructionScorer.fromJSON(attachments.scorer as unknown as Parameters<typeof ReconstructionScorer.fromJSON>[0]);
    } catch (err) {
      throw new Error(`scorer state: ${firstLine(err)}`);
    }
    const cols = encoder.columns;
    if (scorer.columns.length !== cols.length || scorer.columns.some((c, i) => c !== cols[i])) {
      throw new Error('encoder and scorer columns differ');
    }
    const state = pipeline as unknown as PipelineState;
    return {
      encoder,
      scorer,
      model: autoencoder as unknown as ReconstructionModel,
      parse: isObject(state.parse) ? state.parse : {},
      customFeatures: options.customFeatures ?? [],
      manifest,
    };
  } catch (err) {
    autoencoder.dispose();
    throw new ModelDirError(`bad model directory ${dir}: ${firstLine(err)}`);
  }
}
