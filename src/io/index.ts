/**
 * Line sources and sinks: reading files / globs / `.gz` / stdin as batches of lines, ECS serialisation, JSON Lines
 * and CSV writers, atomic output files.
 *
 * @module
 */
export { readLines, readLinesFromStream, newReadCounters, binaryFraction, BINARY_THRESHOLD, type ReadLinesOptions, type ReadCounters } from './read-lines.js';
export { readJsonLines, type ReadJsonLinesOptions } from './json-lines.js';
export { expandGlob, resolveInputs, hasGlob, segmentMatcher, describeFsError } from './glob.js';
export {
  toEcs,
  fromEcs,
  getEcs,
  recordToEcs,
  eventToEcs,
  compileEcsJson,
  recordToEcsJson,
  eventToEcsJson,
  type ComputedField,
  eventEcsColumns,
  recordEcsColumns,
  isoTime,
  ECS_TIME_FIELDS,
  type EcsStyle,
  type EcsValue,
  type EcsObject,
  type ToEcsOptions,
} from './ecs.js';
export {
  JsonLinesWriter,
  CsvWriter,
  csvSafeCell,
  openWriter,
  type BatchWriter,
  type WriterOptions,
  type WriteTarget,
  type OutputFormat,
} from './writers.js';
export { AtomicFile, writeFileAtomic, writeWithBackpressure, waitDrain, endStream, removeOpenTempFilesSync, watchTempDir } from './atomic.js';
export { writeEvents, writeRecords, type WriteEcsOptions } from './write-events.js';
