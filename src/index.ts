/**
 * loginsight — find suspicious logins in Linux auth logs without labels.
 *
 * Data flows one way: lines → {@link LineParser | grammar} → `LogRecord` → {@link EventAssembler | assembler} →
 * `LoginEvent` → {@link FeatureEncoder | encoder} → `Float32Array` rows → {@link Autoencoder} → reconstructions →
 * {@link ReconstructionScorer | scorer} → scored, explained events. `train` / `score` / `detect` wire the whole job.
 *
 * @packageDocumentation
 */
export * from './grammar/index.js';
export * from './assemble/index.js';
export * from './features/index.js';
export * from './model/index.js';
export * from './score/index.js';
export * from './io/index.js';
export * from './simulate/index.js';
export * from './evaluate/index.js';
export * from './report/index.js';
export * from './pipeline/index.js';
