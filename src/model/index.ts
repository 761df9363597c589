/**
 * The model stage: a dense autoencoder over Float32Array feature rows, tfjs backend selection, and model files.
 * Knows nothing of logs.
 *
 * @module
 */
export {
  Autoencoder,
  type Architecture,
  type EpochLogs,
  type FitOptions,
  type LoadOptions,
  type LoadedModel,
  type StopReason,
  type TrainingHistory,
} from './autoencoder.js';
export {
  selectBackend,
  locateWasmDir,
  TFJS_NODE,
  type BackendName,
  type SelectBackendOptions,
  type TfNamespace,
} from './backend.js';
export type { BatchFactory, DatasetLike, FitData } from './batches.js';
export {
  ModelFileError,
  MODEL_FILES,
  fileSystemLoadHandler,
  readModelDirectory,
  type FileEntry,
  type ModelDirectory,
  type ModelManifest,
  type ReadOptions,
  type SaveExtras,
} from './files.js';
export {
  ACTIVATIONS,
  OPTIMIZERS,
  defaultBottleneck,
  defaultHidden,
  type Activation,
  type AutoencoderOptions,
  type OptimizerName,
} from './options.js';
export { LIBRARY_VERSION, MODEL_FORMAT_VERSION } from './version.js';
