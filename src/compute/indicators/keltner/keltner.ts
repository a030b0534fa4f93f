import type { Ohlcv } from '../indicator.js';
import { Atr } from '../atr/atr.js';
import { checkPeriod, checkReal, columnLength, nanArray, RecordHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';

export interface KeltnerResult {
  upper: number;
  /** EMA of the close. */
  middle: number;
  lower: number;
}

/**
 * Keltner channel in its common modern form (StockCharts, TradingView's default): middle = EMA(period) of
 * the close, upper/lower = middle ± multiplier × ATR(atrPeriod); defaults EMA(20), 2 × ATR(10). The EMA is
 * TA-Lib's (seeded with the simple mean of the first `period` closes, then k = 2 / (period + 1)) and the ATR
 * TA-Lib's Wilder ATR, so each band equals TA-Lib's EMA ± multiplier × ATR. TA-Lib has no Keltner function.
 * Lookback max(period - 1, atrPeriod).
 */
export class Keltner extends RecordHlcvIndicator<Ohlcv, KeltnerResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly atr: Atr;
  private readonly k: number;
  private count = 0;
  private ema = 0;

  constructor(
    readonly period = 20,
    readonly multiplier = 2,
    readonly atrPeriod = 10,
  ) {
    super({ upper: Number.NaN, middle: Number.NaN, lower: Number.NaN });
    checkPeriod('KELTNER', 'period', period);
    checkReal('KELTNER', 'multiplier', multiplier, 0, 1e6);
    checkPeriod('KELTNER', 'ATR period', atrPeriod, 1);
    this.atr = new Atr(atrPeriod);
    this.k = 2 / (period + 1);
    this.name = `KELTNER(${period},${multiplier},${atrPeriod})`;
    this.lookback = Math.max(period - 1, atrPeriod);
  }

  update(bar: Ohlcv): Readonly<KeltnerResult> | null {
    const n = this.count++;
    const p = this.period;
    const c = bar.close;
    if (n < p - 1) this.ema += c;
    else if (n === p - 1) this.ema = (this.ema + c) / p;
    else this.ema = (c - this.ema) * this.k + this.ema;
    const atr = this.atr;
    if (!atr.step(bar) || n < p - 1) return null;
    const out = this.out;
    const width = this.multiplier * atr.current;
    out.middle = this.ema;
    out.upper = this.ema + width;
    out.lower = this.ema - width;
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.atr.reset();
    this.count = 0;
    this.ema = 0;
    this.out.upper = this.out.middle = this.out.lower = Number.NaN;
  }
}

export interface KeltnerColumns {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/** Keltner channel over columns; NaN for the first max(period - 1, atrPeriod) bars. */
export function keltner(high: Float64Array, low: Float64Array, close: Float64Array, period = 20, multiplier = 2, atrPeriod = 10): KeltnerColumns {
  const n = columnLength('KELTNER', high, low, close);
  const ind = new Keltner(period, multiplier, atrPeriod);
  const bar = scratchBar();
  const cols = { upper: nanArray(n), middle: nanArray(n), lower: nanArray(n) };
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    const r = ind.update(bar);
    if (r === null) continue;
    cols.upper[i] = r.upper;
    cols.middle[i] = r.middle;
    cols.lower[i] = r.lower;
  }
  return cols;
}
