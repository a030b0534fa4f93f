import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookSide } from '../../core/data.js';
import { InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import { BookLadder } from './book-ladder.js';
import { L2OrderBook } from './l2-book.js';

const ID = InstrumentId.parse('BTCUSDT.BINANCE');

/** Independent reference: a Map of price -> size, sorted on read. */
function referenceTop(levels: Map<number, number>, bid: boolean): [number, number][] {
  return [...levels.entries()].filter(([, s]) => s !== 0).sort((a, b) => (bid ? b[0] - a[0] : a[0] - b[0]));
}

describe('BookLadder', () => {
  it('keeps levels sorted best first under random updates, matching a Map model', () => {
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 60 }), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const bids = new BookLadder(true, 4);
        const asks = new BookLadder(false, 4);
        const mb = new Map<number, number>();
        const ma = new Map<number, number>();
        for (const [isBid, price, size] of ops) {
          (isBid ? bids : asks).set(price, size);
          (isBid ? mb : ma).set(price, size);
        }
        for (const [ladder, model, bid] of [[bids, mb, true], [asks, ma, false]] as const) {
          const ref = referenceTop(model, bid);
          expect(ladder.length).toBe(ref.length);
          ref.forEach(([p, s], i) => {
            expect(ladder.priceAt(i)).toBe(p);
            expect(ladder.sizeAt(i)).toBe(s);
            expect(ladder.sizeAtPrice(p)).toBe(s);
          });
          if (ref.length > 0) {
            expect(ladder.bestPrice()).toBe(ref[0][0]);
            expect(ladder.bestSize()).toBe(ref[0][1]);
          }
        }
      }),
    );
  });

  it('reports shape changes and ignores removal of absent levels', () => {
    const l = new BookLadder(true);
    expect(l.bestPrice()).toBeNaN();
    expect(l.bestSize()).toBeNaN();
    expect(l.priceAt(0)).toBeNaN();
    expect(l.sizeAt(-1)).toBeNaN();
    expect(l.set(100, 5)).toBe(true);
    expect(l.set(100, 7)).toBe(false);
    expect(l.set(99, 0)).toBe(false);
    expect(l.sizeAtPrice(99)).toBe(0);
    expect(l.set(100, 0)).toBe(true);
    expect(l.length).toBe(0);
  });

  it('loads unsorted levels with duplicates (later wins) and zero sizes skipped', () => {
    const l = new BookLadder(false, 4);
    l.load([5, 3, 9, 3, 7, 1, 2], [1, 2, 3, 4, 0, 6, 7]);
    expect([0, 1, 2, 3, 4].map((i) => l.priceAt(i))).toEqual([1, 2, 3, 5, 9]);
    expect(l.sizeAtPrice(3)).toBe(4);
    expect(l.sizeAtPrice(7)).toBe(0);
  });
});

describe('L2OrderBook', () => {
  const px = (s: string) => Price.parse(s, 2);
  const qty = (s: string) => Quantity.parse(s, 3);

  it('applies a snapshot then deltas and reads top of book exactly', () => {
    const book = new L2OrderBook(ID, 2, 3);
    book.applySnapshot({
      type: 'book_snapshot',
      instrumentId: ID,
      bids: [[px('100.00'), qty('1')], [px('99.50'), qty('2')]],
      asks: [[px('100.50'), qty('3')], [px('101'), qty('4')]],
      sequence: 10,
      tsEvent: 0 as never,
      tsInit: 0 as never,
    });
    expect(book.sequence).toBe(10);
    expect(book.bestBid()?.map(String)).toEqual(['100.00', '1.000']);
    expect(book.bestAsk()?.map(String)).toEqual(['100.50', '3.000']);
    expect(String(book.spread())).toBe('0.50');
    book.applyDeltas({
      type: 'book_deltas',
      instrumentId: ID,
      deltas: [
        { side: BookSide.Bid, price: px('100.25'), size: qty('0.5') },
        { side: BookSide.Ask, price: px('100.50'), size: qty('0') },
        // Same value at a higher precision keys the same level.
        { side: BookSide.Bid, price: Price.parse('99.5000', 4), size: Quantity.parse('2.5', 1) },
      ],
      firstSequence: 11,
      sequence: 12,
      tsEvent: 0 as never,
      tsInit: 0 as never,
    });
    expect(book.sequence).toBe(12);
    const top = book.top(5);
    expect(top.bids.map(([p, q]) => [String(p), String(q)])).toEqual([
      ['100.25', '0.500'],
      ['100.00', '1.000'],
      ['99.50', '2.500'],
    ]);
    expect(top.asks.map(([p]) => String(p))).toEqual(['101.00']);
    expect(book.topLevels(BookSide.Ask, 0)).toEqual([]);
    expect(book.levelUpdates).toBe(7);
    expect(book.isCrossed()).toBe(false);
  });

  it('detects a crossed book and empties on clear', () => {
    const book = new L2OrderBook(ID, 2, 3);
    expect(book.isCrossed()).toBe(false);
    expect(book.spread()).toBeUndefined();
    book.applyRaw(BookSide.Bid, 10_000, 1);
    book.applyRaw(BookSide.Ask, 10_001, 1);
    expect(book.isCrossed()).toBe(false);
    book.applyRaw(BookSide.Bid, 10_001, 1);
    expect(book.isCrossed()).toBe(true);
    expect(book.bestBidRaw()).toBe(10_001);
    expect(book.bestAskRaw()).toBe(10_001);
    book.loadRaw([1, 2], [1, 1], [3], [1], 5);
    expect(book.bestBidRaw()).toBe(2);
    expect(book.sequence).toBe(5);
    book.clear();
    expect(book.bestBid()).toBeUndefined();
    expect(book.bestAskRaw()).toBeNaN();
    expect(book.sequence).toBe(0);
  });

  it('refuses a negative size and a price that its precision cannot hold', () => {
    const book = new L2OrderBook(ID, 2, 3);
    expect(() => book.applyRaw(BookSide.Bid, 1, -1)).toThrow(/negative/);
    expect(() => book.applyRaw(BookSide.Bid, 1, Number.NaN)).toThrow(/NaN/);
    expect(() => book.applyDelta({ side: BookSide.Bid, price: Price.parse('1.001', 3), size: qty('1') })).toThrow(/2 decimals/);
  });
});
