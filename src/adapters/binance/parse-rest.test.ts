import { describe, expect, it } from 'vitest';
import { BarSpec } from '../../core/bar-spec.js';
import type { UnixMicros } from '../../core/time.js';
import { parseAggTrades, parseDepthSnapshot, parseExchangeInfo, parseKlines, parseServerTime, parseTrades } from './parse-rest.js';
import { BTC } from './testing/frames.js';

const T0 = 5 as UnixMicros;

describe('REST depth snapshot', () => {
  it('reads lastUpdateId and raw levels at the instrument precision', () => {
    const r = parseDepthSnapshot('{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}', {
      ...BTC,
      pricePrecision: 8,
      sizePrecision: 8,
    });
    expect(r).toEqual({ ok: true, value: { lastUpdateId: 1027024, bidPrices: [400_000_000], bidSizes: [43_100_000_000], askPrices: [400_000_200], askSizes: [1_200_000_000] } });
  });
  it('names the failing level', () => {
    const r = parseDepthSnapshot({ lastUpdateId: 1, bids: [], asks: [['1.00', '1'], ['x', '1']] }, BTC);
    expect(r.ok === false && [r.rejection.reason, r.rejection.field]).toEqual(['bad_price', 'asks[1][0]']);
    const j = parseDepthSnapshot('{', BTC);
    expect(j.ok === false && j.rejection.reason).toBe('invalid_json');
    const n = parseDepthSnapshot('[]', BTC);
    expect(n.ok === false && n.rejection.reason).toBe('not_object');
    const p = parseDepthSnapshot({ lastUpdateId: 1, bids: [['1.00']], asks: [] }, BTC);
    expect(p.ok === false && p.rejection.field).toBe('bids[0]');
  });
});

describe('REST time, klines and aggTrades', () => {
  it('server time', () => {
    expect(parseServerTime('{"serverTime":1499827319559}')).toEqual({ ok: true, value: 1499827319559 });
    expect(parseServerTime('{"serverTime":"x"}').ok).toBe(false);
  });

  it('klines become bars with exclusive close time', () => {
    const body = JSON.stringify([[1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', 1499644799999, '2434.19055334', 308, '1756.87402397', '28.46694368', '0']]);
    const r = parseKlines(body, { ...BTC, pricePrecision: 8, sizePrecision: 8 }, BarSpec.parse('1m'), T0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.parse(JSON.stringify(r.value[0]))).toMatchObject({ open: '0.01634790', high: '0.80000000', volume: '148976.11427815', tradeCount: 308, tsOpen: 1499040000000000, tsEvent: 1499644800000000 });
    const short = parseKlines('[[1,"1","1","1","1","1"]]', BTC, BarSpec.parse('1m'), T0);
    expect(short.ok === false && short.rejection.reason).toBe('missing_field');
    const back = parseKlines('[[10,"1","1","1","1","1",5,"0",1]]', BTC, BarSpec.parse('1m'), T0);
    expect(back.ok === false && back.rejection.field).toBe('[0][6]');
  });

  it('aggTrades become trade ticks keyed by the aggregate id', () => {
    const r = parseAggTrades('[{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true,"M":true}]', { ...BTC, pricePrecision: 8, sizePrecision: 8 }, T0);
    expect(r.ok && JSON.parse(JSON.stringify(r.value))).toEqual([
      { type: 'trade', instrumentId: 'BTCUSDT.BINANCE', price: '0.01633102', size: '4.70443515', aggressorSide: 'SELLER', tradeId: '26129', tsEvent: 1498793709153000, tsInit: 5 },
    ]);
    const bad = parseAggTrades('[{"a":1,"p":"1.00","q":"-1","T":1,"m":true}]', BTC, T0);
    expect(bad.ok === false && [bad.rejection.reason, bad.rejection.field]).toEqual(['negative_size', '[0].q']);
  });

  it('trades and historicalTrades become trade ticks keyed by the trade id, as from the @trade stream', () => {
    // The example of Binance's "Old trade lookup" (spot) and a futures row (no isBestMatch).
    const spot = '[{"id":28457,"price":"4.00000100","qty":"12.00000000","quoteQty":"48.000012","time":1499865549590,"isBuyerMaker":true,"isBestMatch":true}]';
    const r = parseTrades(spot, { ...BTC, pricePrecision: 8, sizePrecision: 8 }, T0);
    expect(r.ok && JSON.parse(JSON.stringify(r.value))).toEqual([
      { type: 'trade', instrumentId: 'BTCUSDT.BINANCE', price: '4.00000100', size: '12.00000000', aggressorSide: 'SELLER', tradeId: '28457', tsEvent: 1499865549590000, tsInit: 5 },
    ]);
    const fut = parseTrades([{ id: 7, price: '100.10', qty: '0.003', quoteQty: '0.3003', time: 2, isBuyerMaker: false }], { ...BTC, pricePrecision: 2, sizePrecision: 3 }, T0);
    expect(fut.ok && fut.value.map((t) => [t.tradeId, t.aggressorSide, t.price.toString(), t.size.toString()])).toEqual([['7', 'BUYER', '100.10', '0.003']]);
    const bad = parseTrades('[{"id":1,"price":"1.00","qty":"1","time":1}]', BTC, T0);
    expect(bad.ok === false && [bad.rejection.reason, bad.rejection.field]).toEqual(['missing_field', '[0].isBuyerMaker']);
    const err = parseTrades('{"code":-2014,"msg":"API-key format invalid."}', BTC, T0);
    expect(err.ok).toBe(false);
  });
});

describe('exchangeInfo', () => {
  const spot = {
    serverTime: 1634942465856,
    symbols: [
      {
        symbol: 'BTCUSDT',
        status: 'TRADING',
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
          { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
          { filterType: 'NOTIONAL', minNotional: '5.00000000' },
        ],
      },
      { symbol: 'BADUSDT', status: 'TRADING', baseAsset: 'BAD', quoteAsset: 'USDT', filters: [{ filterType: 'LOT_SIZE', stepSize: '1' }] },
      { symbol: 'ZEROUSDT', status: 'TRADING', baseAsset: 'Z', quoteAsset: 'USDT', filters: [{ filterType: 'PRICE_FILTER', tickSize: '0.000' }, { filterType: 'LOT_SIZE', stepSize: '1', minQty: '1' }] },
    ],
  };

  it('derives precisions from tickSize and stepSize, min notional from NOTIONAL; bad symbols listed apart', () => {
    const r = parseExchangeInfo(JSON.stringify(spot), 'spot');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.serverTimeMs).toBe(1634942465856);
    expect(r.value.symbols).toEqual([
      {
        symbol: 'BTCUSDT',
        instrumentId: 'BTCUSDT.BINANCE',
        status: 'TRADING',
        kind: 'spot',
        baseCurrency: 'BTC',
        quoteCurrency: 'USDT',
        settlementCurrency: 'USDT',
        pricePrecision: 2,
        sizePrecision: 5,
        tickSize: '0.01',
        lotSize: '0.00001',
        minQuantity: '0.00001',
        maxQuantity: '9000.00000',
        minNotional: '5.00000000',
      },
    ]);
    expect(r.value.rejected.map((x) => [x.symbol, x.rejection.reason, x.rejection.field])).toEqual([
      ['BADUSDT', 'missing_field', 'symbols[1].filters.PRICE_FILTER'],
      ['ZEROUSDT', 'bad_field', 'symbols[2].filters.PRICE_FILTER.tickSize'],
    ]);
  });

  it('futures: perpetuals only, MIN_NOTIONAL.notional, margin asset settles', () => {
    const fut = {
      symbols: [
        {
          symbol: 'BTCUSDT',
          contractType: 'PERPETUAL',
          status: 'TRADING',
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
          marginAsset: 'USDT',
          filters: [
            { filterType: 'PRICE_FILTER', tickSize: '0.10' },
            { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '1000' },
            { filterType: 'MIN_NOTIONAL', notional: '10' },
          ],
        },
        { symbol: 'BTCUSDT_231229', contractType: 'CURRENT_QUARTER', filters: [] },
      ],
    };
    const r = parseExchangeInfo(fut, 'futures');
    expect(r.ok && r.value.symbols.map((s) => [s.instrumentId, s.kind, s.pricePrecision, s.sizePrecision, s.minNotional, s.maxQuantity])).toEqual([
      ['BTCUSDT.BINANCE_FUTURES', 'perpetual', 1, 3, '10', '1000.000'],
    ]);
    expect(r.ok && r.value.serverTimeMs).toBe(-1);
    expect(parseExchangeInfo('{}', 'spot').ok).toBe(false);
  });
});
