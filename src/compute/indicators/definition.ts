import type { Ohlcv } from './indicator.js';

/**
 * How the command line, the feature engine and the benchmarks find an indicator by its lower-case name
 * (`rsi`, `macd`, `bbands`, ...) and name its output columns (`rsi_14`, `macd_signal_12_26_9`).
 */
export interface IndicatorDefinition {
  /** Lower-case name used in specs: `rsi(14)`. */
  readonly name: string;
  /** One-line description for help text and docs. */
  readonly description: string;
  /** Parameter names in order and their defaults, e.g. [['period', 14]]. */
  readonly params: readonly (readonly [string, number])[];
  /** Output keys in order; a single-output indicator has one key equal to `name`. */
  readonly outputs: readonly string[];
  /** Creates a streaming instance that takes one bar at a time. */
  create(params: readonly number[]): BarIndicator;
}

/** A streaming indicator adapted to bar input, writing its outputs (NaN while warming up) into `out`. */
export interface BarIndicator {
  readonly lookback: number;
  /** Updates with one bar; writes one value per output into `out` starting at `offset`. Returns true once ready. */
  update(bar: Ohlcv, out: Float64Array, offset: number): boolean;
  reset(): void;
}
