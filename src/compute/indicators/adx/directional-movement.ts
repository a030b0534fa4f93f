import { trueRange } from '../hlcv-shared/true-range.js';

/**
 * Wilder's smoothed +DM, -DM and true range on TA-Lib's code path (ta_ADX.c, ta_PLUS_DI.c): over bars
 * 1..period-1 the raw values are summed, from bar `period` on each sum decays as
 * sum = sum - sum / period + today's value. Bar 0 only seeds the previous high, low and close.
 * A bar's movement is -DM when the low fell more than the high rose, +DM when the high rose more than the
 * low fell, and neither on a tie or an inside bar.
 */
export class DirectionalMovement {
  /** Bars seen. */
  count = 0;
  plusDm = 0;
  minusDm = 0;
  tr = 0;
  private prevHigh = Number.NaN;
  private prevLow = Number.NaN;
  private prevClose = Number.NaN;

  constructor(readonly period: number) {}

  /** True once the sums are Wilder-smoothed, i.e. from bar `period` (TA-Lib's PLUS_DI lookback). */
  get smoothed(): boolean {
    return this.count > this.period;
  }

  update(high: number, low: number, close: number): void {
    const n = this.count++;
    if (n === 0) {
      this.prevHigh = high;
      this.prevLow = low;
      this.prevClose = close;
      return;
    }
    const p = this.period;
    const diffP = high - this.prevHigh;
    const diffM = this.prevLow - low;
    const tr = trueRange(high, low, this.prevClose);
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    let plus = this.plusDm;
    let minus = this.minusDm;
    if (n >= p) {
      minus -= minus / p;
      plus -= plus / p;
      this.tr = this.tr - this.tr / p + tr;
    } else {
      this.tr += tr;
    }
    if (diffM > 0 && diffP < diffM) minus += diffM;
    else if (diffP > 0 && diffP > diffM) plus += diffP;
    this.plusDm = plus;
    this.minusDm = minus;
  }

  clear(): void {
    this.count = 0;
    this.plusDm = 0;
    this.minusDm = 0;
    this.tr = 0;
    this.prevHigh = Number.NaN;
    this.prevLow = Number.NaN;
    this.prevClose = Number.NaN;
  }
}
