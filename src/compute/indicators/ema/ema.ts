import { ScalarIndicator, checkPeriod } from '../base.js';

/**
 * Exponential moving average (TA-Lib EMA, lookback period - 1) with k = 2 / (period + 1). Seeded like TA-Lib:
 * the first value is the SMA of the first `period` inputs, then `((x - ema) * k) + ema` in TA-Lib's order.
 */
export class EMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  readonly k: number;
  private count = 0;
  private sum = 0;

  constructor(readonly period: number) {
    super();
    checkPeriod('EMA', 'period', period);
    this.name = `EMA(${period})`;
    this.lookback = period - 1;
    this.k = 2 / (period + 1);
  }

  push(x: number): boolean {
    if (this.ready) {
      this.value = (x - this.value) * this.k + this.value;
      return true;
    }
    this.sum += x;
    if (++this.count < this.period) return false;
    this.value = this.sum / this.period;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.count = 0;
    this.sum = 0;
  }
}

/**
 * The EMA recurrence with TA-Lib's SMA seed, as a small state object for indicators built from several EMAs
 * (DEMA, TEMA, MACD). `push` returns true once `value` holds an EMA.
 */
export class EmaState {
  readonly k: number;
  value = Number.NaN;
  ready = false;
  private count = 0;
  private sum = 0;

  constructor(readonly period: number) {
    this.k = 2 / (period + 1);
  }

  push(x: number): boolean {
    if (this.ready) {
      this.value = (x - this.value) * this.k + this.value;
      return true;
    }
    this.sum += x;
    if (++this.count < this.period) return false;
    this.value = this.sum / this.period;
    this.ready = true;
    return true;
  }

  clear(): void {
    this.value = Number.NaN;
    this.ready = false;
    this.count = 0;
    this.sum = 0;
  }
}

/** EMA over a whole series; NaN for the first period - 1 positions. */
export function emaBatch(input: Float64Array, period: number): Float64Array {
  checkPeriod('EMA', 'period', period);
  const n = input.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n < period) return out;
  const k = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < period; i++) sum += input[i];
  let ema = sum / period;
  out[period - 1] = ema;
  for (let i = period; i < n; i++) {
    ema = (input[i] - ema) * k + ema;
    out[i] = ema;
  }
  return out;
}
