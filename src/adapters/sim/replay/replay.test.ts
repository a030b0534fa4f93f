import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BinanceSimulator } from '../binance/server.js';
import { RecordingClient, settle } from '../testing/ws-client.js';
import { CaptureFormatError, parseCapture } from './capture.js';
import { openReplay, ReplayError } from './feed.js';
import { parseTradesCsv, TradeCsvError } from './trades-csv.js';

// A capture written for this test in the cryptofeed line format (values invented).
const WS = [
  'wss://stream.example/stream?streams=abcusdt@depth@100ms/abcusdt@aggTrade <-> 1700000000.100000',
  '1700000000.200000: {"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000199,"s":"ABCUSDT","U":101,"u":103,"b":[["1.2300","5.00"]],"a":[]}}',
  '1700000000.300000: {"stream":"abcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000299,"s":"ABCUSDT","a":7,"p":"1.2400","q":"2.00","f":70,"l":71,"T":1700000000299,"m":false,"M":true}}',
  '1700000000.700000: {"stream":"abcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000699,"s":"ABCUSDT","U":104,"u":104,"b":[],"a":[["1.2500","0.00"]]}}',
  '',
].join('\n');
const HTTP = 'https://api.example/api/v3/depth?symbol=ABCUSDT&limit=1000 -> 1700000000.250000: {"lastUpdateId":102,"bids":[["1.2300","4.00"],["1.2200","1.00"]],"asks":[["1.2500","3.00"]]}\n';

const T0 = Date.UTC(2024, 0, 2, 0, 0, 0);
const CSV = ['timestamp,price,size,side,id', `${T0 + 100},10.5,1.25,buy,1`, `${T0 + 900},10.75,2,sell,2`, `${T0 + 61_000},10.25,0.5,buy,3`, ''].join('\n');

const sims: BinanceSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'tw-sim-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}

describe('capture and trade files', () => {
  it('parses every kind of capture line with exact microsecond times', () => {
    const recs = parseCapture(`${WS}wss://x <- 1700000000.5: {"method":"SUBSCRIBE"}\n${HTTP}`);
    expect(recs.map((r) => r.kind)).toEqual(['connect', 'received', 'received', 'received', 'sent', 'http']);
    expect(recs[1].timeUs).toBe(1_700_000_000_200_000);
    expect(recs[4]).toMatchObject({ kind: 'sent', url: 'wss://x', timeUs: 1_700_000_000_500_000 });
    expect(() => parseCapture('hello world')).toThrow(CaptureFormatError);
  });

  it('reads trade CSVs exactly, with or without a header', () => {
    const t = parseTradesCsv(CSV);
    expect(t.pricePrecision).toBe(2);
    expect(t.qtyPrecision).toBe(2);
    expect(t.trades[0]).toEqual({ timeUs: (T0 + 100) * 1000, price: 1050, qty: 125, buyerMaker: false, id: 1 });
    expect(t.trades[1].buyerMaker).toBe(true);
    expect(parseTradesCsv(`${T0},1,2\n`).trades[0].id).toBeUndefined();
    expect(() => parseTradesCsv(`${T0},1,-2\n`)).toThrow(TradeCsvError);
    expect(() => parseTradesCsv(`${T0 + 5},1,2\n${T0},1,2\n`)).toThrow('backwards');
    expect(() => parseTradesCsv(`${T0},1,2,up\n`)).toThrow('bad side');
  });
});

describe('replay through the Binance simulator', () => {
  it('publishes recorded frames in order and serves the recorded depth snapshot', async () => {
    const d = dir({ 'CAP.ws.1.0': WS, 'CAP.http.0.0': HTTP });
    const feed = openReplay(join(d, 'CAP.ws.1.0'));
    expect(feed.events).toBe(3);
    const s = await BinanceSimulator.start({ clock: 'manual', replay: feed });
    sims.push(s);
    expect(s.market.symbols.map((m) => m.symbol)).toEqual(['ABCUSDT']);
    const c = await RecordingClient.open(`${s.wsUrl}/stream?streams=abcusdt@depth@100ms/abcusdt@aggTrade`);
    s.advanceTo(1_700_000_000_260_000);
    const snap = (await (await fetch(`${s.restUrl}/api/v3/depth?symbol=ABCUSDT&limit=1`)).json()) as { lastUpdateId: number; bids: unknown[] };
    expect(snap).toEqual({ lastUpdateId: 102, bids: [['1.2300', '4.00']], asks: [['1.2500', '3.00']] });
    s.advanceTo(1_700_000_001_000_000);
    await c.until(() => c.frames.length === 3);
    await c.close();
    expect(c.frames).toEqual(WS.split('\n').slice(1, 4).map((l) => l.slice(l.indexOf(': ') + 2)));
    expect(s.replayFinished).toBe(true);
  });

  it('renders a trade CSV as trades, aggregated trades and klines', async () => {
    const d = dir({ 'XYZUSDT.csv': CSV });
    const s = await BinanceSimulator.start({ clock: 'realtime', speed: Number.POSITIVE_INFINITY, replay: openReplay(join(d, 'XYZUSDT.csv')) });
    sims.push(s);
    const c = await RecordingClient.open(`${s.wsUrl}/ws/xyzusdt@trade`);
    await c.until(() => s.replayFinished, 5000, 'replay end');
    await settle(50);
    await c.close();
    const klines = (await (await fetch(`${s.restUrl}/api/v3/klines?symbol=XYZUSDT&interval=1m`)).json()) as unknown[][];
    expect(klines[0]).toEqual([T0, '10.50000000', '10.75000000', '10.50000000', '10.75000000', '3.25000000', T0 + 59_999, '34.62500000', 2, '1.25000000', '13.12500000', '0']);
    expect(klines[1].slice(0, 5)).toEqual([T0 + 60_000, '10.25000000', '10.25000000', '10.25000000', '10.25000000']);
    const trades = (await (await fetch(`${s.restUrl}/api/v3/aggTrades?symbol=XYZUSDT`)).json()) as { f: number; p: string }[];
    expect(trades.map((t) => [t.f, t.p])).toEqual([
      [1, '10.50000000'],
      [2, '10.75000000'],
      [3, '10.25000000'],
    ]);
  });

  it('fails clearly on files it cannot replay', () => {
    const d = dir({ 'empty.ws.0': '1700000000.1: {"type":"other"}\n', 'none.csv': 'timestamp,price,size\n' });
    expect(() => openReplay(join(d, 'empty.ws.0'))).toThrow(ReplayError);
    expect(() => openReplay(join(d, 'none.csv'))).toThrow(ReplayError);
    expect(() => openReplay(join(d, 'missing.csv'))).toThrow(ReplayError);
  });
});
