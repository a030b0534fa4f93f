/**
 * Fixed-capacity ring of float64 values over a preallocated typed array: push is O(1) and allocates
 * nothing; when full, a push overwrites the oldest value and returns it.
 */
export class Float64Ring {
  private readonly buf: Float64Array;
  private head = 0; // index of the oldest value
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer: ${capacity}`);
    this.buf = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends `x`; returns the value it evicted, or NaN when nothing was evicted. */
  push(x: number): number {
    const cap = this.capacity;
    if (this.count < cap) {
      this.buf[(this.head + this.count) % cap] = x;
      this.count++;
      return Number.NaN;
    }
    const old = this.buf[this.head];
    this.buf[this.head] = x;
    this.head = this.head + 1 === cap ? 0 : this.head + 1;
    return old;
  }

  /** The i-th oldest value (0 = oldest). */
  at(i: number): number {
    if (i < 0 || i >= this.count) throw new RangeError(`ring index out of range: ${i}`);
    return this.buf[(this.head + i) % this.capacity];
  }

  /** The newest value. */
  last(): number {
    if (this.count === 0) throw new RangeError('ring is empty');
    return this.buf[(this.head + this.count - 1) % this.capacity];
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
