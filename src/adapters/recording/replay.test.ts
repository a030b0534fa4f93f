import { describe, expect, it } from 'vitest';
import type { MarketData } from '../../core/data.js';
import { parseCapture } from '../common/capture.js';
import { replayCapture } from './replay.js';

const binanceCapture = [
  'wss://stream.binance.com:9443/stream?streams=btcusdt@trade/btcusdt@depth@100ms <-> 1700000000.000001',
  '1700000000.100000: {"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000099,"s":"BTCUSDT","t":1,"p":"37000.10000000","q":"0.50000000","T":1700000000098,"m":true,"M":true}}',
  '1700000000.200000: {"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000199,"s":"BTCUSDT","t":1,"p":"37000.10000000","q":"0.50000000","T":1700000000098,"m":true,"M":true}}',
  '1700000000.300000: {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000299,"s":"BTCUSDT","U":10,"u":11,"b":[["37000.00000000","1.00000000"]],"a":[]}}',
  '1700000000.400000: {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":2,"p":"-1","q":"1","T":1,"m":true,"M":true}}',
  '1700000000.500000: not json',
  '1700000000.600000: {"result":null,"id":1}',
].join('\n');

function run(venue: Parameters<typeof replayCapture>[0], text: string) {
  const events: MarketData[] = [];
  const stats = replayCapture(venue, parseCapture(text).records, (e) => events.push(e));
  return { events, stats };
}

describe('replayCapture', () => {
  it('replays Binance frames with receive times as tsInit, drops duplicate trades and counts rejections', () => {
    const { events, stats } = run('binance', binanceCapture);
    expect(events.map((e) => e.type)).toEqual(['trade', 'book_deltas']);
    expect(events[0]).toMatchObject({ instrumentId: 'BTCUSDT.BINANCE', tradeId: '1', tsEvent: 1700000000098000, tsInit: 1700000000100000, aggressorSide: 'SELLER' });
    expect(stats).toMatchObject({ frames: 6, events: 2, duplicates: 1 });
    expect(Object.values(stats.rejections).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('is deterministic: the same capture gives identical events', () => {
    expect(JSON.stringify(run('binance', binanceCapture).events)).toBe(JSON.stringify(run('binance', binanceCapture).events));
  });

  it('uses an exchangeInfo response in the capture for precisions', () => {
    const info = JSON.stringify({
      serverTime: 1,
      symbols: [
        {
          symbol: 'BTCUSDT',
          status: 'TRADING',
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
          filters: [
            { filterType: 'PRICE_FILTER', tickSize: '0.01000000', minPrice: '0.01', maxPrice: '1000000' },
            { filterType: 'LOT_SIZE', stepSize: '0.00001000', minQty: '0.00001', maxQty: '9000' },
          ],
        },
      ],
    });
    const text = `https://api.binance.com/api/v3/exchangeInfo -> 1699999999.000000: ${info}\n${binanceCapture}`;
    const { events } = run('binance', text);
    expect(events[0].type === 'trade' && [events[0].price.toString(), events[0].size.toString()]).toEqual(['37000.10', '0.50000']);
  });

  it('replays Coinbase Exchange, Advanced Trade and Polygon captures', () => {
    const coinbase = run(
      'coinbase',
      [
        'wss://ws-feed.exchange.coinbase.com <-> 1618677817.000000',
        '1618677817.100000: {"type":"match","trade_id":5,"side":"sell","size":"1","price":"10","product_id":"BTC-USD","sequence":1,"time":"2021-04-17T16:43:37.089723Z"}',
        '1618677817.200000: {"type":"heartbeat","sequence":2,"last_trade_id":5,"product_id":"BTC-USD","time":"2021-04-17T16:43:37.2Z"}',
      ].join('\n'),
    );
    expect(coinbase.events.map((e) => e.type)).toEqual(['trade']);
    const advanced = run(
      'coinbase-advanced',
      `1675974770.800000: {"channel":"market_trades","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"ETH-USD","price":"1","size":"1","side":"BUY","time":"2023-02-09T20:32:50Z"}]}]}`,
    );
    expect(advanced.events.map((e) => e.type)).toEqual(['trade']);
    const polygon = run('polygon', '1536036819.000000: [{"ev":"status","status":"auth_success"},{"ev":"T","sym":"MSFT","x":4,"i":"1","p":114.125,"s":100,"t":1536036818784},{"ev":"T","sym":"MSFT","p":-1}]');
    expect(polygon.events.map((e) => e.type)).toEqual(['trade']);
    expect(Object.keys(polygon.stats.rejections)).toEqual(['missing_field']);
  });
});
