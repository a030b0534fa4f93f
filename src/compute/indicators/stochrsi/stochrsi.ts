import { Float64Ring } from '../../util/ring-buffer.js';
import { RecordIndicator, checkPeriod } from '../base.js';
import { RSI } from '../rsi/rsi.js';

export interface StochRsiResult {
  fastK: number;
  fastD: number;
}

/**
 * Stochastic RSI as TA-Lib STOCHRSI with its default SMA for fast %D (lookback period + fastK - 1 + fastD - 1):
 * fast %K = (rsi - lowest rsi) / ((highest - lowest) / 100) over the last `fastK` RSI values (0 when the range is
 * 0), fast %D = SMA(fastD) of %K. The window extremes come from monotonic deques: amortised O(1), no allocation.
 */
export class StochRSI extends RecordIndicator<number, StochRsiResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly rsi: RSI;
  private readonly dWindow: Float64Ring | null;
  private dSum = 0;
  // Monotonic deques over RSI values, as circular buffers of (value, sequence number).
  private readonly minVal: Float64Array;
  private readonly minSeq: Float64Array;
  private readonly maxVal: Float64Array;
  private readonly maxSeq: Float64Array;
  private minHead = 0;
  private minLen = 0;
  private maxHead = 0;
  private maxLen = 0;
  private seq = 0;

  constructor(
    readonly period: number,
    readonly fastK: number,
    readonly fastD: number,
  ) {
    super({ fastK: Number.NaN, fastD: Number.NaN });
    checkPeriod('STOCHRSI', 'period', period);
    checkPeriod('STOCHRSI', 'fastK', fastK, 1);
    checkPeriod('STOCHRSI', 'fastD', fastD, 1);
    this.name = `STOCHRSI(${period},${fastK},${fastD})`;
    this.lookback = period + fastK - 1 + fastD - 1;
    this.rsi = new RSI(period);
    this.dWindow = fastD > 1 ? new Float64Ring(fastD - 1) : null;
    this.minVal = new Float64Array(fastK);
    this.minSeq = new Float64Array(fastK);
    this.maxVal = new Float64Array(fastK);
    this.maxSeq = new Float64Array(fastK);
  }

  update(x: number): Readonly<StochRsiResult> | null {
    if (!this.rsi.push(x)) return null;
    const r = this.rsi.current;
    const cap = this.fastK;
    const seq = this.seq++;
    const expired = seq - cap; // sequence numbers <= expired are outside the window
    // Lowest: drop expired from the front, larger-or-equal values from the back.
    if (this.minLen > 0 && this.minSeq[this.minHead] <= expired) {
      this.minHead = this.minHead + 1 === cap ? 0 : this.minHead + 1;
      this.minLen--;
    }
    while (this.minLen > 0) {
      const back = (this.minHead + this.minLen - 1) % cap;
      if (this.minVal[back] < r) break;
      this.minLen--;
    }
    let slot = (this.minHead + this.minLen) % cap;
    this.minVal[slot] = r;
    this.minSeq[slot] = seq;
    this.minLen++;
    if (this.maxLen > 0 && this.maxSeq[this.maxHead] <= expired) {
      this.maxHead = this.maxHead + 1 === cap ? 0 : this.maxHead + 1;
      this.maxLen--;
    }
    while (this.maxLen > 0) {
      const back = (this.maxHead + this.maxLen - 1) % cap;
      if (this.maxVal[back] > r) break;
      this.maxLen--;
    }
    slot = (this.maxHead + this.maxLen) % cap;
    this.maxVal[slot] = r;
    this.maxSeq[slot] = seq;
    this.maxLen++;

    if (seq < cap - 1) return null;
    const lowest = this.minVal[this.minHead];
    const highest = this.maxVal[this.maxHead];
    const diff = (highest - lowest) / 100.0;
    const k = diff !== 0.0 ? (r - lowest) / diff : 0.0;

    // Fast %D: TA-Lib's SMA order (add, divide, drop the oldest); period 1 is the %K itself.
    let d: number;
    const dw = this.dWindow;
    if (dw === null) {
      d = k;
    } else {
      this.dSum += k;
      if (!dw.isFull) {
        dw.push(k);
        return null;
      }
      d = this.dSum / this.fastD;
      this.dSum -= dw.push(k);
    }
    const out = this.out;
    out.fastK = k;
    out.fastD = d;
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.rsi.reset();
    this.dWindow?.clear();
    this.dSum = 0;
    this.minHead = this.minLen = this.maxHead = this.maxLen = 0;
    this.seq = 0;
    this.out.fastK = this.out.fastD = Number.NaN;
  }
}

export interface StochRsiBatch {
  readonly fastK: Float64Array;
  readonly fastD: Float64Array;
}

/** STOCHRSI over a whole series; NaN for the first period + fastK - 1 + fastD - 1 positions. */
export function stochRsiBatch(input: Float64Array, period: number, fastK: number, fastD: number): StochRsiBatch {
  const ind = new StochRSI(period, fastK, fastD);
  const n = input.length;
  const res = { fastK: new Float64Array(n), fastD: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = ind.update(input[i]);
    res.fastK[i] = r === null ? Number.NaN : r.fastK;
    res.fastD[i] = r === null ? Number.NaN : r.fastD;
  }
  return res;
}
