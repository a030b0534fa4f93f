/**
 * Fixed-capacity ring of references, newest first by index: `get(0)` is the latest item. A push is O(1)
 * and allocates nothing once the ring is full (the backing array is filled once, then overwritten).
 */
export class Ring<T> {
  private readonly items: (T | undefined)[] = [];
  private head = -1; // index of the newest item
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer: ${capacity}`);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.head] = item;
    if (this.count < this.capacity) this.count++;
  }

  /** The item `index` steps back from the newest (0 = newest), or undefined beyond what is held. */
  get(index = 0): T | undefined {
    if (!(index >= 0 && index < this.count) || !Number.isInteger(index)) return undefined;
    const i = this.head - index;
    return this.items[i < 0 ? i + this.capacity : i];
  }

  /** A copy, newest first. */
  toArray(): T[] {
    const out: T[] = new Array<T>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.get(k) as T;
    return out;
  }

  clear(): void {
    this.items.length = 0;
    this.head = -1;
    this.count = 0;
  }
}
