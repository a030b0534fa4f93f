/**
 * `npm run bench -- marketdata [--runs R] [--frames N]`: Binance frames parsed, validated and normalised
 * into domain events per message type, side by side with bare `JSON.parse` of the same frames (the peer
 * named in issue 3), and local order book level updates per second.
 *
 * Frames are generated in the exact wire shapes of the real captures (combined-stream envelope, spot and
 * USD-M futures field orders) with varying ids, prices and sizes, so nothing is a cached constant. Each figure
 * is the median of R runs (default 7, at least 5) after a warm-up; parser and JSON.parse runs alternate and
 * the ratio is the median of the per-run ratios, measured as CPU time of this process
 * (process.cpuUsage) because the machine is shared: wall time would mostly measure the other processes.
 */
import { BinanceBookSync } from '../src/adapters/binance/book-sync.js';
import { BinanceParser } from '../src/adapters/binance/parse.js';
import type { DepthDiff, InstrumentLookup } from '../src/adapters/binance/types.js';
import { BookLadder } from '../src/compute/orderbook/book-ladder.js';
import { L2OrderBook } from '../src/compute/orderbook/l2-book.js';
import { BookSide } from '../src/core/data.js';
import { InstrumentId } from '../src/core/identifiers.js';
import type { UnixMicros } from '../src/core/time.js';

/** Deterministic PRNG (mulberry32) so every run sees the same frames. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fx = (raw: number, p: number) => (raw / 10 ** p).toFixed(p);

function frames(kind: string, n: number): string[] {
  const r = rng(42);
  const out: string[] = [];
  let id = 3_000_000_000;
  let t = 1_700_000_000_000;
  const base = 3_700_000_000_000; // 37000.00000000 at 8 decimals
  let price = base;
  for (let i = 0; i < n; i++) {
    id += 1 + Math.floor(r() * 3);
    t += Math.floor(r() * 5);
    // A random walk in ticks of 0.01 that stays within 50 ticks of 37000, as a quiet market does.
    price += Math.round((r() - 0.5) * 4) * 1_000_000;
    if (Math.abs(price - base) > 50_000_000) price = base;
    const p8 = fx(price, 8);
    const q8 = fx(Math.floor(r() * 200_000_000) + 1000, 8);
    switch (kind) {
      case 'trade':
        out.push(`{"stream":"btcusdt@trade","data":{"e":"trade","E":${t + 1},"s":"BTCUSDT","t":${id},"p":"${p8}","q":"${q8}","T":${t},"m":${r() < 0.5},"M":true}}`);
        break;
      case 'aggTrade':
        out.push(`{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${t + 1},"s":"BTCUSDT","a":${id},"p":"${p8}","q":"${q8}","f":${id * 2},"l":${id * 2 + 1},"T":${t},"m":${r() < 0.5},"M":true}}`);
        break;
      case 'futures aggTrade':
        out.push(`{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":${t + 1},"a":${id},"s":"BTCUSDT","p":"${fx(Math.round(price / 1e7), 1)}","q":"${fx(Math.floor(r() * 5000) + 1, 3)}","f":${id * 2},"l":${id * 2 + 1},"T":${t},"m":${r() < 0.5}}}`);
        break;
      case 'bookTicker':
        out.push(`{"stream":"btcusdt@bookTicker","data":{"u":${id},"s":"BTCUSDT","b":"${p8}","B":"${q8}","a":"${fx(price + 1_000_000, 8)}","A":"${q8}"}}`);
        break;
      case 'depthUpdate': {
        const levels = (sign: number) =>
          Array.from({ length: 1 + Math.floor(r() * 8) }, () => `["${fx(price + sign * (1 + Math.floor(r() * 40)) * 1_000_000, 8)}","${r() < 0.3 ? '0.00000000' : q8}"]`).join(',');
        out.push(`{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":${t},"s":"BTCUSDT","U":${id},"u":${id + 5},"b":[${levels(-1)}],"a":[${levels(1)}]}}`);
        break;
      }
      case 'kline':
        out.push(
          `{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":${t},"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"1m","f":${id},"L":${id + 50},"o":"${p8}","c":"${p8}","h":"${fx(price + 5_000_000, 8)}","l":"${fx(price - 5_000_000, 8)}","v":"${q8}","n":51,"x":false,"q":"1.00000000","V":"0.50000000","Q":"0.50000000","B":"0"}}}`,
        );
        break;
      default:
        throw new Error(kind);
    }
  }
  return out;
}

function cpuSeconds(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** ops/s medians of `runs` timed runs of `f` over `ops` operations, after one warm-up. */
function measure(runs: number, ops: number, f: () => void): number {
  f();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push(ops / cpuSeconds(f));
  return median(rates);
}

/**
 * Two loops timed alternately, run by run, so that both see the same load on a shared machine; the ratio is
 * the median of the per-run ratios.
 */
function measurePair(runs: number, ops: number, fa: () => void, fb: () => void): { a: number; b: number; ratio: number } {
  fa();
  fb();
  const as: number[] = [];
  const bs: number[] = [];
  const rs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = ops / cpuSeconds(fa);
    const b = ops / cpuSeconds(fb);
    as.push(a);
    bs.push(b);
    rs.push(a / b);
  }
  return { a: median(as), b: median(bs), ratio: median(rs) };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function parseLoop(parser: BinanceParser, fs: readonly string[], reps: number): () => void {
  return () => {
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < fs.length; i++) if (parser.parse(fs[i], 0 as UnixMicros).type !== 'rejection') sink++;
    if (sink === 0) throw new Error('every frame was rejected');
  };
}

function jsonLoop(fs: readonly string[], reps: number): () => void {
  return () => {
    let sink = 0;
    for (let r = 0; r < reps; r++) for (let i = 0; i < fs.length; i++) if (JSON.parse(fs[i]) !== null) sink++;
    if (sink === 0) throw new Error('unreachable');
  };
}

/** Book updates with the locality of real feeds: most near the touch, some deep; 30 % removals. */
function bookOps(n: number, depth: number): { side: Uint8Array; price: Float64Array; size: Float64Array } {
  const r = rng(7);
  const side = new Uint8Array(n);
  const price = new Float64Array(n);
  const size = new Float64Array(n);
  const mid = 3_700_000;
  for (let i = 0; i < n; i++) {
    const bid = r() < 0.5;
    // Distance in ticks from the mid: geometric, so the top levels get most updates.
    const dist = 1 + Math.min(depth, Math.floor(-Math.log(1 - r()) * 15));
    side[i] = bid ? 0 : 1;
    price[i] = bid ? mid - dist : mid + dist;
    size[i] = r() < 0.3 ? 0 : 1 + Math.floor(r() * 100_000);
  }
  return { side, price, size };
}

export async function run(args: string[]): Promise<void> {
  const opt = (name: string, def: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  const runs = Math.max(5, opt('runs', 7));
  const n = opt('frames', 20_000);
  const reps = 5;
  const info = { instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'), pricePrecision: 8, sizePrecision: 8 };
  const lookup: InstrumentLookup = (s) => (s === 'BTCUSDT' ? info : undefined);

  console.log(`marketdata: medians of ${runs} runs, CPU time, ${n} distinct frames x ${reps} per run (Node ${process.version})`);
  console.log('');
  console.log('parse + validate + normalise vs bare JSON.parse of the same frames');
  console.log(`${'message'.padEnd(18)} ${'ours msgs/s'.padStart(12)} ${'JSON.parse/s'.padStart(13)} ${'ratio'.padStart(6)}  ${'µs/msg'.padStart(7)}  path`);
  for (const kind of ['trade', 'aggTrade', 'futures aggTrade', 'bookTicker', 'depthUpdate', 'kline']) {
    const fs = frames(kind, n);
    const parser = new BinanceParser(kind === 'futures aggTrade' ? (s) => (s === 'BTCUSDT' ? { ...info, pricePrecision: 1, sizePrecision: 3 } : undefined) : lookup);
    const { a: ours, b: json, ratio } = measurePair(runs, n * reps, parseLoop(parser, fs, reps), jsonLoop(fs, reps));
    const path = parser.slowCount === 0 ? 'scanner' : parser.fastCount === 0 ? 'JSON.parse' : 'mixed';
    console.log(`${kind.padEnd(18)} ${fmt(ours).padStart(12)} ${fmt(json).padStart(13)} ${ratio.toFixed(2).padStart(6)}  ${(1e6 / ours).toFixed(2).padStart(7)}  ${path}`);
  }

  console.log('');
  console.log('local order book (L2OrderBook.applyRaw; best bid/ask read after every update)');
  console.log(`${'case'.padEnd(44)} ${'level updates/s'.padStart(16)}`);
  const nOps = 1_000_000;
  for (const depth of [100, 1000, 5000]) {
    const ops = bookOps(nOps, depth);
    const book = new L2OrderBook(info.instrumentId, 2, 8);
    const seed = Array.from({ length: depth }, (_, k) => k + 1);
    book.loadRaw(
      seed.map((k) => 3_700_000 - k),
      seed.map(() => 5),
      seed.map((k) => 3_700_000 + k),
      seed.map(() => 5),
      0,
    );
    const rate = measure(runs, nOps, () => {
      let sink = 0;
      for (let i = 0; i < nOps; i++) {
        book.applyRaw(ops.side[i] === 0 ? BookSide.Bid : BookSide.Ask, ops.price[i], ops.size[i]);
        sink += book.bestBidRaw();
      }
      if (Number.isNaN(sink)) sink = 0;
    });
    console.log(`${`book of ~${depth} levels/side, updates near the touch`.padEnd(44)} ${fmt(rate).padStart(16)}`);
  }
  {
    // Worst case for a sorted array: uniformly random prices over a deep book.
    const r = rng(9);
    const ladder = new BookLadder(true, 8192);
    const prices = Float64Array.from({ length: nOps }, () => 1 + Math.floor(r() * 5000));
    const sizes = Float64Array.from({ length: nOps }, () => (r() < 0.3 ? 0 : 1));
    const rate = measure(runs, nOps, () => {
      for (let i = 0; i < nOps; i++) ladder.set(prices[i], sizes[i]);
    });
    console.log(`${'one side, uniform random over 5000 levels'.padEnd(44)} ${fmt(rate).padStart(16)}`);
  }
  {
    // End to end: depth frames parsed and applied through the Binance sync procedure.
    const fs = frames('depthUpdate', n);
    const parser = new BinanceParser(lookup);
    const diffs = fs.map((f, k) => {
      const m = parser.parse(f, 0 as UnixMicros) as DepthDiff;
      // Re-chain the ids so that every event is in sequence.
      return { ...m, firstUpdateId: k * 10 + 1, finalUpdateId: k * 10 + 10 };
    });
    const levels = diffs.reduce((s, d) => s + d.deltas.deltas.length, 0);
    const rate = measure(runs, levels, () => {
      const book = new L2OrderBook(info.instrumentId, 8, 8);
      const sync = new BinanceBookSync('spot', book);
      sync.onSnapshot({ lastUpdateId: 0, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [] });
      for (const d of diffs) sync.onDiff(d);
      if (sync.gaps > 0) throw new Error('bench diffs do not chain');
    });
    console.log(`${'depth diffs applied through BinanceBookSync'.padEnd(44)} ${fmt(rate).padStart(16)}`);
  }
  console.log('');
  console.log('goals (issue 3): >= 1,000,000 trade msgs/s parsed+validated+normalised (at least bare JSON.parse speed); >= 500,000 book level updates/s');
}
