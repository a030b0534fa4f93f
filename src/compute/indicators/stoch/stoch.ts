import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, RecordHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { RollingMax, RollingMin } from '../hlcv-shared/rolling-extreme.js';
import { TalibOrderSma } from '../hlcv-shared/talib-sma.js';

export interface StochResult {
  /** Slow %K: the simple moving average of fast %K over `slowKPeriod`. */
  k: number;
  /** Slow %D: the simple moving average of slow %K over `slowDPeriod`. */
  d: number;
}

/**
 * Stochastic oscillator, as TA-Lib's STOCH with its default simple-moving-average smoothing (MA type 0):
 * fast %K = 100 * (close - lowest low) / (highest high - lowest low) over `fastKPeriod` bars, 0 when the
 * range is zero. Lookback (fastK - 1) + (slowK - 1) + (slowD - 1). Other TA-Lib MA types are not offered.
 */
export class Stoch extends RecordHlcvIndicator<Ohlcv, StochResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly highs: RollingMax;
  private readonly lows: RollingMin;
  private readonly slowK: TalibOrderSma;
  private readonly slowD: TalibOrderSma;

  constructor(
    readonly fastKPeriod = 5,
    readonly slowKPeriod = 3,
    readonly slowDPeriod = 3,
  ) {
    super({ k: Number.NaN, d: Number.NaN });
    checkPeriod('STOCH', 'fastK period', fastKPeriod, 1);
    checkPeriod('STOCH', 'slowK period', slowKPeriod, 1);
    checkPeriod('STOCH', 'slowD period', slowDPeriod, 1);
    this.highs = new RollingMax(fastKPeriod);
    this.lows = new RollingMin(fastKPeriod);
    this.slowK = new TalibOrderSma(slowKPeriod);
    this.slowD = new TalibOrderSma(slowDPeriod);
    this.name = `STOCH(${fastKPeriod},${slowKPeriod},${slowDPeriod})`;
    this.lookback = fastKPeriod - 1 + (slowKPeriod - 1) + (slowDPeriod - 1);
  }

  update(bar: Ohlcv): Readonly<StochResult> | null {
    const highs = this.highs;
    const lows = this.lows;
    highs.push(bar.high);
    lows.push(bar.low);
    if (highs.count < this.fastKPeriod) return null;
    const lowest = lows.value;
    // TA-Lib divides by (range / 100) and compares that with exactly 0.
    const diff = (highs.value - lowest) / 100;
    const fastK = diff !== 0 ? (bar.close - lowest) / diff : 0;
    const slowK = this.slowK;
    if (!slowK.step(fastK)) return null;
    const slowD = this.slowD;
    if (!slowD.step(slowK.mean)) return null;
    this.out.k = slowK.mean;
    this.out.d = slowD.mean;
    this.ready = true;
    return this.out;
  }

  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
    this.slowK.clear();
    this.slowD.clear();
    this.out.k = this.out.d = Number.NaN;
  }
}

export interface StochColumns {
  readonly k: Float64Array;
  readonly d: Float64Array;
}

/** Slow %K and %D over columns; NaN for the first `lookback` bars. */
export function stoch(high: Float64Array, low: Float64Array, close: Float64Array, fastKPeriod = 5, slowKPeriod = 3, slowDPeriod = 3): StochColumns {
  const n = columnLength('STOCH', high, low, close);
  const ind = new Stoch(fastKPeriod, slowKPeriod, slowDPeriod);
  const bar = scratchBar();
  const cols = { k: nanArray(n), d: nanArray(n) };
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    const r = ind.update(bar);
    if (r === null) continue;
    cols.k[i] = r.k;
    cols.d[i] = r.d;
  }
  return cols;
}
