import { afterEach, describe, expect, it } from 'vitest';
import { RecordingClient, settle } from '../testing/ws-client.js';
import { CoinbaseSimulator, type CoinbaseSimOptions } from './server.js';

const START_US = Date.UTC(2024, 0, 2, 3, 4, 0) * 1000;
const sims: CoinbaseSimulator[] = [];
const clients: RecordingClient[] = [];

async function sim(opts: Partial<CoinbaseSimOptions> = {}): Promise<CoinbaseSimulator> {
  const s = await CoinbaseSimulator.start({ clock: 'manual', startUs: START_US, symbols: ['BTC-USD', 'ETH-USD'], seed: 9, ...opts });
  sims.push(s);
  return s;
}

async function client(url: string): Promise<RecordingClient> {
  const c = await RecordingClient.open(url);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of sims.splice(0)) await s.close();
});

type Msg = Record<string, unknown>;

describe('Coinbase Exchange feed', () => {
  it('subscribes, replies with subscriptions, and streams level2, matches, ticker and heartbeats in sequence', async () => {
    const s = await sim();
    s.advance(2000);
    const c = await client(`${s.wsUrl}/`);
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level2_batch', 'matches', 'heartbeat', { name: 'ticker', product_ids: ['ETH-USD'] }] }));
    await c.until(() => c.frames.length >= 3);
    const first = c.json() as Msg[];
    expect(first[0]).toEqual({
      type: 'subscriptions',
      channels: [
        { name: 'level2_batch', product_ids: ['BTC-USD'] },
        { name: 'matches', product_ids: ['BTC-USD'] },
        { name: 'heartbeat', product_ids: ['BTC-USD'] },
        { name: 'ticker', product_ids: ['ETH-USD'] },
      ],
    });
    expect(first[1].type).toBe('snapshot');
    expect(Object.keys(first[1])).toEqual(['type', 'product_id', 'asks', 'bids']);
    expect(first[2].type).toBe('last_match');
    s.advance(3000);
    await settle(60);
    const msgs = c.json() as Msg[];
    const types = new Set(msgs.map((m) => m.type));
    for (const t of ['l2update', 'match', 'heartbeat', 'ticker']) expect(types.has(t)).toBe(true);
    const match = msgs.find((m) => m.type === 'match')!;
    expect(Object.keys(match)).toEqual(['type', 'trade_id', 'maker_order_id', 'taker_order_id', 'side', 'size', 'price', 'product_id', 'sequence', 'time']);
    expect(match.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const ticker = msgs.find((m) => m.type === 'ticker')!;
    expect(ticker.product_id).toBe('ETH-USD');
    const l2 = msgs.find((m) => m.type === 'l2update')!;
    expect(Object.keys(l2)).toEqual(['type', 'product_id', 'changes', 'time']);
    // Sequences of one product never go down; trade ids rise by one.
    const seqs = msgs.filter((m) => m.product_id === 'BTC-USD' && typeof m.sequence === 'number').map((m) => m.sequence as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const ids = msgs.filter((m) => m.type === 'match').map((m) => m.trade_id as number);
    expect(ids.slice(1).every((id, i) => id === ids[i] + 1)).toBe(true);
  });

  it('rebuilds the book from the snapshot and updates to match REST level 2', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/`);
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level2_batch'] }));
    await c.until(() => c.frames.length >= 2);
    for (let i = 0; i < 20; i++) s.advance(100);
    await settle(60);
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    for (const m of c.json() as Msg[]) {
      if (m.type === 'snapshot') {
        for (const [p, q] of m.bids as string[][]) bids.set(p, q);
        for (const [p, q] of m.asks as string[][]) asks.set(p, q);
      } else if (m.type === 'l2update') {
        for (const [side, p, q] of m.changes as string[][]) {
          const book = side === 'buy' ? bids : asks;
          if (Number(q) === 0) book.delete(p);
          else book.set(p, q);
        }
      }
    }
    const rest = (await (await fetch(`${s.restUrl}/products/BTC-USD/book?level=2`)).json()) as { bids: string[][]; asks: string[][] };
    expect(new Map(rest.bids.map(([p, q]) => [p, q]))).toEqual(bids);
    expect(new Map(rest.asks.map(([p, q]) => [p, q]))).toEqual(asks);
  });

  it('shows a sequence gap on command and rejects bad subscriptions', async () => {
    const s = await sim({ subscribeTimeoutMs: 0 });
    const c = await client(`${s.wsUrl}/`);
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['NOPE-USD'], channels: ['matches'] }));
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['bogus'] }));
    c.ws.send('{oops');
    await c.until(() => c.frames.length >= 3);
    expect(c.json()).toEqual([
      { type: 'error', message: 'Failed to subscribe', reason: 'NOPE-USD is not a valid product' },
      { type: 'error', message: 'Failed to subscribe', reason: 'bogus is not a valid channel' },
      { type: 'error', message: 'Malformed JSON', reason: 'request is not a JSON object' },
    ]);
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat'] }));
    await c.until(() => c.frames.length >= 4);
    s.advance(2000);
    s.applyFault({ type: 'gap', symbol: 'BTC-USD', count: 1000 });
    s.advance(1000);
    await settle(60);
    const hb = (c.json() as Msg[]).filter((m) => m.type === 'heartbeat').map((m) => m.sequence as number);
    expect(hb.length).toBe(3);
    expect(hb[2] - hb[1]).toBeGreaterThanOrEqual(1000);
  });

  it('closes a connection that never subscribes', async () => {
    const s = await sim({ subscribeTimeoutMs: 100 });
    const c = await client(`${s.wsUrl}/`);
    await c.until(() => c.closed, 3000, 'close');
  });

  it('serves products, trades, candles and time over REST', async () => {
    const s = await sim();
    for (let i = 0; i < 130; i++) s.advance(1000);
    const products = (await (await fetch(`${s.restUrl}/products`)).json()) as Msg[];
    expect(products.map((p) => p.id)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(products[0]).toMatchObject({ base_currency: 'BTC', quote_currency: 'USD', status: 'online' });
    const trades = (await (await fetch(`${s.restUrl}/products/ETH-USD/trades?limit=5`)).json()) as Msg[];
    expect(trades).toHaveLength(5);
    expect((trades[0].trade_id as number) > (trades[1].trade_id as number)).toBe(true);
    const candles = (await (await fetch(`${s.restUrl}/products/ETH-USD/candles?granularity=60`)).json()) as number[][];
    expect(candles.length).toBeGreaterThanOrEqual(2);
    const [t, low, high, open, close] = candles[0];
    expect(t % 60).toBe(0);
    expect(low).toBeLessThanOrEqual(Math.min(open, close));
    expect(high).toBeGreaterThanOrEqual(Math.max(open, close));
    expect((await fetch(`${s.restUrl}/products/ETH-USD/candles?granularity=7`)).status).toBe(400);
    expect((await fetch(`${s.restUrl}/products/XXX-USD`)).status).toBe(404);
    const time = (await (await fetch(`${s.restUrl}/time`)).json()) as { epoch: number };
    expect(time.epoch).toBe(s.nowUs / 1e6);
  });

  it('pages trades with the after and before cursors, newest first, as Coinbase documents them', async () => {
    const s = await sim();
    for (let i = 0; i < 300; i++) s.advance(1000);
    const get = async (q: string): Promise<{ ids: number[]; before: string | null; after: string | null; status: number; body: unknown }> => {
      const r = await fetch(`${s.restUrl}/products/BTC-USD/trades${q}`);
      const body = (await r.json()) as unknown;
      const ids = r.status === 200 ? (body as { trade_id: number }[]).map((t) => t.trade_id) : [];
      return { ids, before: r.headers.get('cb-before'), after: r.headers.get('cb-after'), status: r.status, body };
    };
    const newest = await get('');
    // Default and maximum page: 1000 trades, newest first; CB-BEFORE is the first id, CB-AFTER the last.
    expect(newest.ids).toHaveLength(1000);
    expect(newest.ids.every((id, i) => i === 0 || id === newest.ids[i - 1] - 1)).toBe(true);
    expect(newest.before).toBe(String(newest.ids[0]));
    expect(newest.after).toBe(String(newest.ids[999]));
    // `after` walks to older trades: the next page starts just below the cursor, no overlap, no hole.
    const older = await get(`?limit=300&after=${newest.after}`);
    expect(older.ids).toEqual(Array.from({ length: 300 }, (_, i) => newest.ids[999] - 1 - i));
    expect([older.before, older.after]).toEqual([String(older.ids[0]), String(older.ids[299])]);
    // `before` walks back to newer ones: the page just above the cursor, still newest first.
    const newer = await get(`?limit=300&before=${older.before}`);
    expect(newer.ids).toEqual(newest.ids.slice(700));
    expect((await get(`?limit=5&before=${newest.ids[3]}`)).ids).toEqual(newest.ids.slice(0, 3));
    // Both cursors bound the page on both sides.
    expect((await get(`?after=${newest.ids[10]}&before=${newest.ids[20]}`)).ids).toEqual(newest.ids.slice(11, 20));
    // Nothing newer than the newest trade: an empty page without cursors, so a poller keeps its own.
    const none = await get(`?before=${newest.ids[0]}`);
    expect([none.ids, none.before, none.after]).toEqual([[], null, null]);
    s.advance(5000);
    const fresh = await get(`?before=${newest.ids[0]}`);
    expect(fresh.ids.length).toBeGreaterThan(0);
    expect(fresh.ids[fresh.ids.length - 1]).toBe(newest.ids[0] + 1);
    // Bad values: 400 with a message, as the venue answers.
    for (const [q, message] of [
      ['?limit=0', 'Invalid parameter range - limit'],
      ['?limit=1001', 'Invalid parameter range - limit'],
      ['?limit=ten', 'Invalid parameter range - limit'],
      ['?after=abc', 'after cursor value is not valid'],
      ['?after=-5', 'after cursor value is not valid'],
      ['?before=1.5', 'before cursor value is not valid'],
      ['?before=', 'before cursor value is not valid'],
    ] as const) {
      const r = await get(q);
      expect([q, r.status, r.body]).toEqual([q, 400, { message }]);
    }
  });

  it('sends null, never "0", for the best bid or ask of an empty book side on the ticker', async () => {
    // A book one tick deep: takers sometimes sweep a whole side.
    const s = await sim({ params: { depthTicks: 1 } });
    const c = await client(`${s.wsUrl}/`);
    c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['ticker'] }));
    await c.until(() => c.frames.length >= 1);
    for (let i = 0; i < 40; i++) s.advance(1000);
    await settle(60);
    const tickers = (c.json() as Msg[]).filter((m) => m.type === 'ticker');
    expect(tickers.length).toBeGreaterThan(50);
    for (const t of tickers) {
      // The documented fields are all there; a side is either a positive price with its size, or null.
      expect(Object.keys(t)).toEqual(['type', 'sequence', 'product_id', 'price', 'open_24h', 'volume_24h', 'low_24h', 'high_24h', 'volume_30d', 'best_bid', 'best_bid_size', 'best_ask', 'best_ask_size', 'side', 'time', 'trade_id', 'last_size']);
      for (const side of ['bid', 'ask']) {
        const p = t[`best_${side}`];
        const q = t[`best_${side}_size`];
        if (p === null) expect(q).toBeNull();
        else expect([Number(p) > 0, Number(q) > 0]).toEqual([true, true]);
      }
      if (t.best_bid !== null && t.best_ask !== null) expect(Number(t.best_bid)).toBeLessThan(Number(t.best_ask));
    }
    expect(tickers.some((t) => t.best_bid === null || t.best_ask === null)).toBe(true);
    expect(tickers.some((t) => t.best_bid !== null && t.best_ask !== null)).toBe(true);
  });
});
