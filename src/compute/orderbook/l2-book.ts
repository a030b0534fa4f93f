import type { BookDeltas, BookLevelDelta, BookSnapshot } from '../../core/data.js';
import { BookSide } from '../../core/data.js';
import { InvariantError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import { BookLadder } from './book-ladder.js';

/** A level as exact values, best first in `BookLevels`. */
export type BookLevel = readonly [Price, Quantity];

export interface BookLevels {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/**
 * A level-2 order book (aggregated size per price) for one instrument. Prices and sizes are held as raw
 * integers at the instrument's precision, so levels are keyed exactly (no float equality on prices).
 *
 * The book does not decide whether an update is in sequence: that is the venue procedure's job (for Binance
 * see src/adapters/binance/book-sync.ts). It records the last applied `sequence` and counts updates.
 */
export class L2OrderBook {
  readonly bids: BookLadder;
  readonly asks: BookLadder;
  /** Venue sequence (last update id) of the last applied snapshot or deltas; 0 before any. */
  sequence = 0;
  /** Number of level updates applied (snapshot levels included). */
  levelUpdates = 0;

  constructor(
    readonly instrumentId: InstrumentId,
    readonly pricePrecision: number,
    readonly sizePrecision: number,
    initialDepth = 64,
  ) {
    this.bids = new BookLadder(true, initialDepth);
    this.asks = new BookLadder(false, initialDepth);
  }

  /** Sets one level from raw integers at the book's precisions; size 0 removes it. The hot path. */
  applyRaw(side: BookSide, priceRaw: number, sizeRaw: number): void {
    if (!(sizeRaw >= 0)) throw new InvariantError(`negative or NaN book size ${sizeRaw} at ${priceRaw} on ${this.instrumentId}`);
    (side === BookSide.Bid ? this.bids : this.asks).set(priceRaw, sizeRaw);
    this.levelUpdates++;
  }

  applyDelta(delta: BookLevelDelta): void {
    this.applyRaw(delta.side, this.priceRaw(delta.price), this.sizeRaw(delta.size));
  }

  applyDeltas(deltas: BookDeltas): void {
    for (const d of deltas.deltas) this.applyDelta(d);
    this.sequence = deltas.sequence;
  }

  applySnapshot(snapshot: BookSnapshot): void {
    const load = (ladder: BookLadder, levels: BookSnapshot['bids']): void => {
      const prices = new Float64Array(levels.length);
      const sizes = new Float64Array(levels.length);
      levels.forEach(([p, q], k) => {
        prices[k] = this.priceRaw(p);
        sizes[k] = this.sizeRaw(q);
      });
      ladder.load(prices, sizes);
    };
    load(this.bids, snapshot.bids);
    load(this.asks, snapshot.asks);
    this.levelUpdates += snapshot.bids.length + snapshot.asks.length;
    this.sequence = snapshot.sequence;
  }

  /** Replaces the whole book from raw level arrays (any order). */
  loadRaw(bidPrices: ArrayLike<number>, bidSizes: ArrayLike<number>, askPrices: ArrayLike<number>, askSizes: ArrayLike<number>, sequence: number): void {
    this.bids.load(bidPrices, bidSizes);
    this.asks.load(askPrices, askSizes);
    this.levelUpdates += bidPrices.length + askPrices.length;
    this.sequence = sequence;
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.sequence = 0;
  }

  /** Best bid price raw, NaN when there are no bids. O(1). */
  bestBidRaw(): number {
    return this.bids.bestPrice();
  }

  /** Best ask price raw, NaN when there are no asks. O(1). */
  bestAskRaw(): number {
    return this.asks.bestPrice();
  }

  bestBid(): BookLevel | undefined {
    return this.levelAt(this.bids, 0);
  }

  bestAsk(): BookLevel | undefined {
    return this.levelAt(this.asks, 0);
  }

  /** Best ask minus best bid, or undefined when a side is empty. */
  spread(): Price | undefined {
    const b = this.bids.bestPrice();
    const a = this.asks.bestPrice();
    return Number.isNaN(b) || Number.isNaN(a) ? undefined : Price.fromRaw(a - b, this.pricePrecision);
  }

  /** True when best bid >= best ask: the local book disagrees with any real market and must be resynchronised. */
  isCrossed(): boolean {
    return this.bids.length > 0 && this.asks.length > 0 && this.bids.bestPrice() >= this.asks.bestPrice();
  }

  /** Up to `n` best levels of one side, best first. */
  topLevels(side: BookSide, n: number): BookLevel[] {
    const ladder = side === BookSide.Bid ? this.bids : this.asks;
    const out: BookLevel[] = [];
    const m = Math.min(n, ladder.length);
    for (let i = 0; i < m; i++) out.push(this.levelAt(ladder, i) as BookLevel);
    return out;
  }

  /** Up to `n` best levels a side, best first. */
  top(n: number): BookLevels {
    return { bids: this.topLevels(BookSide.Bid, n), asks: this.topLevels(BookSide.Ask, n) };
  }

  private levelAt(ladder: BookLadder, i: number): BookLevel | undefined {
    if (i >= ladder.length) return undefined;
    return [Price.fromRaw(ladder.priceAt(i), this.pricePrecision), Quantity.fromRaw(ladder.sizeAt(i), this.sizePrecision)];
  }

  private priceRaw(p: Price): number {
    return p.precision === this.pricePrecision ? p.raw : p.withPrecision(this.pricePrecision).raw;
  }

  private sizeRaw(q: Quantity): number {
    return q.precision === this.sizePrecision ? q.raw : q.withPrecision(this.sizePrecision).raw;
  }
}
