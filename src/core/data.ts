import { assertNever } from './errors.js';
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

/** The name for one level change. */
export type BookDelta = BookLevelDelta;

function tsProblem(d: { readonly tsEvent: number; readonly tsInit: number }): string | undefined {
  if (!Number.isSafeInteger(d.tsEvent) || d.tsEvent < 0) return `tsEvent is not a microsecond timestamp: ${d.tsEvent}`;
  if (!Number.isSafeInteger(d.tsInit) || d.tsInit < 0) return `tsInit is not a microsecond timestamp: ${d.tsInit}`;
  return undefined;
}

function levelsProblem(levels: readonly (readonly [Price, Quantity])[], side: BookSide): string | undefined {
  for (let i = 0; i < levels.length; i++) {
    const [price, size] = levels[i];
    if (!size.isPositive()) return `${side} level ${price} has size ${size}`;
    if (i > 0) {
      const prev = levels[i - 1][0];
      const ordered = side === BookSide.Bid ? price.lt(prev) : price.gt(prev);
      if (!ordered) return `${side} levels are not strictly ${side === BookSide.Bid ? 'descending' : 'ascending'} at ${price}`;
    }
  }
  return undefined;
}

/**
 * Why a market data event breaks an invariant (a bar whose high is below its close, a snapshot whose
 * levels are out of order, a crossed quote), or undefined when it holds. Adapters and importers turn a
 * problem into a counted rejection; nothing here throws.
 */
export function marketDataProblem(d: MarketData): string | undefined {
  const ts = tsProblem(d);
  if (ts !== undefined) return ts;
  switch (d.type) {
    case 'trade':
      if (!d.size.isPositive()) return `trade size must be positive: ${d.size}`;
      if (!Object.values(AggressorSide).includes(d.aggressorSide)) return `unknown aggressor side ${String(d.aggressorSide)}`;
      return undefined;
    case 'quote':
      if (d.bidPrice.gt(d.askPrice)) return `crossed quote: bid ${d.bidPrice} > ask ${d.askPrice}`;
      return undefined;
    case 'book_deltas':
      if (!Number.isSafeInteger(d.sequence) || !Number.isSafeInteger(d.firstSequence) || d.sequence < d.firstSequence) {
        return `sequence ${d.sequence} is before first sequence ${d.firstSequence}`;
      }
      for (const x of d.deltas) if (x.side !== BookSide.Bid && x.side !== BookSide.Ask) return `unknown book side ${String(x.side)}`;
      return undefined;
    case 'book_snapshot': {
      const p = levelsProblem(d.bids, BookSide.Bid) ?? levelsProblem(d.asks, BookSide.Ask);
      if (p !== undefined) return p;
      if (d.bids.length > 0 && d.asks.length > 0 && !d.bids[0][0].lt(d.asks[0][0])) {
        return `crossed book: best bid ${d.bids[0][0]} >= best ask ${d.asks[0][0]}`;
      }
      return undefined;
    }
    case 'bar':
      if (d.low.gt(d.high)) return `bar low ${d.low} is above high ${d.high}`;
      if (d.open.gt(d.high) || d.open.lt(d.low)) return `bar open ${d.open} is outside [${d.low}, ${d.high}]`;
      if (d.close.gt(d.high) || d.close.lt(d.low)) return `bar close ${d.close} is outside [${d.low}, ${d.high}]`;
      if (!Number.isSafeInteger(d.tradeCount) || d.tradeCount < 0) return `bar trade count must be a non-negative integer: ${d.tradeCount}`;
      if (d.tsOpen > d.tsEvent) return `bar opens (${d.tsOpen}) after it closes (${d.tsEvent})`;
      return undefined;
    default:
      return assertNever(d, 'market data');
  }
}
