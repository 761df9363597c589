/**
 * Feature encoder: login events to fixed-width numeric rows with named columns. See docs/features.md.
 *
 * @module
 */
export { FeatureEncoder, columnsByFamily } from './encoder.js';
export type { FeatureEncoderOptions, TransformOptions, EncoderStateSize, ColumnInfo } from './encoder.js';
export { DEFAULT_FEATURE_SPEC, DEFAULT_ACTIONS, DEFAULT_COLUMN_WEIGHTS, FAMILY_NAMES, resolveSpec } from './spec.js';
export type {
  FeatureSpec,
  ResolvedSpec,
  FamilyName,
  FamilyOptions,
  TimeFamilyOptions,
  WhatFamilyOptions,
  WhereFamilyOptions,
  NoveltyFamilyOptions,
  VelocityFamilyOptions,
  ScalingOptions,
  MemoryOptions,
  CustomFeature,
  FeatureContext,
} from './spec.js';
export { ENCODER_STATE_FORMAT, ENCODER_STATE_VERSION } from './state.js';
export type { EncoderState, JsonValue } from './state.js';
export type { StateSize, HistoryState } from './history.js';
export type { ScalerState } from './scaler.js';
export type { SlotTableState } from './table.js';
export type { CountMinState } from './sketch.js';
export { ADDRESS_CLASSES, parseAddress, subnetLabel } from './address.js';
export type { AddressClass, AddressInfo } from './address.js';
export { METHODS, KEY_TYPES, KINDS, OUTCOMES } from './prepare.js';
