/**
 * Training data sources: an in-memory array, a factory of (async) iterables of row batches, or a tfjs Dataset,
 * all turned into fixed-size training and validation batches without materialising a stream.
 *
 * @module
 */
import { shuffleInPlace, type Rng } from './random.js';

/** Minimal shape of a `tf.data.Dataset` (from @tensorflow/tfjs-data, not a dependency here). */
export interface DatasetLike {
  /** Start a fresh pass over the data. */
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
}

/** A source of rows for one epoch: re-invoked once per epoch. */
export type BatchFactory = () => AsyncIterable<Float32Array> | Iterable<Float32Array>;

/** What {@link Autoencoder.fit} accepts: rows in memory, a factory called once per epoch, or a tfjs Dataset. */
export type FitData = Float32Array | BatchFactory | DatasetLike;

/** One batch produced for training or validation. `data` holds `rows` x width values and is not reused. */
export interface Batch {
  kind: 'train' | 'val';
  data: Float32Array;
  rows: number;
}

/** Per-epoch counters of a source. */
export interface SourceCounters {
  /** Rows dropped because they held NaN or Infinity. */
  nonFiniteRows: number;
}

/** Something that yields the batches of one epoch. */
export interface BatchSource {
  epoch(): AsyncIterable<Batch>;
  readonly counters: SourceCounters;
}

/** Copies of the finite rows of `chunk` (or `chunk` itself when all are finite). */
function finiteRows(chunk: Float32Array, width: number, counters: SourceCounters): Float32Array {
  let bad = -1;
  for (let i = 0; i < chunk.length; i++) {
    const v = chunk[i];
    if (v - v !== 0) {
      bad = i;
      break;
    }
  }
  if (bad < 0) return chunk;
  const rows = chunk.length / width;
  const keep = new Float32Array(chunk.length);
  let kept = 0;
  for (let r = 0; r < rows; r++) {
    let ok = true;
    for (let j = r * width, e = j + width; j < e; j++) {
      const v = chunk[j];
      if (v - v !== 0) {
        ok = false;
        break;
      }
    }
    if (ok) {
      keep.set(chunk.subarray(r * width, (r + 1) * width), kept * width);
      kept++;
    } else counters.nonFiniteRows++;
  }
  return keep.subarray(0, kept * width);
}

/** In-memory rows: a fixed random validation subset, the rest shuffled each epoch. */
export class ArraySource implements BatchSource {
  readonly counters: SourceCounters = { nonFiniteRows: 0 };
  private readonly data: Float32Array;
  private readonly train: Uint32Array;
  private readonly val: Uint32Array;

  constructor(
    data: Float32Array,
    private readonly width: number,
    private readonly batchSize: number,
    validationSplit: number,
    private readonly shuffle: boolean,
    private readonly rng: Rng,
  ) {
    if (data.length % width !== 0) {
      throw new Error(`fit: data length ${data.length} is not a multiple of width ${width}`);
    }
    this.data = finiteRows(data, width, this.counters);
    const n = this.data.length / width;
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    let nVal = validationSplit > 0 && n >= 2 ? Math.max(1, Math.round(n * validationSplit)) : 0;
    if (nVal >= n) nVal = n - 1;
    if (nVal > 0) shuffleInPlace(all, rng);
    this.val = all.slice(0, nVal).sort();
    this.train = all.slice(nVal).sort();
  }

  /** Rows used for training / validation. */
  get sizes(): { train: number; val: number } {
    return { train: this.train.length, val: this.val.length };
  }

  private gather(idx: Uint32Array, from: number, to: number): Float32Array {
    const w = this.width;
    const out = new Float32Array((to - from) * w);
    for (let i = from; i < to; i++) {
      const r = idx[i];
      out.set(this.data.subarray(r * w, r * w + w), (i - from) * w);
    }
    return out;
  }

  async *epoch(): AsyncIterable<Batch> {
    const bs = this.batchSize;
    if (this.shuffle) shuffleInPlace(this.train, this.rng);
    for (let i = 0; i < this.train.length; i += bs) {
      const to = Math.min(this.train.length, i + bs);
      yield { kind: 'train', data: this.gather(this.train, i, to), rows: to - i };
    }
    for (let i = 0; i < this.val.length; i += bs) {
      const to = Math.min(this.val.length, i + bs);
      yield { kind: 'val', data: this.gather(this.val, i, to), rows: to - i };
    }
  }
}

function isTensorLike(v: unknown): v is { data(): Promise<ArrayLike<number>>; dispose(): void } {
  return typeof v === 'object' && v !== null && typeof (v as { data?: unknown }).data === 'function' &&
    typeof (v as { dispose?: unknown }).dispose === 'function';
}

/** Converts one dataset element (tensor, `{xs}`, Float32Array or number[]) to rows. */
async function elementToRows(v: unknown, index: number): Promise<Float32Array> {
  if (v instanceof Float32Array) return v;
  if (Array.isArray(v)) return Float32Array.from(v as number[]);
  if (isTensorLike(v)) {
    const d = await v.data();
    v.dispose();
    return d instanceof Float32Array ? d : Float32Array.from(d);
  }
  if (typeof v === 'object' && v !== null && 'xs' in v) return elementToRows((v as { xs: unknown }).xs, index);
  throw new Error(`fit: dataset element ${index} is not a tensor, {xs: tensor}, Float32Array or number[]`);
}

/** Adapts a tfjs Dataset to a per-epoch factory of row chunks. */
export function datasetFactory(ds: DatasetLike): BatchFactory {
  return () => ({
    async *[Symbol.asyncIterator]() {
      const it = await ds.iterator();
      for (let i = 0; ; i++) {
        const r = await it.next();
        if (r.done) return;
        yield await elementToRows(r.value, i);
      }
    },
  });
}

/**
 * Streamed rows: re-batched to `batchSize` by stream position; every `valEvery`-th batch (by position, before any
 * shuffling, so the same rows every epoch) is held out for validation; training rows are shuffled within a buffer of
 * `shuffleBuffer` batches.
 */
export class StreamSource implements BatchSource {
  readonly counters: SourceCounters = { nonFiniteRows: 0 };

  constructor(
    private readonly factory: BatchFactory,
    private readonly width: number,
    private readonly batchSize: number,
    private readonly valEvery: number,
    private readonly shuffleBuffer: number,
    private readonly rng: Rng,
  ) {}

  async *epoch(): AsyncIterable<Batch> {
    const { width: w, batchSize: bs } = this;
    this.counters.nonFiniteRows = 0;
    const carry = new Float32Array(bs * w);
    let carryRows = 0;
    let block = 0;
    const poolCap = this.shuffleBuffer > 1 ? this.shuffleBuffer * bs : 0;
    const pool = poolCap > 0 ? new Float32Array(poolCap * w) : null;
    let poolRows = 0;
    const perm = poolCap > 0 ? new Uint32Array(poolCap) : null;
    const rng = this.rng;
    const valEvery = this.valEvery;

    function* drainPool(): Generator<Batch> {
      if (pool === null || perm === null || poolRows === 0) return;
      for (let i = 0; i < poolRows; i++) perm[i] = i;
      shuffleInPlace(perm, rng, poolRows);
      for (let i = 0; i < poolRows; i += bs) {
        const n = Math.min(bs, poolRows - i);
        const out = new Float32Array(n * w);
        for (let k = 0; k < n; k++) {
          const r = perm[i + k];
          out.set(pool.subarray(r * w, r * w + w), k * w);
        }
        yield { kind: 'train', data: out, rows: n };
      }
      poolRows = 0;
    }

    function* emit(data: Float32Array, rows: number): Generator<Batch> {
      const isVal = valEvery > 0 && block % valEvery === valEvery - 1;
      block++;
      if (isVal) {
        yield { kind: 'val', data, rows };
        return;
      }
      if (pool === null) {
        yield { kind: 'train', data, rows };
        return;
      }
      pool.set(data, poolRows * w);
      poolRows += rows;
      if (poolRows + bs > poolCap) yield* drainPool();
    }

    let index = 0;
    for await (const raw of this.factory()) {
      if (!(raw instanceof Float32Array)) {
        throw new Error(`fit: batch ${index} from the data factory is not a Float32Array`);
      }
      if (raw.length % w !== 0) {
        throw new Error(`fit: batch ${index} has length ${raw.length}, not a multiple of width ${w}`);
      }
      index++;
      const chunk = finiteRows(raw, w, this.counters);
      const chunkRows = chunk.length / w;
      let off = 0;
      while (off < chunkRows) {
        if (carryRows === 0 && chunkRows - off >= bs) {
          yield* emit(chunk.slice(off * w, (off + bs) * w), bs);
          off += bs;
        } else {
          const take = Math.min(bs - carryRows, chunkRows - off);
          carry.set(chunk.subarray(off * w, (off + take) * w), carryRows * w);
          carryRows += take;
          off += take;
          if (carryRows === bs) {
            yield* emit(carry.slice(), bs);
            carryRows = 0;
          }
        }
      }
    }
    if (carryRows > 0) yield* emit(carry.slice(0, carryRows * w), carryRows);
    yield* drainPool();
  }
}
