/**
 * Types shared by the scorer, explanations and roll-ups.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';

/** Renders one feature of one event in plain words (the feature encoder's `describe`). */
export type DescribeFn = (column: string, event: LoginEvent, rawValue: number) => string;

/** One scored event: what every output (JSONL, CSV, roll-ups, evaluation) consumes. */
export interface ScoredEvent {
  /** The login event. */
  event: LoginEvent;
  /** Raw score: the reconstruction error (larger = more unusual). Only comparable within one model. */
  score: number;
  /** Calibrated score in [0, 1]: the share of calibration events with an error ≤ this one (comparable across models). */
  normalized: number;
  /** True when `score` is above the scorer's threshold. */
  isAnomaly: boolean;
  /** Plain-language reasons, most important first (empty when not explained). */
  reasons: string[];
}

/** One reason in an explanation: a feature (or group of related columns) and its share of the event's error. */
export interface Explanation {
  /** The reason's group name (e.g. `time.hour` for `time.hour_sin` + `time.hour_cos`). */
  feature: string;
  /** The group's column with the largest contribution (the one passed to `describe`). */
  column: string;
  /** All columns of the group with a non-zero contribution, largest first. */
  columns: string[];
  /** Share of the event's total error carried by the group, in (0, 1]. */
  share: number;
  /** The group's summed contribution to the error (same units as the error). */
  contribution: number;
  /** The row's (scaled) value of `column`, `null` when rows were not given. */
  value: number | null;
  /** Typical range (1st..99th percentile) of `column` in calibration rows, `null` when unknown. */
  typicalRange: [number, number] | null;
  /** Plain-language text. */
  text: string;
}
