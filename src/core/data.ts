import type { InstrumentId, TradeId } from './identifiers.js';
import type { Price, Quantity } from './price.js';
import type { UnixMicros } from './time.js';
import type { BarSpec } from './bar-spec.js';

/** Which side took liquidity in a trade. */
export const AggressorSide = { Buyer: 'BUYER', Seller: 'SELLER', None: 'NONE' } as const;
export type AggressorSide = (typeof AggressorSide)[keyof typeof AggressorSide];

export const BookSide = { Bid: 'BID', Ask: 'ASK' } as const;
export type BookSide = (typeof BookSide)[keyof typeof BookSide];

/**
 * Every market data event carries `tsEvent` (when it happened at the venue) and `tsInit`
 * (when Tradewind created it), both in integer microseconds. Events are never changed after creation.
 */
export interface TradeTick {
  readonly type: 'trade';
  readonly instrumentId: InstrumentId;
  readonly price: Price;
  readonly size: Quantity;
  readonly aggressorSide: AggressorSide;
  readonly tradeId: TradeId;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

export interface QuoteTick {
  readonly type: 'quote';
  readonly instrumentId: InstrumentId;
  readonly bidPrice: Price;
  readonly askPrice: Price;
  readonly bidSize: Quantity;
  readonly askSize: Quantity;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

/** One price level change. `size` zero removes the level. */
export interface BookLevelDelta {
  readonly side: BookSide;
  readonly price: Price;
  readonly size: Quantity;
}

/** A batch of level changes from one venue message; `sequence` is the venue's last update id when it has one. */
export interface BookDeltas {
  readonly type: 'book_deltas';
  readonly instrumentId: InstrumentId;
  readonly deltas: readonly BookLevelDelta[];
  readonly firstSequence: number;
  readonly sequence: number;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

/** A full replacement of the book: levels best first. */
export interface BookSnapshot {
  readonly type: 'book_snapshot';
  readonly instrumentId: InstrumentId;
  readonly bids: readonly (readonly [Price, Quantity])[];
  readonly asks: readonly (readonly [Price, Quantity])[];
  readonly sequence: number;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

/**
 * A bar. `tsOpen` is the open time of the interval (inclusive) and `tsEvent` its close time (exclusive end
 * for time bars, time of the last update for tick, volume and value bars), as in NautilusTrader.
 */
export interface Bar {
  readonly type: 'bar';
  readonly instrumentId: InstrumentId;
  readonly spec: BarSpec;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
  readonly volume: Quantity;
  /** Number of trades aggregated, 0 when unknown (quote bars, imported bars). */
  readonly tradeCount: number;
  readonly tsOpen: UnixMicros;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

export type MarketData = TradeTick | QuoteTick | BookDeltas | BookSnapshot | Bar;
