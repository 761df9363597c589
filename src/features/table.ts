/**
 * {@link SlotTable}: a fixed-size hash table of 64-bit keys whose slots are fixed-size records in one
 * `ArrayBuffer` (key, last-use time and value columns side by side), with bounded probing and least-recently-used
 * eviction inside the probe window. Memory is allocated once and never grows; a lookup that hits touches one or
 * two cache lines.
 *
 * How it stays bounded: a key lives in one of the `probe` slots after its home slot. Inserting a key whose window
 * is full overwrites the entry in that window that was used longest ago (smallest `last`). No slot ever becomes
 * empty again, so lookups stop at the first empty slot or after `probe` slots. The error this introduces: an
 * evicted entry is forgotten (a later event looks "new" again); a colliding 64-bit key would look "known"
 * (probability about `probe / 2^64` per lookup).
 *
 * Slot layout (bytes): 0-3 key half 1 (int32, 0 = empty), 4-7 key half 2, 8-15 `last` (float64, epoch ms), then
 * the float64 columns, then the float32 and int32 columns, padded to a multiple of 8.
 *
 * @module
 */

/** Description of one value column: `count` values of `type` per slot. */
export interface ColumnSpec {
  /** Column name. */
  readonly name: string;
  /** Element type. */
  readonly type: 'f64' | 'f32' | 'i32';
  /** Values per slot (e.g. 24 for an hour histogram). */
  readonly count: number;
}

/** Serialised form of a `SlotTable`: the occupied slots' records, in slot order. */
export interface SlotTableState {
  /** Number of slots (power of two). */
  slots: number;
  /** Bytes per slot record (checks the layout on load). */
  recordBytes: number;
  /** Number of evictions so far. */
  evictions: number;
  /** Base64 of the occupied slot indices (little-endian uint32). */
  index: string;
  /** Base64 of the occupied slots' records (little-endian), in `index` order. */
  records: string;
}

/** Base64 of a typed array's bytes (little-endian platforms; Node on x64/arm64 is little-endian). */
export function toBase64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** A typed array constructor usable with {@link fromBase64}. */
export type TypedCtor<T> = { new (n: number): T; BYTES_PER_ELEMENT: number };

/** Decodes base64 into a fresh typed array of `n` elements, checking the length. */
export function fromBase64<T extends { buffer: ArrayBufferLike }>(s: unknown, ctor: TypedCtor<T>, n: number, what: string): T {
  if (typeof s !== 'string') throw new Error(`encoder state: ${what} must be a base64 string`);
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== n * ctor.BYTES_PER_ELEMENT) {
    throw new Error(`encoder state: ${what} has ${buf.byteLength} bytes, expected ${n * ctor.BYTES_PER_ELEMENT}`);
  }
  const out = new ctor(n);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Number of elements encoded in a base64 string of `bytesPerElement`-byte elements, or -1. */
export function base64Count(s: unknown, bytesPerElement: number): number {
  if (typeof s !== 'string') return -1;
  const n = Buffer.from(s, 'base64').byteLength;
  return n % bytesPerElement === 0 ? n / bytesPerElement : -1;
}

/** Bytes of the record of a table with these columns (keys and `last` first, then f64, then 32-bit columns). */
function layout(columns: readonly ColumnSpec[], offsets: Map<string, number>): number {
  let bytes = 16;
  for (const c of columns) {
    if (c.type === 'f64') {
      offsets.set(c.name, bytes / 8);
      bytes += 8 * c.count;
    }
  }
  for (const c of columns) {
    if (c.type !== 'f64') {
      offsets.set(c.name, bytes / 4);
      bytes += 4 * c.count;
    }
  }
  return Math.ceil(bytes / 8) * 8;
}

/** Rounds a slot count up to a power of two, at least 16. */
function slotCount(slots: number): number {
  let n = 16;
  while (n < slots) n *= 2;
  return n;
}

/** A bounded hash table keyed by 64-bit keys (two int32 halves, half 1 never 0) with fixed-size slot records. */
export class SlotTable {
  /** Number of slots (power of two). */
  readonly slots: number;
  /** Bytes per slot record. */
  readonly recordBytes: number;
  /** Record stride in int32/float32 units (larger than the record when tables share a buffer). */
  readonly w32: number;
  /** Record stride in float64 units. */
  readonly w64: number;
  /** Int32 view of all records (keys at `s*w32 + k32`, `s*w32 + k32 + 1`; int32 columns at their offsets). */
  readonly i32: Int32Array;
  /** Float32 view of all records. */
  readonly f32: Float32Array;
  /** Float64 view of all records (`last` at `s*w64 + k64 + 1`; float64 columns at their offsets). */
  readonly f64: Float64Array;
  /** Occupied slots. */
  size = 0;
  /** Entries overwritten because their probe window was full. */
  evictions = 0;
  private readonly mask: number;
  private readonly offsets = new Map<string, number>();
  /** Start of this table's record inside a slot's stride, in int32 units (0 unless interleaved). */
  private readonly k32: number;
  /** The same in float64 units. */
  private readonly k64: number;
  /** Record length in int32 units. */
  private readonly r32: number;
  /** Whether the buffer holds other tables' records too. */
  private readonly shared: boolean;
  /** Offset of `last` in a slot's stride, float64 units (`f64[s * w64 + oLast]`). */
  readonly oLast: number;

  /**
   * @param slots number of slots; rounded up to a power of two, at least 16.
   * @param columns value columns held per slot.
   * @param probe probe window (default 16): the most slots a lookup reads.
   * @param share internal: place the records in `buffer`, `strideBytes` apart, starting at `baseBytes` (see
   *   {@link SlotTable.interleaved}).
   */
  constructor(
    slots: number,
    columns: readonly ColumnSpec[],
    readonly probe = 16,
    share?: { buffer: ArrayBuffer; strideBytes: number; baseBytes: number },
  ) {
    const n = slotCount(slots);
    this.slots = n;
    this.mask = n - 1;
    const bytes = layout(columns, this.offsets);
    this.recordBytes = bytes;
    this.r32 = bytes / 4;
    const stride = share?.strideBytes ?? bytes;
    const base = share?.baseBytes ?? 0;
    this.w32 = stride / 4;
    this.w64 = stride / 8;
    this.k32 = base / 4;
    this.k64 = base / 8;
    this.oLast = this.k64 + 1;
    this.shared = share !== undefined;
    for (const c of columns) {
      const o = this.offsets.get(c.name) as number;
      this.offsets.set(c.name, o + (c.type === 'f64' ? this.k64 : this.k32));
    }
    const buf = share?.buffer ?? new ArrayBuffer(bytes * n);
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /**
   * Tables with the same number of slots whose records are interleaved in one buffer (slot `s` of every table
   * side by side). Tables keyed by the same keys (per-user profile and per-user windows) then find an entry's
   * records in the same cache lines and memory page. Each table behaves, sizes and serialises exactly as if it
   * had its own buffer.
   */
  static interleaved(slots: number, tables: readonly (readonly ColumnSpec[])[], probe = 16): SlotTable[] {
    const n = slotCount(slots);
    const sizes = tables.map((cols) => layout(cols, new Map()));
    const stride = sizes.reduce((a, b) => a + b, 0);
    const buffer = new ArrayBuffer(stride * n);
    let base = 0;
    return tables.map((cols, i) => {
      const t = new SlotTable(n, cols, probe, { buffer, strideBytes: stride, baseBytes: base });
      base += sizes[i];
      return t;
    });
  }

  /** Offset of a column inside a slot's stride, in units of its element type. */
  offset(name: string): number {
    const o = this.offsets.get(name);
    if (o === undefined) throw new Error(`SlotTable: no column '${name}'`);
    return o;
  }

  /** Index in {@link SlotTable.i32} of the start of key (k1, k2)'s home slot stride (for prefetching). */
  homeWord(k1: number, k2: number): number {
    return ((k1 ^ Math.imul(k2, 0x9e3779b1)) & this.mask) * this.w32;
  }

  /** The slot holding key (k1, k2), or -1. */
  find(k1: number, k2: number): number {
    const m = this.mask;
    const w = this.w32;
    const k = this.k32;
    const keys = this.i32;
    let s = (k1 ^ Math.imul(k2, 0x9e3779b1)) & m;
    for (let i = 0; i < this.probe; i++) {
      const v = keys[s * w + k];
      if (v === 0) return -1;
      if (v === k1 && keys[s * w + k + 1] === k2) return s;
      s = (s + 1) & m;
    }
    return -1;
  }

  /** Whether slot `s` holds key (k1, k2). */
  holds(s: number, k1: number, k2: number): boolean {
    const i = s * this.w32 + this.k32;
    return this.i32[i] === k1 && this.i32[i + 1] === k2;
  }

  /** Whether slot `s` holds an entry. */
  occupied(s: number): boolean {
    return this.i32[s * this.w32 + this.k32] !== 0;
  }

  /** Last-use time of slot `s`. */
  lastOf(s: number): number {
    return this.f64[s * this.w64 + this.k64 + 1];
  }

  /** Marks slot `s` used at `t` (keeps the later time). */
  touch(s: number, t: number): void {
    const i = s * this.w64 + this.k64 + 1;
    if (t > this.f64[i]) this.f64[i] = t;
  }

  /**
   * Inserts key (k1, k2), which must not be present, and returns its slot with every column zeroed and `last = t`.
   * Evicts the least recently used entry of the probe window when the window is full.
   */
  insert(k1: number, k2: number, t: number): number {
    const s = this.claim(k1, k2);
    this.f64[s * this.w64 + this.k64 + 1] = t;
    return s;
  }

  /**
   * {@link SlotTable.insert} without setting `last`: the caller writes `f64[slot * w64 + oLast]` itself. Hot paths
   * use it because a float argument of a call that TurboFan does not inline is boxed on the heap.
   */
  claim(k1: number, k2: number): number {
    const m = this.mask;
    const w = this.w32;
    const k = this.k32;
    const l = this.k64 + 1;
    let s = (k1 ^ Math.imul(k2, 0x9e3779b1)) & m;
    let victim = s;
    let oldest = Infinity;
    let found = -1;
    for (let i = 0; i < this.probe; i++) {
      if (this.i32[s * w + k] === 0) {
        found = s;
        break;
      }
      const last = this.f64[s * this.w64 + l];
      if (last < oldest) {
        oldest = last;
        victim = s;
      }
      s = (s + 1) & m;
    }
    if (found < 0) {
      found = victim;
      this.evictions++;
      this.i32.fill(0, found * w + k, found * w + k + this.r32);
    } else {
      this.size++;
    }
    this.i32[found * w + k] = k1;
    this.i32[found * w + k + 1] = k2;
    return found;
  }

  /** Empties the table (memory stays allocated). */
  clear(): void {
    if (this.shared) {
      for (let s = 0; s < this.slots; s++) this.i32.fill(0, s * this.w32 + this.k32, s * this.w32 + this.k32 + this.r32);
    } else {
      this.i32.fill(0);
    }
    this.size = 0;
    this.evictions = 0;
  }

  /** Bytes of the table's records (`slots × recordBytes`, allocated once). */
  get bytes(): number {
    return this.slots * this.recordBytes;
  }

  /** Serialises the occupied slots (slot order, so the output is deterministic). */
  toJSON(): SlotTableState {
    const idx = new Uint32Array(this.size);
    let j = 0;
    for (let s = 0; s < this.slots; s++) if (this.i32[s * this.w32 + this.k32] !== 0) idx[j++] = s;
    const r = this.r32;
    const rec = new Int32Array(idx.length * r);
    for (let i = 0; i < idx.length; i++) {
      const at = idx[i] * this.w32 + this.k32;
      rec.set(this.i32.subarray(at, at + r), i * r);
    }
    return { slots: this.slots, recordBytes: this.recordBytes, evictions: this.evictions, index: toBase64(idx), records: toBase64(rec) };
  }

  /** Restores a state produced by {@link SlotTable.toJSON} for a table of the same slots and layout. */
  load(state: SlotTableState, what: string): void {
    if (state === null || typeof state !== 'object') throw new Error(`encoder state: ${what} must be an object`);
    if (state.slots !== this.slots) {
      throw new Error(`encoder state: ${what}.slots is ${String(state.slots)}, but the spec's memory options give ${this.slots}`);
    }
    if (state.recordBytes !== this.recordBytes) {
      throw new Error(`encoder state: ${what}.recordBytes is ${String(state.recordBytes)}, this build uses ${this.recordBytes}`);
    }
    const n = base64Count(state.index, 4);
    if (n < 0 || n > this.slots) throw new Error(`encoder state: ${what}.index must be base64 of at most ${this.slots} uint32 values`);
    const idx = fromBase64(state.index, Uint32Array, n, `${what}.index`);
    const r = this.r32;
    const rec = fromBase64(state.records, Int32Array, n * r, `${what}.records`);
    this.clear();
    for (let i = 0; i < n; i++) {
      const s = idx[i];
      if (s >= this.slots || rec[i * r] === 0 || (i > 0 && s <= idx[i - 1])) {
        throw new Error(`encoder state: ${what} has an invalid slot entry`);
      }
      this.i32.set(rec.subarray(i * r, (i + 1) * r), s * this.w32 + this.k32);
    }
    this.size = n;
    this.evictions = Number.isFinite(state.evictions) ? state.evictions : 0;
  }
}
