import type { BookLevelDelta, QuoteTick, TradeTick } from '../../core/data.js';
import { AggressorSide } from '../../core/data.js';
import type { TradeId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import type { DepthDiff, InstrumentPrecision, Rejection } from './types.js';
import { RejectReason } from './types.js';

/**
 * Builders shared by the fast scanner (parse-fast.ts) and the JSON.parse path (parse-slow.ts): both
 * extract the same primitive values and hand them here, so the two paths cannot disagree on the result.
 */

export function reject(reason: RejectReason, field: string | undefined, detail: string): Rejection {
  return { type: 'rejection', reason, field, detail };
}

/** Checks a price raw from parseDecimalSlice: a Rejection, or undefined when it is a valid positive price. */
export function checkPrice(raw: number, field: string, text: string): Rejection | undefined {
  if (Number.isNaN(raw)) return reject(RejectReason.BadPrice, field, `not a decimal of the instrument's precision: ${JSON.stringify(text)}`);
  if (raw < 0) return reject(RejectReason.NegativePrice, field, `negative price ${JSON.stringify(text)}`);
  if (raw === 0) return reject(RejectReason.BadPrice, field, 'price is zero');
  return undefined;
}

/** Checks a size raw; `allowZero` for book levels (zero removes a level) and quotes. */
export function checkSize(raw: number, field: string, text: string, allowZero: boolean): Rejection | undefined {
  if (Number.isNaN(raw)) return reject(RejectReason.BadSize, field, `not a decimal of the instrument's precision: ${JSON.stringify(text)}`);
  if (raw < 0) return reject(RejectReason.NegativeSize, field, `negative size ${JSON.stringify(text)}`);
  if (raw === 0 && !allowZero) return reject(RejectReason.BadSize, field, 'size is zero');
  return undefined;
}

/** Venue milliseconds to microseconds; the caller has checked `ms` is a non-negative safe integer. */
export function msToMicros(ms: number): UnixMicros {
  return (ms * 1000) as UnixMicros;
}

/** Largest millisecond timestamp whose microsecond value is still a safe integer. */
export const MAX_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

export function buildTrade(
  info: InstrumentPrecision,
  priceRaw: number,
  sizeRaw: number,
  tradeId: string,
  buyerIsMaker: boolean,
  tsEventMs: number,
  tsInit: UnixMicros,
): TradeTick {
  return {
    type: 'trade',
    instrumentId: info.instrumentId,
    price: Price.fromRaw(priceRaw, info.pricePrecision),
    size: Quantity.fromRaw(sizeRaw, info.sizePrecision),
    // The maker was the buyer, so the seller took liquidity.
    aggressorSide: buyerIsMaker ? AggressorSide.Seller : AggressorSide.Buyer,
    tradeId: tradeId as TradeId,
    tsEvent: msToMicros(tsEventMs),
    tsInit,
  };
}

export function buildQuote(
  info: InstrumentPrecision,
  bidRaw: number,
  bidSizeRaw: number,
  askRaw: number,
  askSizeRaw: number,
  tsEventMs: number,
  tsInit: UnixMicros,
): QuoteTick {
  return {
    type: 'quote',
    instrumentId: info.instrumentId,
    bidPrice: Price.fromRaw(bidRaw, info.pricePrecision),
    askPrice: Price.fromRaw(askRaw, info.pricePrecision),
    bidSize: Quantity.fromRaw(bidSizeRaw, info.sizePrecision),
    askSize: Quantity.fromRaw(askSizeRaw, info.sizePrecision),
    // Spot bookTicker carries no time: then the event time is the receive time.
    tsEvent: tsEventMs < 0 ? tsInit : msToMicros(tsEventMs),
    tsInit,
  };
}

export function buildDepthDiff(
  info: InstrumentPrecision,
  symbol: string,
  firstUpdateId: number,
  finalUpdateId: number,
  prevFinalUpdateId: number,
  deltas: readonly BookLevelDelta[],
  tsEventMs: number,
  tsInit: UnixMicros,
): DepthDiff {
  return {
    type: 'depth_diff',
    symbol,
    firstUpdateId,
    finalUpdateId,
    prevFinalUpdateId,
    deltas: {
      type: 'book_deltas',
      instrumentId: info.instrumentId,
      deltas,
      firstSequence: firstUpdateId,
      sequence: finalUpdateId,
      tsEvent: msToMicros(tsEventMs),
      tsInit,
    },
  };
}
