import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, RecordHlcvIndicator, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { RollingMax, RollingMin } from '../hlcv-shared/rolling-extreme.js';

export interface AroonResult {
  down: number;
  up: number;
  /** up - down, computed as TA-Lib's AROONOSC does (100 / period * (bars since low - bars since high)). */
  oscillator: number;
}

/**
 * Aroon, as TA-Lib's AROON and AROONOSC: over the last period + 1 bars, up = 100 / period * (period - bars
 * since the highest high) and down likewise for the lowest low. On ties the newest bar counts, as in
 * TA-Lib. Lookback `period`.
 */
export class Aroon extends RecordHlcvIndicator<Ohlcv, AroonResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly highs: RollingMax;
  private readonly lows: RollingMin;
  private readonly factor: number;

  constructor(readonly period = 14) {
    super({ down: Number.NaN, up: Number.NaN, oscillator: Number.NaN });
    checkPeriod('AROON', 'period', period);
    this.highs = new RollingMax(period + 1);
    this.lows = new RollingMin(period + 1);
    this.factor = 100 / period;
    this.name = `AROON(${period})`;
    this.lookback = period;
  }

  update(bar: Ohlcv): Readonly<AroonResult> | null {
    const highs = this.highs;
    const lows = this.lows;
    highs.push(bar.high);
    lows.push(bar.low);
    if (highs.count <= this.period) return null;
    const p = this.period;
    const f = this.factor;
    const sinceHigh = highs.age;
    const sinceLow = lows.age;
    const out = this.out;
    out.up = f * (p - sinceHigh);
    out.down = f * (p - sinceLow);
    out.oscillator = f * (sinceLow - sinceHigh);
    this.ready = true;
    return out;
  }

  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
    this.out.down = this.out.up = this.out.oscillator = Number.NaN;
  }
}

/** The Aroon oscillator alone (up - down, TA-Lib's AROONOSC). Lookback `period`. */
export class AroonOsc extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly aroon: Aroon;

  constructor(readonly period = 14) {
    super();
    this.aroon = new Aroon(period);
    this.name = `AROONOSC(${period})`;
    this.lookback = this.aroon.lookback;
  }

  step(bar: Ohlcv): boolean {
    const r = this.aroon.update(bar);
    if (r === null) return false;
    this.value = r.oscillator;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.aroon.reset();
  }
}

export interface AroonColumns {
  readonly down: Float64Array;
  readonly up: Float64Array;
  readonly oscillator: Float64Array;
}

/** Aroon over columns; NaN for the first `period` bars. */
export function aroon(high: Float64Array, low: Float64Array, period = 14): AroonColumns {
  const n = columnLength('AROON', high, low);
  const ind = new Aroon(period);
  const bar = scratchBar();
  const cols = { down: nanArray(n), up: nanArray(n), oscillator: nanArray(n) };
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    const r = ind.update(bar);
    if (r === null) continue;
    cols.down[i] = r.down;
    cols.up[i] = r.up;
    cols.oscillator[i] = r.oscillator;
  }
  return cols;
}
