/**
 * Deterministic input series for indicator tests. Same seed, same series, on every machine.
 *
 * API
 * - `mulberry32(seed)`: a seeded PRNG returning floats in [0, 1).
 * - `randomWalk(n, seed, { start = 100, volatility = 0.01 })`: geometric random walk of closes (Float64Array).
 * - `randomOhlcv(n, seed, { start, volatility, flatEvery, zeroVolumeEvery })`: columns of realistic bars:
 *   open is the previous close (with a small gap), high >= max(open, close), low <= min(open, close),
 *   volume > 0; every `flatEvery`-th bar is flat (o = h = l = c), every `zeroVolumeEvery`-th has volume 0.
 * - `toBars(series)`: the columns as an array of `Ohlcv` records.
 * - `contractPriceSeries()` / `contractBarSeries()`: named series for `describeIndicatorContract`, including
 *   edge cases (a long flat run, monotone runs) that expose divisions by zero and drift.
 */
import type { Ohlcv } from '../indicator.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from a uniform source. */
function normal(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: log(0) would be -Infinity
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface WalkOptions {
  readonly start?: number;
  readonly volatility?: number;
}

export function randomWalk(n: number, seed: number, options: WalkOptions = {}): Float64Array {
  const rand = mulberry32(seed);
  const vol = options.volatility ?? 0.01;
  const out = new Float64Array(n);
  let p = options.start ?? 100;
  for (let i = 0; i < n; i++) {
    p *= Math.exp(vol * normal(rand));
    out[i] = p;
  }
  return out;
}

export interface OhlcvSeries {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface OhlcvOptions extends WalkOptions {
  /** Every n-th bar is flat (open = high = low = close); 0 = never. */
  readonly flatEvery?: number;
  /** Every n-th bar has zero volume; 0 = never. */
  readonly zeroVolumeEvery?: number;
}

export function randomOhlcv(n: number, seed: number, options: OhlcvOptions = {}): OhlcvSeries {
  const rand = mulberry32(seed);
  const vol = options.volatility ?? 0.01;
  const flatEvery = options.flatEvery ?? 0;
  const zeroVolumeEvery = options.zeroVolumeEvery ?? 0;
  const s: OhlcvSeries = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let prev = options.start ?? 100;
  for (let i = 0; i < n; i++) {
    const open = prev * Math.exp(0.1 * vol * normal(rand));
    if (flatEvery > 0 && i % flatEvery === flatEvery - 1) {
      s.open[i] = s.high[i] = s.low[i] = s.close[i] = open;
    } else {
      const close = open * Math.exp(vol * normal(rand));
      s.open[i] = open;
      s.close[i] = close;
      s.high[i] = Math.max(open, close) * (1 + 0.5 * vol * Math.abs(normal(rand)));
      s.low[i] = Math.min(open, close) * (1 - 0.5 * vol * Math.abs(normal(rand)));
    }
    s.volume[i] = zeroVolumeEvery > 0 && i % zeroVolumeEvery === zeroVolumeEvery - 1 ? 0 : Math.round(1000 * Math.exp(normal(rand) * 0.7));
    prev = s.close[i];
  }
  return s;
}

export function toBars(s: OhlcvSeries): Ohlcv[] {
  const bars: Ohlcv[] = [];
  for (let i = 0; i < s.close.length; i++) {
    bars.push({ open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i] });
  }
  return bars;
}

/** Price series for the contract suite: a random walk, a walk with a long flat run, and monotone runs. */
export function contractPriceSeries(n = 600): Record<string, readonly number[]> {
  const walk = Array.from(randomWalk(n, 7));
  const flat = walk.map((x, i) => (i >= n / 3 && i < (2 * n) / 3 ? 100 : x));
  const monotone = walk.map((_, i) => (i < n / 2 ? 50 + i * 0.25 : 50 + (n - i) * 0.25));
  return { walk, flat, monotone };
}

/** Bar series for the contract suite: random bars with flat and zero-volume bars, and a long flat run. */
export function contractBarSeries(n = 600): Record<string, readonly Ohlcv[]> {
  const random = toBars(randomOhlcv(n, 11, { flatEvery: 17, zeroVolumeEvery: 23 }));
  const flatRun = random.map((b, i) => (i >= n / 3 && i < (2 * n) / 3 ? { open: 100, high: 100, low: 100, close: 100, volume: 0 } : b));
  return { random, flatRun };
}
