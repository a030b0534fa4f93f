/**
 * Plumbing shared by the high/low/close/volume indicators: the null-until-ready result and `resultOrThrow`
 * for any input type (the shared base in ../base.ts takes numbers only), and helpers for batch functions.
 */
import type { StreamingIndicator } from '../indicator.js';
import { NotWarmedUpError } from '../indicator.js';
import { IndicatorParameterError } from '../base.js';

// One parameter error and one range check for every indicator, so the CLI reports them alike.
export { checkPeriod, checkReal, IndicatorParameterError } from '../base.js';

/**
 * A streaming indicator with one number out. Subclasses implement `step`, which takes one input, sets
 * `value` and `ready`, and returns readiness; `update` wraps it in the contract's `number | null`. Callers on
 * a hot path (the catalog's bar adapters) call `step` and read `current`: a double returned from a call that
 * V8 does not inline is boxed on the heap, a boolean is not.
 */
export abstract class ScalarHlcvIndicator<TIn> implements StreamingIndicator<TIn, number> {
  abstract readonly name: string;
  abstract readonly lookback: number;
  protected value = Number.NaN;
  protected ready = false;

  update(input: TIn): number | null {
    return this.step(input) ? this.value : null;
  }

  abstract step(input: TIn): boolean;

  get result(): number | null {
    return this.ready ? this.value : null;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The latest value without the null check (NaN until ready), to read after `step`. */
  get current(): number {
    return this.value;
  }

  resultOrThrow(): number {
    if (!this.ready) throw new NotWarmedUpError(this.name);
    return this.value;
  }

  reset(): void {
    this.value = Number.NaN;
    this.ready = false;
    this.clear();
  }

  /** Clears the subclass's own state. */
  protected abstract clear(): void;
}

/** Several numbers out, one record updated in place: the same class the price indicators use. */
export { RecordIndicator as RecordHlcvIndicator } from '../base.js';

/** One reusable bar for batch functions, so that driving a streaming indicator over columns allocates nothing per bar. */
export interface MutableOhlcv {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function scratchBar(): MutableOhlcv {
  return { open: 0, high: 0, low: 0, close: 0, volume: 0 };
}

/** Checks that batch input columns have one length and returns it. */
export function columnLength(indicator: string, ...columns: readonly Float64Array[]): number {
  const n = columns[0].length;
  for (const c of columns) {
    if (c.length !== n) throw new IndicatorParameterError(`${indicator}: input columns differ in length (${n} vs ${c.length})`);
  }
  return n;
}

/** A Float64Array of `n` NaN: the warm-up of a batch output. */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}
