import { Float64Ring } from '../../util/ring-buffer.js';
import { ScalarIndicator, checkPeriod, checkReal, runBatch } from '../base.js';

const EPSILON = 0.00000000000001; // TA-Lib's TA_EPSILON

/**
 * Population standard deviation over `period` inputs times `nbDev` (TA-Lib STDDEV, lookback period - 1).
 * Running sums of x and x^2 in TA-Lib's order (add, take the means, drop the oldest); a variance below 1e-14
 * (TA-Lib's epsilon, also what float cancellation leaves on flat input) gives 0.
 */
export class StdDev extends ScalarIndicator {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;
  private sum = 0;
  private sumSq = 0;

  constructor(
    readonly period: number,
    readonly nbDev = 1,
  ) {
    super();
    checkPeriod('STDDEV', 'period', period);
    checkReal('STDDEV', 'nbdev', nbDev);
    this.name = `STDDEV(${period},${nbDev})`;
    this.lookback = period - 1;
    this.window = new Float64Ring(period - 1);
  }

  push(x: number): boolean {
    this.sum += x;
    this.sumSq += x * x;
    if (!this.window.isFull) {
      this.window.push(x);
      return false;
    }
    const mean = this.sum / this.period;
    const meanSq = this.sumSq / this.period;
    const old = this.window.push(x);
    this.sum -= old;
    this.sumSq -= old * old;
    const variance = meanSq - mean * mean;
    this.value = variance < EPSILON ? 0 : Math.sqrt(variance) * this.nbDev;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.window.clear();
    this.sum = 0;
    this.sumSq = 0;
  }
}

/** STDDEV over a whole series; NaN for the first period - 1 positions. */
export function stddevBatch(input: Float64Array, period: number, nbDev = 1): Float64Array {
  return runBatch(new StdDev(period, nbDev), input);
}
