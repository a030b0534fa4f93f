import { Float64Ring } from '../../util/ring-buffer.js';
import { RecordIndicator, checkPeriod, checkReal } from '../base.js';

const EPSILON = 0.00000000000001; // TA-Lib's TA_EPSILON

export interface BollingerResult {
  upper: number;
  middle: number;
  lower: number;
}

/**
 * Bollinger Bands as TA-Lib BBANDS with its default SMA middle band (lookback period - 1): middle = SMA,
 * bands = middle +/- k * population standard deviation. The deviation comes from a running sum of squares and
 * the SMA, as TA-Lib's "stddev using precalculated MA" does (variance below 1e-14 gives 0).
 */
export class BollingerBands extends RecordIndicator<number, BollingerResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly window: Float64Ring;
  private sum = 0;
  private sumSq = 0;

  constructor(
    readonly period: number,
    readonly kUp = 2,
    readonly kDown = kUp,
  ) {
    super({ upper: Number.NaN, middle: Number.NaN, lower: Number.NaN });
    checkPeriod('BBANDS', 'period', period);
    checkReal('BBANDS', 'k up', kUp);
    checkReal('BBANDS', 'k down', kDown);
    this.name = kUp === kDown ? `BBANDS(${period},${kUp})` : `BBANDS(${period},${kUp},${kDown})`;
    this.lookback = period - 1;
    this.window = new Float64Ring(period - 1);
  }

  update(x: number): Readonly<BollingerResult> | null {
    this.sum += x;
    this.sumSq += x * x;
    if (!this.window.isFull) {
      this.window.push(x);
      return null;
    }
    const middle = this.sum / this.period;
    let variance = this.sumSq / this.period;
    const old = this.window.push(x);
    this.sum -= old;
    this.sumSq -= old * old;
    variance -= middle * middle;
    const sd = variance < EPSILON ? 0 : Math.sqrt(variance);
    const out = this.out;
    out.middle = middle;
    out.upper = middle + sd * this.kUp;
    out.lower = middle - sd * this.kDown;
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.window.clear();
    this.sum = 0;
    this.sumSq = 0;
    this.out.upper = this.out.middle = this.out.lower = Number.NaN;
  }
}

export interface BollingerBatch {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Bollinger Bands over a whole series; NaN for the first period - 1 positions. */
export function bbandsBatch(input: Float64Array, period: number, kUp = 2, kDown = kUp): BollingerBatch {
  const ind = new BollingerBands(period, kUp, kDown);
  const n = input.length;
  const res = { upper: new Float64Array(n), middle: new Float64Array(n), lower: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = ind.update(input[i]);
    res.upper[i] = r === null ? Number.NaN : r.upper;
    res.middle[i] = r === null ? Number.NaN : r.middle;
    res.lower[i] = r === null ? Number.NaN : r.lower;
  }
  return res;
}
