import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';

const EPSILON = 0.00000000000001; // TA-Lib's TA_EPSILON

/**
 * Relative strength index with Wilder's smoothing (TA-Lib RSI, lookback = period). Seeded like TA-Lib: the
 * first averages are plain means of the first `period` gains and losses; after that
 * avg = (avg * (period - 1) + change) / period, in TA-Lib's order. 0 when both averages are ~0 (flat input).
 */
export class RSI extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private count = 0;
  private prev = 0;
  private gain = 0;
  private loss = 0;

  constructor(readonly period: number) {
    super();
    checkPeriod('RSI', 'period', period);
    this.name = `RSI(${period})`;
    this.lookback = period;
  }

  push(x: number): boolean {
    const p = this.period;
    if (this.ready) {
      const d = x - this.prev;
      this.prev = x;
      let loss = this.loss * (p - 1);
      let gain = this.gain * (p - 1);
      if (d < 0) loss -= d;
      else gain += d;
      this.loss = loss /= p;
      this.gain = gain /= p;
      const sum = gain + loss;
      this.value = -EPSILON < sum && sum < EPSILON ? 0 : 100 * (gain / sum);
      return true;
    }
    if (this.count++ === 0) {
      this.prev = x;
      return false;
    }
    const d = x - this.prev;
    this.prev = x;
    if (d < 0) this.loss -= d;
    else this.gain += d;
    if (this.count <= p) return false;
    this.loss /= p;
    this.gain /= p;
    const sum = this.gain + this.loss;
    this.value = -EPSILON < sum && sum < EPSILON ? 0 : 100 * (this.gain / sum);
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.count = 0;
    this.prev = 0;
    this.gain = 0;
    this.loss = 0;
  }
}

/** RSI over a whole series; NaN for the first `period` positions. */
export function rsiBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new RSI(period), input);
}
