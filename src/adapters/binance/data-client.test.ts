import { afterEach, describe, expect, it } from 'vitest';
import { BinanceSimulator } from '../sim/index.js';
import type { Bar, TradeTick } from '../../core/data.js';
import { BinanceDataClient, streamName } from './data-client.js';
import type { DataClientStatus } from './data-client.js';
import { resolveBinanceDataConfig } from './config.js';

const sims: BinanceSimulator[] = [];
const clients: BinanceDataClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function setup(kind: 'spot' | 'usdm' = 'spot') {
  const sim = await BinanceSimulator.start({ kind, symbols: ['BTCUSDT', 'ETHUSDT'], seed: 7, speed: 5 });
  sims.push(sim);
  const trades: TradeTick[] = [];
  const bars: Bar[] = [];
  const statuses: DataClientStatus[] = [];
  let deltas = 0;
  let snapshots = 0;
  let quotes = 0;
  const client = new BinanceDataClient(
    { market: kind === 'spot' ? 'spot' : 'futures', wsUrl: sim.wsUrl, restUrl: sim.restUrl, backoffBaseMs: 20, backoffCapMs: 200, staleCheckEveryMs: 200 },
    {
      handlers: {
        onTrade: (t) => trades.push(t),
        onBar: (b) => bars.push(b),
        onQuote: () => quotes++,
        onBookDeltas: () => deltas++,
        onBookSnapshot: () => snapshots++,
        onStatus: (s) => statuses.push(s),
      },
    },
  );
  clients.push(client);
  return { sim, client, trades, bars, statuses, counts: () => ({ deltas, snapshots, quotes }) };
}

type Backfill = Extract<DataClientStatus, { type: 'backfill' }>;

function backfills(statuses: DataClientStatus[]): Backfill[] {
  return statuses.filter((s): s is Backfill => s.type === 'backfill');
}

/** Sends a fault command the way a test harness outside the process would. */
async function fault(sim: BinanceSimulator, cmd: object): Promise<void> {
  const r = await fetch(`${sim.restUrl}/_sim/faults`, { method: 'POST', body: JSON.stringify(cmd) });
  expect(r.status).toBe(200);
}

/** A client of `@trade` streams whose REST requests are recorded (and optionally rewritten). */
function tradeClient(sim: BinanceSimulator, market: 'spot' | 'futures', apiKey: string | undefined, rewrite: (url: string) => string = (u) => u) {
  const trades: TradeTick[] = [];
  const statuses: DataClientStatus[] = [];
  const requests: { url: string; key: string | undefined }[] = [];
  const recording: typeof fetch = (input, init) => {
    const url = rewrite(String(input));
    requests.push({ url, key: new Headers(init?.headers).get('x-mbx-apikey') ?? undefined });
    return fetch(url, init);
  };
  const client = new BinanceDataClient(
    { market, wsUrl: sim.wsUrl, restUrl: sim.restUrl, backoffBaseMs: 20, backoffCapMs: 200, staleCheckEveryMs: 200 },
    { handlers: { onTrade: (t) => trades.push(t), onStatus: (s) => statuses.push(s) }, fetch: recording, ...(apiKey === undefined ? {} : { apiKey }) },
  );
  clients.push(client);
  return { client, trades, statuses, requests };
}

interface VenueTrade {
  id: number;
  price: string;
  qty: string;
  time: number;
  buyerMaker: boolean;
}

const exact = (d: string) => d.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** The client's trades in venue terms, to compare with the venue's own record. */
function venueView(trades: TradeTick[]): VenueTrade[] {
  return trades.map((t) => ({ id: Number(t.tradeId), price: exact(t.price.toString()), qty: exact(t.size.toString()), time: t.tsEvent / 1000, buyerMaker: t.aggressorSide === 'SELLER' }));
}

/** The venue's trades from the first to the last of `mine`, paged through historicalTrades. */
async function venueTrades(sim: BinanceSimulator, api: string, key: string, mine: VenueTrade[]): Promise<VenueTrade[]> {
  const first = mine[0].id;
  const last = mine.at(-1)!.id;
  const out: VenueTrade[] = [];
  for (let from = first; from <= last; ) {
    const r = await fetch(`${sim.restUrl}${api}/historicalTrades?symbol=BTCUSDT&fromId=${from}&limit=1000`, { headers: { 'X-MBX-APIKEY': key } });
    const rows = (await r.json()) as { id: number; price: string; qty: string; time: number; isBuyerMaker: boolean }[];
    if (rows.length === 0) break;
    for (const x of rows) if (x.id <= last) out.push({ id: x.id, price: exact(x.price), qty: exact(x.qty), time: x.time, buyerMaker: x.isBuyerMaker });
    from = rows.at(-1)!.id + 1;
  }
  return out;
}

describe('BinanceDataClient against the exchange simulator', () => {
  it('loads instruments, subscribes, syncs the book, measures the time offset', async () => {
    const { client, trades, counts, statuses } = await setup();
    const info = await client.loadInstruments();
    expect(info.symbols.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    const offset = await client.measureTimeOffset();
    expect(Math.abs(offset ?? Infinity)).toBeLessThan(5_000_000);
    await client.subscribe([
      { symbol: 'BTCUSDT', kind: 'depth' },
      { symbol: 'btcusdt', kind: 'aggTrade' },
      { symbol: 'BTCUSDT', kind: 'bookTicker' },
      { symbol: 'ETHUSDT', kind: 'trade' },
    ]);
    await until('book sync', () => client.bookSync('BTCUSDT')?.state === 'synced' && counts().deltas > 3);
    await until('trades', () => trades.length > 5 && counts().quotes > 3);
    const book = client.book('BTCUSDT')!;
    expect(book.isCrossed()).toBe(false);
    expect(book.bids.length).toBeGreaterThan(0);
    expect(counts().snapshots).toBe(1);
    expect(statuses.some((s) => s.type === 'book_synced')).toBe(true);
    expect((await client.listSubscriptions()).sort()).toEqual(['btcusdt@aggTrade', 'btcusdt@bookTicker', 'btcusdt@depth@100ms', 'ethusdt@trade']);
    await client.unsubscribe([{ symbol: 'ETHUSDT', kind: 'trade' }]);
    expect(await client.listSubscriptions()).not.toContain('ethusdt@trade');
    expect(client.timeOffset.samples).toBeGreaterThan(0);
    expect(client.rejections.count('BINANCE')).toBe(0);
  });

  it('resyncs the book on a sequence gap and counts malformed frames', async () => {
    const { sim, client, statuses } = await setup();
    await client.loadInstruments();
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'depth' }]);
    await until('book sync', () => client.bookSync('BTCUSDT')?.state === 'synced');
    sim.applyFault({ type: 'gap', symbol: 'BTCUSDT', count: 5 });
    await until('gap detected', () => statuses.some((s) => s.type === 'book_gap'));
    await until('resynced', () => statuses.filter((s) => s.type === 'book_synced').length >= 2);
    expect(client.bookSync('BTCUSDT')!.gaps).toBeGreaterThanOrEqual(1);
    sim.applyFault({ type: 'malformed', kind: 'invalid-json', count: 2 });
    sim.applyFault({ type: 'malformed', kind: 'negative-price', count: 1 });
    await until('rejections', () => client.rejections.count('BINANCE') >= 3);
    expect(client.rejections.count('BINANCE', 'invalid_json')).toBe(2);
    expect(client.bookSync('BTCUSDT')!.book.isCrossed()).toBe(false);
  });

  it('after a disconnect: reconnects, resubscribes, backfills aggTrades with no hole and no duplicate', async () => {
    const { sim, client, trades, bars, statuses } = await setup();
    await client.loadInstruments();
    await client.subscribe([
      { symbol: 'BTCUSDT', kind: 'aggTrade' },
      { symbol: 'BTCUSDT', kind: 'depth' },
      { symbol: 'BTCUSDT', kind: 'kline', interval: '1s' },
    ]);
    await until('trades and bars', () => trades.length > 3 && bars.length > 1);
    // Frames lost before the disconnect are only recoverable over REST.
    sim.applyFault({ type: 'stall', ms: 1500, drop: true });
    await new Promise((r) => setTimeout(r, 1600));
    sim.applyFault({ type: 'disconnect', mode: 'terminate' });
    await until('reconnect', () => statuses.some((s) => s.type === 'connected' && s.reconnect));
    await until('backfill', () => statuses.filter((s) => s.type === 'backfill').length >= 2);
    const filled = statuses.flatMap((s) => (s.type === 'backfill' ? [[s.stream, s.count] as const] : []));
    expect(filled.find(([st]) => st === 'btcusdt@aggTrade')?.[1]).toBeGreaterThan(0);
    expect(filled.find(([st]) => st === 'btcusdt@kline_1s')?.[1]).toBeGreaterThan(0);
    const before = trades.length;
    await until('live trades after backfill', () => trades.length > before + 3);
    const ids = trades.map((t) => Number(t.tradeId));
    expect(new Set(ids).size).toBe(ids.length);
    for (let k = 1; k < ids.length; k++) expect(ids[k]).toBe(ids[k - 1] + 1);
    // Bars: one per second, none missing, none twice.
    await until('bars after the outage', () => bars.length > 5);
    for (let k = 1; k < bars.length; k++) expect(bars[k].tsOpen - bars[k - 1].tsOpen).toBe(1_000_000);
    // And each equals the venue's own record of that second (what a run without the outage would have got).
    const first = bars[0].tsOpen / 1000;
    const venue = (await (await fetch(`${sim.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1s&startTime=${first}&limit=1000`)).json()) as string[][];
    const byOpen = new Map(venue.map((row) => [Number(row[0]) * 1000, row.slice(1, 6)]));
    for (const b of bars) {
      expect([b.open, b.high, b.low, b.close, b.volume].map((x) => x.toNumber())).toEqual(byOpen.get(b.tsOpen)?.map(Number));
    }
    await until('book resynced', () => client.bookSync('BTCUSDT')?.state === 'synced');
    expect(statuses.some((s) => s.type === 'disconnected' && s.retryInMs !== undefined && s.retryInMs <= 200)).toBe(true);
  });

  it('@trade: fills a sequence gap and a disconnect from historicalTrades with the API key, every venue trade once, in order', async () => {
    const sim = await BinanceSimulator.start({ symbols: ['BTCUSDT'], seed: 11, speed: 5, apiKey: 'k1' });
    sims.push(sim);
    const { client, trades, statuses, requests } = tradeClient(sim, 'spot', 'k1');
    await client.loadInstruments();
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'trade' }]);
    await until('trades', () => trades.length > 3);
    // Frames lost on a live connection: the next trade id jumps.
    await fault(sim, { type: 'stall', ms: 1000, drop: true, stream: 'btcusdt@trade' });
    await until('backfill after the id jump', () => backfills(statuses).length >= 1);
    // Frames lost around a disconnect.
    await fault(sim, { type: 'stall', ms: 1000, drop: true });
    await new Promise((r) => setTimeout(r, 1100));
    await fault(sim, { type: 'disconnect', mode: 'terminate' });
    await until('reconnect', () => statuses.some((s) => s.type === 'connected' && s.reconnect));
    await until('backfill after the reconnect', () => backfills(statuses).length >= 2);
    const before = trades.length;
    await until('live trades after the backfill', () => trades.length > before + 3);
    const filled = backfills(statuses);
    expect(filled.every((b) => b.stream === 'btcusdt@trade' && b.lost === 0)).toBe(true);
    expect(filled.reduce((n, b) => n + b.count, 0)).toBeGreaterThan(0);
    expect(requests.some((r) => r.url.includes('/api/v3/historicalTrades?symbol=BTCUSDT&fromId=') && r.key === 'k1')).toBe(true);
    expect(requests.some((r) => r.url.includes('/api/v3/trades?'))).toBe(false);
    const mine = venueView(trades);
    expect(mine).toEqual(await venueTrades(sim, '/api/v3', 'k1', mine));
    expect(statuses.some((s) => s.type === 'error')).toBe(false);
  });

  it('@trade without an API key: fills the gap from the recent trades (USD-M)', async () => {
    const sim = await BinanceSimulator.start({ kind: 'usdm', symbols: ['BTCUSDT'], seed: 12, speed: 5 });
    sims.push(sim);
    const { client, trades, statuses, requests } = tradeClient(sim, 'futures', undefined);
    await client.loadInstruments();
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'trade' }]);
    await until('trades', () => trades.length > 3);
    await fault(sim, { type: 'stall', ms: 1000, drop: true });
    await new Promise((r) => setTimeout(r, 1100));
    await fault(sim, { type: 'disconnect', mode: 'close' });
    await until('backfill', () => backfills(statuses).length >= 1);
    const before = trades.length;
    await until('live trades after the backfill', () => trades.length > before + 3);
    expect(backfills(statuses).map((b) => b.lost)).toEqual(backfills(statuses).map(() => 0));
    expect(backfills(statuses).reduce((n, b) => n + b.count, 0)).toBeGreaterThan(0);
    expect(requests.some((r) => r.url.includes('/fapi/v1/trades?symbol=BTCUSDT&limit=1000') && r.key === undefined)).toBe(true);
    expect(requests.some((r) => r.url.includes('historicalTrades'))).toBe(false);
    const mine = venueView(trades);
    expect(mine).toEqual(await venueTrades(sim, '/fapi/v1', 'any', mine));
  });

  it('@trade with a key the venue refuses: says so, falls back to the recent trades and counts what they do not reach', async () => {
    const sim = await BinanceSimulator.start({ symbols: ['BTCUSDT'], seed: 13, speed: 5, apiKey: 'k1' });
    sims.push(sim);
    // Recent pages of 2 trades stand in for a hole longer than the venue's 1000 recent trades.
    const { client, trades, statuses } = tradeClient(sim, 'spot', 'wrong', (url) => url.replace(/(\/trades\?.*limit=)1000/, '$12'));
    await client.loadInstruments();
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'trade' }]);
    await until('trades', () => trades.length > 3);
    await fault(sim, { type: 'stall', ms: 1500, drop: true, stream: 'btcusdt@trade' });
    await until('backfill', () => backfills(statuses).length >= 1);
    const before = trades.length;
    await until('live trades after the backfill', () => trades.length > before + 3);
    expect(statuses.some((s) => s.type === 'error' && s.message.includes('API key refused'))).toBe(true);
    const lost = backfills(statuses).reduce((n, b) => n + b.lost, 0);
    expect(lost).toBeGreaterThan(0);
    // Every trade the client gave is the venue's, once, in order; the ids it skipped are exactly those reported lost.
    const mine = venueView(trades);
    const ids = mine.map((t) => t.id);
    const skipped = ids.slice(1).reduce((n, id, k) => n + (id - ids[k] - 1), 0);
    for (let k = 1; k < ids.length; k++) expect(ids[k]).toBeGreaterThan(ids[k - 1]);
    expect(skipped).toBe(lost);
    const venue = new Map((await venueTrades(sim, '/api/v3', 'k1', mine)).map((t) => [t.id, t]));
    expect(mine).toEqual(mine.map((t) => venue.get(t.id)));
  });

  it('rotates connections before the venue cut with an overlap, and reports stale streams', async () => {
    const sim = await BinanceSimulator.start({ symbols: ['BTCUSDT'], seed: 3, speed: 5 });
    sims.push(sim);
    const trades: TradeTick[] = [];
    const statuses: DataClientStatus[] = [];
    const client = new BinanceDataClient(
      { wsUrl: sim.wsUrl, restUrl: sim.restUrl, rotateAfterMs: 400, rotationOverlapMs: 150, staleAfterMs: 300, staleCheckEveryMs: 50, backoffBaseMs: 20, backoffCapMs: 50 },
      { handlers: { onTrade: (t) => trades.push(t), onStatus: (s) => statuses.push(s) } },
    );
    clients.push(client);
    await client.loadInstruments();
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'aggTrade' }, { symbol: 'BTCUSDT', kind: 'depth' }]);
    await until('a rotation', () => statuses.some((s) => s.type === 'rotated'));
    const before = trades.length;
    await until('trades after rotation', () => trades.length > before + 3);
    const ids = trades.map((t) => Number(t.tradeId));
    expect(new Set(ids).size).toBe(ids.length);
    for (let k = 1; k < ids.length; k++) expect(ids[k]).toBe(ids[k - 1] + 1);
    expect(client.connectionCount).toBeLessThanOrEqual(2);
    sim.applyFault({ type: 'stall', ms: 800 });
    await until('stale', () => statuses.some((s) => s.type === 'stale' && s.stream === 'btcusdt@depth@100ms'));
    // Every stream of the connection went quiet: the socket is replaced (a heartbeat loss, not a quiet symbol).
    await until('reconnect after staleness', () => statuses.some((s) => s.type === 'connected' && s.reconnect));
  });

  it('spreads streams over connections within the per-connection limit', async () => {
    const sim = await BinanceSimulator.start({ symbols: ['BTCUSDT', 'ETHUSDT'], seed: 5, speed: 5 });
    sims.push(sim);
    const client = new BinanceDataClient({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, maxStreamsPerConnection: 2 }, { handlers: {} });
    clients.push(client);
    await client.loadInstruments();
    await client.subscribe([
      { symbol: 'BTCUSDT', kind: 'trade' },
      { symbol: 'ETHUSDT', kind: 'trade' },
      { symbol: 'BTCUSDT', kind: 'bookTicker' },
    ]);
    expect(client.connectionCount).toBe(2);
    const lists: string[][] = [];
    await until('both connections subscribed', () => client.frames > 5);
    for (const i of [0, 1]) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const l = await client.listSubscriptions(i).catch(() => undefined);
        if (l !== undefined && l.length > 0) {
          lists.push(l.sort());
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(lists).toEqual([['btcusdt@trade', 'ethusdt@trade'], ['btcusdt@bookTicker']]);
    expect(await client.listSubscriptions(5)).toEqual([]);
  });

  it('futures: books chain by pu', async () => {
    const { client, counts } = await setup('usdm');
    const info = await client.loadInstruments();
    expect(info.symbols[0].instrumentId).toMatch(/\.BINANCE_FUTURES$/);
    await client.subscribe([{ symbol: 'BTCUSDT', kind: 'depth' }]);
    await until('book sync', () => client.bookSync('BTCUSDT')?.state === 'synced' && counts().deltas > 3);
    expect(client.bookSync('BTCUSDT')!.gaps).toBe(0);
  });
});

describe('BinanceDataClient configuration', () => {
  it('fills market defaults and enforces the venue limits', () => {
    const spot = resolveBinanceDataConfig({});
    expect([spot.wsUrl, spot.restUrl, spot.maxStreamsPerConnection]).toEqual(['wss://stream.binance.com:9443', 'https://api.binance.com', 1024]);
    const fut = resolveBinanceDataConfig({ market: 'futures', restUrl: 'http://127.0.0.1:9/' });
    expect([fut.wsUrl, fut.restUrl, fut.maxStreamsPerConnection]).toEqual(['wss://fstream.binance.com', 'http://127.0.0.1:9', 200]);
    expect(() => resolveBinanceDataConfig({ market: 'futures', maxStreamsPerConnection: 300 })).toThrow(/maxStreamsPerConnection: Binance futures allows at most 200/);
    expect(() => resolveBinanceDataConfig({ controlMessagesPerSecond: 6 })).toThrow(/at most 5 incoming/);
    expect(() => resolveBinanceDataConfig({ wsUrl: 'nope' })).toThrow(/wsUrl/);
    expect(() => resolveBinanceDataConfig({ backoffBaseMs: 10, backoffCapMs: 5 })).toThrow(/backoffCapMs/);
    expect(() => resolveBinanceDataConfig({ rotateAfterMs: 25 * 3600 * 1000 })).toThrow(/rotateAfterMs/);
  });

  it('names streams as Binance does', () => {
    expect(streamName({ symbol: 'BTCUSDT', kind: 'depth' })).toBe('btcusdt@depth@100ms');
    expect(streamName({ symbol: 'BTCUSDT', kind: 'kline', interval: '5m' })).toBe('btcusdt@kline_5m');
    expect(streamName({ symbol: 'BTCUSDT', kind: 'kline' })).toBe('btcusdt@kline_1m');
    expect(streamName({ symbol: 'BTCUSDT', kind: 'bookTicker' })).toBe('btcusdt@bookTicker');
  });

  it('refuses to subscribe without instruments or to an unknown symbol', async () => {
    const c = new BinanceDataClient({ wsUrl: 'ws://127.0.0.1:1', restUrl: 'http://127.0.0.1:1' }, { handlers: {}, lookup: () => undefined });
    await expect(c.subscribe([{ symbol: 'X', kind: 'trade' }])).rejects.toThrow(/unknown symbol X/);
    const d = new BinanceDataClient({}, { handlers: {} });
    await expect(d.subscribe([{ symbol: 'X', kind: 'trade' }])).rejects.toThrow(/no instruments/);
    await c.stop();
  });
});
