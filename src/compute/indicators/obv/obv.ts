import type { Ohlcv } from '../indicator.js';
import { columnLength, nanArray, ScalarHlcvIndicator } from '../hlcv-shared/base.js';

/**
 * On-balance volume, as TA-Lib's OBV: starts at the first bar's volume, then adds the volume of a bar whose
 * close rose and subtracts that of a bar whose close fell. Lookback 0.
 */
export class Obv extends ScalarHlcvIndicator<Ohlcv> {
  readonly name = 'OBV';
  readonly lookback = 0;
  private prevClose = Number.NaN;

  step(bar: Ohlcv): boolean {
    const c = bar.close;
    if (!this.ready) {
      this.value = bar.volume;
      this.ready = true;
    } else if (c > this.prevClose) {
      this.value += bar.volume;
    } else if (c < this.prevClose) {
      this.value -= bar.volume;
    }
    this.prevClose = c;
    return true;
  }

  protected clear(): void {
    this.prevClose = Number.NaN;
  }
}

/** OBV over a close and a volume column (no warm-up). */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = columnLength('OBV', close, volume);
  const out = nanArray(n);
  const ind = new Obv();
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < n; i++) {
    bar.close = close[i];
    bar.volume = volume[i];
    out[i] = ind.update(bar) as number;
  }
  return out;
}
