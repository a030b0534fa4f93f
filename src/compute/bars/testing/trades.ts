import type { Bar, QuoteTick, TradeTick } from '../../../core/data.js';
import { InstrumentId, TradeId } from '../../../core/identifiers.js';
import { Price, Quantity } from '../../../core/price.js';
import { UnixMicros } from '../../../core/time.js';

export const XRPETH = InstrumentId.parse('XRPETH.BINANCE');

let nextId = 1;

/** A trade for tests: price and size as decimal strings, time in microseconds. */
export function trade(tsMicros: number, price: string, size: string): TradeTick {
  return {
    type: 'trade',
    instrumentId: XRPETH,
    price: Price.parse(price),
    size: Quantity.parse(size),
    aggressorSide: 'NONE',
    tradeId: TradeId.parse(`T${nextId++}`),
    tsEvent: UnixMicros.unsafe(tsMicros),
    tsInit: UnixMicros.unsafe(tsMicros),
  };
}

export function quote(tsMicros: number, bid: string, ask: string, bidSize: string, askSize: string): QuoteTick {
  return {
    type: 'quote',
    instrumentId: XRPETH,
    bidPrice: Price.parse(bid),
    askPrice: Price.parse(ask),
    bidSize: Quantity.parse(bidSize),
    askSize: Quantity.parse(askSize),
    tsEvent: UnixMicros.unsafe(tsMicros),
    tsInit: UnixMicros.unsafe(tsMicros),
  };
}

/** The fields a test compares, as strings, so that failures read well. */
export function show(b: Bar): { t: number; end: number; o: string; h: string; l: string; c: string; v: string; n: number } {
  return {
    t: b.tsOpen,
    end: b.tsEvent,
    o: b.open.toString(),
    h: b.high.toString(),
    l: b.low.toString(),
    c: b.close.toString(),
    v: b.volume.toString(),
    n: b.tradeCount,
  };
}
