/**
 * Event assembly: records → one {@link LoginEvent} per login.
 *
 * @module
 */
export { EventAssembler } from './assembler.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type AssemblerCheckpoint,
  type HostCheckpoint,
  type UnitCheckpoint,
  type JsonNumber,
} from './checkpoint.js';
export { assembleEvents, type AssembleEventsOptions } from './stream.js';
export {
  DEFAULT_ASSEMBLER_OPTIONS,
  resolveAssemblerOptions,
  type AssemblerOptions,
  type AssemblerOrder,
  type ResolvedAssemblerOptions,
} from './options.js';
export { EVENT_KINDS, IGNORE_REASONS, createCounters, type AssemblerCounters, type IgnoreReason } from './counters.js';
export {
  EVENT_ECS_FIELDS,
  emptyEvent,
  eventDurationNs,
  type LoginEndReason,
  type LoginEvent,
  type LoginEventKind,
} from './event.js';
