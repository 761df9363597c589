/**
 * {@link FeatureEncoder}: login events in, scaled `Float32Array` rows with named columns out. Streaming `fit`
 * (one pass, bounded memory), `partialFit`, batch `transform`, `resetHistory`, plain-language `describe`, and
 * versioned deterministic JSON state.
 *
 * No look-ahead: for each event the encoder computes the row from state built by earlier events only, then
 * updates the state with the event.
 *
 * @module
 */
import type { LoginEvent } from '../assemble/event.js';
import { MutableContext } from './context.js';
import { describeFeature } from './describe.js';
import type { Family, RawFeature } from './family.js';
import { NoveltyFamily } from './families/novelty.js';
import { updateProfile } from './families/profile.js';
import { TimeFamily } from './families/time.js';
import { VelocityFamily } from './families/velocity.js';
import { WhatFamily } from './families/what.js';
import { WhereFamily } from './families/where.js';
import { History, type StateSize } from './history.js';
import { PREPARE_CHUNK, Preparer, type Prepared } from './prepare.js';
import { ReservoirScaler } from './scaler.js';
import { DEFAULT_COLUMN_WEIGHTS, resolveSpec, type CustomFeature, type FamilyName, type FeatureSpec, type ResolvedSpec } from './spec.js';
import { checkState, ENCODER_STATE_FORMAT, ENCODER_STATE_VERSION, sortKeysDeep, type EncoderState } from './state.js';
import { LocalClock } from './timezone.js';

/** Constructor options of {@link FeatureEncoder}. */
export interface FeatureEncoderOptions {
  /** The feature spec (defaults: {@link DEFAULT_FEATURE_SPEC}). */
  spec?: FeatureSpec;
}

/** Options of {@link FeatureEncoder.transform}. */
export interface TransformOptions {
  /** Update the behavioural state with the batch (default true). With false every event sees the pre-batch state. */
  update?: boolean;
  /** Write rows here (length ≥ batch.length × width) instead of allocating. */
  out?: Float32Array;
  /**
   * Also write the raw (unscaled) values here, same layout as the rows (for {@link FeatureEncoder.describeRaw}).
   * Bounded features (one-hots, flags, sin/cos, rarities, all within [-1, 1]) are float32 values, as in the rows;
   * counts, durations and other scaled features are exact.
   */
  raw?: Float32Array | Float64Array;
}

/** Size report of an encoder: behavioural state plus scaling sample and caches. */
export interface EncoderStateSize extends StateSize {
  /** Bytes of the scaling reservoir sample. */
  scalingBytes: number;
  /** Total bytes (state + scaling). */
  totalBytes: number;
}

/** One output column's description. */
export interface ColumnInfo {
  /** Column name. */
  name: string;
  /** Family (or `custom`). */
  family: FamilyName | 'custom';
  /** Transform before scaling. */
  transform: 'identity' | 'log1p';
  /** Scaling kind. */
  scaling: 'robust' | 'none';
  /** Weight after scaling. */
  weight: number;
  /** Learned centre (0 for unscaled columns). */
  center: number;
  /** Learned scale (1 for unscaled columns). */
  scale: number;
}

/** `Math.log1p` of the integers 0..255 (counts are often small integers; a table read beats the libm call). */
const LOG1P_INT = Float64Array.from({ length: 256 }, (_, i) => Math.log1p(i));

function isOptions(x: FeatureSpec | FeatureEncoderOptions): x is FeatureEncoderOptions {
  return x !== null && typeof x === 'object' && 'spec' in x;
}

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** Groups column names by family (the part before the first `.`), in column order. */
export function columnsByFamily(columns: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of columns) {
    const f = c.slice(0, c.indexOf('.') < 0 ? c.length : c.indexOf('.'));
    (out[f] ??= []).push(c);
  }
  return out;
}

/** Turns login events into fixed-width, scaled numeric rows. */
export class FeatureEncoder {
  /** Output column names, in row order. */
  readonly columns: readonly string[];
  /** Number of columns. */
  readonly width: number;
  /** The resolved spec (every default filled in). */
  readonly spec: Readonly<ResolvedSpec>;

  private readonly custom: readonly CustomFeature[];
  private readonly clock: LocalClock;
  private readonly prep: Preparer;
  /** Events prepared together (1 with custom features, which could in principle look at later events). */
  private readonly chunk: number;
  private readonly history: History;
  // One field per family so every call site stays monomorphic (a shared `fams[i].compute` call would be megamorphic).
  private readonly fTime: TimeFamily | null;
  private readonly fWhat: WhatFamily | null;
  private readonly fWhere: WhereFamily | null;
  private readonly fNovelty: NoveltyFamily | null;
  private readonly fVelocity: VelocityFamily | null;
  private readonly bTime: number;
  private readonly bWhat: number;
  private readonly bWhere: number;
  private readonly bNovelty: number;
  private readonly bVelocity: number;
  private readonly rawFeatures: RawFeature[];
  /**
   * Raw values of the events of the current chunk, `rawFeatures.length` per event: rows are computed (and the
   * state updated) event by event, then scaled and written out together after the chunk. "Unit" features
   * (bounded one-hots, flags, sin/cos, rarities: {@link RawFeature.unit}) are stored here as float32, which is
   * what the output holds anyway; the scaled and transformed features are in {@link FeatureEncoder.chunkWide}.
   */
  private readonly chunkRaw: Float32Array;
  /** Float64 values of the non-unit features of the chunk (same indices as `chunkRaw`; the unit slots are unused). */
  private readonly chunkWide: Float64Array;
  /** 1 for raw features kept in `chunkWide` (every feature that is not a built-in unit feature). */
  private readonly isWide: Uint8Array;
  /** The chunk's first wide row (custom features run with chunks of one event, so their event's row is this one). */
  private readonly rawBuf: Float64Array;
  private readonly customBase: number;
  private readonly ctx: MutableContext;
  private readonly colRaw: Int32Array;
  private readonly colLog: Uint8Array;
  private readonly colWeight: Float64Array;
  private readonly colInfo: RawFeature[];
  private readonly colIndex: Map<string, number>;
  private readonly scaledCols: Int32Array;
  // Column groups of the scaling pass, each as parallel arrays indexed by position in the group (sequential reads):
  // raw index, weight (and for scaled columns the output column, for their centre and scale).
  /**
   * "Unit" columns whose weight is not 1: built-in unscaled identity columns, whose values are finite and within
   * [-1, 1] by construction (one-hots, flags, sin/cos, rarities; see {@link RawFeature}). With `clip >= 1` clipping
   * and the NaN check cannot change them, so they are only weighted; those of weight 1 are left as they are. Every
   * unit column is in the checked group instead when `clip < 1`.
   */
  private readonly unitRaw: Int32Array;
  private readonly unitW: Float64Array;
  /** Other unscaled identity columns (custom features): clipped and NaN-checked, centre 0 and scale 1 forever. */
  private readonly plainRaw: Int32Array;
  private readonly plainW: Float64Array;
  /** 1 where a plain column's raw value is in `chunkWide` (custom features), 0 in `chunkRaw` (unit columns, clip < 1). */
  private readonly plainWide: Uint8Array;
  /** The remaining columns: transform, centre, scale (`fullCenter`/`fullInv` refreshed with the scaling). */
  private readonly fullRaw: Int32Array;
  private readonly fullOut: Int32Array;
  private readonly fullW: Float64Array;
  private readonly fullLog: Uint8Array;
  private readonly fullCenter: Float64Array;
  private readonly fullInv: Float64Array;
  private readonly scaledVals: Float64Array;
  /**
   * Whether output column `c` is raw feature `c` for every column (nothing dropped, the default): rows are then
   * completed in place in {@link FeatureEncoder.chunkRaw} (float32, like the output) and copied to the output with
   * one `TypedArray.set` per chunk (a plain memory copy) instead of element by element.
   */
  private readonly inPlace: boolean;
  /** `chunkViews[m]`: the first `m` raw rows of the chunk (for the in-place path's `set`). */
  private readonly chunkViews: Float32Array[];
  private readonly scaler: ReservoirScaler;
  /**
   * The clip bound as a float64 (hot loop): a small-integer field read into the row loop would make TurboFan box the
   * loop's float values (a heap allocation per column).
   */
  private readonly clipF64: Float64Array;
  private readonly invScale: Float64Array;
  private readonly center: Float64Array;
  private scalingDirty = false;

  /** @param spec a {@link FeatureSpec} or `{ spec }`; throws an Error naming any invalid option. */
  constructor(spec: FeatureSpec | FeatureEncoderOptions = {}) {
    const s: FeatureSpec = isOptions(spec) ? (spec.spec ?? {}) : spec;
    this.spec = resolveSpec(s);
    this.custom = [...(s.custom ?? [])];
    const f = this.spec.families;
    this.clock = new LocalClock(this.spec.timezone);
    this.prep = new Preparer(this.clock);
    this.chunk = this.custom.length > 0 ? 1 : PREPARE_CHUNK;
    this.history = new History(this.spec.memory);
    this.fTime = f.time.enabled ? new TimeFamily(f.time) : null;
    this.fWhat = f.what.enabled ? new WhatFamily(f.what) : null;
    this.fWhere = f.where.enabled ? new WhereFamily(f.where) : null;
    this.fNovelty = f.novelty.enabled ? new NoveltyFamily() : null;
    this.fVelocity = f.velocity.enabled ? new VelocityFamily(f.velocity) : null;
    this.rawFeatures = [];
    const baseOf = (fam: Family | null): number => {
      if (fam === null) return -1;
      const base = this.rawFeatures.length;
      this.rawFeatures.push(...fam.features);
      return base;
    };
    this.bTime = baseOf(this.fTime);
    this.bWhat = baseOf(this.fWhat);
    this.bWhere = baseOf(this.fWhere);
    this.bNovelty = baseOf(this.fNovelty);
    this.bVelocity = baseOf(this.fVelocity);
    this.customBase = this.rawFeatures.length;
    for (const c of this.spec.custom) {
      this.rawFeatures.push({ name: `custom.${c.name}`, family: 'custom', transform: c.transform, scaling: c.scaling });
    }
    this.chunkRaw = new Float32Array(this.rawFeatures.length * PREPARE_CHUNK);
    this.chunkWide = new Float64Array(this.rawFeatures.length * PREPARE_CHUNK);
    this.isWide = Uint8Array.from(this.rawFeatures, (r) => (r.unit === true && r.family !== 'custom' ? 0 : 1));
    this.rawBuf = this.chunkWide.subarray(0, this.rawFeatures.length);
    const rawIndex = new Map(this.rawFeatures.map((r, i) => [r.name, i]));
    this.ctx = new MutableContext(rawIndex, this.chunkRaw.subarray(0, this.rawFeatures.length), this.rawBuf, this.isWide);

    for (const d of this.spec.drop) {
      if (!this.rawFeatures.some((r) => matches(d, r.name))) {
        throw new Error(`FeatureSpec.drop: '${d}' matches no column; columns are listed by new FeatureEncoder().columns`);
      }
    }
    for (const k of Object.keys(this.spec.weights)) {
      // A default weight whose column is off (family disabled) is simply unused; a user's key must match.
      if (Object.hasOwn(DEFAULT_COLUMN_WEIGHTS, k) && DEFAULT_COLUMN_WEIGHTS[k] === this.spec.weights[k]) continue;
      if (!this.rawFeatures.some((r) => matches(k, r.name))) throw new Error(`FeatureSpec.weights: '${k}' matches no column`);
    }
    const kept = this.rawFeatures.map((r, i) => ({ r, i })).filter(({ r }) => !this.spec.drop.some((d) => matches(d, r.name)));
    if (kept.length === 0) throw new Error('FeatureSpec: every column is disabled or dropped; keep at least one');
    this.width = kept.length;
    this.columns = Object.freeze(kept.map(({ r }) => r.name));
    this.colInfo = kept.map(({ r }) => r);
    this.colIndex = new Map(this.columns.map((c, i) => [c, i]));
    this.colRaw = Int32Array.from(kept, ({ i }) => i);
    this.colLog = Uint8Array.from(kept, ({ r }) => (r.transform === 'log1p' ? 1 : 0));
    this.colWeight = Float64Array.from(kept, ({ r }) => {
      let w = r.family === 'custom' ? (this.spec.custom.find((c) => `custom.${c.name}` === r.name)?.weight ?? 1) : f[r.family].weight;
      for (const [k, v] of Object.entries(this.spec.weights)) if (matches(k, r.name)) w *= v;
      return w;
    });
    const scaled: number[] = [];
    kept.forEach(({ r }, c) => r.scaling === 'robust' && scaled.push(c));
    this.scaledCols = Int32Array.from(scaled);
    const unit: number[] = [];
    const plain: number[] = [];
    const full: number[] = [];
    kept.forEach(({ r }, c) => {
      if (r.scaling !== 'none' || r.transform !== 'identity') full.push(c);
      else if (r.unit === true && r.family !== 'custom' && this.spec.scaling.clip >= 1) unit.push(c);
      else plain.push(c);
    });
    const single = unit.filter((c) => this.colWeight[c] !== 1);
    this.unitRaw = Int32Array.from(single, (c) => this.colRaw[c]);
    this.unitW = Float64Array.from(single, (c) => this.colWeight[c]);
    this.plainRaw = Int32Array.from(plain, (c) => this.colRaw[c]);
    this.plainW = Float64Array.from(plain, (c) => this.colWeight[c]);
    this.plainWide = Uint8Array.from(plain, (c) => this.isWide[this.colRaw[c]]);
    this.fullRaw = Int32Array.from(full, (c) => this.colRaw[c]);
    this.fullOut = Int32Array.from(full);
    this.fullW = Float64Array.from(full, (c) => this.colWeight[c]);
    this.fullLog = Uint8Array.from(full, (c) => this.colLog[c]);
    this.fullCenter = new Float64Array(full.length);
    this.fullInv = new Float64Array(full.length).fill(1);
    this.scaledVals = new Float64Array(scaled.length);
    this.inPlace = this.width === this.rawFeatures.length && kept.every(({ i }, c) => i === c);
    const R = this.rawFeatures.length;
    this.chunkViews = Array.from({ length: PREPARE_CHUNK + 1 }, (_, m) => this.chunkRaw.subarray(0, m * R));
    const sc = this.spec.scaling;
    this.scaler = new ReservoirScaler(scaled.length, sc.sampleSize, sc.seed, sc.method, sc.minScale);
    this.clipF64 = Float64Array.of(sc.clip);
    this.center = new Float64Array(this.width);
    this.invScale = new Float64Array(this.width).fill(1);
  }

  /** Whether scaling statistics have been learned (`fit`, or `partialFit` followed by `transform`). */
  get fitted(): boolean {
    return this.scaler.fitted;
  }

  /** Raw features of `e`, the `i`-th event of the chunk last given to the preparer, into raw row `i` of the chunk. */
  private computeRaw(e: LoginEvent, i: number): Prepared {
    const h = this.history;
    const p = this.prep.prepare(e, i, h);
    const raw = this.chunkRaw;
    const wide = this.chunkWide;
    const r = i * this.rawFeatures.length;
    if (this.fTime !== null) this.fTime.compute(p, h, raw, wide, r + this.bTime);
    if (this.fWhat !== null) this.fWhat.compute(p, h, raw, wide, r + this.bWhat);
    if (this.fWhere !== null) this.fWhere.compute(p, h, raw, wide, r + this.bWhere);
    if (this.fNovelty !== null) this.fNovelty.compute(p, h, raw, wide, r + this.bNovelty);
    if (this.fVelocity !== null) this.fVelocity.compute(p, h, raw, wide, r + this.bVelocity);
    if (this.custom.length > 0) {
      this.ctx.set(p, h);
      for (let j = 0; j < this.custom.length; j++) {
        let v: number;
        try {
          v = this.custom[j].compute(e, this.ctx);
        } catch {
          v = 0;
        }
        this.rawBuf[this.customBase + j] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
      }
    }
    return p;
  }

  private commit(p: Prepared): void {
    const h = this.history;
    if (this.fNovelty !== null) this.fNovelty.update(p, h);
    if (this.fVelocity !== null) this.fVelocity.update(p, h);
    updateProfile(p, h);
    for (let j = 0; j < this.custom.length; j++) {
      const u = this.custom[j].update;
      if (u !== undefined) {
        try {
          u.call(this.custom[j], p.event, this.ctx);
        } catch {
          // A failing user hook must not stop the stream.
        }
      }
    }
    h.events++;
    const ts = p.event.timestamp;
    if (p.t === ts && ts > h.lastTime) h.lastTime = ts;
  }

  private refreshScaling(): void {
    if (this.scalingDirty && this.scaler.rows > 0) this.scaler.finalize();
    this.scalingDirty = false;
    const sc = this.scaledCols;
    for (let k = 0; k < sc.length; k++) {
      this.center[sc[k]] = this.scaler.center[k];
      this.invScale[sc[k]] = 1 / this.scaler.scale[k];
    }
    for (let k = 0; k < this.fullOut.length; k++) {
      this.fullCenter[k] = this.center[this.fullOut[k]];
      this.fullInv[k] = this.invScale[this.fullOut[k]];
    }
  }

  private transformed(c: number, r: number): number {
    const v = this.chunkWide[r + this.colRaw[c]];
    return this.colLog[c] === 1 ? (v >= 0 ? Math.log1p(v) : -Math.log1p(-v)) : v;
  }

  /**
   * Learns scaling in one streaming pass over `source` (batches of events), starting from empty history and
   * scaling. Raw features are computed with no look-ahead and the history is updated as the stream goes, so the
   * scaling matches what `transform` produces. Afterwards the history reflects the whole source; the pipeline
   * usually calls {@link FeatureEncoder.resetHistory} and transforms the history again to get training rows.
   */
  async fit(source: AsyncIterable<readonly LoginEvent[]> | Iterable<readonly LoginEvent[]>): Promise<this> {
    this.history.clear();
    for (const c of this.custom) c.reset?.();
    this.scaler.reset();
    for await (const batch of source) this.partialFit(batch);
    this.scalingDirty = true;
    this.refreshScaling();
    return this;
  }

  /** Continues fitting with one batch: updates history and the scaling sample (statistics refresh lazily). */
  partialFit(batch: readonly LoginEvent[]): this {
    const sc = this.scaledCols;
    const n = batch.length;
    for (let c0 = 0; c0 < n; c0 += this.chunk) {
      const c1 = Math.min(n, c0 + this.chunk);
      this.prep.prepareChunk(batch, c0, c1, this.history);
      // Families find their one-hot slots zeroed and only set the ones (see Family.compute).
      this.chunkRaw.fill(0, 0, (c1 - c0) * this.rawFeatures.length);
      for (let i = c0; i < c1; i++) {
        const p = this.computeRaw(batch[i], i - c0);
        if (this.scaler.wants()) {
          const r = (i - c0) * this.rawFeatures.length;
          for (let k = 0; k < sc.length; k++) {
            const v = this.transformed(sc[k], r);
            this.scaledVals[k] = v;
          }
          this.scaler.offer(this.scaledVals);
        } else {
          this.scaler.skip();
        }
        this.commit(p);
      }
    }
    if (batch.length > 0) this.scalingDirty = true;
    return this;
  }

  /**
   * Encodes a batch: returns `batch.length × width` scaled values, row-major. Each row is computed from state
   * built by earlier events only; with `update` (default true) the state then absorbs the event. Before any fit
   * the scaling is the identity. Values are finite, clipped to ±clip before weighting.
   */
  transform(batch: readonly LoginEvent[], options: TransformOptions = {}): Float32Array {
    if (this.scalingDirty) this.refreshScaling();
    const update = options.update !== false;
    const w = this.width;
    const n = batch.length;
    const out = options.out ?? new Float32Array(n * w);
    if (out.length < n * w) throw new Error(`transform: options.out holds ${out.length} values, needs ${n * w}`);
    const rawOut = options.raw;
    if (rawOut !== undefined && rawOut.length < n * w) throw new Error(`transform: options.raw holds ${rawOut.length} values, needs ${n * w}`);
    for (let c0 = 0; c0 < n; c0 += this.chunk) {
      const c1 = Math.min(n, c0 + this.chunk);
      this.prep.prepareChunk(batch, c0, c1, this.history);
      // Families find their one-hot slots zeroed and only set the ones (see Family.compute).
      this.chunkRaw.fill(0, 0, (c1 - c0) * this.rawFeatures.length);
      for (let i = c0; i < c1; i++) {
        const p = this.computeRaw(batch[i], i - c0);
        if (update) this.commit(p);
      }
      // Scaling does not depend on the state, so the chunk's rows are written once all its raw rows are known.
      if (rawOut !== undefined) {
        const R = this.rawFeatures.length;
        for (let i = c0; i < c1; i++) this.writeRaw(rawOut, i * w, (i - c0) * R);
      }
      this.scaleInPlace(c1 - c0);
      if (this.inPlace) out.set(this.chunkViews[c1 - c0], c0 * w);
      else this.gatherRows(out, c0, c1 - c0);
    }
    return out;
  }

  private writeRaw(rawOut: Float32Array | Float64Array, o: number, r: number): void {
    const raw = this.chunkRaw;
    const wide = this.chunkWide;
    const isWide = this.isWide;
    const colRaw = this.colRaw;
    for (let c = 0; c < this.width; c++) {
      const j = colRaw[c];
      rawOut[o + c] = isWide[j] === 1 ? wide[r + j] : raw[r + j];
    }
  }

  /**
   * Copies the chunk's first `m` scaled rows ({@link FeatureEncoder.scaleInPlace}) to output rows `first .. first + m`
   * of `out`, column `c` from raw feature `colRaw[c]` (a spec that drops features; otherwise the rows are copied whole).
   */
  private gatherRows(out: Float32Array, first: number, m: number): void {
    const raw = this.chunkRaw;
    const colRaw = this.colRaw;
    const R = this.rawFeatures.length;
    const w = this.width;
    for (let i = 0; i < m; i++) {
      const a = i * R;
      const d = (first + i) * w;
      for (let c = 0; c < w; c++) out[d + c] = raw[a + colRaw[c]];
    }
  }

  /**
   * Scales, clips and weights the chunk's first `m` raw rows in place, into the float32 rows of `chunkRaw` (unit
   * features read from there, the others from `chunkWide`): per kept column `clip((transform(raw) − centre) × (1 /
   * scale)) × weight`, NaN → 0, column by column over the chunk so each column's constants are loaded once.
   * Unscaled identity columns keep centre 0 and scale 1, and `(v − 0) × 1 === v` for every double, so their loop
   * skips those steps (same bits); built-in ones ("unit" columns) are moreover finite and within [-1, 1] ⊆ [-clip,
   * clip], so clipping and the NaN check leave them as they are and are skipped too, and those of weight 1 are left
   * as they stand (`v × 1 === v`). Afterwards the rows hold the output values, in raw-feature order.
   */
  private scaleInPlace(m: number): void {
    const raw = this.chunkRaw;
    const wide = this.chunkWide;
    const R = this.rawFeatures.length;
    const n = m * R;
    const uRaw = this.unitRaw;
    const uW = this.unitW;
    for (let k = 0; k < uRaw.length; k++) {
      const wt = uW[k];
      for (let a = uRaw[k]; a < n; a += R) raw[a] = raw[a] * wt;
    }
    const clip = this.clipF64[0];
    const pRaw = this.plainRaw;
    const pW = this.plainW;
    const pWide = this.plainWide;
    for (let k = 0; k < pRaw.length; k++) {
      const wt = pW[k];
      const src = pWide[k] === 1 ? wide : null;
      for (let a = pRaw[k]; a < n; a += R) {
        let v = src !== null ? src[a] : raw[a];
        if (v > clip) v = clip;
        else if (v < -clip) v = -clip;
        else if (v !== v) v = 0;
        raw[a] = v * wt;
      }
    }
    const fRaw = this.fullRaw;
    const fW = this.fullW;
    const fLog = this.fullLog;
    const center = this.fullCenter;
    const inv = this.fullInv;
    for (let k = 0; k < fRaw.length; k++) {
      const wt = fW[k];
      const ctr = center[k];
      const iv = inv[k];
      const log = fLog[k] === 1;
      for (let a = fRaw[k]; a < n; a += R) {
        let v = wide[a];
        if (log && v !== 0) {
          const x = v > 0 ? v : -v;
          const l = x < 256 && x === Math.floor(x) ? LOG1P_INT[x | 0] : Math.log1p(x);
          v = v > 0 ? l : -l;
        }
        v = (v - ctr) * iv;
        if (v > clip) v = clip;
        else if (v < -clip) v = -clip;
        else if (v !== v) v = 0;
        raw[a] = v * wt;
      }
    }
  }

  /** Forgets behavioural state (profiles, relations, windows, sketches); keeps the learned scaling. */
  resetHistory(): void {
    this.history.clear();
    for (const c of this.custom) c.reset?.();
  }

  /** Entries, capacities, evictions and bytes of the state (bounded by the spec's memory options). */
  stateSize(): EncoderStateSize {
    const s = this.history.size();
    return { ...s, scalingBytes: this.scaler.bytes, totalBytes: s.bytes + this.scaler.bytes };
  }

  /** Column names grouped by family, in column order. */
  columnGroups(): Record<string, string[]> {
    return columnsByFamily(this.columns);
  }

  /** Description of every output column, including learned centre and scale. */
  columnInfo(): ColumnInfo[] {
    if (this.scalingDirty) this.refreshScaling();
    return this.colInfo.map((r, c) => ({
      name: r.name,
      family: r.family,
      transform: r.transform,
      scaling: r.scaling,
      weight: this.colWeight[c],
      center: this.center[c],
      scale: 1 / this.invScale[c],
    }));
  }

  /**
   * Inverts scaling and weighting of an output value of `column` back to its raw value (exact unless the value
   * was clipped or the weight is 0, in which case the result is the clipped boundary's raw value or NaN).
   */
  unscale(column: string, value: number): number {
    const c = this.colIndex.get(column);
    if (c === undefined) return NaN;
    if (this.scalingDirty) this.refreshScaling();
    const w = this.colWeight[c];
    if (w === 0) return NaN;
    const v = (value / w) / this.invScale[c] + this.center[c];
    return this.colLog[c] === 1 ? (v >= 0 ? Math.expm1(v) : -Math.expm1(-v)) : v;
  }

  /**
   * Plain-language phrase for one column of one event, for explanations ("first login of alice to db-07").
   * `value` is the column's value in the row returned by {@link FeatureEncoder.transform} (scaled, as the
   * scorer sees it); it is converted back to the raw value with {@link FeatureEncoder.unscale}. Call it soon
   * after encoding the event: phrases about the user's usual hours read the current profile. With a NaN value
   * (row not available) phrases that depend on the value return `''` so the caller can use generic text.
   */
  describe(column: string, event: LoginEvent, value: number): string {
    return this.describeRaw(column, event, this.unscale(column, value));
  }

  /** Like {@link FeatureEncoder.describe} but `raw` is the unscaled value (from `transform`'s `raw` option). */
  describeRaw(column: string, event: LoginEvent, raw: number): string {
    const c = this.colIndex.get(column);
    if (c === undefined) return `${column} (not a column of this encoder)`;
    if (this.colInfo[c].family === 'custom') {
      const cf = this.custom.find((x) => `custom.${x.name}` === column);
      if (cf?.describe) {
        try {
          return cf.describe(event, raw);
        } catch {
          // fall through to the generic phrase
        }
      }
      return `${column} = ${Number.isFinite(raw) ? Number(raw.toPrecision(4)) : 'unknown'}`;
    }
    return describeFeature({ spec: this.spec, history: this.history, clock: this.clock }, column, event, raw);
  }

  /** Serialises scaling and history to versioned JSON; `JSON.stringify` of it is byte-for-byte deterministic. */
  toJSON(): EncoderState {
    if (this.scalingDirty) this.refreshScaling();
    return sortKeysDeep({
      format: ENCODER_STATE_FORMAT,
      version: ENCODER_STATE_VERSION,
      spec: this.spec as ResolvedSpec,
      columns: [...this.columns],
      scaling: this.scaler.toJSON(),
      history: this.history.toJSON(),
    });
  }

  /**
   * Restores an encoder from {@link FeatureEncoder.toJSON}. Custom feature functions cannot be serialised: pass
   * them again in `options.custom` (matched by name). Throws an Error that says what is wrong with the state.
   */
  static fromJSON(state: EncoderState, options: { custom?: readonly CustomFeature[] } = {}): FeatureEncoder {
    checkState(state);
    const spec = state.spec;
    const given = options.custom ?? [];
    const names = Array.isArray(spec.custom) ? spec.custom.map((c) => c?.name) : [];
    const custom = names.map((n) => {
      const fn = given.find((c) => c.name === n);
      if (fn === undefined) throw new Error(`encoder state: custom feature '${String(n)}' needs its function: pass it in fromJSON(state, { custom })`);
      const saved = spec.custom.find((c) => c.name === n);
      // Wrap rather than spread, so methods on a class prototype keep working.
      const wrapped: CustomFeature = {
        name: fn.name,
        compute: (e, ctx) => fn.compute(e, ctx),
        transform: saved?.transform,
        scaling: saved?.scaling,
        weight: saved?.weight,
      };
      if (fn.describe) wrapped.describe = (e, raw) => (fn.describe as NonNullable<CustomFeature['describe']>).call(fn, e, raw);
      if (fn.update) wrapped.update = (e, ctx) => (fn.update as NonNullable<CustomFeature['update']>).call(fn, e, ctx);
      if (fn.reset) wrapped.reset = () => (fn.reset as NonNullable<CustomFeature['reset']>).call(fn);
      return wrapped;
    });
    let enc: FeatureEncoder;
    try {
      enc = new FeatureEncoder({ ...spec, custom } as FeatureSpec);
    } catch (err) {
      throw new Error(`encoder state: invalid spec: ${(err as Error).message}`);
    }
    if (enc.columns.length !== state.columns.length || enc.columns.some((c, i) => c !== state.columns[i])) {
      throw new Error('encoder state: columns do not match the columns its spec produces (state from another version?)');
    }
    enc.scaler.load(state.scaling);
    enc.history.load(state.history);
    enc.scalingDirty = false;
    enc.refreshScaling();
    return enc;
  }
}
