import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';

// TA-Lib's fixed KAMA smoothing bounds: fastest EMA(2), slowest EMA(30).
const CONST_MAX = 2.0 / (30.0 + 1.0);
const CONST_DIFF = 2.0 / (2.0 + 1.0) - CONST_MAX;
const EPSILON = 0.00000000000001; // TA-Lib's TA_EPSILON

/**
 * Kaufman adaptive moving average (TA-Lib KAMA, lookback = period). Efficiency ratio |x - x[period]| over the
 * running sum of |x - x[-1]| across the window, smoothing constant (er * (2/3 - 2/31) + 2/31)^2. Seeded like
 * TA-Lib with the input just before the first output; TA-Lib's `sum <= change` test is kept as is.
 */
export class KAMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;
  private sumRoc = 0;
  private prev = Number.NaN;
  private trailing = Number.NaN;

  constructor(readonly period: number) {
    super();
    checkPeriod('KAMA', 'period', period);
    this.name = `KAMA(${period})`;
    this.lookback = period;
    this.window = new Float64Ring(period);
  }

  push(x: number): boolean {
    const w = this.window;
    if (!w.isFull) {
      if (w.length > 0) this.sumRoc += Math.abs(this.prev - x);
      w.push(x);
      this.prev = x;
      return false;
    }
    const old = w.push(x); // x[t - period]
    // TA-Lib drops the oldest difference before adding the newest; the order matters for its float drift.
    if (this.ready) this.sumRoc -= Math.abs(this.trailing - old);
    this.sumRoc += Math.abs(this.prev - x);
    const change = x - old;
    const sum = this.sumRoc;
    const er = sum <= change || (-EPSILON < sum && sum < EPSILON) ? 1.0 : Math.abs(change / sum);
    let sc = er * CONST_DIFF + CONST_MAX;
    sc *= sc;
    const base = this.ready ? this.value : this.prev; // seed: the input before the first output
    this.value = (x - base) * sc + base;
    this.ready = true;
    this.trailing = old;
    this.prev = x;
    return true;
  }

  protected clear(): void {
    this.window.clear();
    this.sumRoc = 0;
    this.prev = Number.NaN;
    this.trailing = Number.NaN;
  }
}

/** KAMA over a whole series; NaN for the first `period` positions. */
export function kamaBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new KAMA(period), input);
}
