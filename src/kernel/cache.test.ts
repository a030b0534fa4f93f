import { describe, expect, it } from 'vitest';
import { BarSpec } from '../core/bar-spec.js';
import type { MarketData } from '../core/data.js';
import { ClientOrderId, InstrumentId, StrategyId, Venue } from '../core/identifiers.js';
import { Instrument } from '../core/instrument.js';
import { event, makeOrder } from '../core/order/testing/fixtures.js';
import { L2OrderBook } from '../compute/orderbook/l2-book.js';
import { InProcessBus } from './bus/in-process-bus.js';
import { Cache, cacheThenPublish } from './cache.js';
import type { CacheReader } from './cache.js';
import { TestClock } from './clock/test-clock.js';
import { BTC, ETH, M1, bar, deltas, quote, snapshot, trade } from './testing/market-data.js';
import { topics } from './topics.js';

describe('Cache', () => {
  it('keeps the latest N quotes and trades per instrument, newest first', () => {
    const cache = new Cache({ tickCapacity: 3 });
    for (let i = 1; i <= 5; i++) {
      cache.addTrade(trade(BTC, `${100 + i}`, i));
      cache.addQuote(quote(BTC, `${i}`, `${i + 1}`, i));
    }
    cache.addTrade(trade(ETH, '7', 9));
    expect(cache.tradeCount(BTC)).toBe(3);
    expect(cache.trade(BTC)?.price.toString()).toBe('105');
    expect(cache.trade(BTC, 2)?.price.toString()).toBe('103');
    expect(cache.trade(BTC, 3)).toBeUndefined();
    expect(cache.trades(BTC).map((t) => t.tsEvent)).toEqual([5, 4, 3]);
    expect(cache.quotes(BTC).map((q) => q.bidPrice.toString())).toEqual(['5', '4', '3']);
    expect(cache.quote(BTC, 1)?.tsEvent).toBe(4);
    expect(cache.quoteCount(BTC)).toBe(3);
    expect(cache.trades(ETH)).toHaveLength(1);
    expect(cache.quote(ETH)).toBeUndefined();
    expect(cache.quotes(ETH)).toEqual([]);
    expect(cache.quoteCount(ETH)).toBe(0);
    expect(cache.instrumentIds().sort()).toEqual([BTC, ETH].sort());
  });

  it('keeps bars per instrument and spec, finding them by an equal spec object', () => {
    const cache = new Cache({ barCapacity: 2 });
    const m5 = BarSpec.parse('5m');
    cache.addBar(bar(BTC, M1, '1', 0));
    cache.addBar(bar(BTC, M1, '2', 60_000_000));
    cache.addBar(bar(BTC, M1, '3', 120_000_000));
    cache.addBar(bar(BTC, m5, '9', 0));
    expect(cache.bars(BTC, BarSpec.parse('1m')).map((b) => b.close.toString())).toEqual(['3', '2']);
    expect(cache.bar(BTC, M1)?.close.toString()).toBe('3');
    expect(cache.barCount(BTC, M1)).toBe(2);
    expect(cache.barCount(BTC, BarSpec.parse('1h'))).toBe(0);
    expect(cache.bars(ETH, M1)).toEqual([]);
    expect(cache.barSpecs(BTC).map((s) => BarSpec.toString(s)).sort()).toEqual(['1m', '5m']);
    expect(cache.barSpecs(ETH)).toEqual([]);
  });

  it('applies book events to a tracked book only', () => {
    const cache = new Cache();
    expect(cache.applyBook(snapshot(BTC, '10', '11', 1))).toBe(false);
    cache.setBook(new L2OrderBook(BTC, 2, 2));
    expect(cache.applyBook(snapshot(BTC, '10', '11', 1))).toBe(true);
    expect(cache.applyBook(deltas(BTC, '10.5', '4', 2))).toBe(true);
    expect(cache.book(BTC)?.bestBid()?.[0].toString()).toBe('10.50');
    expect(cache.book(BTC)?.sequence).toBe(2);
    cache.removeBook(BTC);
    cache.removeBook(ETH);
    expect(cache.book(BTC)).toBeUndefined();
    cache.clear();
    expect(cache.instrumentIds()).toEqual([]);
  });

  it('holds instruments, replacing on update, listed per venue', () => {
    const cache = new Cache();
    const spec = { kind: 'spot', baseCurrency: 'BTC', quoteCurrency: 'USDT', pricePrecision: 2, sizePrecision: 5, tickSize: '0.01', lotSize: '0.00001' } as const;
    const btc = Instrument.create({ ...spec, id: 'BTCUSDT.BINANCE' });
    const btc2 = Instrument.create({ ...spec, id: 'BTCUSDT.BINANCE', takerFee: '0.001' });
    const cb = Instrument.create({ ...spec, id: 'BTC-USDT.COINBASE' });
    cache.addInstrument(btc);
    cache.addInstrument(cb);
    cache.addInstrument(btc2);
    expect(cache.instrument(BTC)).toBe(btc2);
    expect(cache.instrument(ETH)).toBeUndefined();
    expect(cache.instruments().map((i) => i.id)).toEqual(['BTCUSDT.BINANCE', 'BTC-USDT.COINBASE']);
    expect(cache.instruments(Venue.parse('COINBASE'))).toEqual([cb]);
  });

  it('holds orders by client order id, filtered by strategy, instrument, venue and open/closed', () => {
    const cache = new Cache();
    const a = makeOrder({ clientOrderId: ClientOrderId.parse('O-1') });
    const b = makeOrder({ clientOrderId: ClientOrderId.parse('O-2'), strategyId: StrategyId.parse('S-2') });
    const c = makeOrder({ clientOrderId: ClientOrderId.parse('O-3'), instrumentId: InstrumentId.parse('ETHUSDT.KRAKEN') });
    for (const o of [a, b, c]) cache.addOrder(o);
    cache.addOrder(a); // the same object again is fine
    b.apply({ ...event('OrderDenied'), clientOrderId: b.clientOrderId, strategyId: b.strategyId });
    for (const o of [a, c]) {
      for (const t of ['OrderSubmitted', 'OrderAccepted'] as const) o.apply({ ...event(t), clientOrderId: o.clientOrderId, instrumentId: o.instrumentId });
    }
    expect(cache.order(ClientOrderId.parse('O-2'))).toBe(b);
    expect(cache.order(ClientOrderId.parse('O-9'))).toBeUndefined();
    expect(cache.orders().length).toBe(3);
    expect(cache.ordersOpen()).toEqual([a, c]);
    expect(cache.ordersClosed()).toEqual([b]);
    expect(cache.orders({ strategyId: StrategyId.parse('S-2') })).toEqual([b]);
    expect(cache.orders({ instrumentId: BTC })).toEqual([a, b]);
    expect(cache.ordersOpen({ venue: Venue.parse('KRAKEN') })).toEqual([c]);
    expect(() => cache.addOrder(makeOrder({ clientOrderId: ClientOrderId.parse('O-1') }))).toThrow(/already cached/);
    cache.clear();
    expect(cache.orders()).toHaveLength(3);
  });

  it('rejects bad capacities', () => {
    expect(() => new Cache({ tickCapacity: 0 })).toThrow(/tickCapacity/);
    expect(() => new Cache({ barCapacity: 1.5 })).toThrow(/barCapacity/);
  });
});

describe('cacheThenPublish', () => {
  it('writes the cache before subscribers run, on the switchboard topic of each kind', () => {
    const cache = new Cache();
    cache.setBook(new L2OrderBook(BTC, 2, 2));
    const reader: CacheReader = cache;
    const bus = new InProcessBus({ clock: new TestClock() });
    const seen: string[] = [];
    bus.subscribe(topics.allData(), (m, topic) => {
      const inCache =
        m.type === 'trade'
          ? reader.trade(m.instrumentId) === m
          : m.type === 'quote'
            ? reader.quote(m.instrumentId) === m
            : m.type === 'bar'
              ? reader.bar(m.instrumentId, m.spec) === m
              : reader.book(m.instrumentId)?.sequence === m.sequence;
      seen.push(`${topic}:${m.type}:${inCache}`);
    });
    const events: MarketData[] = [trade(BTC, '1', 1), quote(ETH, '1', '2', 2), bar(BTC, M1, '3', 0), snapshot(BTC, '10', '11', 3), deltas(BTC, '9', '1', 4)];
    for (const e of events) cacheThenPublish(cache, bus, e);
    expect(seen).toEqual([
      'data.trade.BINANCE.BTCUSDT:trade:true',
      'data.quote.COINBASE.ETH%2FUSDT:quote:true',
      'data.bar.BINANCE.BTCUSDT.1m:bar:true',
      'data.book.BINANCE.BTCUSDT:book_snapshot:true',
      'data.book.BINANCE.BTCUSDT:book_deltas:true',
    ]);
    expect(() => cacheThenPublish(cache, bus, { type: 'nope' } as never)).toThrow(/unexpected market data/);
  });
});
