/**
 * A min-priority queue of items keyed by (key, arrival order): ties on the key come out in insertion order. Used
 * for the per-host reorder buffer and the start-order output buffer.
 *
 * Log input is mostly in order, so items whose key is not below the last in-order item go to a FIFO run (O(1));
 * only out-of-order items pay for the binary heap. `pop` merges the two. Parallel arrays keep it allocation-light.
 *
 * @module
 */

/** Priority queue keyed by a number with insertion-order tie-break. */
export class TimeHeap<T> {
  private seq = 0;
  // in-order run: slots [runHead, runLen) are live; arrays are reused, never truncated (no re-allocation)
  private readonly run: (T | undefined)[] = [];
  private readonly runKeys: number[] = [];
  private readonly runSeqs: number[] = [];
  private readonly runTags: number[] = [];
  private runHead = 0;
  private runLen = 0;
  // binary heap for out-of-order items
  private readonly items: T[] = [];
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly tags: number[] = [];
  /** Tag (a small number stored with the item, see {@link TimeHeap.push}) of the item popped last. */
  lastTag = 0;

  /** Number of items held. */
  get size(): number {
    return this.items.length + this.runLen - this.runHead;
  }

  /** Smallest key, or `Infinity` when empty. */
  peekKey(): number {
    const h = this.items.length === 0 ? Infinity : this.keys[0];
    const r = this.runHead < this.runLen ? this.runKeys[this.runHead] : Infinity;
    return r <= h ? r : h;
  }

  /** Arrival number of the smallest item (the tie-break among equal keys), or `Infinity` when empty. */
  peekSeq(): number {
    const hasRun = this.runHead < this.runLen;
    if (this.items.length === 0) return hasRun ? this.runSeqs[this.runHead] : Infinity;
    if (hasRun) {
      const rk = this.runKeys[this.runHead];
      const rs = this.runSeqs[this.runHead];
      if (rk < this.keys[0] || (rk === this.keys[0] && rs < this.seqs[0])) return rs;
    }
    return this.seqs[0];
  }

  /**
   * Reserve the next arrival number for an item kept outside the queue for now (it may be pushed later with
   * {@link TimeHeap.push}'s `seq`, and keeps its place among equal keys).
   */
  takeSeq(): number {
    return this.seq++;
  }

  /**
   * Add an item with its key and an optional small integer tag (returned in {@link TimeHeap.lastTag} when the item
   * is popped; it does not affect the order). `seq` is an arrival number reserved earlier with
   * {@link TimeHeap.takeSeq}; by default the item arrives now.
   */
  push(item: T, key: number, tag = 0, seq = this.seq++): void {
    const s = seq;
    const n = this.runLen;
    if (n === this.runHead || key > this.runKeys[n - 1] || (key === this.runKeys[n - 1] && s > this.runSeqs[n - 1])) {
      if (n < this.run.length) {
        this.run[n] = item;
        this.runKeys[n] = key;
        this.runSeqs[n] = s;
        this.runTags[n] = tag;
      } else {
        this.run.push(item);
        this.runKeys.push(key);
        this.runSeqs.push(s);
        this.runTags.push(tag);
      }
      this.runLen = n + 1;
      return;
    }
    this.pushHeap(item, key, s, tag);
  }

  /** Remove and return the smallest item if its key is at most `limit`; otherwise (or when empty) `undefined`. */
  popAtMost(limit: number): T | undefined {
    const hasRun = this.runHead < this.runLen;
    const hasHeap = this.items.length > 0;
    if (hasRun && !hasHeap) return this.runKeys[this.runHead] <= limit ? this.popRun() : undefined;
    if (hasRun) {
      const rk = this.runKeys[this.runHead];
      if (!hasHeap || rk < this.keys[0] || (rk === this.keys[0] && this.runSeqs[this.runHead] < this.seqs[0])) {
        return rk <= limit ? this.popRun() : undefined;
      }
    }
    return hasHeap && this.keys[0] <= limit ? this.popHeap() : undefined;
  }

  /** Remove and return the smallest item; `undefined` when empty. */
  pop(): T | undefined {
    if (this.runHead < this.runLen) {
      const rk = this.runKeys[this.runHead];
      if (this.items.length === 0 || rk < this.keys[0] || (rk === this.keys[0] && this.runSeqs[this.runHead] < this.seqs[0])) {
        return this.popRun();
      }
    }
    return this.popHeap();
  }

  private popRun(): T {
    const i = this.runHead;
    const item = this.run[i] as T;
    this.lastTag = this.runTags[i];
    this.run[i] = undefined; // let it be collected
    this.runHead = i + 1;
    if (this.runHead === this.runLen) {
      this.runHead = 0;
      this.runLen = 0;
    } else if (this.runHead >= 1024 && this.runHead * 2 >= this.runLen) {
      const live = this.runLen - this.runHead;
      this.run.copyWithin(0, this.runHead, this.runLen);
      this.runKeys.copyWithin(0, this.runHead, this.runLen);
      this.runSeqs.copyWithin(0, this.runHead, this.runLen);
      this.runTags.copyWithin(0, this.runHead, this.runLen);
      this.run.fill(undefined, live, this.runLen);
      this.runHead = 0;
      this.runLen = live;
    }
    return item;
  }

  private pushHeap(item: T, key: number, s: number, tag: number): void {
    const items = this.items;
    const keys = this.keys;
    const seqs = this.seqs;
    const tags = this.tags;
    let i = items.length;
    items.push(item);
    keys.push(key);
    seqs.push(s);
    tags.push(tag);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] < key || (keys[p] === key && seqs[p] < s)) break;
      items[i] = items[p];
      keys[i] = keys[p];
      seqs[i] = seqs[p];
      tags[i] = tags[p];
      i = p;
    }
    items[i] = item;
    keys[i] = key;
    seqs[i] = s;
    tags[i] = tag;
  }

  private popHeap(): T | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0];
    const keys = this.keys;
    const seqs = this.seqs;
    const tags = this.tags;
    this.lastTag = tags[0];
    const lastItem = items.pop() as T;
    const lastKey = keys.pop() as number;
    const lastSeq = seqs.pop() as number;
    const lastTag = tags.pop() as number;
    const m = n - 1;
    if (m > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        let c = l;
        if (r < m && (keys[r] < keys[l] || (keys[r] === keys[l] && seqs[r] < seqs[l]))) c = r;
        if (lastKey < keys[c] || (lastKey === keys[c] && lastSeq < seqs[c])) break;
        items[i] = items[c];
        keys[i] = keys[c];
        seqs[i] = seqs[c];
        tags[i] = tags[c];
        i = c;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
      seqs[i] = lastSeq;
      tags[i] = lastTag;
    }
    return top;
  }
}
