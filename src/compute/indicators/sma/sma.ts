import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod } from '../base.js';

/**
 * Simple moving average over `period` inputs (TA-Lib SMA, lookback period - 1). The running sum adds the new
 * input, divides, then drops the oldest, in TA-Lib's order, so the float drift is TA-Lib's own.
 */
export class SMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;
  private sum = 0;

  constructor(readonly period: number) {
    super();
    checkPeriod('SMA', 'period', period);
    this.name = `SMA(${period})`;
    this.lookback = period - 1;
    // Holds the last period - 1 inputs: the part of the next window already in the sum.
    this.window = new Float64Ring(period - 1);
  }

  push(x: number): boolean {
    this.sum += x;
    if (!this.window.isFull) {
      this.window.push(x);
      return false;
    }
    this.value = this.sum / this.period;
    this.ready = true;
    this.sum -= this.window.push(x);
    return true;
  }

  protected clear(): void {
    this.window.clear();
    this.sum = 0;
  }
}

/** SMA over a whole series; NaN for the first period - 1 positions. */
export function smaBatch(input: Float64Array, period: number): Float64Array {
  checkPeriod('SMA', 'period', period);
  const n = input.length;
  const out = new Float64Array(n).fill(Number.NaN);
  let sum = 0;
  for (let i = 0; i < period - 1 && i < n; i++) sum += input[i];
  for (let i = period - 1; i < n; i++) {
    sum += input[i];
    out[i] = sum / period;
    sum -= input[i - period + 1];
  }
  return out;
}
