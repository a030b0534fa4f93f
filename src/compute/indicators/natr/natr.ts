import type { Ohlcv } from '../indicator.js';
import { Atr } from '../atr/atr.js';
import { checkPeriod, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { taIsZero } from '../hlcv-shared/true-range.js';

/**
 * Normalised ATR, as TA-Lib's NATR: 100 * ATR / close, and 0 when the close is zero (|close| < 1e-14).
 * Lookback `period`. (TA-Lib 0.4 writes that 0 into its first output slot instead of the current one, a bug
 * that only a zero close reaches; we write 0 where it belongs. With period 1 TA-Lib returns the bare true range,
 * not normalised; we normalise every period.)
 */
export class Natr extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly atr: Atr;

  constructor(readonly period = 14) {
    super();
    checkPeriod('NATR', 'period', period, 1);
    this.atr = new Atr(period);
    this.name = `NATR(${period})`;
    this.lookback = this.atr.lookback;
  }

  step(bar: Ohlcv): boolean {
    const atr = this.atr;
    if (!atr.step(bar)) return false;
    const c = bar.close;
    this.value = taIsZero(c) ? 0 : (atr.current / c) * 100;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.atr.reset();
  }
}

/** NATR over columns; NaN for the first `period` bars. */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('NATR', high, low, close);
  const ind = new Natr(period);
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
