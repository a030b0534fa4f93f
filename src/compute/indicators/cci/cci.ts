import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';

/**
 * Commodity channel index, as TA-Lib's CCI: (tp - mean) / (0.015 * mean absolute deviation) over `period`
 * typical prices tp = (high + low + close) / 3, and 0 when either the numerator or the deviation is exactly
 * zero. Lookback period - 1.
 *
 * Cost: O(period) per update, not O(1). The mean absolute deviation is taken about the current mean, which
 * moves every bar, so no running sum maintains it exactly; the window is summed in the same slot order as
 * TA-Lib's circular buffer, which keeps its exact-zero tests (flat markets) agreeing with TA-Lib's.
 */
export class Cci extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Array;
  private slot = 0;
  private count = 0;

  constructor(readonly period = 14) {
    super();
    checkPeriod('CCI', 'period', period);
    this.window = new Float64Array(period);
    this.name = `CCI(${period})`;
    this.lookback = period - 1;
  }

  step(bar: Ohlcv): boolean {
    const p = this.period;
    const w = this.window;
    const tp = (bar.high + bar.low + bar.close) / 3;
    w[this.slot] = tp;
    this.slot = this.slot + 1 === p ? 0 : this.slot + 1;
    if (++this.count < p) return false;
    let mean = 0;
    for (let j = 0; j < p; j++) mean += w[j];
    mean /= p;
    let dev = 0;
    for (let j = 0; j < p; j++) dev += Math.abs(w[j] - mean);
    const num = tp - mean;
    this.value = num !== 0 && dev !== 0 ? num / (0.015 * (dev / p)) : 0;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.window.fill(0);
    this.slot = 0;
    this.count = 0;
  }
}

/** CCI over columns; NaN for the first period - 1 bars. */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('CCI', high, low, close);
  const ind = new Cci(period);
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
