import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';

/**
 * Slope of the least-squares line through the last `period` inputs, per input step (TA-Lib LINEARREG_SLOPE,
 * lookback period - 1). TA-Lib re-sums the window each step; here the sums move in O(1): with x = age
 * (0 = newest, as TA-Lib counts), a new input ages every other point by one, so
 * sumXY' = sumXY - (period - 1) * oldest + (sumY - oldest) and sumY' = sumY - oldest + x.
 * The slope is (period * sumXY - sumX * sumY) / (sumX^2 - period * sumX2), as TA-Lib writes it.
 * Rounding in the moving sums would build up over a long series, so every `period` inputs the sums are
 * recomputed from the window in TA-Lib's order: amortised O(1) (one extra multiply-add per input on average),
 * and the drift never spans more than one window.
 */
export class LinRegSlope extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  // The window as a circular buffer read in order during a resync; `head` is where the next input goes.
  private readonly window: Float64Array;
  private head = 0;
  private count = 0;
  private sinceResync = 0;
  private readonly sumX: number;
  private readonly divisor: number;
  private sumY = 0;
  private sumXY = 0;

  constructor(readonly period: number) {
    super();
    checkPeriod('LINEARREG_SLOPE', 'period', period);
    this.name = `LINEARREG_SLOPE(${period})`;
    this.lookback = period - 1;
    this.window = new Float64Array(period);
    this.sumX = period * (period - 1) * 0.5;
    const sumXSqr = (period * (period - 1) * (2 * period - 1)) / 6;
    this.divisor = this.sumX * this.sumX - period * sumXSqr;
  }

  push(x: number): boolean {
    const p = this.period;
    const w = this.window;
    const old = w[this.head];
    w[this.head] = x;
    this.head = this.head + 1 === p ? 0 : this.head + 1;
    if (this.count < p) {
      this.sumXY += this.sumY;
      this.sumY += x;
      if (++this.count < p) return false;
    } else if (++this.sinceResync === p) {
      this.resync();
    } else {
      this.sumXY += this.sumY - p * old;
      this.sumY += x - old;
    }
    this.value = (p * this.sumXY - this.sumX * this.sumY) / this.divisor;
    this.ready = true;
    return true;
  }

  /** Recomputes the sums from the window, oldest first, as TA-Lib does for every output. */
  private resync(): void {
    const p = this.period;
    const w = this.window;
    let sumY = 0;
    let sumXY = 0;
    let j = this.head; // oldest
    for (let i = p - 1; i >= 0; i--) {
      const y = w[j];
      sumY += y;
      sumXY += i * y;
      j = j + 1 === p ? 0 : j + 1;
    }
    this.sumY = sumY;
    this.sumXY = sumXY;
    this.sinceResync = 0;
  }

  protected clear(): void {
    this.head = 0;
    this.count = 0;
    this.sinceResync = 0;
    this.sumY = 0;
    this.sumXY = 0;
  }
}

/** LINEARREG_SLOPE over a whole series; NaN for the first period - 1 positions. */
export function linregSlopeBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new LinRegSlope(period), input);
}
