import { afterEach, describe, expect, it } from 'vitest';
import type { Bar, QuoteTick, TradeTick } from '../../core/data.js';
import { PolygonSimulator } from '../sim/polygon/server.js';
import type { PolygonClientStatus } from './data-client.js';
import { PolygonDataClient } from './data-client.js';

// 15:00 UTC: within the simulated session; whole minutes so that minute bars line up.
const START_US = Date.UTC(2024, 0, 2, 15, 0, 0) * 1000;
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

async function sim(): Promise<PolygonSimulator> {
  const s = await PolygonSimulator.start({ clock: 'manual', startUs: START_US, cluster: 'stocks', symbols: ['AAPL', 'MSFT'], seed: 3, apiKey: 'k1' });
  cleanup.push(() => s.close());
  return s;
}

interface Seen {
  trades: TradeTick[];
  quotes: QuoteTick[];
  bars: Bar[];
  status: PolygonClientStatus[];
}

function client(s: PolygonSimulator, apiKey = 'k1'): { c: PolygonDataClient; seen: Seen } {
  const seen: Seen = { trades: [], quotes: [], bars: [], status: [] };
  const c = new PolygonDataClient(
    { wsUrl: `${s.wsUrl}/stocks`, restUrl: s.restUrl, subscriptions: ['T.AAPL', 'Q.AAPL', 'AM.AAPL'], backoffBaseMs: 10, backoffCapMs: 20 },
    {
      apiKey,
      // The client's clock follows the simulated market (manual clock), as a live clock follows a live venue.
      clock: () => s.nowUs,
      handlers: {
        onTrade: (t) => seen.trades.push(t),
        onQuote: (q) => seen.quotes.push(q),
        onBar: (b) => seen.bars.push(b),
        onStatus: (st) => seen.status.push(st),
      },
    },
  );
  cleanup.push(() => c.stop());
  return { c, seen };
}

async function seconds(s: PolygonSimulator, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    s.advance(1000);
    await pause(2);
  }
}

/** The venue's own minute bars (REST, independent of the WebSocket path): open time (µs) -> [o, h, l, c, v]. */
async function restMinutes(s: PolygonSimulator): Promise<Map<number, number[]>> {
  const r = (await (await fetch(`${s.restUrl}/v2/aggs/ticker/AAPL/range/1/minute/2024-01-02/2024-01-02?apiKey=k1`)).json()) as { results: { t: number; o: number; h: number; l: number; c: number; v: number }[] };
  return new Map(r.results.map((b) => [b.t * 1000, [b.o, b.h, b.l, b.c, b.v]]));
}

const ohlcv = (b: Bar): number[] => [b.open.toNumber(), b.high.toNumber(), b.low.toNumber(), b.close.toNumber(), b.volume.toNumber()];

describe('PolygonDataClient against the simulator over real sockets', () => {
  it('authenticates, subscribes, and delivers trades, quotes and minute aggregates that match REST', async () => {
    const s = await sim();
    const { c, seen } = client(s);
    c.start();
    await until(() => seen.status.some((x) => x.type === 'authenticated'), 'auth_success');
    expect(c.isAuthenticated).toBe(true);
    await pause(30); // the subscribe message reaches the venue
    await seconds(s, 130);
    await until(() => seen.bars.length >= 2, 'two minute bars');
    expect(seen.trades.length).toBeGreaterThan(0);
    expect(seen.trades.every((t) => t.instrumentId === 'AAPL.POLYGON')).toBe(true);
    expect(new Set(seen.trades.map((t) => t.tradeId)).size).toBe(seen.trades.length);
    expect(seen.quotes.length).toBeGreaterThan(0);
    expect(seen.quotes.every((q) => q.bidPrice.compare(q.askPrice) < 0)).toBe(true);
    const rest = await restMinutes(s);
    for (const b of seen.bars) expect(ohlcv(b)).toEqual(rest.get(b.tsOpen));
    // The minute's trades add up to its bar's volume.
    const first = seen.bars[0];
    const vol = seen.trades.filter((t) => t.tsEvent >= first.tsOpen && t.tsEvent < first.tsEvent).reduce((x, t) => x + t.size.toNumber(), 0);
    expect(vol).toBe(first.volume.toNumber());
    expect(c.rejections.count('POLYGON')).toBe(0);
  });

  it('stops on auth_failed without retrying the bad key', async () => {
    const s = await sim();
    const { c, seen } = client(s, 'wrong');
    c.start();
    await until(() => seen.status.some((x) => x.type === 'auth_failed'), 'auth_failed');
    await pause(200);
    expect(c.isAuthenticated).toBe(false);
    expect(seen.status.filter((x) => x.type === 'connected').length).toBe(1);
    expect(s.connectionCount).toBe(0);
    expect(() => new PolygonDataClient({ subscriptions: ['T.AAPL'] }, { apiKey: '', handlers: {} })).toThrow(/POLYGON_API_KEY/);
  });

  it('reconnects after a disconnect and backfills the minute bars it missed, each once and in order', async () => {
    const s = await sim();
    const { c, seen } = client(s);
    c.start();
    await until(() => seen.status.some((x) => x.type === 'authenticated'), 'auth_success');
    await pause(30);
    await seconds(s, 61);
    await until(() => seen.bars.length === 1, 'first bar');
    s.applyFault({ type: 'disconnect', mode: 'terminate' });
    for (let i = 0; i < 180; i++) s.advance(1000); // three minutes pass while the client is away
    await until(() => seen.status.filter((x) => x.type === 'authenticated').length === 2, 'reauthenticated');
    await until(() => seen.status.some((x) => x.type === 'backfill'), 'backfill');
    await seconds(s, 60);
    await until(() => seen.bars.length >= 5, 'bars after the outage');
    const bf = seen.status.find((x) => x.type === 'backfill') as Extract<PolygonClientStatus, { type: 'backfill' }>;
    expect(bf.bars).toBe(3);
    const opens = seen.bars.map((b) => b.tsOpen);
    expect(opens).toEqual(opens.map((_, i) => opens[0] + i * 60_000_000));
    const rest = await restMinutes(s);
    for (const b of seen.bars) expect(ohlcv(b)).toEqual(rest.get(b.tsOpen));
    expect(seen.status.filter((x) => x.type === 'connected').map((x) => (x as { reconnect: boolean }).reconnect)).toEqual([false, true]);
  });
});

describe('PolygonDataClient rejections', () => {
  it('counts bad frame elements under the shared reason codes and logs the failing field beside the reason', () => {
    const logged: Record<string, unknown>[] = [];
    const c = new PolygonDataClient(
      { wsUrl: 'ws://127.0.0.1:9', restUrl: 'http://127.0.0.1:9', subscriptions: ['T.AAPL'] },
      { apiKey: 'k1', clock: () => START_US, handlers: {}, log: { warn: (o) => logged.push(o) } },
    );
    c.onFrame('[{"ev":"T","sym":"AAPL","i":"1","p":-1,"s":1,"t":1704207600000},{"ev":"T","sym":"AAPL","p":1,"s":1,"t":1704207600000}]');
    c.onFrame('{oops');
    expect(c.rejections.snapshot()).toEqual([
      { venue: 'POLYGON', reason: 'negative_price', count: 1 },
      { venue: 'POLYGON', reason: 'missing_field', count: 1 },
      { venue: 'POLYGON', reason: 'invalid_json', count: 1 },
    ]);
    expect(logged).toMatchObject([
      { venue: 'POLYGON', reason: 'negative_price', field: 'p', detail: 'T: expected a positive number, got -1' },
      { venue: 'POLYGON', reason: 'missing_field', field: 'i', detail: 'T: missing trade id' },
      { venue: 'POLYGON', reason: 'invalid_json', field: undefined, detail: 'invalid JSON', frame: '{oops' },
    ]);
  });
});
