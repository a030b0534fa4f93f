import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';
import { EmaState } from '../ema/ema.js';

/**
 * Double EMA: 2 * EMA(x) - EMA(EMA(x)) (TA-Lib DEMA, lookback 2 * (period - 1)). The inner EMA is seeded, like
 * TA-Lib's, with the SMA of the outer EMA's first `period` values.
 */
export class DEMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly ema1: EmaState;
  private readonly ema2: EmaState;

  constructor(readonly period: number) {
    super();
    checkPeriod('DEMA', 'period', period);
    this.name = `DEMA(${period})`;
    this.lookback = 2 * (period - 1);
    this.ema1 = new EmaState(period);
    this.ema2 = new EmaState(period);
  }

  push(x: number): boolean {
    if (!this.ema1.push(x)) return false;
    if (!this.ema2.push(this.ema1.value)) return false;
    this.value = 2 * this.ema1.value - this.ema2.value;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.ema1.clear();
    this.ema2.clear();
  }
}

/** DEMA over a whole series; NaN for the first 2 * (period - 1) positions. */
export function demaBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new DEMA(period), input);
}
