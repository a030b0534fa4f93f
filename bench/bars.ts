/**
 * Bar aggregation rate and allocation: `npm run bench -- bars [--runs 5] [--trades 2000000]`.
 *
 * Trades per second through each aggregator (median of several runs after a warm-up), on the same stream of
 * prices and sizes (a small pool of Price/Quantity objects cycled with rising timestamps, so the caller
 * allocates nothing), side by side with a bare loop over float64 typed arrays doing the same OHLCV updates
 * (the JavaScript limit; there is no JavaScript peer with exact bars). Then the garbage collections and heap
 * growth while 2M trades go into one open bar, which show whether the per-trade path allocates.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BarSpec } from '../src/core/bar-spec.js';
import { InstrumentId } from '../src/core/identifiers.js';
import { Price, Quantity } from '../src/core/price.js';
import { QuoteBarAggregator, ThresholdBarAggregator, TimeBarAggregator } from '../src/compute/bars/index.js';
import type { QuoteTick } from '../src/core/data.js';
import { UnixMicros } from '../src/core/time.js';

const POOL = 4096;
const id = InstrumentId.parse('BTCUSDT.BINANCE');
const prices = Array.from({ length: POOL }, (_, i) => Price.fromRaw(5_000_000 + Math.round(Math.sin(i / 50) * 20_000) + (i % 7), 2));
const sizes = Array.from({ length: POOL }, (_, i) => Quantity.fromRaw(1 + ((i * 7919) % 50_000), 6));
const quotes: QuoteTick[] = prices.map((p, i) => ({
  type: 'quote',
  instrumentId: id,
  bidPrice: p,
  askPrice: Price.fromRaw(p.raw + 1, 2),
  bidSize: sizes[i],
  askSize: sizes[(i + 1) % POOL],
  tsEvent: UnixMicros.unsafe(0),
  tsInit: UnixMicros.unsafe(0),
}));

let emitted = 0;
const onBar = () => {
  emitted++;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Feed = (n: number) => void;

function timeFeed(spec: string): Feed {
  return (n) => {
    const a = new TimeBarAggregator({ instrumentId: id, spec: BarSpec.parse(spec), pricePrecision: 2, sizePrecision: 6, onBar });
    // 10 ms apart: a 1m bar every 6000 trades, a 1s bar every 100.
    for (let i = 0; i < n; i++) a.update(prices[i & (POOL - 1)], sizes[i & (POOL - 1)], i * 10_000);
    a.flush();
  };
}

function thresholdFeed(spec: string): Feed {
  return (n) => {
    const a = new ThresholdBarAggregator({ instrumentId: id, spec: BarSpec.parse(spec), pricePrecision: 2, sizePrecision: 6, onBar });
    for (let i = 0; i < n; i++) a.update(prices[i & (POOL - 1)], sizes[i & (POOL - 1)], i * 10_000);
    a.flush();
  };
}

function quoteFeed(spec: string): Feed {
  return (n) => {
    const a = new QuoteBarAggregator({ instrumentId: id, spec: BarSpec.parse(spec), pricePrecision: 2, sizePrecision: 6, onBar });
    // Quote objects are reused with their tsEvent ignored: drive time through onTime-free rising copies.
    for (let i = 0; i < n; i++) {
      const q = quotes[i & (POOL - 1)] as { tsEvent: number };
      q.tsEvent = i * 10_000;
      a.handleQuote(quotes[i & (POOL - 1)]);
    }
    a.flush();
  };
}

/** The same OHLCV arithmetic on floats in a typed array, with a bar boundary every 6000 trades. */
const state = new Float64Array(6);
const fprices = Float64Array.from(prices, (p) => p.toNumber());
const fsizes = Float64Array.from(sizes, (s) => s.toNumber());
const bareFeed: Feed = (n) => {
  let barStart = -1;
  for (let i = 0; i < n; i++) {
    const p = fprices[i & (POOL - 1)];
    const start = Math.floor((i * 10_000) / 60_000_000);
    if (start !== barStart) {
      if (barStart >= 0) emitted++;
      barStart = start;
      state[0] = p;
      state[1] = p;
      state[2] = p;
      state[4] = 0;
    }
    if (p > state[1]) state[1] = p;
    if (p < state[2]) state[2] = p;
    state[3] = p;
    state[4] += fsizes[i & (POOL - 1)];
  }
};

function rate(runs: number, n: number, feed: Feed): number {
  feed(Math.min(n, 200_000));
  const rs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    feed(n);
    rs.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rs);
}

async function gcDuring(body: () => void): Promise<{ gcs: number; heapDelta: number }> {
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  await new Promise((r) => setImmediate(r));
  const before = process.memoryUsage().heapUsed;
  body();
  const heapDelta = process.memoryUsage().heapUsed - before;
  await new Promise((r) => setImmediate(r));
  obs.disconnect();
  return { gcs, heapDelta };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string', default: '5' }, trades: { type: 'string', default: '2000000' } } });
  const runs = Number(values.runs);
  const n = Number(values.trades);
  const bare = rate(runs, n, bareFeed);
  const rows: [string, number][] = [
    ['time 1m (trades)', rate(runs, n, timeFeed('1m'))],
    ['time 1s (trades)', rate(runs, n, timeFeed('1s'))],
    ['tick 1000', rate(runs, n, thresholdFeed('1000tick'))],
    ['volume 10 (splits)', rate(runs, n, thresholdFeed('10volume'))],
    ['value 1e6 (splits)', rate(runs, n, thresholdFeed('100000value'))],
    ['quote mid 1m', rate(runs, n, quoteFeed('1m-mid'))],
  ];
  console.log(`trades per run: ${n}, median of ${runs} runs`);
  console.log(`${'aggregator'.padEnd(22)} ${'trades/s'.padStart(14)} ${'vs bare loop'.padStart(13)}`);
  for (const [name, r] of rows) console.log(`${name.padEnd(22)} ${Math.round(r).toLocaleString('en-US').padStart(14)} ${(r / bare).toFixed(2).padStart(12)}x`);
  console.log(`${'bare float loop'.padEnd(22)} ${Math.round(bare).toLocaleString('en-US').padStart(14)} ${'1.00'.padStart(12)}x`);

  // Allocation: one 1d bar takes every trade, so nothing is emitted and nothing should be allocated.
  const a = new TimeBarAggregator({ instrumentId: id, spec: BarSpec.parse('1d'), pricePrecision: 2, sizePrecision: 6, onBar });
  const m = 2_000_000;
  for (let i = 0; i < 100_000; i++) a.update(prices[i & (POOL - 1)], sizes[i & (POOL - 1)], i);
  const { gcs, heapDelta } = await gcDuring(() => {
    for (let i = 100_000; i < 100_000 + m; i++) a.update(prices[i & (POOL - 1)], sizes[i & (POOL - 1)], i);
  });
  console.log(`allocation: ${m.toLocaleString('en-US')} trades into one open 1d bar: ${gcs} garbage collections, heap ${heapDelta >= 0 ? '+' : ''}${heapDelta} bytes (${(heapDelta / m).toFixed(3)} bytes/trade)`);
  if (emitted < 0) console.log(emitted);
}
