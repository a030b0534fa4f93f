import type { Ohlcv } from '../indicator.js';
import { checkReal, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';

/**
 * Parabolic SAR (Wilder), as TA-Lib's SAR, including its start: the direction on bar 1 is short when bar 1
 * has a positive -DM (its low fell below bar 0's by more than its high rose), long otherwise; the first SAR
 * is then bar 0's low (long) or high (short) and the first extreme point bar 1's high (long) or low (short).
 * The acceleration starts at `acceleration`, grows by it at each new extreme up to `maximum` (an
 * acceleration above the maximum is lowered to it, as TA-Lib does), and the SAR never enters the previous or
 * current bar's range. On a reversal the output is the extreme point of the ended trend. Lookback 1.
 */
export class Sar extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback = 1;
  readonly acceleration: number = Number.NaN;
  readonly maximum: number = Number.NaN;
  // Double fields start as doubles: a bare `x: number;` starts undefined under define semantics, and V8
  // then keeps the field boxed, so each write allocates.
  private readonly afStep: number = Number.NaN;
  private count = 0;
  private isLong = false;
  private af = Number.NaN;
  private ep = Number.NaN;
  private sar = Number.NaN;
  private newHigh = Number.NaN;
  private newLow = Number.NaN;

  constructor(acceleration = 0.02, maximum = 0.2) {
    super();
    this.acceleration = acceleration;
    this.maximum = maximum;
    checkReal('SAR', 'acceleration', acceleration, 0, 3e37);
    checkReal('SAR', 'maximum', maximum, 0, 3e37);
    this.afStep = Math.min(acceleration, maximum);
    this.name = `SAR(${acceleration},${maximum})`;
  }

  step(bar: Ohlcv): boolean {
    const n = this.count++;
    const high = bar.high;
    const low = bar.low;
    if (n === 0) {
      this.newHigh = high;
      this.newLow = low;
      return false;
    }
    if (n === 1) {
      const diffP = high - this.newHigh;
      const diffM = this.newLow - low;
      this.isLong = !(diffM > 0 && diffP < diffM);
      this.af = this.afStep;
      if (this.isLong) {
        this.ep = high;
        this.sar = this.newLow;
      } else {
        this.ep = low;
        this.sar = this.newHigh;
      }
      // On the first bar TA-Lib takes the bar itself as the "previous" one.
      this.newHigh = high;
      this.newLow = low;
    }
    const prevHigh = this.newHigh;
    const prevLow = this.newLow;
    this.newHigh = high;
    this.newLow = low;
    const accel = this.afStep;
    let sar = this.sar;
    let out: number;
    if (this.isLong) {
      if (low <= sar) {
        this.isLong = false;
        sar = this.ep;
        if (sar < prevHigh) sar = prevHigh;
        if (sar < high) sar = high;
        out = sar;
        this.af = accel;
        this.ep = low;
        sar = sar + this.af * (this.ep - sar);
        if (sar < prevHigh) sar = prevHigh;
        if (sar < high) sar = high;
      } else {
        out = sar;
        if (high > this.ep) {
          this.ep = high;
          this.af += accel;
          if (this.af > this.maximum) this.af = this.maximum;
        }
        sar = sar + this.af * (this.ep - sar);
        if (sar > prevLow) sar = prevLow;
        if (sar > low) sar = low;
      }
    } else if (high >= sar) {
      this.isLong = true;
      sar = this.ep;
      if (sar > prevLow) sar = prevLow;
      if (sar > low) sar = low;
      out = sar;
      this.af = accel;
      this.ep = high;
      sar = sar + this.af * (this.ep - sar);
      if (sar > prevLow) sar = prevLow;
      if (sar > low) sar = low;
    } else {
      out = sar;
      if (low < this.ep) {
        this.ep = low;
        this.af += accel;
        if (this.af > this.maximum) this.af = this.maximum;
      }
      sar = sar + this.af * (this.ep - sar);
      if (sar < prevHigh) sar = prevHigh;
      if (sar < high) sar = high;
    }
    this.sar = sar;
    this.value = out;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.count = 0;
    this.isLong = false;
    this.af = 0;
    this.ep = 0;
    this.sar = 0;
    this.newHigh = 0;
    this.newLow = 0;
  }
}

/** Parabolic SAR over columns; NaN for bar 0. */
export function sar(high: Float64Array, low: Float64Array, acceleration = 0.02, maximum = 0.2): Float64Array {
  const n = columnLength('SAR', high, low);
  const ind = new Sar(acceleration, maximum);
  const bar = scratchBar();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    const v = ind.update(bar);
    if (v !== null) out[i] = v;
  }
  return out;
}
