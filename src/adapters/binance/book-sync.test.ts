import { describe, expect, it } from 'vitest';
import { L2OrderBook } from '../../compute/orderbook/l2-book.js';
import { BookSide } from '../../core/data.js';
import type { UnixMicros } from '../../core/time.js';
import { BinanceBookSync } from './book-sync.js';
import type { DepthSnapshot } from './book-sync.js';
import { parseBinanceFrame } from './parse.js';
import { BTC, lookupBtc } from './testing/frames.js';
import type { BinanceMarket, DepthDiff } from './types.js';

/** A depth frame in the documented wire format, parsed by the real parser. */
function diff(U: number, u: number, bids: [string, string][], asks: [string, string][] = [], pu?: number): DepthDiff {
  const frame = JSON.stringify({ e: 'depthUpdate', E: 1_700_000_000_000 + u, s: 'BTCUSDT', U, u, ...(pu === undefined ? {} : { pu }), b: bids, a: asks });
  const m = parseBinanceFrame(frame, lookupBtc, 0 as UnixMicros);
  if (m.type !== 'depth_diff') throw new Error(`fixture did not parse: ${JSON.stringify(m)}`);
  return m;
}

const raw = (s: string, precision: number) => Math.round(Number(s) * 10 ** precision);
function snapshot(lastUpdateId: number, bids: [string, string][], asks: [string, string][]): DepthSnapshot {
  return {
    lastUpdateId,
    bidPrices: bids.map(([p]) => raw(p, 2)),
    bidSizes: bids.map(([, q]) => raw(q, 5)),
    askPrices: asks.map(([p]) => raw(p, 2)),
    askSizes: asks.map(([, q]) => raw(q, 5)),
  };
}

function make(market: BinanceMarket = 'spot') {
  const book = new L2OrderBook(BTC.instrumentId, BTC.pricePrecision, BTC.sizePrecision);
  return { book, sync: new BinanceBookSync(market, book) };
}

const levels = (book: L2OrderBook, side: BookSide) => book.topLevels(side, 10).map(([p, q]) => `${p}@${q}`);

describe('BinanceBookSync (spot)', () => {
  it('buffers, drops events at or below lastUpdateId, applies from the straddling event on', () => {
    const { book, sync } = make();
    expect(sync.onDiff(diff(95, 99, [['99.00', '9']]))).toBe('buffered');
    expect(sync.onDiff(diff(100, 101, [['100.00', '2']]))).toBe('buffered');
    expect(sync.onDiff(diff(102, 104, [], [['101.00', '0'], ['101.50', '1']]))).toBe('buffered');
    expect(sync.bufferedCount).toBe(3);
    expect(sync.onSnapshot(snapshot(100, [['100.00', '1'], ['99.50', '3']], [['101.00', '4']]))).toBe('synced');
    expect(sync.state).toBe('synced');
    expect(sync.updateId).toBe(104);
    expect(levels(book, BookSide.Bid)).toEqual(['100.00@2.00000', '99.50@3.00000']);
    expect(levels(book, BookSide.Ask)).toEqual(['101.50@1.00000']);
    expect(sync.onDiff(diff(105, 105, [['100.50', '1']]))).toBe('applied');
    expect(sync.onDiff(diff(103, 105, [['1.00', '1']]))).toBe('dropped');
    expect(book.bestBid()?.map(String)).toEqual(['100.50', '1.00000']);
    expect([sync.applied, sync.gaps, sync.resyncs, sync.messages, sync.dropped]).toEqual([3, 0, 0, 5, 2]);
  });

  it('a gap after sync discards the book and buffers for a new snapshot', () => {
    const { book, sync } = make();
    sync.onSnapshot(snapshot(10, [['100.00', '1']], [['101.00', '1']]));
    expect(sync.onDiff(diff(11, 12, [['100.00', '2']]))).toBe('applied');
    expect(sync.onDiff(diff(14, 15, [['100.00', '3']]))).toBe('gap');
    expect(sync.state).toBe('awaiting_snapshot');
    expect(book.bids.length).toBe(0);
    expect(sync.updateId).toBe(-1);
    expect(sync.onDiff(diff(16, 16, [['100.00', '4']]))).toBe('buffered');
    expect(sync.onSnapshot(snapshot(15, [['100.00', '3']], []))).toBe('synced');
    expect(book.bestBid()?.map(String)).toEqual(['100.00', '4.00000']);
    expect([sync.gaps, sync.resyncs]).toEqual([1, 0]);
  });

  it('a snapshot older than the first buffered event is stale; buffered events that skip past it are a gap', () => {
    const { sync } = make();
    sync.onDiff(diff(50, 52, [['100.00', '1']]));
    expect(sync.onSnapshot(snapshot(40, [], []))).toBe('stale');
    expect(sync.state).toBe('awaiting_snapshot');
    expect(sync.bufferedCount).toBe(1);
    sync.onDiff(diff(53, 53, [['100.00', '2']]));
    sync.onDiff(diff(56, 57, [['100.00', '3']]));
    expect(sync.onSnapshot(snapshot(51, [], []))).toBe('gap');
    expect(sync.bufferedCount).toBe(1);
    expect(sync.onSnapshot(snapshot(55, [], []))).toBe('synced');
    expect(sync.resyncs).toBe(2);
  });

  it('with no buffered events the first arriving event is checked against the snapshot', () => {
    const { sync } = make();
    sync.onSnapshot(snapshot(100, [['100.00', '1']], []));
    expect(sync.onDiff(diff(90, 100, []))).toBe('dropped');
    expect(sync.onDiff(diff(102, 103, []))).toBe('gap');
    // The event that broke the chain stays buffered and applies onto the next snapshot.
    expect(sync.onSnapshot(snapshot(101, [], []))).toBe('synced');
    expect(sync.updateId).toBe(103);
    expect(sync.onDiff(diff(102, 103, []))).toBe('dropped');
    expect(sync.onDiff(diff(104, 104, []))).toBe('applied');
  });

  it('counts crossed books and resets', () => {
    const { book, sync } = make();
    sync.onSnapshot(snapshot(1, [['100.00', '1']], [['101.00', '1']]));
    sync.onDiff(diff(2, 2, [['101.00', '1']]));
    expect(sync.crossed).toBe(1);
    sync.reset();
    expect(sync.state).toBe('awaiting_snapshot');
    expect(book.bids.length + book.asks.length).toBe(0);
  });

  it('bounds the buffer while awaiting a snapshot', () => {
    const book = new L2OrderBook(BTC.instrumentId, 2, 5);
    const sync = new BinanceBookSync('spot', book, 2);
    for (let i = 1; i <= 5; i++) sync.onDiff(diff(i, i, []));
    expect(sync.bufferedCount).toBe(2);
  });
});

describe('BinanceBookSync (USD-M futures)', () => {
  it('first event straddles lastUpdateId (U <= id <= u), then pu chains', () => {
    const { book, sync } = make('futures');
    sync.onDiff(diff(90, 99, [['1.00', '1']], [], 89));
    sync.onDiff(diff(98, 102, [['100.00', '5']], [], 97));
    sync.onDiff(diff(103, 110, [], [['101.00', '2']], 102));
    expect(sync.onSnapshot(snapshot(100, [['100.00', '1']], [['101.00', '1']]))).toBe('synced');
    expect(levels(book, BookSide.Bid)).toEqual(['100.00@5.00000']);
    expect(levels(book, BookSide.Ask)).toEqual(['101.00@2.00000']);
    expect(sync.onDiff(diff(111, 115, [['100.50', '1']], [], 110))).toBe('applied');
    // pu must equal the previous u even when U would look contiguous on spot.
    expect(sync.onDiff(diff(116, 118, [], [], 114))).toBe('gap');
    expect(sync.gaps).toBe(1);
  });

  it('drops only events with u < lastUpdateId (u == lastUpdateId straddles)', () => {
    const { sync } = make('futures');
    sync.onDiff(diff(95, 100, [['100.00', '7']], [], 94));
    expect(sync.onSnapshot(snapshot(100, [], []))).toBe('synced');
    expect(sync.updateId).toBe(100);
    expect(sync.applied).toBe(1);
    const other = make('futures').sync;
    other.onDiff(diff(101, 105, [], [], 100));
    expect(other.onSnapshot(snapshot(100, [], []))).toBe('gap');
  });
});
