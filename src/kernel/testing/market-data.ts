/** Small hand-made market data events for kernel tests. */
import { BarSpec } from '../../core/bar-spec.js';
import type { Bar, BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { InstrumentId, TradeId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';

export const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
export const ETH = InstrumentId.parse('ETH/USDT.COINBASE');
export const M1 = BarSpec.parse('1m');

const us = UnixMicros.unsafe;

export function trade(id: InstrumentId, price: string, ts: number, size = '1.0'): TradeTick {
  return {
    type: 'trade',
    instrumentId: id,
    price: Price.parse(price),
    size: Quantity.parse(size),
    aggressorSide: 'BUYER',
    tradeId: TradeId.parse(`T${ts}`),
    tsEvent: us(ts),
    tsInit: us(ts),
  };
}

export function quote(id: InstrumentId, bid: string, ask: string, ts: number): QuoteTick {
  return {
    type: 'quote',
    instrumentId: id,
    bidPrice: Price.parse(bid),
    askPrice: Price.parse(ask),
    bidSize: Quantity.parse('1'),
    askSize: Quantity.parse('1'),
    tsEvent: us(ts),
    tsInit: us(ts),
  };
}

export function bar(id: InstrumentId, spec: BarSpec, close: string, tsOpen: number): Bar {
  const p = Price.parse(close);
  return {
    type: 'bar',
    instrumentId: id,
    spec,
    open: p,
    high: p,
    low: p,
    close: p,
    volume: Quantity.parse('1'),
    tradeCount: 1,
    tsOpen: us(tsOpen),
    tsEvent: us(tsOpen + 60_000_000),
    tsInit: us(tsOpen + 60_000_000),
  };
}

export function snapshot(id: InstrumentId, bid: string, ask: string, ts: number): BookSnapshot {
  return {
    type: 'book_snapshot',
    instrumentId: id,
    bids: [[Price.parse(bid), Quantity.parse('2')]],
    asks: [[Price.parse(ask), Quantity.parse('3')]],
    sequence: 1,
    tsEvent: us(ts),
    tsInit: us(ts),
  };
}

export function deltas(id: InstrumentId, bid: string, size: string, ts: number): BookDeltas {
  return {
    type: 'book_deltas',
    instrumentId: id,
    deltas: [{ side: 'BID', price: Price.parse(bid), size: Quantity.parse(size) }],
    firstSequence: 2,
    sequence: 2,
    tsEvent: us(ts),
    tsInit: us(ts),
  };
}
