import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { RollingMax, RollingMin } from '../hlcv-shared/rolling-extreme.js';

/**
 * Williams %R, as TA-Lib's WILLR: -100 * (highest high - close) / (highest high - lowest low) over `period`
 * bars, from 0 (close at the high) to -100 (close at the low); 0 when the range is zero. Lookback period - 1.
 */
export class WillR extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly highs: RollingMax;
  private readonly lows: RollingMin;

  constructor(readonly period = 14) {
    super();
    checkPeriod('WILLR', 'period', period);
    this.highs = new RollingMax(period);
    this.lows = new RollingMin(period);
    this.name = `WILLR(${period})`;
    this.lookback = period - 1;
  }

  step(bar: Ohlcv): boolean {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (this.highs.count < this.period) return false;
    const highest = this.highs.value;
    // TA-Lib's arithmetic: divide by (range / -100), compared with exactly 0.
    const diff = (highest - this.lows.value) / -100;
    this.value = diff !== 0 ? (highest - bar.close) / diff : 0;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
  }
}

/** Williams %R over columns; NaN for the first period - 1 bars. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('WILLR', high, low, close);
  const ind = new WillR(period);
  const bar = scratchBar();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    const v = ind.update(bar);
    if (v !== null) out[i] = v;
  }
  return out;
}
