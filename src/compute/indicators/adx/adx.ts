import type { Ohlcv } from '../indicator.js';
import { checkPeriod, columnLength, nanArray, RecordHlcvIndicator, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';
import { taIsZero } from '../hlcv-shared/true-range.js';
import { DirectionalMovement } from './directional-movement.js';

export interface AdxResult {
  adx: number;
  plusDi: number;
  minusDi: number;
}

/** 100 * dm / tr, or 0 when TA-Lib treats the smoothed true range as zero (a flat market). */
function di(dm: number, tr: number): number {
  return taIsZero(tr) ? 0 : 100 * (dm / tr);
}

/**
 * Average directional index with +DI and -DI, as TA-Lib's ADX, PLUS_DI and MINUS_DI (period >= 2).
 * DX = 100 * |+DI - -DI| / (+DI + -DI) over bars period..2*period-1 is averaged into the first ADX (bar
 * 2*period-1, the lookback); after that ADX = (ADX * (period - 1) + DX) / period. As in TA-Lib, a bar whose
 * smoothed true range or DI sum is zero (|x| < 1e-14) adds no DX and leaves the ADX unchanged; the DI lines
 * are 0 on such bars, as TA-Lib's PLUS_DI and MINUS_DI are.
 */
export class Adx extends RecordHlcvIndicator<Ohlcv, AdxResult> {
  readonly name: string;
  readonly lookback: number;
  private readonly dm: DirectionalMovement;
  private sumDx = 0;

  constructor(readonly period = 14) {
    super({ adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN });
    checkPeriod('ADX', 'period', period);
    this.dm = new DirectionalMovement(period);
    this.name = `ADX(${period})`;
    this.lookback = 2 * period - 1;
  }

  update(bar: Ohlcv): Readonly<AdxResult> | null {
    const dm = this.dm;
    dm.update(bar.high, bar.low, bar.close);
    if (!dm.smoothed) return null;
    const p = this.period;
    const tr = dm.tr;
    let dx = Number.NaN;
    if (!taIsZero(tr)) {
      const minusDi = 100 * (dm.minusDm / tr);
      const plusDi = 100 * (dm.plusDm / tr);
      const sum = minusDi + plusDi;
      if (!taIsZero(sum)) dx = 100 * (Math.abs(minusDi - plusDi) / sum);
    }
    const out = this.out;
    if (this.ready) {
      if (!Number.isNaN(dx)) out.adx = (out.adx * (p - 1) + dx) / p;
    } else {
      if (!Number.isNaN(dx)) this.sumDx += dx;
      if (dm.count - 1 < this.lookback) return null;
      out.adx = this.sumDx / p;
      this.ready = true;
    }
    out.plusDi = di(dm.plusDm, tr);
    out.minusDi = di(dm.minusDm, tr);
    return out;
  }

  protected clear(): void {
    this.dm.clear();
    this.sumDx = 0;
    this.out.adx = this.out.plusDi = this.out.minusDi = Number.NaN;
  }
}

/** +DI or -DI alone, ready from bar `period` (TA-Lib's PLUS_DI / MINUS_DI lookback) rather than ADX's. */
abstract class DirectionalIndicator extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  protected readonly dm: DirectionalMovement;

  constructor(label: string, readonly period: number) {
    super();
    // TA-Lib accepts period 1 for PLUS_DI/MINUS_DI but then returns DM/TR without the factor 100.
    checkPeriod(label, 'period', period);
    this.dm = new DirectionalMovement(period);
    this.name = `${label}(${period})`;
    this.lookback = period;
  }

  step(bar: Ohlcv): boolean {
    const dm = this.dm;
    dm.update(bar.high, bar.low, bar.close);
    if (!dm.smoothed) return false;
    this.value = di(this.movement(), dm.tr);
    this.ready = true;
    return true;
  }

  protected abstract movement(): number;

  protected clear(): void {
    this.dm.clear();
  }
}

export class PlusDi extends DirectionalIndicator {
  constructor(period = 14) {
    super('PLUS_DI', period);
  }

  protected movement(): number {
    return this.dm.plusDm;
  }
}

export class MinusDi extends DirectionalIndicator {
  constructor(period = 14) {
    super('MINUS_DI', period);
  }

  protected movement(): number {
    return this.dm.minusDm;
  }
}

/**
 * Directional movement index DX = 100 * |+DI - -DI| / (+DI + -DI), as TA-Lib's DX (period >= 2, lookback
 * `period`). Where TA-Lib's zero guards fire (smoothed true range or DI sum below 1e-14) the first value is 0
 * and later ones repeat the previous value, as TA-Lib does.
 */
export class Dx extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly dm: DirectionalMovement;

  constructor(readonly period = 14) {
    super();
    checkPeriod('DX', 'period', period);
    this.dm = new DirectionalMovement(period);
    this.name = `DX(${period})`;
    this.lookback = period;
  }

  step(bar: Ohlcv): boolean {
    const dm = this.dm;
    dm.update(bar.high, bar.low, bar.close);
    if (!dm.smoothed) return false;
    const tr = dm.tr;
    let dx = Number.NaN;
    if (!taIsZero(tr)) {
      const minusDi = 100 * (dm.minusDm / tr);
      const plusDi = 100 * (dm.plusDm / tr);
      const sum = minusDi + plusDi;
      if (!taIsZero(sum)) dx = 100 * (Math.abs(minusDi - plusDi) / sum);
    }
    if (!Number.isNaN(dx)) this.value = dx;
    else if (!this.ready) this.value = 0;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.dm.clear();
  }
}

/**
 * Average directional movement rating, as TA-Lib's ADXR: (ADX + the ADX of period - 1 bars ago) / 2.
 * Lookback 3 * period - 2.
 */
export class Adxr extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback: number;
  private readonly adx: Adx;
  private readonly history: Float64Array;
  private slot = 0;
  private count = 0;

  constructor(readonly period = 14) {
    super();
    // Checked here so that the error names ADXR rather than the inner ADX.
    checkPeriod('ADXR', 'period', period);
    this.adx = new Adx(period);
    this.history = new Float64Array(period);
    this.name = `ADXR(${period})`;
    this.lookback = this.adx.lookback + period - 1;
  }

  step(bar: Ohlcv): boolean {
    const r = this.adx.update(bar);
    if (r === null) return false;
    const p = this.period;
    const h = this.history;
    const slot = this.slot;
    h[slot] = r.adx;
    this.slot = slot + 1 === p ? 0 : slot + 1;
    if (++this.count < p) return false;
    // The next slot to write holds the ADX of period - 1 bars ago.
    this.value = (r.adx + h[this.slot]) / 2;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.adx.reset();
    this.history.fill(0);
    this.slot = 0;
    this.count = 0;
  }
}

export interface AdxColumns {
  readonly adx: Float64Array;
  /** +DI from bar `period` on (NaN before), as TA-Lib's PLUS_DI. */
  readonly plusDi: Float64Array;
  readonly minusDi: Float64Array;
}

/** ADX, +DI and -DI over columns, each NaN before its own TA-Lib lookback (2*period-1 for ADX, period for the DIs). */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): AdxColumns {
  const n = columnLength('ADX', high, low, close);
  const ind = new Adx(period);
  const plus = new PlusDi(period);
  const minus = new MinusDi(period);
  const bar = scratchBar();
  const cols = { adx: nanArray(n), plusDi: nanArray(n), minusDi: nanArray(n) };
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    const r = ind.update(bar);
    if (r !== null) cols.adx[i] = r.adx;
    const p = plus.update(bar);
    if (p !== null) cols.plusDi[i] = p;
    const m = minus.update(bar);
    if (m !== null) cols.minusDi[i] = m;
  }
  return cols;
}

/** Drives a scalar high/low/close indicator over columns; NaN until it is ready. */
function runHlc(ind: ScalarHlcvIndicator<Ohlcv>, high: Float64Array, low: Float64Array, close: Float64Array, n: number): Float64Array {
  const bar = scratchBar();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    if (ind.step(bar)) out[i] = ind.current;
  }
  return out;
}

/** DX over columns; NaN for the first `period` bars, as TA-Lib's DX. */
export function dx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('DX', high, low, close);
  return runHlc(new Dx(period), high, low, close, n);
}

/** ADXR over columns; NaN for the first 3 * period - 2 bars, as TA-Lib's ADXR. */
export function adxr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = columnLength('ADXR', high, low, close);
  return runHlc(new Adxr(period), high, low, close, n);
}
