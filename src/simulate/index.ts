/**
 * Organisation simulator: deterministic, labelled login activity written as real auth-log text.
 *
 * @module
 */
export { simulate } from './simulator.js';
export type { Simulation, SimulationBatch, SimulationSummary, SimulationCounts, SimHostInfo } from './simulator.js';
export { writeSimulation, SIMULATION_FILES } from './write.js';
export type { WriteProgress, WriteSimulationOptions } from './write.js';
export { readLabels, parseLabelsCsv, labelToCsv, labelCsvHeader, LABEL_COLUMNS, CsvSplitter } from './labels.js';
export type { LabelRow, LabelActor } from './labels.js';
export {
  SCENARIO_NAMES,
  DEFAULT_SCENARIO_COUNTS,
  DEFAULT_SIMULATE_OPTIONS,
  resolveSimulateOptions,
} from './options.js';
export type { SimulateOptions, ResolvedSimulateOptions, ScenarioName, ScenarioCounts, SimEnvelope } from './options.js';
export type { ScenarioInstance } from './scenarios.js';
export { Rng } from './rng.js';
