import { afterEach, describe, expect, it } from 'vitest';
import { RecordingClient, settle } from '../testing/ws-client.js';
import { BinanceSimulator, type BinanceSimOptions } from './server.js';

const START_US = Date.UTC(2024, 0, 2, 3, 4, 0) * 1000;
const sims: BinanceSimulator[] = [];
const clients: RecordingClient[] = [];

async function sim(opts: BinanceSimOptions = {}): Promise<BinanceSimulator> {
  const s = await BinanceSimulator.start({ clock: 'manual', startUs: START_US, symbols: ['BTCUSDT', 'ETHUSDT', 'NKNUSDT'], seed: 42, ...opts });
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

/** Exact decimal string to a bigint scaled by 10^8 (Binance spot writes 8 places). */
function d8(s: string): bigint {
  const [i, f = ''] = s.split('.');
  return BigInt(i + f.padEnd(8, '0').slice(0, 8));
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const r = await fetch(url, { headers });
  return { status: r.status, body: await r.json(), headers: r.headers };
}

type Data = Record<string, unknown>;

/** historicalTrades needs an API key (any, unless the simulator was started with one). */
const KEY = { 'X-MBX-APIKEY': 'test-key' };

describe('Binance spot WebSocket protocol', () => {
  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE with ids and streams raw frames on /ws', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/ws`);
    expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@bookTicker'], id: 1 })).toEqual({ result: null, id: 1 });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({ result: ['btcusdt@trade', 'btcusdt@bookTicker'], id: 2 });
    const before = c.frames.length;
    s.advance(2000);
    await c.until(() => c.json().some((f) => (f as Data).e === 'trade'));
    const data = c.json().slice(0) as Data[];
    const trade = data.find((f) => f.e === 'trade') as Data;
    expect(Object.keys(trade)).toEqual(['e', 'E', 's', 't', 'p', 'q', 'T', 'm', 'M']);
    expect(trade.s).toBe('BTCUSDT');
    expect(trade.p).toMatch(/^\d+\.\d{8}$/);
    const ticker = data.find((f) => 'u' in f && 'b' in f) as Data;
    expect(Object.keys(ticker)).toEqual(['u', 's', 'b', 'B', 'a', 'A']);
    expect(c.frames.length).toBeGreaterThan(before + 5);
    expect(await c.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@bookTicker'], id: 3 })).toEqual({ result: null, id: 3 });
    const after = c.frames.length;
    s.advance(2000);
    await settle();
    expect(c.frames.length).toBe(after);
  });

  it('wraps frames of combined streams in {stream, data} and switches with SET_PROPERTY combined', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/stream?streams=btcusdt@aggTrade/ethusdt@depth@100ms/btcusdt@kline_1m`);
    s.advance(3000);
    await c.until(() => c.frames.length > 10);
    const msgs = c.json() as { stream: string; data: Data }[];
    const streams = new Set(msgs.map((m) => m.stream));
    expect(streams.has('btcusdt@aggTrade')).toBe(true);
    expect(streams.has('ethusdt@depth@100ms')).toBe(true);
    const depth = msgs.find((m) => m.stream === 'ethusdt@depth@100ms')!.data;
    expect(Object.keys(depth)).toEqual(['e', 'E', 's', 'U', 'u', 'b', 'a']);
    expect(await c.request({ method: 'GET_PROPERTY', params: ['combined'], id: 5 })).toEqual({ result: true, id: 5 });

    const raw = await client(`${s.wsUrl}/ws/btcusdt@aggTrade`);
    expect(await raw.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 6 })).toEqual({ result: null, id: 6 });
    s.advance(2000);
    await raw.until(() => raw.json().some((f) => (f as Data).stream === 'btcusdt@aggTrade'));
  });

  it('replies with errors to bad requests', async () => {
    const s = await sim({ maxIncomingPerSecond: 100 });
    const c = await client(`${s.wsUrl}/ws`);
    c.ws.send('{not json');
    await c.until(() => c.frames.length === 1);
    expect(JSON.parse(c.frames[0])).toEqual({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null });
    const unknown = await c.request({ method: 'SUBSCRIB', params: [], id: 7 });
    expect((unknown.error as Data).code).toBe(2);
    expect(String((unknown.error as Data).msg)).toContain('unknown variant `SUBSCRIB`');
    const badStream = await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@nope'], id: 8 });
    expect((badStream.error as Data).code).toBe(2);
    const prop = await c.request({ method: 'SET_PROPERTY', params: ['colour', true], id: 9 });
    expect(prop.error).toEqual({ code: 0, msg: 'Unknown property' });
    const type = await c.request({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 10 });
    expect(type.error).toEqual({ code: 1, msg: 'Invalid value type: expected Boolean' });
    c.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: -4 }));
    await c.until(() => c.frames.some((f) => f.includes('request ID must be an unsigned integer')));
  });

  it('limits streams per connection and incoming messages per second', async () => {
    const s = await sim({ maxStreamsPerConnection: 3, maxIncomingPerSecond: 3 });
    await expect(RecordingClient.open(`${s.wsUrl}/stream?streams=a@trade/b@trade/c@trade/d@trade`)).rejects.toThrow('HTTP 400');
    await expect(RecordingClient.open(`${s.wsUrl}/nowhere`)).rejects.toThrow('HTTP 404');
    const c = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    const r = await c.request({ method: 'SUBSCRIBE', params: ['a@trade', 'b@trade', 'c@trade'], id: 1 });
    expect(String((r.error as Data).msg)).toContain('too many streams');
    expect(await c.request({ method: 'SUBSCRIBE', params: ['a@trade', 'b@trade'], id: 2 })).toEqual({ result: null, id: 2 });
    for (let i = 0; i < 5; i++) c.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 100 + i }));
    await c.until(() => c.closed, 3000, 'close');
    expect(c.closeCode).toBe(1008);
  });

  it('pings every interval and drops a client that does not answer', async () => {
    const s = await sim({ pingIntervalMs: 100, pongTimeoutMs: 350 });
    let pings = 0;
    const answering = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    answering.ws.on('ping', () => pings++);
    const silent = await RecordingClient.open(`${s.wsUrl}/ws/btcusdt@trade`, { autoPong: false });
    clients.push(silent);
    await silent.until(() => silent.closed, 3000, 'silent client dropped');
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(answering.closed).toBe(false);
  });

  it('serves partial depth and klines that agree with the trades it sent', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/stream?streams=btcusdt@trade/btcusdt@kline_1m/btcusdt@depth5@100ms/btcusdt@kline_1s`);
    // Start mid-minute so that the first 1m kline is partial, then run three whole minutes.
    for (let i = 0; i < 190; i++) s.advance(1000);
    await c.until(() => (c.json() as { data: Data }[]).filter((m) => (m.data.k as Data | undefined)?.x === true && (m.data.k as Data).i === '1m').length >= 3, 10_000);
    const msgs = c.json() as { stream: string; data: Data }[];
    const trades = msgs.filter((m) => m.stream === 'btcusdt@trade').map((m) => m.data);
    const partial = msgs.find((m) => m.stream === 'btcusdt@depth5@100ms')!.data;
    expect(Object.keys(partial)).toEqual(['lastUpdateId', 'bids', 'asks']);
    expect((partial.bids as unknown[]).length).toBe(5);
    for (const iv of ['1m', '1s']) {
      const closed = msgs.filter((m) => m.stream === `btcusdt@kline_${iv}` && (m.data.k as Data).x === true).map((m) => m.data.k as Data);
      expect(closed.length).toBeGreaterThan(2);
      for (const k of closed) {
        const inside = trades.filter((t) => (t.T as number) >= (k.t as number) && (t.T as number) <= (k.T as number));
        expect(k.n).toBe(inside.length);
        if (inside.length === 0) continue;
        expect(k.f).toBe(inside[0].t);
        expect(k.L).toBe(inside.at(-1)!.t);
        expect(k.o).toBe(inside[0].p);
        expect(k.c).toBe(inside.at(-1)!.p);
        expect(d8(k.h as string)).toBe(inside.map((t) => d8(t.p as string)).reduce((a, b) => (b > a ? b : a)));
        expect(d8(k.l as string)).toBe(inside.map((t) => d8(t.p as string)).reduce((a, b) => (b < a ? b : a)));
        expect(d8(k.v as string)).toBe(inside.reduce((a, t) => a + d8(t.q as string), 0n));
        const quote = inside.reduce((a, t) => a + d8(t.p as string) * d8(t.q as string), 0n);
        expect(d8(k.q as string) * 10n ** 8n).toBe(quote);
        const takerBuy = inside.filter((t) => t.m === false).reduce((a, t) => a + d8(t.q as string), 0n);
        expect(d8(k.V as string)).toBe(takerBuy);
      }
      // REST returns the same closed klines.
      const first = closed[0];
      const rest = await getJson(`${s.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=${iv}&startTime=${first.t as number}&limit=${closed.length}`);
      const rows = rest.body as unknown[][];
      expect(rows.length).toBe(closed.length);
      rows.forEach((row, i) => {
        const k = closed[i];
        expect(row).toEqual([k.t, k.o, k.h, k.l, k.c, k.v, k.T, k.q, k.n, k.V, k.Q, '0']);
      });
    }
  });

  it('lets a client build the book by the documented snapshot-and-diff procedure', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/ws/btcusdt@depth@100ms`);
    s.advance(500);
    await c.until(() => c.frames.length >= 2);
    const snap = (await getJson(`${s.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    for (let i = 0; i < 30; i++) s.advance(100);
    await settle(50);
    const events = c.json() as { U: number; u: number; b: string[][]; a: string[][] }[];
    const bids = new Map(snap.bids.map(([p, q]) => [p, q]));
    const asks = new Map(snap.asks.map(([p, q]) => [p, q]));
    let prevU: number | undefined;
    let applied = 0;
    for (const e of events) {
      if (e.u <= snap.lastUpdateId) continue;
      if (prevU === undefined) expect(e.U <= snap.lastUpdateId + 1 && snap.lastUpdateId + 1 <= e.u).toBe(true);
      else expect(e.U).toBe(prevU + 1);
      prevU = e.u;
      for (const [p, q] of e.b) {
        if (d8(q) === 0n) bids.delete(p);
        else bids.set(p, q);
      }
      for (const [p, q] of e.a) {
        if (d8(q) === 0n) asks.delete(p);
        else asks.set(p, q);
      }
      applied++;
    }
    expect(applied).toBeGreaterThan(10);
    const now = (await getJson(`${s.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    expect(now.lastUpdateId).toBe(prevU);
    const sortDesc = (m: Map<string, string>): string[][] => [...m].sort((x, y) => (d8(y[0]) > d8(x[0]) ? 1 : -1));
    const sortAsc = (m: Map<string, string>): string[][] => [...m].sort((x, y) => (d8(x[0]) > d8(y[0]) ? 1 : -1));
    expect(sortDesc(bids)).toEqual(now.bids);
    expect(sortAsc(asks)).toEqual(now.asks);
    expect(d8(now.bids[0][0])).toBeLessThan(d8(now.asks[0][0]));
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const s = await sim({ seed });
      const c = await client(`${s.wsUrl}/stream?streams=btcusdt@trade/ethusdt@depth@100ms/nknusdt@bookTicker`);
      for (let i = 0; i < 20; i++) s.advance(100);
      await settle(60);
      const rest = await getJson(`${s.restUrl}/api/v3/aggTrades?symbol=ETHUSDT`);
      return [...c.frames, JSON.stringify(rest.body)];
    };
    const a = await run(7);
    const b = await run(7);
    const other = await run(8);
    expect(a.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
    expect(other).not.toEqual(a);
  });
});

describe('Binance spot REST', () => {
  it('answers ping, time and exchangeInfo with the filters clients read', async () => {
    const s = await sim();
    expect((await getJson(`${s.restUrl}/api/v3/ping`)).body).toEqual({});
    expect((await getJson(`${s.restUrl}/api/v3/time`)).body).toEqual({ serverTime: START_US / 1000 });
    const info = await getJson(`${s.restUrl}/api/v3/exchangeInfo?symbol=ETHUSDT`);
    const sym = (info.body as { symbols: { symbol: string; filters: Data[] }[] }).symbols;
    expect(sym.map((x) => x.symbol)).toEqual(['ETHUSDT']);
    const types = sym[0].filters.map((f) => f.filterType);
    expect(types).toEqual(expect.arrayContaining(['PRICE_FILTER', 'LOT_SIZE', 'NOTIONAL']));
    expect(sym[0].filters.find((f) => f.filterType === 'PRICE_FILTER')!.tickSize).toMatch(/^\d+\.\d{8}$/);
    const two = await getJson(`${s.restUrl}/api/v3/exchangeInfo?symbols=${encodeURIComponent('["BTCUSDT","NKNUSDT"]')}`);
    expect((two.body as { symbols: unknown[] }).symbols).toHaveLength(2);
    expect(info.headers.get('x-mbx-used-weight-1m')).toBe(String(1 + 1 + 20));
  });

  it('returns Binance error bodies with the right status codes', async () => {
    const s = await sim({ weightLimitPerMinute: 40 });
    const bad = await getJson(`${s.restUrl}/api/v3/depth?symbol=NOPE`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
    expect((await getJson(`${s.restUrl}/api/v3/depth`)).body).toMatchObject({ code: -1102 });
    expect((await getJson(`${s.restUrl}/api/v3/depth?symbol=btcusdt`)).body).toMatchObject({ code: -1100 });
    expect((await getJson(`${s.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=7m`)).body).toEqual({ code: -1120, msg: 'Invalid interval.' });
    expect((await getJson(`${s.restUrl}/api/v3/aggTrades?symbol=BTCUSDT&limit=x`)).body).toMatchObject({ code: -1100 });
    expect((await getJson(`${s.restUrl}/api/v3/nothing`)).status).toBe(404);
    let last = await getJson(`${s.restUrl}/api/v3/depth?symbol=BTCUSDT`);
    while (last.status === 200) last = await getJson(`${s.restUrl}/api/v3/depth?symbol=BTCUSDT`);
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ code: -1003 });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('serves aggTrades by id and time and trades that match the streams', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/ws/ethusdt@aggTrade`);
    await c.request({ method: 'SUBSCRIBE', params: ['ethusdt@trade'], id: 1 });
    for (let i = 0; i < 50; i++) s.advance(100);
    await settle(60);
    const ws = c.json() as Data[];
    const aggs = ws.filter((f) => f.e === 'aggTrade');
    const trades = ws.filter((f) => f.e === 'trade');
    expect(aggs.length).toBeGreaterThan(5);
    const mid = aggs[3];
    const byId = (await getJson(`${s.restUrl}/api/v3/aggTrades?symbol=ETHUSDT&fromId=${mid.a as number}&limit=3`)).body as Data[];
    expect(byId.map((x) => x.a)).toEqual(aggs.slice(3, 6).map((x) => x.a));
    expect(byId[0]).toEqual({ a: mid.a, p: mid.p, q: mid.q, f: mid.f, l: mid.l, T: mid.T, m: mid.m, M: true });
    const t0 = aggs[1].T as number;
    const t1 = aggs.at(-2)!.T as number;
    const byTime = (await getJson(`${s.restUrl}/api/v3/aggTrades?symbol=ETHUSDT&startTime=${t0}&endTime=${t1}`)).body as Data[];
    expect(byTime.map((x) => x.a)).toEqual(aggs.filter((x) => (x.T as number) >= t0 && (x.T as number) <= t1).map((x) => x.a));
    // Every aggregated trade covers the trades f..l, whose sizes sum to its size.
    for (const a of aggs) {
      const parts = trades.filter((t) => (t.t as number) >= (a.f as number) && (t.t as number) <= (a.l as number));
      expect(parts.length).toBe((a.l as number) - (a.f as number) + 1);
      expect(parts.reduce((x, t) => x + d8(t.q as string), 0n)).toBe(d8(a.q as string));
    }
    const recent = (await getJson(`${s.restUrl}/api/v3/trades?symbol=ETHUSDT&limit=2`)).body as Data[];
    expect(recent.map((x) => x.id)).toEqual(trades.slice(-2).map((t) => t.t));
    expect(d8(recent[1].quoteQty as string) * 10n ** 8n).toBe(d8(recent[1].price as string) * d8(recent[1].qty as string));
  });

  it('serves historicalTrades by fromId and limit to a client with an API key, and charges its weight', async () => {
    const s = await sim({ apiKey: 'k1' });
    const c = await client(`${s.wsUrl}/ws/ethusdt@trade`);
    for (let i = 0; i < 50; i++) s.advance(100);
    await settle(60);
    const trades = (c.json() as Data[]).filter((f) => f.e === 'trade');
    expect(trades.length).toBeGreaterThan(8);
    const url = (q: string) => `${s.restUrl}/api/v3/historicalTrades?symbol=ETHUSDT${q}`;
    const from = trades[2].t as number;
    const page = await getJson(url(`&fromId=${from}&limit=4`), { 'X-MBX-APIKEY': 'k1' });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-mbx-used-weight-1m')).toBe('25');
    const rows = page.body as Data[];
    expect(rows.map((r) => r.id)).toEqual(trades.slice(2, 6).map((t) => t.t));
    const t = trades[2];
    expect(rows[0]).toEqual({ id: t.t, price: t.p, qty: t.q, quoteQty: rows[0].quoteQty, time: t.T, isBuyerMaker: t.m, isBestMatch: true });
    // Without fromId: the most recent trades, like /trades.
    const recent = (await getJson(url('&limit=2'), { 'X-MBX-APIKEY': 'k1' })).body as Data[];
    expect(recent.map((r) => r.id)).toEqual(trades.slice(-2).map((x) => x.t));
    // Past the newest trade: an empty page, which ends a client's paging.
    expect((await getJson(url(`&fromId=${(trades.at(-1)!.t as number) + 1}`), { 'X-MBX-APIKEY': 'k1' })).body).toEqual([]);
    const noKey = await getJson(url(`&fromId=${from}`));
    expect([noKey.status, noKey.body]).toEqual([401, { code: -2014, msg: 'API-key format invalid.' }]);
    const wrong = await getJson(url(`&fromId=${from}`), { 'X-MBX-APIKEY': 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: -2015 });
    const bad = await getJson(url('&fromId=x'), { 'X-MBX-APIKEY': 'k1' });
    expect([bad.status, (bad.body as Data).code]).toEqual([400, -1100]);
  });
});

const FULL_KEYS = ['symbol', 'priceChange', 'priceChangePercent', 'weightedAvgPrice', 'prevClosePrice', 'lastPrice', 'lastQty', 'bidPrice', 'bidQty', 'askPrice', 'askQty', 'openPrice', 'highPrice', 'lowPrice', 'volume', 'quoteVolume', 'openTime', 'closeTime', 'firstId', 'lastId', 'count'];
const DAY_MS = 86_400_000;

/** Signed decimal string to a bigint scaled by 10^8. */
function sd8(s: string): bigint {
  return s.startsWith('-') ? -d8(s.slice(1)) : d8(s);
}

/** a / b rounded half away from zero, as an exact decimal with `places` places. */
function ratio(a: bigint, b: bigint, places: number): string {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const scaled = (2n * abs * 10n ** BigInt(places) + b) / (2n * b);
  const s = scaled.toString().padStart(places + 1, '0');
  return `${neg && scaled > 0n ? '-' : ''}${s.slice(0, -places)}.${s.slice(-places)}`;
}

interface Trade {
  id: number;
  price: string;
  qty: string;
  time: number;
}

/** Every trade the simulator still holds for a symbol, oldest first, paged through `historicalTrades`. */
async function allTrades(base: string, symbol: string): Promise<Trade[]> {
  const out: Trade[] = [];
  for (;;) {
    const from = out.length === 0 ? 0 : out[out.length - 1].id + 1;
    const page = (await getJson(`${base}/api/v3/historicalTrades?symbol=${symbol}&fromId=${from}&limit=1000`, KEY)).body as Trade[];
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** What a 24hr ticker must say about `trades` (all of the window, oldest first). */
function expectStats(t: Data, trades: Trade[]): void {
  const first = trades[0];
  const last = trades.at(-1)!;
  expect(t.count).toBe(trades.length);
  expect(t.firstId).toBe(first.id);
  expect(t.lastId).toBe(last.id);
  expect(t.count).toBe((t.lastId as number) - (t.firstId as number) + 1);
  expect(t.openPrice).toBe(first.price);
  expect(t.lastPrice).toBe(last.price);
  expect(t.lastQty).toBe(last.qty);
  expect(d8(t.highPrice as string)).toBe(trades.map((x) => d8(x.price)).reduce((a, b) => (b > a ? b : a)));
  expect(d8(t.lowPrice as string)).toBe(trades.map((x) => d8(x.price)).reduce((a, b) => (b < a ? b : a)));
  const volume = trades.reduce((a, x) => a + d8(x.qty), 0n);
  const quote = trades.reduce((a, x) => a + d8(x.price) * d8(x.qty), 0n);
  expect(d8(t.volume as string)).toBe(volume);
  expect(d8(t.quoteVolume as string) * 10n ** 8n).toBe(quote);
  expect(t.weightedAvgPrice).toBe(ratio(quote, volume * 10n ** 8n, 8));
  const change = d8(last.price) - d8(first.price);
  expect(sd8(t.priceChange as string)).toBe(change);
  expect(t.priceChangePercent).toBe(ratio(change * 100n, d8(first.price), 3));
}

describe('Binance spot REST tickers', () => {
  it('serves 24hr statistics that agree with the trades, book and price it serves', async () => {
    const s = await sim();
    s.advance(5000);
    const trades = (await getJson(`${s.restUrl}/api/v3/trades?symbol=BTCUSDT&limit=1000`)).body as Trade[];
    expect(trades.length).toBeGreaterThan(5);
    expect(trades.length).toBeLessThan(1000);
    const r = await getJson(`${s.restUrl}/api/v3/ticker/24hr?symbol=BTCUSDT`);
    expect(r.status).toBe(200);
    const t = r.body as Data;
    expect(Object.keys(t)).toEqual(FULL_KEYS);
    expect(t.symbol).toBe('BTCUSDT');
    for (const k of FULL_KEYS.slice(1, 16)) expect(t[k]).toMatch(/^-?\d+\.\d{8}$|^-?\d+\.\d{3}$/);
    expect(t.closeTime).toBe(START_US / 1000 + 5000);
    expect(t.openTime).toBe((t.closeTime as number) - DAY_MS);
    // The simulator began 5 s ago: every trade it made is in the window, and none came before it.
    expectStats(t, trades);
    expect(t.prevClosePrice).toMatch(/^\d+\.\d{8}$/);
    const book = (await getJson(`${s.restUrl}/api/v3/ticker/bookTicker?symbol=BTCUSDT`)).body as Data;
    expect({ bidPrice: t.bidPrice, bidQty: t.bidQty, askPrice: t.askPrice, askQty: t.askQty }).toEqual({ bidPrice: book.bidPrice, bidQty: book.bidQty, askPrice: book.askPrice, askQty: book.askQty });
    const depth = (await getJson(`${s.restUrl}/api/v3/depth?symbol=BTCUSDT&limit=5`)).body as { bids: string[][]; asks: string[][] };
    expect([t.bidPrice, t.bidQty]).toEqual(depth.bids[0]);
    expect([t.askPrice, t.askQty]).toEqual(depth.asks[0]);
    expect((await getJson(`${s.restUrl}/api/v3/ticker/price?symbol=BTCUSDT`)).body).toEqual({ symbol: 'BTCUSDT', price: t.lastPrice });
    // Weights: 2 for one symbol, as documented.
    expect(r.headers.get('x-mbx-used-weight-1m')).toBe(String(25 + 2));
  });

  it('counts exactly the trades of the last 24 h while the trade history reaches back that far', async () => {
    const s = await sim({ symbols: ['BTCUSDT'], stepUs: 100_000, params: { tradeRate: 0.01 }, tradeHistory: 20_000 });
    s.advance(25 * 3_600_000 + 12_300);
    const trades = await allTrades(s.restUrl, 'BTCUSDT');
    const t = (await getJson(`${s.restUrl}/api/v3/ticker/24hr?symbol=BTCUSDT`)).body as Data;
    expect(t.closeTime).toBe(START_US / 1000 + 25 * 3_600_000 + 12_300);
    expect(t.openTime).toBe((t.closeTime as number) - DAY_MS);
    const before = trades.filter((x) => x.time < (t.openTime as number));
    const inside = trades.filter((x) => x.time >= (t.openTime as number));
    expect(before.length).toBeGreaterThan(10);
    expect(inside.length).toBeGreaterThan(1000);
    expectStats(t, inside);
    expect(t.prevClosePrice).toBe(before.at(-1)!.price);
  });

  it('beyond the trade history, counts whole minutes from its 1m klines', async () => {
    const s = await sim({ symbols: ['BTCUSDT'], stepUs: 100_000, params: { tradeRate: 0.01 }, tradeHistory: 300 });
    s.advance(25 * 3_600_000 + 12_300);
    const t = (await getJson(`${s.restUrl}/api/v3/ticker/24hr?symbol=BTCUSDT`)).body as Data;
    const closeMs = START_US / 1000 + 25 * 3_600_000 + 12_300;
    expect(t.closeTime).toBe(closeMs);
    // The window starts on the first whole minute inside the last 24 h, as Binance's rolling windows do.
    const openMs = Math.ceil((closeMs - DAY_MS) / 60_000) * 60_000;
    expect(t.openTime).toBe(openMs);
    type Row = [number, string, string, string, string, string, number, string, number, string, string, string];
    const rows: Row[] = [];
    for (let from = openMs - 60_000; ; ) {
      const page = (await getJson(`${s.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${from}&limit=1000`)).body as Row[];
      rows.push(...page);
      if (page.length < 1000) break;
      from = page[page.length - 1][0] + 60_000;
    }
    expect(rows[0][0]).toBe(openMs - 60_000);
    expect(t.prevClosePrice).toBe(rows[0][4]);
    const inWindow = rows.slice(1);
    expect(inWindow.length).toBe(24 * 60);
    const traded = inWindow.filter((k) => k[8] > 0);
    expect(t.count).toBe(inWindow.reduce((a, k) => a + k[8], 0));
    expect(t.count).toBe((t.lastId as number) - (t.firstId as number) + 1);
    expect(t.openPrice).toBe(traded[0][1]);
    expect(t.lastPrice).toBe(traded.at(-1)![4]);
    expect(d8(t.volume as string)).toBe(inWindow.reduce((a, k) => a + d8(k[5]), 0n));
    expect(d8(t.quoteVolume as string)).toBe(inWindow.reduce((a, k) => a + d8(k[7]), 0n));
    expect(d8(t.highPrice as string)).toBe(traded.map((k) => d8(k[2])).reduce((a, b) => (b > a ? b : a)));
    expect(d8(t.lowPrice as string)).toBe(traded.map((k) => d8(k[3])).reduce((a, b) => (b < a ? b : a)));
    const recent = (await getJson(`${s.restUrl}/api/v3/trades?symbol=BTCUSDT&limit=1`)).body as Trade[];
    expect(t.lastId).toBe(recent[0].id);
    expect(t.lastQty).toBe(recent[0].qty);
  });

  it('with the 1m klines trimmed too, starts at the oldest kept minute', async () => {
    const s = await sim({ symbols: ['BTCUSDT'], stepUs: 100_000, params: { tradeRate: 0.01 }, tradeHistory: 100, klineHistory: 90 });
    s.advance(3 * 3_600_000 + 12_300);
    const t = (await getJson(`${s.restUrl}/api/v3/ticker/24hr?symbol=BTCUSDT`)).body as Data;
    const rows = (await getJson(`${s.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=0&limit=1000`)).body as [number, string, string, string, string, string, number, string, number][];
    expect(rows.length).toBe(91);
    expect(t.openTime).toBe(rows[0][0]);
    expect(t.count).toBe(rows.reduce((a, k) => a + k[8], 0));
    expect(d8(t.volume as string)).toBe(rows.reduce((a, k) => a + d8(k[5]), 0n));
  });

  it('takes symbol, a symbols list or neither, charges the documented weights and answers Binance errors', async () => {
    const s = await sim();
    s.advance(2000);
    const base = `${s.restUrl}/api/v3/ticker`;
    const list = encodeURIComponent('["NKNUSDT","BTCUSDT"]');
    let used = 0;
    const weighs = async (url: string, w: number): Promise<unknown> => {
      const r = await getJson(url);
      used += w;
      expect(r.headers.get('x-mbx-used-weight-1m')).toBe(String(used));
      return r.body;
    };
    const two = (await weighs(`${base}/24hr?symbols=${list}`, 2)) as Data[];
    expect(two.map((x) => x.symbol)).toEqual(['NKNUSDT', 'BTCUSDT']);
    expect(two[1]).toEqual(await weighs(`${base}/24hr?symbol=BTCUSDT`, 2));
    const all = (await weighs(`${base}/24hr`, 80)) as Data[];
    expect(all.map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'NKNUSDT']);
    expect(all[0]).toEqual(two[1]);
    const mini = (await weighs(`${base}/24hr?symbol=ETHUSDT&type=MINI`, 2)) as Data;
    expect(Object.keys(mini)).toEqual(['symbol', 'openPrice', 'highPrice', 'lowPrice', 'lastPrice', 'volume', 'quoteVolume', 'openTime', 'closeTime', 'firstId', 'lastId', 'count']);
    expect(mini.count).toBe(all[1].count);
    for (const [path, one] of [
      ['price', ['symbol', 'price']],
      ['bookTicker', ['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty']],
    ] as const) {
      expect(Object.keys((await weighs(`${base}/${path}?symbol=ETHUSDT`, 2)) as Data)).toEqual(one);
      expect(((await weighs(`${base}/${path}?symbols=${list}`, 4)) as Data[]).map((x) => x.symbol)).toEqual(['NKNUSDT', 'BTCUSDT']);
      expect(((await weighs(`${base}/${path}`, 4)) as Data[]).map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'NKNUSDT']);
    }
    for (const path of ['24hr', 'price', 'bookTicker']) {
      const unknown = await getJson(`${base}/${path}?symbol=NOPE`);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
      expect((await getJson(`${base}/${path}?symbols=${encodeURIComponent('["BTCUSDT","NOPE"]')}`)).body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
      const both = await getJson(`${base}/${path}?symbol=BTCUSDT&symbols=${list}`);
      expect(both.status).toBe(400);
      expect(both.body).toEqual({ code: -1128, msg: "Combination of optional parameters invalid. Recommendation: 'symbol' and 'symbols' cannot both be sent." });
      expect((await getJson(`${base}/${path}?symbols=BTCUSDT`)).body).toMatchObject({ code: -1100 });
      expect((await getJson(`${base}/${path}?symbol=btcusdt`)).body).toMatchObject({ code: -1100 });
    }
    expect((await getJson(`${base}/24hr?symbol=BTCUSDT&type=FOO`)).body).toEqual({ code: -1139, msg: 'Invalid ticker type.' });
  });
});

describe('Binance USD-M futures REST tickers', () => {
  it('serves /fapi/v1 tickers in the futures shapes, with their weights', async () => {
    const s = await sim({ kind: 'usdm' });
    s.advance(3000);
    const r = await getJson(`${s.restUrl}/fapi/v1/ticker/24hr?symbol=ETHUSDT`);
    const t = r.body as Data;
    expect(Object.keys(t)).toEqual(['symbol', 'priceChange', 'priceChangePercent', 'weightedAvgPrice', 'lastPrice', 'lastQty', 'openPrice', 'highPrice', 'lowPrice', 'volume', 'quoteVolume', 'openTime', 'closeTime', 'firstId', 'lastId', 'count']);
    expect(r.headers.get('x-mbx-used-weight-1m')).toBe('1');
    const trades = (await getJson(`${s.restUrl}/fapi/v1/trades?symbol=ETHUSDT&limit=1000`)).body as Trade[];
    expect(t.count).toBe(trades.length);
    expect(t.firstId).toBe(trades[0].id);
    expect(t.lastPrice).toBe(trades.at(-1)!.price);
    expect(t.lastQty).toBe(trades.at(-1)!.qty);
    // Futures write the symbol's own precision, the weighted average price included.
    const places = (t.lastPrice as string).split('.')[1]?.length ?? 0;
    expect((t.weightedAvgPrice as string).split('.')[1]?.length ?? 0).toBe(places);
    const all = await getJson(`${s.restUrl}/fapi/v1/ticker/24hr`);
    expect((all.body as Data[]).map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'NKNUSDT']);
    expect(all.headers.get('x-mbx-used-weight-1m')).toBe(String(1 + 5 + 40));
    const price = (await getJson(`${s.restUrl}/fapi/v1/ticker/price?symbol=ETHUSDT`)).body as Data;
    expect(price).toEqual({ symbol: 'ETHUSDT', price: t.lastPrice, time: t.closeTime });
    const book = (await getJson(`${s.restUrl}/fapi/v1/ticker/bookTicker?symbol=ETHUSDT`)).body as Data;
    expect(Object.keys(book)).toEqual(['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty', 'time', 'lastUpdateId']);
    expect((await getJson(`${s.restUrl}/fapi/v1/ticker/24hr?symbol=NOPE`)).body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('serves /fapi/v1/historicalTrades with an API key, weight 20', async () => {
    const s = await sim({ kind: 'usdm' });
    s.advance(3000);
    const trades = (await getJson(`${s.restUrl}/fapi/v1/trades?symbol=ETHUSDT&limit=1000`)).body as Trade[];
    expect(trades.length).toBeGreaterThan(3);
    const hist = await getJson(`${s.restUrl}/fapi/v1/historicalTrades?symbol=ETHUSDT&fromId=${trades[1].id}&limit=2`, KEY);
    expect(hist.headers.get('x-mbx-used-weight-1m')).toBe(String(5 + 20));
    expect(hist.body).toEqual(trades.slice(1, 3));
    expect((await getJson(`${s.restUrl}/fapi/v1/historicalTrades?symbol=ETHUSDT`)).body).toEqual({ code: -2014, msg: 'API-key format invalid.' });
  });
});
