import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';

/** Momentum, x - x[period] (TA-Lib MOM, lookback = period). */
export class MOM extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;

  constructor(readonly period: number) {
    super();
    checkPeriod('MOM', 'period', period, 1);
    this.name = `MOM(${period})`;
    this.lookback = period;
    this.window = new Float64Ring(period);
  }

  push(x: number): boolean {
    if (!this.window.isFull) {
      this.window.push(x);
      return false;
    }
    this.value = x - this.window.push(x);
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.window.clear();
  }
}

/** MOM over a whole series; NaN for the first `period` positions. */
export function momBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new MOM(period), input);
}
