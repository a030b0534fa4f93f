import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { CoinbaseSimulator } from '../sim/coinbase/server.js';
import { CoinbaseConfigError, resolveCoinbaseDataConfig } from './config.js';
import type { CoinbaseClientStatus } from './data-client.js';
import { CoinbaseDataClient } from './data-client.js';
import { loadCdpCredentials } from './jwt.js';
import { parseProducts, parseRestTrades } from './parse-rest.js';

const START_US = Date.UTC(2024, 0, 2, 3, 4, 0) * 1000;
const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function sim(): Promise<CoinbaseSimulator> {
  const s = await CoinbaseSimulator.start({ clock: 'manual', startUs: START_US, symbols: ['BTC-USD', 'ETH-USD'], seed: 5, subscribeTimeoutMs: 0 });
  cleanup.push(() => s.close());
  s.advance(3000); // some history before anyone connects
  return s;
}

interface Seen {
  trades: TradeTick[];
  quotes: QuoteTick[];
  deltas: BookDeltas[];
  snapshots: BookSnapshot[];
  status: CoinbaseClientStatus[];
}

function client(s: CoinbaseSimulator, extra: Partial<Parameters<typeof resolveCoinbaseDataConfig>[0]> = {}): { c: CoinbaseDataClient; seen: Seen } {
  const seen: Seen = { trades: [], quotes: [], deltas: [], snapshots: [], status: [] };
  const c = new CoinbaseDataClient(
    { wsUrl: s.wsUrl, restUrl: s.restUrl, productIds: ['BTC-USD', 'ETH-USD'], backoffBaseMs: 10, backoffCapMs: 20, ...extra },
    {
      env: {},
      handlers: {
        onTrade: (t) => seen.trades.push(t),
        onQuote: (q) => seen.quotes.push(q),
        onBookDeltas: (d) => seen.deltas.push(d),
        onBookSnapshot: (b) => seen.snapshots.push(b),
        onStatus: (st) => seen.status.push(st),
      },
    },
  );
  cleanup.push(() => c.stop());
  return { c, seen };
}

/** The simulator's own record of trades (REST, newest first), as ids ascending. */
async function venueTradeIds(s: CoinbaseSimulator, product: string): Promise<number[]> {
  const body = (await (await fetch(`${s.restUrl}/products/${product}/trades?limit=1000`)).json()) as { trade_id: number }[];
  return body.map((t) => t.trade_id).reverse();
}

function ids(seen: Seen, product: string): number[] {
  return seen.trades.filter((t) => t.instrumentId === `${product}.COINBASE`).map((t) => Number(t.tradeId));
}

async function stepMarket(s: CoinbaseSimulator, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    s.advance(100);
    await pause(2);
  }
}

async function venueBook(s: CoinbaseSimulator, product: string): Promise<{ bids: string[][]; asks: string[][] }> {
  const b = (await (await fetch(`${s.restUrl}/products/${product}/book?level=2`)).json()) as { bids: string[][]; asks: string[][] };
  return { bids: b.bids.map(([p, q]) => [p, q]), asks: b.asks.map(([p, q]) => [p, q]) };
}

function localBook(c: CoinbaseDataClient, product: string): { bids: string[][]; asks: string[][] } {
  const top = c.book(product)!.top(Number.MAX_SAFE_INTEGER);
  return { bids: top.bids.map(([p, q]) => [p.toString(), q.toString()]), asks: top.asks.map(([p, q]) => [p.toString(), q.toString()]) };
}

describe('CoinbaseDataClient on the Exchange feed (simulator over real sockets)', () => {
  it('subscribes, and delivers trades, quotes and a book that equals the venue book', async () => {
    const s = await sim();
    const { c, seen } = client(s);
    await c.loadProducts();
    c.start();
    await until(() => seen.status.some((x) => x.type === 'subscribed') && seen.snapshots.length === 2, 'subscriptions and snapshots');
    const sub = seen.status.find((x) => x.type === 'subscribed') as Extract<CoinbaseClientStatus, { type: 'subscribed' }>;
    expect(Object.keys(sub.channels).sort()).toEqual(['heartbeat', 'level2_batch', 'matches', 'ticker']);
    expect(sub.channels.matches).toEqual(['BTC-USD', 'ETH-USD']);
    await stepMarket(s, 3000);
    await until(() => ids(seen, 'BTC-USD').length > 0, 'trades');
    await pause(50);
    // Nothing was lost on the way: no gap, no backfill.
    expect(seen.status.filter((x) => x.type === 'trade_gap' || x.type === 'backfill')).toEqual([]);
    for (const p of ['BTC-USD', 'ETH-USD']) {
      const got = ids(seen, p);
      const venue = await venueTradeIds(s, p);
      // From the first trade delivered (the last_match at subscription) on, every venue trade once, in order.
      expect(got).toEqual(venue.slice(venue.indexOf(got[0])));
      expect(localBook(c, p)).toEqual(await venueBook(s, p));
    }
    expect(seen.quotes.length).toBeGreaterThan(0);
    expect(seen.quotes.every((q) => q.bidPrice.compare(q.askPrice) < 0)).toBe(true);
    expect(seen.deltas.length).toBeGreaterThan(0);
    expect(c.book('BTC-USD')!.pricePrecision).toBe(seen.trades[0].price.precision);
    expect(c.rejections.count('COINBASE')).toBe(0);
    expect(c.timeOffset.samples).toBeGreaterThan(0);
  });

  it('reconnects after a forced disconnect, resubscribes, backfills the trades it missed and replaces the book', async () => {
    const s = await sim();
    const { c, seen } = client(s);
    c.start();
    await until(() => seen.snapshots.length === 2, 'snapshots');
    await stepMarket(s, 1500);
    await pause(30);
    const before = ids(seen, 'BTC-USD').length;
    s.applyFault({ type: 'disconnect', mode: 'terminate' });
    s.advance(2000); // trades happen while the client is away
    await until(() => seen.status.some((x) => x.type === 'connected' && x.reconnect), 'reconnect');
    await until(() => seen.snapshots.length === 4, 'new snapshots');
    await until(() => seen.status.some((x) => x.type === 'backfill' && x.productId === 'BTC-USD' && x.count > 0), 'backfill');
    await stepMarket(s, 1500);
    await pause(50);
    expect(c.connections).toBe(2);
    expect(seen.status.filter((x) => x.type === 'subscribed').length).toBe(2);
    expect(seen.status.some((x) => x.type === 'book_reset')).toBe(true);
    for (const p of ['BTC-USD', 'ETH-USD']) {
      const got = ids(seen, p);
      const venue = await venueTradeIds(s, p);
      expect(got).toEqual(venue.slice(venue.indexOf(got[0])));
      expect(new Set(got).size).toBe(got.length);
      expect(localBook(c, p)).toEqual(await venueBook(s, p));
    }
    expect(ids(seen, 'BTC-USD').length).toBeGreaterThan(before);
  });

  it('fills a trade id gap over REST: the dropped trades are delivered exactly once, in order', async () => {
    const s = await sim();
    const { c, seen } = client(s, { data: ['trades'] });
    c.start();
    await until(() => seen.status.some((x) => x.type === 'subscribed'), 'subscribed');
    await stepMarket(s, 1000);
    await pause(30);
    // The venue loses every BTC-USD match for a while (dropped, not delayed); heartbeats still flow.
    s.applyFault({ type: 'stall', ms: 150, stream: 'matches.BTC-USD', drop: true });
    s.advance(900);
    await pause(200);
    await stepMarket(s, 2000);
    await until(() => seen.status.some((x) => x.type === 'backfill' && x.productId === 'BTC-USD'), 'backfill');
    await pause(50);
    const gap = seen.status.find((x) => x.type === 'trade_gap') as Extract<CoinbaseClientStatus, { type: 'trade_gap' }>;
    expect(gap.productId).toBe('BTC-USD');
    expect(gap.to).toBeGreaterThanOrEqual(gap.from);
    const bf = seen.status.find((x) => x.type === 'backfill') as Extract<CoinbaseClientStatus, { type: 'backfill' }>;
    expect(bf.count).toBe(bf.to - bf.from + 1);
    const got = ids(seen, 'BTC-USD');
    const venue = await venueTradeIds(s, 'BTC-USD');
    expect(got).toEqual(venue.slice(venue.indexOf(got[0])));
    expect(got).toContain(gap.from);
    expect(got).toContain(gap.to);
    expect(seen.quotes).toEqual([]);
  });

  it('backfills a gap of more than one REST page from the simulator: every trade once, in order', async () => {
    const s = await sim();
    const pages: string[] = [];
    const recording = (async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url).includes('/trades')) pages.push(new URL(String(url)).search);
      return fetch(url, init);
    }) as typeof fetch;
    const seen: Seen = { trades: [], quotes: [], deltas: [], snapshots: [], status: [] };
    const c = new CoinbaseDataClient(
      { wsUrl: s.wsUrl, restUrl: s.restUrl, productIds: ['BTC-USD'], data: ['trades'], backoffBaseMs: 10, backoffCapMs: 20 },
      { env: {}, fetch: recording, handlers: { onTrade: (t) => seen.trades.push(t), onStatus: (st) => seen.status.push(st) } },
    );
    cleanup.push(() => c.stop());
    c.start();
    await until(() => seen.status.some((x) => x.type === 'subscribed'), 'subscribed');
    await stepMarket(s, 1000);
    await pause(30);
    // Every frame (matches and heartbeats) of four simulated minutes is lost: one hole of thousands of ids.
    s.applyFault({ type: 'stall', ms: 60_000, drop: true });
    s.advance(240_000);
    s.applyFault({ type: 'clear' });
    await stepMarket(s, 2000);
    await until(() => seen.status.some((x) => x.type === 'backfill'), 'backfill');
    await stepMarket(s, 1000);
    await pause(50);
    const gaps = seen.status.filter((x) => x.type === 'trade_gap') as Extract<CoinbaseClientStatus, { type: 'trade_gap' }>[];
    expect(gaps).toHaveLength(1);
    const gap = gaps[0];
    expect(gap.to - gap.from + 1).toBeGreaterThan(2000);
    const bf = seen.status.find((x) => x.type === 'backfill') as Extract<CoinbaseClientStatus, { type: 'backfill' }>;
    expect(bf).toEqual({ type: 'backfill', productId: 'BTC-USD', from: gap.from, to: gap.to, count: gap.to - gap.from + 1 });
    // Pages of 1000 walked back with the `after` cursor, each starting where the last one ended.
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]).toBe(`?limit=1000&after=${gap.to + 1}`);
    const got = ids(seen, 'BTC-USD');
    expect(new Set(got).size).toBe(got.length);
    // The venue's whole history from the first trade delivered, paged the same way: equal, id for id.
    const venue: number[] = [];
    for (let after: string | null = ''; after !== null; ) {
      const r = await fetch(`${s.restUrl}/products/BTC-USD/trades${after === '' ? '' : `?after=${after}`}`);
      const page = (await r.json()) as { trade_id: number }[];
      venue.unshift(...page.map((t) => t.trade_id).reverse());
      after = page.length > 0 && page[page.length - 1].trade_id > got[0] ? r.headers.get('cb-after') : null;
    }
    expect(got).toEqual(venue.slice(venue.indexOf(got[0])));
    expect(got).toContain(gap.from);
    expect(got).toContain(gap.to);
    expect(c.duplicates).toBe(0);
  });

  it('counts malformed frames by reason, drops them and keeps streaming', async () => {
    const s = await sim();
    const { c, seen } = client(s, { data: ['quotes', 'trades'] });
    c.start();
    await until(() => seen.status.some((x) => x.type === 'subscribed'), 'subscribed');
    s.applyFault({ type: 'malformed', kind: 'invalid-json', count: 2, stream: 'ticker.BTC-USD' });
    // A match without its price: dropped, so its trade id is missing, and REST brings it back.
    s.applyFault({ type: 'malformed', kind: 'missing-field', count: 1, stream: 'matches.ETH-USD' });
    await stepMarket(s, 3000);
    await until(() => c.rejections.count('COINBASE') === 3, 'rejections');
    await pause(30);
    expect(c.rejections.count('COINBASE', 'invalid_json')).toBe(2);
    expect(c.rejections.count('COINBASE', 'missing_field')).toBe(1);
    expect(seen.quotes.filter((q) => q.instrumentId === 'BTC-USD.COINBASE').length).toBeGreaterThan(0);
    expect(seen.quotes.filter((q) => q.instrumentId === 'ETH-USD.COINBASE').length).toBeGreaterThan(0);
    expect(c.isOpen).toBe(true);
    await until(() => seen.status.some((x) => x.type === 'backfill' && x.productId === 'ETH-USD'), 'backfill');
    await pause(30);
    const got = ids(seen, 'ETH-USD');
    const venue = await venueTradeIds(s, 'ETH-USD');
    expect(got).toEqual(venue.slice(venue.indexOf(got[0])));
  });
});

/** A scripted Advanced Trade server: records what clients send, sends what the test says. */
async function advancedServer(): Promise<{ url: string; received: Record<string, unknown>[]; socket: () => WebSocket; connections: () => number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const received: Record<string, unknown>[] = [];
  let last: WebSocket | undefined;
  let n = 0;
  wss.on('connection', (ws) => {
    last = ws;
    n++;
    ws.on('message', (m) => received.push(JSON.parse(String(m)) as Record<string, unknown>));
  });
  cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, received, socket: () => last!, connections: () => n };
}

const env = (): { COINBASE_API_KEY_NAME: string; COINBASE_API_PRIVATE_KEY: string } => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k', COINBASE_API_PRIVATE_KEY: privateKey.export({ type: 'sec1', format: 'pem' }).toString() };
};

const ts = '2024-01-02T03:04:05.123456Z';
function l2(seq: number, type: 'snapshot' | 'update', updates: [string, string, string][]): string {
  return JSON.stringify({
    channel: 'l2_data',
    client_id: '',
    timestamp: ts,
    sequence_num: seq,
    events: [{ type, product_id: 'BTC-USD', updates: updates.map(([side, price_level, new_quantity]) => ({ side, event_time: ts, price_level, new_quantity })) }],
  });
}

describe('CoinbaseDataClient on Advanced Trade', () => {
  it('subscribes per channel with a JWT, delivers events, resubscribes on a sequence gap and after a reconnect', async () => {
    const srv = await advancedServer();
    const seen: Seen = { trades: [], quotes: [], deltas: [], snapshots: [], status: [] };
    const c = new CoinbaseDataClient(
      { feed: 'advanced', wsUrl: srv.url, restUrl: 'http://127.0.0.1:1', productIds: ['BTC-USD'], backoffBaseMs: 10, backoffCapMs: 20 },
      {
        env: env(),
        handlers: {
          onTrade: (t) => seen.trades.push(t),
          onQuote: (q) => seen.quotes.push(q),
          onBookDeltas: (d) => seen.deltas.push(d),
          onBookSnapshot: (b) => seen.snapshots.push(b),
          onStatus: (st) => seen.status.push(st),
        },
      },
    );
    cleanup.push(() => c.stop());
    c.start();
    await until(() => srv.received.length === 4, 'four subscribe messages');
    expect(srv.received.map((m) => m.channel)).toEqual(['market_trades', 'ticker', 'level2', 'heartbeats']);
    for (const m of srv.received) {
      expect(m).toMatchObject({ type: 'subscribe', product_ids: ['BTC-USD'] });
      const [h, p] = String(m.jwt).split('.').slice(0, 2).map((x) => JSON.parse(Buffer.from(x, 'base64url').toString()) as Record<string, unknown>);
      expect(h).toMatchObject({ alg: 'ES256', kid: 'organizations/o/apiKeys/k' });
      expect(p).toMatchObject({ iss: 'cdp', sub: 'organizations/o/apiKeys/k' });
    }
    const ws = srv.socket();
    ws.send(JSON.stringify({ channel: 'subscriptions', client_id: '', timestamp: ts, sequence_num: 0, events: [{ subscriptions: { market_trades: ['BTC-USD'], level2: ['BTC-USD'] } }] }));
    ws.send(l2(1, 'snapshot', [['bid', '100.00', '1.5'], ['offer', '101.00', '2'], ['bid', '99.50', '3']]));
    ws.send(l2(2, 'update', [['bid', '100.00', '0'], ['offer', '100.50', '0.25']]));
    const trade = { trade_id: '77', product_id: 'BTC-USD', price: '100.5', size: '0.1', side: 'SELL', time: ts };
    ws.send(JSON.stringify({ channel: 'market_trades', client_id: '', timestamp: ts, sequence_num: 3, events: [{ type: 'update', trades: [trade, trade] }] }));
    ws.send(JSON.stringify({ channel: 'ticker', client_id: '', timestamp: ts, sequence_num: 4, events: [{ type: 'update', tickers: [{ product_id: 'BTC-USD', price: '100.5', best_bid: '99.5', best_bid_quantity: '3', best_ask: '100.5', best_ask_quantity: '0.25' }] }] }));
    ws.send(JSON.stringify({ channel: 'heartbeats', client_id: '', timestamp: ts, sequence_num: 5, events: [{ current_time: ts, heartbeat_counter: '1' }] }));
    ws.send('not json');
    await until(() => seen.quotes.length === 1 && c.rejections.count('COINBASE') === 1, 'ticker and rejection');
    expect(seen.status.some((x) => x.type === 'subscribed')).toBe(true);
    expect(seen.trades.map((t) => t.tradeId)).toEqual(['77']);
    expect(c.duplicates).toBe(1);
    // The update brought a finer size precision: the book widened, values unchanged.
    expect(localBook(c, 'BTC-USD')).toEqual({ bids: [['99.50', '3.00']], asks: [['100.50', '0.25'], ['101.00', '2.00']] });
    // A lost message: every channel is subscribed again and the book waits for its new snapshot.
    ws.send(l2(9, 'update', [['bid', '99.00', '1']]));
    await until(() => srv.received.length === 12, 'unsubscribe + subscribe');
    expect(srv.received.slice(4, 8).every((m) => m.type === 'unsubscribe')).toBe(true);
    expect(srv.received.slice(8).every((m) => m.type === 'subscribe')).toBe(true);
    expect(seen.status).toContainEqual({ type: 'sequence_gap', missed: 3 });
    expect(seen.deltas.length).toBe(1);
    ws.send(l2(10, 'update', [['bid', '98.00', '1']]));
    ws.send(l2(11, 'snapshot', [['bid', '90.00', '1'], ['offer', '91.00', '1']]));
    await until(() => seen.snapshots.length === 2, 'second snapshot');
    expect(seen.deltas.length).toBe(1);
    expect(localBook(c, 'BTC-USD')).toEqual({ bids: [['90.00', '1.00']], asks: [['91.00', '1.00']] });
    ws.terminate();
    await until(() => srv.connections() === 2 && srv.received.length === 16, 'reconnect and resubscribe');
    expect(seen.status.some((x) => x.type === 'connected' && x.reconnect)).toBe(true);
    // The sequence restarts with the connection: no false gap.
    srv.socket().send(JSON.stringify({ channel: 'heartbeats', client_id: '', timestamp: ts, sequence_num: 0, events: [{ current_time: ts, heartbeat_counter: '2' }] }));
    await pause(30);
    expect(seen.status.filter((x) => x.type === 'sequence_gap').length).toBe(1);
  });

  it('refuses level2 without credentials and bad options, naming them', () => {
    expect(() => new CoinbaseDataClient({ feed: 'advanced', productIds: ['BTC-USD'] }, { env: {}, handlers: {} })).toThrow(/COINBASE_API_KEY_NAME/);
    expect(() => new CoinbaseDataClient({ feed: 'advanced', productIds: ['BTC-USD'], data: ['trades'] }, { env: {}, handlers: {} })).not.toThrow();
    expect(() => resolveCoinbaseDataConfig({ productIds: ['btc_usd'] })).toThrow(CoinbaseConfigError);
    expect(() => resolveCoinbaseDataConfig({ productIds: ['BTC-USD'], backoffBaseMs: 10, backoffCapMs: 5 })).toThrow(/backoffCapMs/);
    expect(() => loadCdpCredentials('k', 'not a pem')).toThrow(/COINBASE_API_PRIVATE_KEY/);
    const cfg = resolveCoinbaseDataConfig({ productIds: ['BTC-USD', 'BTC-USD'], feed: 'advanced', wsUrl: 'ws://x/' });
    expect(cfg).toMatchObject({ productIds: ['BTC-USD'], wsUrl: 'ws://x', restUrl: 'https://api.coinbase.com' });
  });
});

describe('Coinbase REST parsers', () => {
  it('reads trades (maker side to aggressor) and product precisions, and names a bad field', () => {
    const r = parseRestTrades('[{"time":"2024-01-02T03:04:05.000001Z","trade_id":12,"price":"100.10","size":"0.5","side":"sell"}]', 'BTC-USD', 7 as never);
    expect(r.ok && r.value[0].tradeId).toBe(12);
    expect(r.ok && r.value[0].event.aggressorSide).toBe('BUYER');
    expect(r.ok && r.value[0].event.tsEvent).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 1);
    const bad = parseRestTrades('[{"time":"x","trade_id":12,"price":"-1","size":"0.5","side":"sell"}]', 'BTC-USD', 7 as never);
    expect(bad).toMatchObject({ ok: false, field: 'trades[0].price' });
    expect(parseRestTrades('{', 'BTC-USD', 7 as never)).toMatchObject({ ok: false, field: undefined });
    const p = parseProducts('[{"id":"BTC-USD","quote_increment":"0.01","base_increment":"0.00000001"},{"id":"X-Y","quote_increment":"1","base_increment":"0.10"}]');
    expect(p.ok && p.value).toEqual([
      { productId: 'BTC-USD', pricePrecision: 2, sizePrecision: 8 },
      { productId: 'X-Y', pricePrecision: 0, sizePrecision: 1 },
    ]);
    expect(parseProducts('[{"id":"BTC-USD","quote_increment":"0","base_increment":"1"}]')).toMatchObject({ ok: false, field: 'products[0].quote_increment' });
  });
});

describe('CoinbaseDataClient trade backfill paging (REST stub, frames fed directly)', () => {
  const match = (id: number): string =>
    JSON.stringify({ type: 'match', trade_id: id, maker_order_id: 'a', taker_order_id: 'b', side: 'buy', size: '0.1', price: '100.00', product_id: 'BTC-USD', sequence: id, time: '2024-01-02T03:04:05.000000Z' });

  it('walks back with the `after` cursor until the hole is filled, then releases the held live trades', async () => {
    const afters: number[] = [];
    const stub = (async (url: string | URL | Request) => {
      const u = new URL(String(url));
      const after = Number(u.searchParams.get('after'));
      afters.push(after);
      const limit = Number(u.searchParams.get('limit'));
      const rows = [];
      for (let id = after - 1; id >= 1 && rows.length < limit; id--) rows.push({ time: '2024-01-02T03:04:05.000000Z', trade_id: id, price: '100.00', size: '0.1', side: 'sell' });
      return new Response(JSON.stringify(rows), { status: 200 });
    }) as typeof fetch;
    const trades: number[] = [];
    const status: CoinbaseClientStatus[] = [];
    const c = new CoinbaseDataClient({ productIds: ['BTC-USD'], data: ['trades'] }, { env: {}, fetch: stub, handlers: { onTrade: (t) => trades.push(Number(t.tradeId)), onStatus: (s) => status.push(s) } });
    c.onFrame(match(1));
    c.onFrame(match(2500)); // 2..2499 lost
    c.onFrame(match(2501)); // waits behind the backfill
    c.onFrame(match(2000)); // a late one of the hole: waits too, then is dropped as a duplicate
    expect(trades).toEqual([1]);
    await until(() => trades.length === 2501, 'backfill');
    expect(trades).toEqual(Array.from({ length: 2501 }, (_, i) => i + 1));
    expect(afters).toEqual([2500, 1500, 500]);
    expect(status).toContainEqual({ type: 'backfill', productId: 'BTC-USD', from: 2, to: 2499, count: 2498 });
    expect(c.duplicates).toBe(1);
    // A heartbeat that says more trades happened than arrived: fetched too.
    c.onFrame(JSON.stringify({ type: 'heartbeat', sequence: 9, last_trade_id: 2503, product_id: 'BTC-USD', time: '2024-01-02T03:04:06.000000Z' }));
    await until(() => trades.length === 2503, 'heartbeat backfill');
    expect(trades.slice(-2)).toEqual([2502, 2503]);
    c.onFrame(match(2503));
    expect(trades.length).toBe(2503);
    await c.stop();
  });

  it('reports the gap and goes on when backfill is off or REST fails', async () => {
    const trades: number[] = [];
    const status: CoinbaseClientStatus[] = [];
    const off = new CoinbaseDataClient({ productIds: ['BTC-USD'], data: ['trades'], backfill: false }, { env: {}, handlers: { onTrade: (t) => trades.push(Number(t.tradeId)), onStatus: (s) => status.push(s) } });
    off.onFrame(match(1));
    off.onFrame(match(5));
    expect(trades).toEqual([1, 5]);
    expect(status).toEqual([{ type: 'trade_gap', productId: 'BTC-USD', from: 2, to: 4 }]);
    const failing = (async () => new Response('busy', { status: 503 })) as unknown as typeof fetch;
    const got: number[] = [];
    const st: CoinbaseClientStatus[] = [];
    const c = new CoinbaseDataClient({ productIds: ['BTC-USD'], data: ['trades'] }, { env: {}, fetch: failing, handlers: { onTrade: (t) => got.push(Number(t.tradeId)), onStatus: (s) => st.push(s) } });
    c.onFrame(match(1));
    c.onFrame(match(3));
    await until(() => got.length === 2, 'release after the failed backfill');
    expect(got).toEqual([1, 3]);
    expect(st.some((s) => s.type === 'error' && /HTTP 503/.test(s.message))).toBe(true);
    c.onFrame('{"type":"mystery"}');
    c.onFrame('[1]');
    expect(c.rejections.snapshot()).toEqual([
      { venue: 'COINBASE', reason: 'unknown_type', count: 1 },
      { venue: 'COINBASE', reason: 'not_object', count: 1 },
    ]);
  });
});

describe('CoinbaseDataClient robustness', () => {
  it('reports silent streams as stale and replaces a connection on which everything went quiet', async () => {
    const s = await sim();
    const { c, seen } = client(s, { data: ['trades'], staleAfterMs: 150, staleCheckEveryMs: 20 });
    c.start();
    await until(() => seen.status.some((x) => x.type === 'subscribed'), 'subscribed');
    // The market does not move: no match and no heartbeat arrives.
    await until(() => c.connections >= 2, 'reconnect after silence');
    const stale = seen.status.filter((x) => x.type === 'stale').map((x) => (x as { stream: string }).stream);
    expect(new Set(stale)).toEqual(new Set(['matches:BTC-USD', 'matches:ETH-USD', 'heartbeat:BTC-USD', 'heartbeat:ETH-USD']));
    await until(() => seen.status.filter((x) => x.type === 'subscribed').length >= 2, 'resubscribed');
  });

  it('never throws on arbitrary frames, on either feed', () => {
    // Random trade ids make gaps: the backfill gets an empty page from a stub, never the real venue.
    const none = (async () => new Response('[]')) as unknown as typeof fetch;
    const exchange = new CoinbaseDataClient({ productIds: ['BTC-USD'] }, { env: {}, fetch: none, handlers: {} });
    const advanced = new CoinbaseDataClient({ feed: 'advanced', productIds: ['BTC-USD'], data: ['trades', 'quotes'] }, { env: {}, handlers: {} });
    const shapes = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ type: fc.constantFrom('match', 'ticker', 'snapshot', 'l2update', 'heartbeat', 'subscriptions', 'error'), product_id: fc.constantFrom('BTC-USD', 'x'), trade_id: fc.anything(), price: fc.anything(), size: fc.anything(), side: fc.anything(), time: fc.anything(), bids: fc.anything(), changes: fc.anything(), sequence: fc.anything() }).map((o) => JSON.stringify(o)),
      fc.record({ channel: fc.constantFrom('market_trades', 'ticker', 'l2_data', 'heartbeats', 'subscriptions', 'zzz'), sequence_num: fc.nat(), timestamp: fc.constant(ts), events: fc.anything() }).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(shapes, (text) => {
        exchange.onFrame(text);
        advanced.onFrame(text);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const r = parseRestTrades(text, 'BTC-USD', 1 as never);
        if (r.ok) expect(r.value).toEqual([]);
        const p = parseProducts(text);
        if (p.ok) expect(p.value).toEqual([]);
      }),
    );
  });
});
