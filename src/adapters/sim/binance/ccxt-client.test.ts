import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimHandle } from '../launch.js';

/**
 * The bar for the simulator: a third-party client of the venue cannot tell it from Binance except by
 * its URL. ccxt (REST) and ccxt pro (WebSocket) are pointed at the simulator with nothing else changed.
 */
describe('ccxt against the Binance simulator', () => {
  let sim: SimHandle;
  let exchange: InstanceType<typeof ccxt.pro.binance>;

  beforeAll(async () => {
    sim = await startSimulator({ venue: 'binance', port: 0, seed: 11, symbols: ['BTCUSDT', 'ETHUSDT'], speed: 1 });
    exchange = new ccxt.pro.binance({ options: { defaultType: 'spot', fetchMarkets: ['spot'], fetchCurrencies: false } });
    const urls = exchange.urls as { api: Record<string, unknown> };
    urls.api.public = `${sim.restUrl}/api/v3`;
    urls.api.ws = { spot: `${sim.wsUrl}/ws` };
    // ccxt refuses plain ws:// until its proxy agent is loaded (the simulator has no TLS).
    await (exchange as unknown as { loadHttpProxyAgent(): Promise<void> }).loadHttpProxyAgent();
  });

  afterAll(async () => {
    await exchange?.close();
    await sim?.close();
  });

  it('loads markets and reads the book, trades and candles over REST', async () => {
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const book = await exchange.fetchOrderBook('BTC/USDT', 5);
    expect(book.bids.length).toBeGreaterThan(0);
    expect(Number(book.bids[0][0])).toBeLessThan(Number(book.asks[0][0]));
    const trades = await exchange.fetchTrades('ETH/USDT', undefined, 5);
    for (const t of trades) expect(['buy', 'sell']).toContain(t.side);
    const candles = await exchange.fetchOHLCV('BTC/USDT', '1m', undefined, 5);
    for (const [ts, o, h, l, c] of candles) {
      expect(Number(ts) % 60_000).toBe(0);
      expect(Number(h)).toBeGreaterThanOrEqual(Math.max(Number(o), Number(c)));
      expect(Number(l)).toBeLessThanOrEqual(Math.min(Number(o), Number(c)));
    }
  });

  it('fetches tickers over REST', async () => {
    const t = await exchange.fetchTicker('BTC/USDT');
    expect(t.symbol).toBe('BTC/USDT');
    expect(t.timestamp).toBeGreaterThan(0);
    expect(t.bid).toBeLessThan(t.ask!);
    expect(t.baseVolume).toBeGreaterThan(0);
    expect(t.quoteVolume).toBeGreaterThan(0);
    expect(t.high).toBeGreaterThanOrEqual(Math.max(t.open!, t.last!));
    expect(t.low).toBeLessThanOrEqual(Math.min(t.open!, t.last!));
    expect(t.vwap).toBeGreaterThanOrEqual(t.low!);
    expect(t.vwap).toBeLessThanOrEqual(t.high!);
    const info = t.info as { firstId: number; lastId: number; count: number };
    expect(info.count).toBe(info.lastId - info.firstId + 1);
    const all = await exchange.fetchTickers(['BTC/USDT', 'ETH/USDT']);
    expect(Object.keys(all).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(all['ETH/USDT'].last).toBeGreaterThan(0);
  });

  it('streams trades and keeps a synchronised order book over WebSocket', async () => {
    const trades = await exchange.watchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0].symbol).toBe('BTC/USDT');
    const book = await exchange.watchOrderBook('ETH/USDT');
    expect(book.bids.length).toBeGreaterThan(0);
    expect(Number(book.bids[0][0])).toBeLessThan(Number(book.asks[0][0]));
  });
});
