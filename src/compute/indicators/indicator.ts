/**
 * The streaming indicator contract. Every indicator:
 * - does O(1) work and allocates nothing per update (running sums in ring buffers, no array shifting);
 * - returns `null` from `result` until it has seen enough input (its warm-up), the same number of inputs
 *   that TA-Lib's lookback skips, so that streaming outputs line up with TA-Lib's batch outputs;
 * - can be `reset()` to its initial state and reused.
 * Indicators compute in float64 (DESIGN.md: money is exact, features are floats).
 */

/** One bar's worth of input for indicators that need more than a single price. */
export interface Ohlcv {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Thrown by `resultOrThrow()` when the indicator has not seen enough input yet. */
export class NotWarmedUpError extends Error {
  constructor(readonly indicator: string) {
    super(`${indicator} is not warmed up yet`);
    this.name = 'NotWarmedUpError';
  }
}

/** Common surface of every streaming indicator; `T` is a number or a readonly record of numbers. */
export interface StreamingIndicator<TInput, TResult> {
  /** Short display name, e.g. `EMA(20)`. */
  readonly name: string;
  /** Number of inputs consumed before the first result (TA-Lib's lookback). */
  readonly lookback: number;
  update(input: TInput): TResult | null;
  /** The latest result, or null while warming up. */
  readonly result: TResult | null;
  readonly isReady: boolean;
  resultOrThrow(): TResult;
  reset(): void;
}
