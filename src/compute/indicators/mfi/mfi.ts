import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';

/**
 * Money flow index, as TA-Lib's MFI: the typical price (high + low + close) / 3 times volume is positive
 * money flow when the typical price rose from the previous bar, negative when it fell, neither when it is
 * unchanged; MFI = 100 * positive / (positive + negative) over the last `period` flows. As in TA-Lib, it is 0
 * when the two sums together are below 1 (a flat or volumeless window). Lookback `period`.
 * The sums are kept as TA-Lib keeps them (add the new flow, subtract the one leaving), so they drift alike.
 */
export class Mfi extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly positive: Float64Array;
  private readonly negative: Float64Array;
  private slot = 0;
  private count = 0;
  private prevTp = Number.NaN;
  private posSum = 0;
  private negSum = 0;

  constructor(readonly period = 14) {
    super();
    checkPeriod('MFI', 'period', period);
    this.positive = new Float64Array(period);
    this.negative = new Float64Array(period);
    this.name = `MFI(${period})`;
    this.lookback = period;
  }

  step(bar: Ohlcv): boolean {
    const n = this.count++;
    const tp = (bar.high + bar.low + bar.close) / 3;
    if (n === 0) {
      this.prevTp = tp;
      return false;
    }
    const p = this.period;
    const slot = this.slot;
    if (n > p) {
      this.posSum -= this.positive[slot];
      this.negSum -= this.negative[slot];
    }
    const change = tp - this.prevTp;
    this.prevTp = tp;
    const flow = tp * bar.volume;
    if (change < 0) {
      this.negative[slot] = flow;
      this.negSum += flow;
      this.positive[slot] = 0;
    } else if (change > 0) {
      this.positive[slot] = flow;
      this.posSum += flow;
      this.negative[slot] = 0;
    } else {
      this.positive[slot] = 0;
      this.negative[slot] = 0;
    }
    this.slot = slot + 1 === p ? 0 : slot + 1;
    if (n < p) return false;
    const total = this.posSum + this.negSum;
    this.value = total < 1 ? 0 : 100 * (this.posSum / total);
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.positive.fill(0);
    this.negative.fill(0);
    this.slot = 0;
    this.count = 0;
    this.prevTp = Number.NaN;
    this.posSum = 0;
    this.negSum = 0;
  }
}

/** MFI over columns; NaN for the first `period` bars. */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, period = 14): Float64Array {
  const n = columnLength('MFI', high, low, close, volume);
  const ind = new Mfi(period);
  const bar = scratchBar();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    bar.volume = volume[i];
    const v = ind.update(bar);
    if (v !== null) out[i] = v;
  }
  return out;
}
