/**
 * Deterministic OHLCV series for the high/low/close/volume indicator tests (test support, never production).
 *
 * `generateOhlcv(n, seed, options)` makes a geometric random walk of bars with high >= max(open, close),
 * low <= min(open, close) and volume > 0, plus the shapes that reach TA-Lib's special cases:
 * - flat stretches (open = high = low = close, so the true range, the stochastic range and the money flow
 *   are exactly zero): short ones at random and one long run, long enough for Wilder sums to decay below
 *   TA-Lib's 1e-14 zero threshold;
 * - prices rounded to a tick, so that equal highs and lows (ties in Aroon, equal +DM and -DM) happen;
 * - gaps between one close and the next open, so the true range comes from the previous close.
 * Same seed, same series, on every machine (a 32-bit PRNG, no Math.random).
 */
import type { Ohlcv } from '../../indicator.js';

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

function gaussian(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface OhlcvColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface GenerateOptions {
  readonly start?: number;
  /** Standard deviation of the log return per bar. */
  readonly volatility?: number;
  /** Round prices to this tick (0 = no rounding). */
  readonly tick?: number;
  /** Chance per bar that a short flat stretch (1 to `maxFlat` bars) starts. */
  readonly flatChance?: number;
  readonly maxFlat?: number;
  /** One long flat stretch starting at this bar (-1 = none) and lasting `longFlatLength` bars. */
  readonly longFlatAt?: number;
  readonly longFlatLength?: number;
  /** Chance per bar of an opening gap of several volatilities. */
  readonly gapChance?: number;
}

export function generateOhlcv(n: number, seed: number, options: GenerateOptions = {}): OhlcvColumns {
  const rand = mulberry32(seed);
  const vol = options.volatility ?? 0.01;
  const tick = options.tick ?? 0;
  const flatChance = options.flatChance ?? 0.02;
  const maxFlat = options.maxFlat ?? 30;
  const longFlatAt = options.longFlatAt ?? -1;
  const longFlatLength = options.longFlatLength ?? 0;
  const gapChance = options.gapChance ?? 0.03;
  const round = (x: number): number => (tick > 0 ? Math.max(tick, Math.round(x / tick) * tick) : x);
  const cols: OhlcvColumns = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let prevClose = round(options.start ?? 100);
  let flatLeft = 0;
  for (let i = 0; i < n; i++) {
    if (i === longFlatAt) flatLeft = longFlatLength;
    else if (flatLeft === 0 && rand() < flatChance) flatLeft = 1 + Math.floor(rand() * maxFlat);
    if (flatLeft > 0) {
      flatLeft--;
      cols.open[i] = cols.high[i] = cols.low[i] = cols.close[i] = prevClose;
      cols.volume[i] = 1 + Math.floor(rand() * 50);
      continue;
    }
    const gap = rand() < gapChance ? 5 * vol * gaussian(rand) : 0.1 * vol * gaussian(rand);
    const open = round(prevClose * Math.exp(gap));
    const close = round(open * Math.exp(vol * gaussian(rand)));
    const high = round(Math.max(open, close) * (1 + 0.5 * vol * Math.abs(gaussian(rand))));
    const low = round(Math.min(open, close) * (1 - 0.5 * vol * Math.abs(gaussian(rand))));
    cols.open[i] = open;
    cols.close[i] = close;
    cols.high[i] = Math.max(high, open, close);
    cols.low[i] = Math.min(low, open, close);
    cols.volume[i] = Math.round(1 + 1000 * Math.exp(0.8 * gaussian(rand)));
    prevClose = close;
  }
  return cols;
}

export function toBars(c: OhlcvColumns): Ohlcv[] {
  const bars: Ohlcv[] = [];
  for (let i = 0; i < c.close.length; i++) bars.push({ open: c.open[i], high: c.high[i], low: c.low[i], close: c.close[i], volume: c.volume[i] });
  return bars;
}

/** The series every TA-Lib comparison runs on: smooth, tick-rounded with ties, and one with a long flat run. */
export function referenceSeries(n = 4000): Record<string, OhlcvColumns> {
  return {
    smooth: generateOhlcv(n, 101, { volatility: 0.01, flatChance: 0.01 }),
    ticked: generateOhlcv(n, 202, { volatility: 0.004, tick: 0.05, flatChance: 0.03, maxFlat: 8 }),
    longFlat: generateOhlcv(n, 303, { volatility: 0.02, flatChance: 0.02, longFlatAt: 1000, longFlatLength: 900 }),
  };
}

/** Bar open times in microseconds: `step` apart with occasional gaps of several hours (weekends, halts). */
export function barTimes(n: number, seed: number, startMicros: number, stepMicros: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  let t = startMicros;
  for (let i = 0; i < n; i++) {
    out[i] = t;
    t += rand() < 0.01 ? stepMicros * (1 + Math.floor(rand() * 500)) : stepMicros;
  }
  return out;
}
