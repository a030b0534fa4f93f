import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod, runBatch } from '../base.js';

/** Rate of change in percent, (x / x[period] - 1) * 100 (TA-Lib ROC, lookback = period; 0 when x[period] is 0). */
export class ROC extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;

  constructor(readonly period: number) {
    super();
    checkPeriod('ROC', 'period', period, 1);
    this.name = `ROC(${period})`;
    this.lookback = period;
    this.window = new Float64Ring(period);
  }

  push(x: number): boolean {
    if (!this.window.isFull) {
      this.window.push(x);
      return false;
    }
    const old = this.window.push(x);
    this.value = old !== 0 ? (x / old - 1.0) * 100.0 : 0;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.window.clear();
  }
}

/** ROC over a whole series; NaN for the first `period` positions. */
export function rocBatch(input: Float64Array, period: number): Float64Array {
  return runBatch(new ROC(period), input);
}
