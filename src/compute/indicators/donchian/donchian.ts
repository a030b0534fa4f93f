import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, RecordHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { RollingMax, RollingMin } from '../hlcv-shared/rolling-extreme.js';

export interface DonchianResult {
  /** Highest high of the last `period` bars (TA-Lib MAX of the highs). */
  upper: number;
  /** (upper + lower) / 2. */
  middle: number;
  /** Lowest low of the last `period` bars (TA-Lib MIN of the lows). */
  lower: number;
}

/**
 * Donchian channel over `period` bars, the current bar included (TA-Lib's MAX/MIN window; some charting
 * packages exclude the current bar, which shifts the channel by one). Monotonic deques make each update O(1)
 * amortised without allocation. Lookback period - 1.
 */
export class Donchian extends RecordHlcvIndicator<Ohlcv, DonchianResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly highs: RollingMax;
  private readonly lows: RollingMin;

  constructor(readonly period = 20) {
    super({ upper: Number.NaN, middle: Number.NaN, lower: Number.NaN });
    checkPeriod('DONCHIAN', 'period', period);
    this.highs = new RollingMax(period);
    this.lows = new RollingMin(period);
    this.name = `DONCHIAN(${period})`;
    this.lookback = period - 1;
  }

  update(bar: Ohlcv): Readonly<DonchianResult> | null {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (this.highs.count < this.period) return null;
    const out = this.out;
    out.upper = this.highs.value;
    out.lower = this.lows.value;
    out.middle = (out.upper + out.lower) / 2;
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
    this.out.upper = this.out.middle = this.out.lower = Number.NaN;
  }
}

export interface DonchianColumns {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Donchian channel over columns; NaN for the first period - 1 bars. */
export function donchian(high: Float64Array, low: Float64Array, period = 20): DonchianColumns {
  const n = columnLength('DONCHIAN', high, low);
  const ind = new Donchian(period);
  const bar = scratchBar();
  const cols = { upper: nanArray(n), middle: nanArray(n), lower: nanArray(n) };
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    const r = ind.update(bar);
    if (r === null) continue;
    cols.upper[i] = r.upper;
    cols.middle[i] = r.middle;
    cols.lower[i] = r.lower;
  }
  return cols;
}
