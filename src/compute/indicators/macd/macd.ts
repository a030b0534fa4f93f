import { RecordIndicator, checkPeriod } from '../base.js';
import { EmaState } from '../ema/ema.js';

export interface MacdResult {
  macd: number;
  signal: number;
  histogram: number;
}

/**
 * MACD as TA-Lib computes it by default (lookback slow - 1 + signal - 1): both EMAs produce their first value
 * on the same input (index slow - 1), so the fast EMA ignores the first slow - fast inputs and is seeded with
 * the SMA of the `fast` inputs ending there; the signal is an SMA-seeded EMA of the MACD line;
 * histogram = macd - signal. Like TA-Lib, swaps fast and slow when slow < fast.
 */
export class MACD extends RecordIndicator<number, MacdResult> {
  readonly name: string;
  readonly lookback: number;
  readonly fast: number;
  readonly slow: number;
  private readonly fastEma: EmaState;
  private readonly slowEma: EmaState;
  private readonly signalEma: EmaState;
  private skip: number;

  constructor(fast: number, slow: number, readonly signal: number) {
    super({ macd: Number.NaN, signal: Number.NaN, histogram: Number.NaN });
    checkPeriod('MACD', 'fast', fast);
    checkPeriod('MACD', 'slow', slow);
    // TA-Lib accepts signal 1 but then returns misaligned, partly uninitialised output: not a reference to follow.
    checkPeriod('MACD', 'signal', signal);
    this.fast = Math.min(fast, slow);
    this.slow = Math.max(fast, slow);
    this.name = `MACD(${fast},${slow},${signal})`;
    this.lookback = this.slow - 1 + (signal - 1);
    this.fastEma = new EmaState(this.fast);
    this.slowEma = new EmaState(this.slow);
    this.signalEma = new EmaState(signal);
    this.skip = this.slow - this.fast;
  }

  update(x: number): Readonly<MacdResult> | null {
    this.slowEma.push(x);
    if (this.skip > 0) {
      this.skip--;
      return null;
    }
    if (!this.fastEma.push(x) || !this.slowEma.ready) return null;
    const macd = this.fastEma.value - this.slowEma.value;
    if (!this.signalEma.push(macd)) return null;
    const out = this.out;
    out.macd = macd;
    out.signal = this.signalEma.value;
    out.histogram = macd - out.signal;
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.fastEma.clear();
    this.slowEma.clear();
    this.signalEma.clear();
    this.skip = this.slow - this.fast;
    this.out.macd = this.out.signal = this.out.histogram = Number.NaN;
  }
}

export interface MacdBatch {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

/** MACD over a whole series; NaN for the first slow - 1 + signal - 1 positions. */
export function macdBatch(input: Float64Array, fast: number, slow: number, signal: number): MacdBatch {
  const ind = new MACD(fast, slow, signal);
  const n = input.length;
  const res = { macd: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = ind.update(input[i]);
    res.macd[i] = r === null ? Number.NaN : r.macd;
    res.signal[i] = r === null ? Number.NaN : r.signal;
    res.histogram[i] = r === null ? Number.NaN : r.histogram;
  }
  return res;
}
