import { TradewindError } from '../../../core/errors.js';
import { MICROS_PER_DAY } from '../../../core/time.js';
import type { Ohlcv } from '../indicator.js';
import { columnLength, IndicatorParameterError, nanArray, ScalarHlcvIndicator, scratchBar } from '../hlcv-shared/base.js';

/** A bar that carries its open time, as the core `Bar` does (`tsOpen`, integer microseconds since the epoch). */
export interface TimedOhlcv extends Ohlcv {
  readonly tsOpen: number;
}

/** VWAP was given a bar without a time: neither a `tsMicros` argument nor a numeric `tsOpen` field. */
export class MissingBarTimeError extends TradewindError {}

/** A bar's time is earlier than the previous bar's: the stream is out of order, and sessions would mix. */
export class BarTimeOrderError extends TradewindError {}

export interface VwapOptions {
  /** Session length in microseconds; default one day. */
  readonly sessionMicros?: number;
  /**
   * Any instant at which a session starts, in microseconds since the epoch; default 0, so sessions start at
   * midnight UTC. Sessions are [anchor + k * length, anchor + (k + 1) * length) for every integer k, e.g.
   * an anchor of 13:30 UTC on any day with a one-day length restarts at each US equity open.
   */
  readonly anchorMicros?: number;
}

/**
 * Session-anchored volume-weighted average price of the typical price (high + low + close) / 3:
 * sum(tp * volume) / sum(volume) over the bars of the current session, the session of a bar being the one
 * that contains its open time. Lookback 0. While the session has seen no volume, the value is the latest
 * bar's typical price. TA-Lib has no VWAP.
 *
 * Bars need their time: `update(bar, tsMicros)`, or `update(bar)` with a bar that has `tsOpen` (as core
 * `Bar` and `TimedOhlcv` do). A missing time throws MissingBarTimeError; a time earlier than the previous
 * bar's throws BarTimeOrderError.
 */
export class Vwap extends ScalarHlcvIndicator<Ohlcv> {
  readonly name: string;
  readonly lookback = 0;
  readonly sessionMicros: number;
  readonly anchorMicros: number;
  /** First instant after the current session; a bar at or past it starts a new one. */
  private sessionEnd = Number.NEGATIVE_INFINITY;
  private lastTs = Number.NEGATIVE_INFINITY;
  private sumPv = 0;
  private sumV = 0;

  constructor(options: VwapOptions = {}) {
    super();
    this.sessionMicros = options.sessionMicros ?? MICROS_PER_DAY;
    this.anchorMicros = options.anchorMicros ?? 0;
    if (!Number.isSafeInteger(this.sessionMicros) || this.sessionMicros <= 0) {
      throw new IndicatorParameterError(`VWAP: session length must be a positive whole number of microseconds, got ${this.sessionMicros}`);
    }
    if (!Number.isSafeInteger(this.anchorMicros)) {
      throw new IndicatorParameterError(`VWAP: session anchor must be a whole number of microseconds, got ${this.anchorMicros}`);
    }
    this.name = `VWAP(${this.sessionMicros},${this.anchorMicros})`;
  }

  override update(bar: Ohlcv, tsMicros?: number): number | null {
    return this.step(bar, tsMicros) ? this.value : null;
  }

  /** As `update`, returning readiness (always true) and leaving the value in `current`. */
  step(bar: Ohlcv, tsMicros?: number): boolean {
    const ts = tsMicros ?? (bar as Partial<TimedOhlcv>).tsOpen;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new MissingBarTimeError(`${this.name}: the bar has no time; pass update(bar, tsMicros) or a bar with a numeric tsOpen`);
    }
    if (ts < this.lastTs) throw new BarTimeOrderError(`${this.name}: bar time ${ts} is before the previous bar's ${this.lastTs}`);
    this.lastTs = ts;
    // Times only move forward, so one comparison finds a new session; the division runs once per session.
    if (ts >= this.sessionEnd) {
      const length = this.sessionMicros;
      const index = Math.floor((ts - this.anchorMicros) / length);
      this.sessionEnd = this.anchorMicros + (index + 1) * length;
      this.sumPv = 0;
      this.sumV = 0;
    }
    const tp = (bar.high + bar.low + bar.close) / 3;
    const v = bar.volume;
    this.sumPv += tp * v;
    this.sumV += v;
    this.value = this.sumV > 0 ? this.sumPv / this.sumV : tp;
    this.ready = true;
    return true;
  }

  protected clear(): void {
    this.sessionEnd = Number.NEGATIVE_INFINITY;
    this.lastTs = Number.NEGATIVE_INFINITY;
    this.sumPv = 0;
    this.sumV = 0;
  }
}

/** VWAP over columns with each bar's open time in microseconds (no warm-up). */
export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  tsMicros: Float64Array,
  options: VwapOptions = {},
): Float64Array {
  const n = columnLength('VWAP', high, low, close, volume, tsMicros);
  const ind = new Vwap(options);
  const bar = scratchBar();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    bar.volume = volume[i];
    out[i] = ind.update(bar, tsMicros[i]) as number;
  }
  return out;
}

