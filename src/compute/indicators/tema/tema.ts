import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';
import { EmaState } from '../ema/ema.js';

/**
 * Triple EMA: 3 * EMA1 - 3 * EMA2 + EMA3, each EMA over the previous one (TA-Lib TEMA, lookback
 * 3 * (period - 1)), each seeded with the SMA of its input's first `period` values, summed in TA-Lib's order.
 */
export class TEMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly ema1: EmaState;
  private readonly ema2: EmaState;
  private readonly ema3: EmaState;

  constructor(readonly period: number) {
    super();
    checkPeriod('TEMA', 'period', period);
    this.name = `TEMA(${period})`;
    this.lookback = 3 * (period - 1);
    this.ema1 = new EmaState(period);
    this.ema2 = new EmaState(period);
    this.ema3 = new EmaState(period);
  }

  push(x: number): boolean {
    if (!this.ema1.push(x)) return false;
    if (!this.ema2.push(this.ema1.value)) return false;
    if (!this.ema3.push(this.ema2.value)) return false;
    this.value = this.ema3.value + (3 * this.ema1.value - 3 * this.ema2.value);
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.ema1.clear();
    this.ema2.clear();
    this.ema3.clear();
  }
}

/** TEMA over a whole series; NaN for the first 3 * (period - 1) positions. */
export function temaBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new TEMA(period), input);
}
