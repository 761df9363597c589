/**
 * A temporary on-disk cache of feature rows (raw little-endian Float32, row-major, no header), so training epochs
 * re-read rows in batches instead of re-parsing the logs, and memory stays bounded by one batch.
 *
 * @module
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../model/random.js';

/** Options of {@link RowCache.batches}. */
export interface RowBatchOptions {
  /** Rows per yielded batch (default 4096). */
  batchRows?: number;
  /** First row (inclusive, default 0). */
  start?: number;
  /** Last row (exclusive, default all rows). */
  end?: number;
  /** Shuffle: visit batches in a random order and permute rows inside each batch (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 1). */
  seed?: number;
  /** Stop after this many rows (the last batch cut short); with `shuffle`, a random subset of whole batches. */
  maxRows?: number;
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1) (the model's shuffling generator). */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** Append-then-read cache of fixed-width Float32 rows in a temp file. Call {@link RowCache.dispose} when done. */
export class RowCache {
  private handle: FileHandle | null = null;
  private rowsWritten = 0;
  private sealed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    /** Row width (columns). */
    readonly width: number,
    /** Path of the cache file. */
    readonly path: string,
    private readonly dir: string | null,
  ) {}

  /**
   * Creates an empty cache in a fresh temp directory under `parentDir` (default the OS temp dir).
   * @param width columns per row (positive integer).
   */
  static async create(width: number, parentDir: string = tmpdir()): Promise<RowCache> {
    if (!Number.isInteger(width) || width < 1) throw new Error(`RowCache width must be a positive integer, got ${width}`);
    const dir = await mkdtemp(join(parentDir, 'loginsight-rows-'));
    const cache = new RowCache(width, join(dir, 'rows.f32'), dir);
    cache.handle = await open(cache.path, 'w+');
    return cache;
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowsWritten;
  }

  /** Bytes the cache occupies on disk (after {@link RowCache.seal}). */
  get bytes(): number {
    return this.rowsWritten * this.width * 4;
  }

  /** Appends `rows.length / width` rows (copied; the caller may reuse the array). */
  async append(rows: Float32Array): Promise<void> {
    if (this.sealed) throw new Error('RowCache: append after seal');
    if (rows.length % this.width !== 0) {
      throw new Error(`RowCache: batch length ${rows.length} is not a multiple of width ${this.width}`);
    }
    if (rows.length === 0) return;
    // Buffer.from(Uint8Array) copies, so the caller may reuse `rows`.
    const copy = Buffer.from(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
    this.pending.push(copy);
    this.pendingBytes += copy.length;
    this.rowsWritten += rows.length / this.width;
    if (this.pendingBytes >= 4 << 20) await this.flushPending();
  }

  private async flushPending(): Promise<void> {
    if (this.pending.length === 0 || !this.handle) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, off, buf.length - off, null);
      off += bytesWritten;
    }
  }

  /** Ends writing; the cache becomes readable. */
  async seal(): Promise<void> {
    if (this.sealed) return;
    await this.flushPending();
    this.sealed = true;
  }

  /** Reads rows `[start, start + count)` into a new Float32Array. */
  async read(start: number, count: number): Promise<Float32Array> {
    if (!this.sealed) await this.seal();
    if (!this.handle) throw new Error('RowCache: disposed');
    const n = Math.max(0, Math.min(count, this.rowsWritten - start));
    const out = new Float32Array(n * this.width);
    const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    let off = 0;
    while (off < bytes.length) {
      const { bytesRead } = await this.handle.read(bytes, off, bytes.length - off, (start * this.width) * 4 + off);
      if (bytesRead === 0) throw new Error('RowCache: file shorter than expected');
      off += bytesRead;
    }
    return out;
  }

  /** Yields batches of rows (row-major Float32Array, `k * width` long) in file order or shuffled. */
  async *batches(options: RowBatchOptions = {}): AsyncGenerator<Float32Array> {
    const batchRows = options.batchRows ?? 4096;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error(`RowCache: batchRows must be a positive integer, got ${batchRows}`);
    const start = Math.max(0, options.start ?? 0);
    const end = Math.min(this.rowsWritten, options.end ?? this.rowsWritten);
    if (end <= start) return;
    const chunks: number[] = [];
    for (let s = start; s < end; s += batchRows) chunks.push(s);
    const rand = options.shuffle ? seededRandom(options.seed ?? 1) : null;
    if (rand) {
      for (let i = chunks.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
      }
    }
    const maxRows = options.maxRows ?? Infinity;
    if (!(maxRows > 0)) throw new Error(`RowCache: maxRows must be a positive number, got ${maxRows}`);
    let left = maxRows;
    for (const s of chunks) {
      if (left <= 0) break;
      const n = Math.min(batchRows, end - s, left);
      left -= n;
      const rows = await this.read(s, n);
      if (rand) yield shuffleRows(rows, this.width, rand);
      else yield rows;
    }
  }

  /** Closes and deletes the cache file (and its temp directory). Safe to call twice. */
  async dispose(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    this.pending = [];
    if (h) await h.close().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    else await rm(this.path, { force: true });
  }
}

/** Returns a copy of `rows` with its rows permuted (Fisher-Yates). */
function shuffleRows(rows: Float32Array, width: number, rand: () => number): Float32Array {
  const n = rows.length / width;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const out = new Float32Array(rows.length);
  for (let i = 0; i < n; i++) out.set(rows.subarray(order[i] * width, order[i] * width + width), i * width);
  return out;
}
