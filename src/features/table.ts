/**
 * {@link SlotTable}: a fixed-size hash table of 64-bit keys with parallel typed-array columns, bounded probing and
 * least-recently-used eviction inside the probe window. Memory is allocated once and never grows.
 *
 * How it stays bounded: a key lives in one of the `probe` slots after its home slot. Inserting a key whose window
 * is full overwrites the entry in that window that was used longest ago (smallest `last`). No slot ever becomes
 * empty again, so lookups stop at the first empty slot or after `probe` slots. The error this introduces: an
 * evicted entry is forgotten (a later event looks "new" again); a colliding 64-bit key would look "known"
 * (probability about `probe / 2^64` per lookup).
 *
 * @module
 */

/** A typed array that can be a table column. */
export type ColumnArray = Float64Array | Float32Array | Uint32Array | Int32Array;

/** Description of one column of a {@link SlotTable}: `stride` values per slot. */
export interface ColumnSpec {
  /** Column name (used in serialised state). */
  readonly name: string;
  /** Element type. */
  readonly type: 'f64' | 'f32' | 'u32' | 'i32';
  /** Values per slot (e.g. 24 for an hour histogram). */
  readonly stride: number;
}

/** Serialised form of a {@link SlotTable}: the occupied slots and their values, in slot order. */
export interface SlotTableState {
  /** Number of slots (power of two). */
  slots: number;
  /** Number of evictions so far. */
  evictions: number;
  /** Base64 of the occupied slot indices (little-endian uint32). */
  index: string;
  /** Base64 of key halves and `last`, for the occupied slots. */
  k1: string;
  /** See `k1`. */
  k2: string;
  /** See `k1`. */
  last: string;
  /** Base64 of each column's values for the occupied slots, by column name. */
  columns: Record<string, string>;
}

function alloc(type: ColumnSpec['type'], n: number): ColumnArray {
  return type === 'f64' ? new Float64Array(n) : type === 'f32' ? new Float32Array(n) : type === 'i32' ? new Int32Array(n) : new Uint32Array(n);
}

/** Base64 of a typed array's bytes (little-endian platforms; Node on x64/arm64 is little-endian). */
export function toBase64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Decodes base64 into a fresh typed array of the given element type, checking the length. */
export function fromBase64<T extends ColumnArray>(s: string, ctor: { new (n: number): T; BYTES_PER_ELEMENT: number }, n: number, what: string): T {
  if (typeof s !== 'string') throw new Error(`encoder state: ${what} must be a base64 string`);
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== n * ctor.BYTES_PER_ELEMENT) {
    throw new Error(`encoder state: ${what} has ${buf.byteLength} bytes, expected ${n * ctor.BYTES_PER_ELEMENT}`);
  }
  const out = new ctor(n);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function ctorOf(type: ColumnSpec['type']): { new (n: number): ColumnArray; BYTES_PER_ELEMENT: number } {
  return type === 'f64' ? Float64Array : type === 'f32' ? Float32Array : type === 'i32' ? Int32Array : Uint32Array;
}

/** A bounded hash table keyed by 64-bit keys (two int32 halves, `k1 !== 0`), with typed-array columns. */
export class SlotTable {
  /** Number of slots (power of two). */
  readonly slots: number;
  /** Key halves (int32); `k1[s] === 0` marks an empty slot. */
  readonly k1: Int32Array;
  /** Second key half. */
  readonly k2: Int32Array;
  /** Last time (epoch ms) the entry was used; the eviction order. */
  readonly last: Float64Array;
  /** Columns by name. */
  readonly cols: Record<string, ColumnArray> = {};
  /** Occupied slots. */
  size = 0;
  /** Entries overwritten because their probe window was full. */
  evictions = 0;
  private readonly mask: number;
  private readonly specs: readonly ColumnSpec[];

  /**
   * @param slots number of slots; rounded up to a power of two, at least 16.
   * @param columns value columns held per slot.
   * @param probe probe window (default 16): the most slots a lookup reads.
   */
  constructor(slots: number, columns: readonly ColumnSpec[], readonly probe = 16) {
    let n = 16;
    while (n < slots) n *= 2;
    this.slots = n;
    this.mask = n - 1;
    this.k1 = new Int32Array(n);
    this.k2 = new Int32Array(n);
    this.last = new Float64Array(n);
    this.specs = columns;
    for (const c of columns) this.cols[c.name] = alloc(c.type, n * c.stride);
  }

  /** The slot holding key (k1, k2), or -1. */
  find(k1: number, k2: number): number {
    const m = this.mask;
    let s = (k1 ^ Math.imul(k2, 0x9e3779b1)) & m;
    for (let i = 0; i < this.probe; i++) {
      const v = this.k1[s];
      if (v === 0) return -1;
      if (v === k1 && this.k2[s] === k2) return s;
      s = (s + 1) & m;
    }
    return -1;
  }

  /**
   * Inserts key (k1, k2), which must not be present, and returns its slot with every column zeroed and `last = t`.
   * Evicts the least recently used entry of the probe window when the window is full.
   */
  insert(k1: number, k2: number, t: number): number {
    const m = this.mask;
    let s = (k1 ^ Math.imul(k2, 0x9e3779b1)) & m;
    let victim = s;
    let oldest = Infinity;
    let found = -1;
    for (let i = 0; i < this.probe; i++) {
      if (this.k1[s] === 0) {
        found = s;
        break;
      }
      const l = this.last[s];
      if (l < oldest) {
        oldest = l;
        victim = s;
      }
      s = (s + 1) & m;
    }
    if (found < 0) {
      found = victim;
      this.evictions++;
      this.clearValues(found);
    } else {
      this.size++;
    }
    this.k1[found] = k1;
    this.k2[found] = k2;
    this.last[found] = t;
    return found;
  }

  /** The slot of (k1, k2), inserting it (zeroed) when absent. */
  upsert(k1: number, k2: number, t: number): number {
    const s = this.find(k1, k2);
    return s >= 0 ? s : this.insert(k1, k2, t);
  }

  private clearValues(s: number): void {
    for (const c of this.specs) this.cols[c.name].fill(0, s * c.stride, (s + 1) * c.stride);
  }

  /** Empties the table (memory stays allocated). */
  clear(): void {
    this.k1.fill(0);
    this.k2.fill(0);
    this.last.fill(0);
    for (const c of this.specs) this.cols[c.name].fill(0);
    this.size = 0;
    this.evictions = 0;
  }

  /** Bytes allocated by the table. */
  get bytes(): number {
    let b = this.k1.byteLength + this.k2.byteLength + this.last.byteLength;
    for (const c of this.specs) b += this.cols[c.name].byteLength;
    return b;
  }

  /** Serialises the occupied slots (slot order, so the output is deterministic). */
  toJSON(): SlotTableState {
    const idx = new Uint32Array(this.size);
    let j = 0;
    for (let s = 0; s < this.slots; s++) if (this.k1[s] !== 0) idx[j++] = s;
    const pick = <T extends ColumnArray>(a: T, stride: number): T => {
      const out = new (a.constructor as { new (n: number): T })(idx.length * stride);
      for (let i = 0; i < idx.length; i++) {
        for (let k = 0; k < stride; k++) out[i * stride + k] = a[idx[i] * stride + k];
      }
      return out;
    };
    const columns: Record<string, string> = {};
    for (const c of [...this.specs].sort((x, y) => (x.name < y.name ? -1 : 1))) {
      columns[c.name] = toBase64(pick(this.cols[c.name], c.stride));
    }
    return {
      slots: this.slots,
      evictions: this.evictions,
      index: toBase64(idx),
      k1: toBase64(pick(this.k1, 1)),
      k2: toBase64(pick(this.k2, 1)),
      last: toBase64(pick(this.last, 1)),
      columns,
    };
  }

  /** Restores a state produced by {@link SlotTable.toJSON} for a table of the same slots and columns. */
  load(state: SlotTableState, what: string): void {
    if (state === null || typeof state !== 'object') throw new Error(`encoder state: ${what} must be an object`);
    if (state.slots !== this.slots) {
      throw new Error(`encoder state: ${what}.slots is ${String(state.slots)}, but the spec's memory options give ${this.slots}`);
    }
    this.clear();
    const idxBytes = typeof state.index === 'string' ? Buffer.from(state.index, 'base64').byteLength : -1;
    if (idxBytes < 0 || idxBytes % 4 !== 0) throw new Error(`encoder state: ${what}.index must be base64 of uint32 values`);
    const n = idxBytes / 4;
    const idx = fromBase64(state.index, Uint32Array, n, `${what}.index`);
    const k1 = fromBase64(state.k1, Int32Array, n, `${what}.k1`);
    const k2 = fromBase64(state.k2, Int32Array, n, `${what}.k2`);
    const last = fromBase64(state.last, Float64Array, n, `${what}.last`);
    for (let i = 0; i < n; i++) {
      const s = idx[i];
      if (s >= this.slots || k1[i] === 0) throw new Error(`encoder state: ${what} has an invalid slot entry`);
      this.k1[s] = k1[i];
      this.k2[s] = k2[i];
      this.last[s] = last[i];
    }
    if (state.columns === null || typeof state.columns !== 'object') throw new Error(`encoder state: ${what}.columns missing`);
    for (const c of this.specs) {
      const vals = fromBase64(state.columns[c.name], ctorOf(c.type), n * c.stride, `${what}.columns.${c.name}`);
      const dst = this.cols[c.name];
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < c.stride; k++) dst[idx[i] * c.stride + k] = vals[i * c.stride + k];
      }
    }
    this.size = n;
    this.evictions = Number.isFinite(state.evictions) ? state.evictions : 0;
  }
}
