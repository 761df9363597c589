/**
 * Versions written into model manifests.
 *
 * @module
 */

/** The library version recorded in manifests (kept equal to package.json's version; a test checks it). */
export const LIBRARY_VERSION = '0.1.0';

/** Version of the model directory layout written by `save`. */
export const MODEL_FORMAT_VERSION = 1;

/** Model directory layout versions `load` can read. */
export const SUPPORTED_MODEL_FORMAT_VERSIONS: readonly number[] = [1];
