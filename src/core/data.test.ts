import { describe, expect, it } from 'vitest';
import { AggressorSide, BookSide, marketDataProblem } from './data.js';
import type { Bar, BookDeltas, BookSnapshot, MarketData, QuoteTick, TradeTick } from './data.js';
import { InstrumentId, TradeId } from './identifiers.js';
import { Price, Quantity } from './price.js';
import { UnixMicros } from './time.js';
import { BarSpec } from './bar-spec.js';
import { InvariantError } from './errors.js';

const id = InstrumentId.parse('BTCUSDT.BINANCE');
const ts = { tsEvent: UnixMicros.of(1_000), tsInit: UnixMicros.of(1_001) };
const p = (s: string) => Price.parse(s);
const q = (s: string) => Quantity.parse(s);

const trade: TradeTick = { type: 'trade', instrumentId: id, price: p('100.5'), size: q('0.1'), aggressorSide: AggressorSide.Buyer, tradeId: TradeId.parse('1'), ...ts };
const quote: QuoteTick = { type: 'quote', instrumentId: id, bidPrice: p('100.0'), askPrice: p('100.1'), bidSize: q('1'), askSize: q('0'), ...ts };
const deltas: BookDeltas = { type: 'book_deltas', instrumentId: id, deltas: [{ side: BookSide.Bid, price: p('100'), size: q('0') }], firstSequence: 5, sequence: 7, ...ts };
const snapshot: BookSnapshot = {
  type: 'book_snapshot',
  instrumentId: id,
  bids: [[p('100.0'), q('1')], [p('99.9'), q('2')]],
  asks: [[p('100.1'), q('1')], [p('100.2'), q('3')]],
  sequence: 9,
  ...ts,
};
const bar: Bar = {
  type: 'bar',
  instrumentId: id,
  spec: BarSpec.parse('1m'),
  open: p('100'),
  high: p('101'),
  low: p('99'),
  close: p('100.5'),
  volume: q('12.5'),
  tradeCount: 42,
  tsOpen: UnixMicros.of(0),
  tsEvent: UnixMicros.of(60_000_000),
  tsInit: UnixMicros.of(60_000_001),
};

describe('marketDataProblem', () => {
  it('accepts well-formed events', () => {
    for (const d of [trade, quote, deltas, snapshot, bar, { ...snapshot, asks: [] }, { ...quote, bidPrice: p('100.1') }]) {
      expect(marketDataProblem(d)).toBeUndefined();
    }
  });

  it.each<[string, MarketData, RegExp]>([
    ['negative tsEvent', { ...trade, tsEvent: -1 as UnixMicros }, /tsEvent/],
    ['fractional tsInit', { ...trade, tsInit: 1.5 as UnixMicros }, /tsInit/],
    ['zero-size trade', { ...trade, size: q('0') }, /trade size/],
    ['bad aggressor', { ...trade, aggressorSide: 'X' as AggressorSide }, /aggressor/],
    ['crossed quote', { ...quote, bidPrice: p('100.2') }, /crossed quote/],
    ['sequence before first', { ...deltas, sequence: 4 }, /sequence/],
    ['bad delta side', { ...deltas, deltas: [{ side: 'MID' as BookSide, price: p('1'), size: q('1') }] }, /book side/],
    ['unordered bids', { ...snapshot, bids: [[p('99.9'), q('1')], [p('100.0'), q('1')]] }, /BID levels are not strictly descending/],
    ['duplicate asks', { ...snapshot, asks: [[p('100.1'), q('1')], [p('100.1'), q('1')]] }, /ASK levels are not strictly ascending/],
    ['empty level', { ...snapshot, asks: [[p('100.1'), q('0')]] }, /size 0/],
    ['crossed book', { ...snapshot, asks: [[p('100.0'), q('1')]] }, /crossed book/],
    ['low above high', { ...bar, low: p('102'), open: p('102'), close: p('102') }, /low .* above high/],
    ['open above high', { ...bar, open: p('101.5') }, /open/],
    ['close below low', { ...bar, close: p('98') }, /close/],
    ['negative trade count', { ...bar, tradeCount: -1 }, /trade count/],
    ['opens after close', { ...bar, tsOpen: UnixMicros.of(70_000_000) }, /opens/],
  ])('reports %s', (_name, d, re) => {
    expect(marketDataProblem(d)).toMatch(re);
  });

  it('crashes on an unknown event type', () => {
    expect(() => marketDataProblem({ ...trade, type: 'news' } as unknown as MarketData)).toThrow(InvariantError);
  });
});
