/**
 * A bounded "keep the top N" heap: memory stays at N items whatever the stream length.
 *
 * @module
 */

/** Keeps the `capacity` items with the largest keys seen so far (a min-heap on the key). */
export class TopK<T> {
  private readonly items: T[] = [];
  private readonly keys: number[] = [];
  /** Items offered so far. */
  offered = 0;

  /** @param capacity maximum items kept (a positive integer). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`TopK capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Number of items kept. */
  get size(): number {
    return this.items.length;
  }

  /** The smallest kept key (the bar a new item must beat once full), -Infinity while not full. */
  get floor(): number {
    return this.items.length < this.capacity ? -Infinity : this.keys[0];
  }

  /** Would an item with this key be kept? Lets callers skip building items that would be dropped. */
  accepts(key: number): boolean {
    return this.items.length < this.capacity || key > this.keys[0];
  }

  /** Offers an item; keeps it if it is among the top `capacity` keys. NaN keys are ignored. */
  push(key: number, item: T): void {
    this.offered++;
    if (Number.isNaN(key)) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      this.keys.push(key);
      this.up(this.items.length - 1);
    } else if (key > this.keys[0]) {
      this.items[0] = item;
      this.keys[0] = key;
      this.down(0);
    }
  }

  /** The kept items, largest key first (a copy). */
  sorted(): T[] {
    const idx = this.keys.map((_, i) => i).sort((a, b) => this.keys[b] - this.keys[a]);
    return idx.map((i) => this.items[i]);
  }

  private up(i: number): void {
    const { keys, items } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= keys[i]) break;
      [keys[p], keys[i]] = [keys[i], keys[p]];
      [items[p], items[i]] = [items[i], items[p]];
      i = p;
    }
  }

  private down(i: number): void {
    const { keys, items } = this;
    const n = keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && keys[l] < keys[m]) m = l;
      if (r < n && keys[r] < keys[m]) m = r;
      if (m === i) return;
      [keys[m], keys[i]] = [keys[i], keys[m]];
      [items[m], items[i]] = [items[i], items[m]];
      i = m;
    }
  }
}
