/**
 * Sliding-window maximum and minimum with monotonic deques over fixed typed arrays: O(1) amortised per
 * push, no allocation after construction. Each deque keeps candidates in arrival order with values strictly
 * decreasing (max) or increasing (min); a new value removes the older ones it dominates, ties included, so
 * the front is the newest position of the extreme, the position TA-Lib's AROON reports.
 */
abstract class RollingExtreme {
  protected readonly values: Float64Array;
  protected readonly seqs: Float64Array;
  protected head = 0;
  protected size = 0;
  /** Sequence number of the latest push (0-based); -1 before the first. */
  protected seq = -1;

  constructor(readonly window: number) {
    if (!Number.isSafeInteger(window) || window <= 0) throw new RangeError(`window must be a positive integer: ${window}`);
    this.values = new Float64Array(window);
    this.seqs = new Float64Array(window);
  }

  /** Adds the next value of the series; the window then covers the last `window` values pushed. */
  push(x: number): void {
    const cap = this.window;
    const seq = ++this.seq;
    // The front leaves when it is `window` pushes old; at most one leaves per push.
    if (this.size > 0 && this.seqs[this.head] <= seq - cap) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= cap) back -= cap;
      if (!this.dominates(x, this.values[back])) break;
      this.size--;
    }
    let slot = this.head + this.size;
    if (slot >= cap) slot -= cap;
    this.values[slot] = x;
    this.seqs[slot] = seq;
    this.size++;
  }

  /** The extreme of the window; NaN before the first push. */
  get value(): number {
    return this.size === 0 ? Number.NaN : this.values[this.head];
  }

  /** Pushes since the newest occurrence of the extreme (0 when it is the latest value). */
  get age(): number {
    return this.size === 0 ? Number.NaN : this.seq - this.seqs[this.head];
  }

  /** Number of values pushed since construction or the last clear. */
  get count(): number {
    return this.seq + 1;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.seq = -1;
  }

  protected abstract dominates(incoming: number, older: number): boolean;
}

export class RollingMax extends RollingExtreme {
  protected dominates(incoming: number, older: number): boolean {
    return incoming >= older;
  }
}

export class RollingMin extends RollingExtreme {
  protected dominates(incoming: number, older: number): boolean {
    return incoming <= older;
  }
}
