/**
 * One side of an L2 book: price levels keyed on exact raw integers (price scaled by 10^precision).
 *
 * Levels live in two parallel Float64Arrays (prices and sizes; raw values are safe integers, which a float64
 * holds exactly) sorted so that the BEST level is at the END. Almost all venue updates touch the first few
 * levels, so an insert or removal near the top moves only the few elements above it (a `copyWithin` of a
 * handful of slots), the best level is `prices[n - 1]` (O(1)), and a lookup is a binary search. Measured
 * (bench/marketdata.ts) this beats a tree for books of up to a few thousand levels, which is what venues send.
 */
export class BookLadder {
  private prices: Float64Array;
  private sizes: Float64Array;
  private n = 0;

  /** `bidSide`: true for bids (a higher price is better), false for asks. */
  constructor(
    readonly bidSide: boolean,
    initialCapacity = 64,
  ) {
    this.prices = new Float64Array(Math.max(4, initialCapacity));
    this.sizes = new Float64Array(Math.max(4, initialCapacity));
  }

  get length(): number {
    return this.n;
  }

  /** Best price raw, or NaN when the side is empty. */
  bestPrice(): number {
    return this.n === 0 ? Number.NaN : this.prices[this.n - 1];
  }

  /** Size at the best price raw, or NaN when the side is empty. */
  bestSize(): number {
    return this.n === 0 ? Number.NaN : this.sizes[this.n - 1];
  }

  /** i-th best price raw (0 = best); NaN past the end. */
  priceAt(i: number): number {
    return i >= 0 && i < this.n ? this.prices[this.n - 1 - i] : Number.NaN;
  }

  /** i-th best size raw (0 = best); NaN past the end. */
  sizeAt(i: number): number {
    return i >= 0 && i < this.n ? this.sizes[this.n - 1 - i] : Number.NaN;
  }

  /** Size raw at an exact price raw, or 0 when there is no such level. */
  sizeAtPrice(price: number): number {
    const i = this.search(price);
    return i < this.n && this.prices[i] === price ? this.sizes[i] : 0;
  }

  /**
   * Sets the level at `price` to `size` (absolute, as venues send it); size 0 removes the level.
   * Returns true when the book changed shape (a level was added or removed).
   */
  set(price: number, size: number): boolean {
    const n = this.n;
    // Fast path: updates at or beyond the best level (the common case) need no search.
    let i: number;
    if (n === 0 || this.worse(this.prices[n - 1], price)) i = n;
    else i = this.search(price);
    if (i < n && this.prices[i] === price) {
      if (size === 0) {
        this.prices.copyWithin(i, i + 1, n);
        this.sizes.copyWithin(i, i + 1, n);
        this.n = n - 1;
        return true;
      }
      this.sizes[i] = size;
      return false;
    }
    if (size === 0) return false;
    if (n === this.prices.length) this.grow();
    if (i < n) {
      this.prices.copyWithin(i + 1, i, n);
      this.sizes.copyWithin(i + 1, i, n);
    }
    this.prices[i] = price;
    this.sizes[i] = size;
    this.n = n + 1;
    return true;
  }

  clear(): void {
    this.n = 0;
  }

  /** Replaces all levels; `levels` are [priceRaw, sizeRaw] pairs in any order, zero sizes skipped. */
  load(levelPrices: ArrayLike<number>, levelSizes: ArrayLike<number>): void {
    this.n = 0;
    const m = levelPrices.length;
    while (this.prices.length < m) this.grow();
    const order = Array.from({ length: m }, (_, k) => k).filter((k) => levelSizes[k] !== 0);
    // Worst first, best last; on duplicate prices the later entry wins, as if applied in sequence.
    order.sort((a, b) => (this.bidSide ? levelPrices[a] - levelPrices[b] : levelPrices[b] - levelPrices[a]) || a - b);
    let n = 0;
    for (const k of order) {
      if (n > 0 && this.prices[n - 1] === levelPrices[k]) {
        this.sizes[n - 1] = levelSizes[k];
        continue;
      }
      this.prices[n] = levelPrices[k];
      this.sizes[n] = levelSizes[k];
      n++;
    }
    this.n = n;
  }

  /** True when `a` is a worse price than `b` on this side. */
  private worse(a: number, b: number): boolean {
    return this.bidSide ? a < b : a > b;
  }

  /** First index whose price is not worse than `price` (i.e. the insertion point in worst-to-best order). */
  private search(price: number): number {
    let lo = 0;
    let hi = this.n;
    const p = this.prices;
    if (this.bidSide) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid] < price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid] > price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }

  private grow(): void {
    const cap = this.prices.length * 2;
    const p = new Float64Array(cap);
    const s = new Float64Array(cap);
    p.set(this.prices.subarray(0, this.n));
    s.set(this.sizes.subarray(0, this.n));
    this.prices = p;
    this.sizes = s;
  }
}
