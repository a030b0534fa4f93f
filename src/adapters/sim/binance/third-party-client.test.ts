/**
 * A client written the way a third party writes one against the real venue (plain `ws` and `fetch`,
 * following Binance's published "how to manage a local order book correctly" steps and its REST backfill),
 * pointed at the simulator by nothing but its base URLs. It must not use anything from the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BinanceSimulator } from './server.js';

let sim: BinanceSimulator;
let REST = '';
let WS = '';

beforeAll(async () => {
  sim = await BinanceSimulator.start({ clock: 'realtime', speed: 5, symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], seed: 11 });
  REST = sim.restUrl;
  WS = sim.wsUrl;
});

afterAll(async () => {
  await sim.close();
});

// ---------------------------------------------------------------- the "third-party" code

type Level = [string, string];
interface DepthEvent {
  e: 'depthUpdate';
  E: number;
  s: string;
  U: number;
  u: number;
  pu?: number;
  b: Level[];
  a: Level[];
}

class LocalBook {
  bids = new Map<string, number>();
  asks = new Map<string, number>();
  lastUpdateId = 0;
  resyncs = 0;

  apply(levels: Level[], side: Map<string, number>): void {
    for (const [p, q] of levels) {
      if (Number(q) === 0) side.delete(p);
      else side.set(p, Number(q));
    }
  }

  best(): [number, number] {
    return [Math.max(...[...this.bids.keys()].map(Number)), Math.min(...[...this.asks.keys()].map(Number))];
  }
}

/** Binance's documented procedure, steps 1-7, for the spot diff stream. */
function syncBook(base: string, wsBase: string, symbol: string): { book: LocalBook; ready: Promise<void>; gaps: () => number; stop: () => void } {
  const book = new LocalBook();
  const ws = new WebSocket(`${wsBase}/ws/${symbol.toLowerCase()}@depth@100ms`); // 1. open the stream
  const buffer: DepthEvent[] = []; // 2. buffer the events
  let synced = false;
  let gaps = 0;
  const resync = async (): Promise<void> => {
    synced = false;
    // 3. get a snapshot, 4. retry while its lastUpdateId is below the first buffered U
    let snap: { lastUpdateId: number; bids: Level[]; asks: Level[] };
    do {
      await new Promise((r) => setTimeout(r, 150));
      snap = (await (await fetch(`${base}/api/v3/depth?symbol=${symbol}&limit=5000`)).json()) as typeof snap;
    } while (buffer.length === 0 || snap.lastUpdateId < buffer[0].U);
    book.bids.clear();
    book.asks.clear();
    book.apply(snap.bids, book.bids);
    book.apply(snap.asks, book.asks);
    book.lastUpdateId = snap.lastUpdateId;
    // 5. drop buffered events with u <= lastUpdateId; the first left must have U <= lastUpdateId+1 <= u
    const rest = buffer.splice(0).filter((e) => e.u > book.lastUpdateId);
    synced = true;
    book.resyncs++;
    for (const e of rest) handle(e);
  };
  const handle = (e: DepthEvent): void => {
    if (!synced) {
      buffer.push(e);
      return;
    }
    if (e.u <= book.lastUpdateId) return;
    // 6. every event must continue the previous one; otherwise start again from step 3
    if (e.U > book.lastUpdateId + 1) {
      gaps++;
      buffer.push(e);
      void resync();
      return;
    }
    book.apply(e.b, book.bids);
    book.apply(e.a, book.asks);
    book.lastUpdateId = e.u;
  };
  ws.on('message', (d) => handle(JSON.parse(String(d)) as DepthEvent));
  const ready = new Promise<void>((resolve) => ws.once('open', () => resolve(resync())));
  return { book, ready, gaps: () => gaps, stop: () => ws.close() };
}

async function until(pred: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------- the checks

describe('an independent Binance client against the simulator', () => {
  it('keeps a local book in sync and equal to a fresh snapshot', async () => {
    const run = syncBook(REST, WS, 'ETHUSDT');
    await run.ready;
    const local = run.book;
    let compared = false;
    // Take snapshots until one carries exactly the local book's update id (the clock advances in ticks,
    // so a snapshot often falls on a diff boundary), and compare the two books.
    for (let i = 0; i < 200 && !compared; i++) {
      const snap = (await (await fetch(`${REST}/api/v3/depth?symbol=ETHUSDT&limit=5000`)).json()) as { lastUpdateId: number; bids: Level[]; asks: Level[] };
      await until(() => local.lastUpdateId >= snap.lastUpdateId).catch(() => undefined);
      if (local.lastUpdateId !== snap.lastUpdateId) continue;
      expect(new Map(snap.bids.map(([p, q]) => [p, Number(q)]))).toEqual(local.bids);
      expect(new Map(snap.asks.map(([p, q]) => [p, Number(q)]))).toEqual(local.asks);
      compared = true;
    }
    run.stop();
    expect(compared).toBe(true);
    const [bid, ask] = local.best();
    expect(bid).toBeLessThan(ask);
    expect(run.gaps()).toBe(0);
    expect(local.resyncs).toBe(1);
  });

  it('notices a gap and resynchronises', { timeout: 60_000 }, async () => {
    const run = syncBook(REST, WS, 'SOLUSDT');
    await run.ready;
    await fetch(`${REST}/_sim/faults`, { method: 'POST', body: JSON.stringify({ type: 'gap', symbol: 'SOLUSDT', count: 3 }) });
    // generous: under a full parallel test run on two cores the simulator's clock can lag for seconds
    await until(() => run.book.resyncs >= 2, 25_000);
    run.stop();
    expect(run.gaps()).toBe(1);
    const [bid, ask] = run.book.best();
    expect(bid).toBeLessThan(ask);
  });

  it('backfills klines and aggregated trades over REST after a disconnect, consistent with the stream', async () => {
    const ws = new WebSocket(`${WS}/stream?streams=btcusdt@aggTrade`);
    const seen: { a: number; T: number; p: string; q: string }[] = [];
    ws.on('message', (d) => seen.push((JSON.parse(String(d)) as { data: (typeof seen)[number] }).data));
    await new Promise((r) => ws.once('open', r));
    await until(() => seen.length > 0);
    await fetch(`${REST}/_sim/faults`, { method: 'POST', body: JSON.stringify({ type: 'disconnect' }) });
    await new Promise((r) => ws.once('close', r));
    const lastSeen = seen.at(-1)!.a;
    // Trades go on while the client is away; backfill them from the one after the last seen.
    let missed: { a: number }[] = [];
    for (let i = 0; i < 100 && missed.length === 0; i++) {
      missed = (await (await fetch(`${REST}/api/v3/aggTrades?symbol=BTCUSDT&fromId=${lastSeen + 1}&limit=1000`)).json()) as { a: number }[];
      if (missed.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(missed.length).toBeGreaterThan(0);
    expect(missed[0].a).toBe(lastSeen + 1);
    expect(missed.every((x, i) => i === 0 || x.a === missed[i - 1].a + 1)).toBe(true);
    const klines = (await (await fetch(`${REST}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=5`)).json()) as unknown[][];
    expect(klines.length).toBeGreaterThan(0);
    const [open, o, h, l, c] = klines.at(-1) as [number, string, string, string, string];
    expect(open % 60_000).toBe(0);
    expect(Number(h)).toBeGreaterThanOrEqual(Math.max(Number(o), Number(c)));
    expect(Number(l)).toBeLessThanOrEqual(Math.min(Number(o), Number(c)));
    const time = (await (await fetch(`${REST}/api/v3/time`)).json()) as { serverTime: number };
    expect(time.serverTime).toBeGreaterThanOrEqual(open);
  });
});

describe('the USD-M futures flavour', () => {
  it('chains depth events by pu and serves /fapi/v1 with E and T fields', async () => {
    const fut = await BinanceSimulator.start({ kind: 'usdm', clock: 'manual', symbols: ['BTCUSDT'], seed: 2, startUs: Date.UTC(2024, 0, 1) * 1000 });
    try {
      const ws = new WebSocket(`${fut.wsUrl}/stream?streams=btcusdt@depth@100ms/btcusdt@aggTrade/btcusdt@bookTicker`);
      const got: { stream: string; data: Record<string, unknown> }[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d)) as (typeof got)[number]));
      await new Promise((r) => ws.once('open', r));
      for (let i = 0; i < 20; i++) fut.advance(100);
      await new Promise((r) => setTimeout(r, 80));
      ws.close();
      const depth = got.filter((g) => g.stream === 'btcusdt@depth@100ms').map((g) => g.data);
      expect(Object.keys(depth[0])).toEqual(['e', 'E', 'T', 's', 'U', 'u', 'pu', 'b', 'a']);
      expect(depth.slice(1).every((d, i) => d.pu === depth[i].u)).toBe(true);
      const agg = got.find((g) => g.stream === 'btcusdt@aggTrade')!.data;
      expect(Object.keys(agg)).toEqual(['e', 'E', 'a', 's', 'p', 'q', 'f', 'l', 'T', 'm']);
      const bt = got.find((g) => g.stream === 'btcusdt@bookTicker')!.data;
      expect(Object.keys(bt)).toEqual(['e', 'u', 's', 'b', 'B', 'a', 'A', 'T', 'E']);
      const snap = (await (await fetch(`${fut.restUrl}/fapi/v1/depth?symbol=BTCUSDT&limit=5`)).json()) as Record<string, unknown>;
      expect(Object.keys(snap)).toEqual(['lastUpdateId', 'E', 'T', 'bids', 'asks']);
      const info = (await (await fetch(`${fut.restUrl}/fapi/v1/exchangeInfo`)).json()) as { symbols: { contractType: string; filters: { filterType: string }[] }[] };
      expect(info.symbols[0].contractType).toBe('PERPETUAL');
      expect(info.symbols[0].filters.map((f) => f.filterType)).toContain('MIN_NOTIONAL');
      expect((await fetch(`${fut.restUrl}/api/v3/ping`)).status).toBe(404);
      expect((await (await fetch(`${fut.restUrl}/fapi/v1/klines?symbol=BTCUSDT&interval=1s`)).json()) as unknown).toEqual({ code: -1120, msg: 'Invalid interval.' });
    } finally {
      await fut.close();
    }
  });
});
