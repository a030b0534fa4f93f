import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { trueRange } from '../hlcv-shared/true-range.js';

/**
 * Average true range (Wilder), as TA-Lib's ATR: the first value is the simple mean of the first `period`
 * true ranges (bars 1..period; bar 0 has no previous close), then ATR = (ATR * (period - 1) + TR) / period.
 * Lookback `period`.
 */
export class Atr extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private count = 0;
  private prevClose = Number.NaN;
  private sum = 0;

  constructor(readonly period = 14) {
    super();
    checkPeriod('ATR', 'period', period, 1);
    this.name = `ATR(${period})`;
    this.lookback = period;
  }

  step(bar: Ohlcv): boolean {
    const n = this.count++;
    if (n === 0) {
      this.prevClose = bar.close;
      return false;
    }
    const tr = trueRange(bar.high, bar.low, this.prevClose);
    this.prevClose = bar.close;
    const p = this.period;
    if (n < p) {
      this.sum += tr;
      return false;
    }
    if (n === p) {
      this.value = (this.sum + tr) / p;
      this.ready = true;
    } else {
      // TA-Lib's order of operations: multiply, add, divide.
      this.value = (this.value * (p - 1) + tr) / p;
    }
    return true;
  }

  protected clear(): void {
    this.count = 0;
    this.prevClose = Number.NaN;
    this.sum = 0;
  }
}

/** ATR over columns; NaN for the first `period` bars. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('ATR', high, low, close);
  const ind = new Atr(period);
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
