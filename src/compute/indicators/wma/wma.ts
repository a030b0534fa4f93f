import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod } from '../base.js';

/**
 * Weighted moving average, weights 1..period with the newest heaviest (TA-Lib WMA, lookback period - 1).
 * O(1): the weighted sum gains period * x and loses the plain window sum each step, in TA-Lib's order.
 */
export class WMA extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly divider: number;
  private readonly window: Float64Ring;
  private periodSum = 0; // weighted sum
  private periodSub = 0; // plain sum

  constructor(readonly period: number) {
    super();
    checkPeriod('WMA', 'period', period);
    this.name = `WMA(${period})`;
    this.lookback = period - 1;
    this.divider = (period * (period + 1)) / 2;
    this.window = new Float64Ring(period);
  }

  push(x: number): boolean {
    const w = this.window;
    if (w.length < this.lookback) {
      w.push(x);
      this.periodSub += x;
      this.periodSum += x * w.length;
      return false;
    }
    // The ring holds the window; what it evicts is TA-Lib's trailing value (0 on the first full window).
    const trailing = w.push(x);
    this.periodSub += x;
    this.periodSub -= Number.isNaN(trailing) ? 0 : trailing;
    this.periodSum += x * this.period;
    this.value = this.periodSum / this.divider;
    this.ready = true;
    this.periodSum -= this.periodSub;
    return true;
  }

  protected clear(): void {
    this.window.clear();
    this.periodSum = 0;
    this.periodSub = 0;
  }
}

/** WMA over a whole series; NaN for the first period - 1 positions. */
export function wmaBatch(input: Float64Array, period: number): Float64Array {
  checkPeriod('WMA', 'period', period);
  const n = input.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n < period) return out;
  const divider = (period * (period + 1)) / 2;
  let periodSum = 0;
  let periodSub = 0;
  for (let i = 0; i < period - 1; i++) {
    periodSub += input[i];
    periodSum += input[i] * (i + 1);
  }
  let trailing = 0;
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = input[i];
    periodSub += x;
    periodSub -= trailing;
    periodSum += x * period;
    trailing = input[t];
    out[i] = periodSum / divider;
    periodSum -= periodSub;
  }
  return out;
}
