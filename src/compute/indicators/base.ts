/**
 * Shared plumbing for streaming indicators: the null-until-ready result, `resultOrThrow` and parameter checks.
 * Subclasses keep their state in fields and ring buffers and set `value`/`ready` in `push`.
 */
import { TradewindError } from '../../core/errors.js';
import type { StreamingIndicator } from './indicator.js';
import { NotWarmedUpError } from './indicator.js';

/** An indicator parameter outside the range TA-Lib accepts, or the wrong number of parameters. */
export class IndicatorParameterError extends TradewindError {}

/** Parameter values completed with the definition's defaults; more values than parameters is an error. */
export function resolveParams(name: string, params: readonly (readonly [string, number])[], values: readonly number[]): number[] {
  if (values.length > params.length) {
    throw new IndicatorParameterError(`${name} takes at most ${params.length} parameters (${params.map(([p]) => p).join(', ') || 'none'}), got ${values.length}`);
  }
  return params.map(([, d], i) => (i < values.length ? values[i] : d));
}

/** Checks an integer period against TA-Lib's accepted range (most periods start at 2). */
export function checkPeriod(indicator: string, param: string, value: number, min = 2, max = 100_000): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new IndicatorParameterError(`${indicator}: ${param} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Checks a real-valued parameter (a multiplier) for finiteness and range. */
export function checkReal(indicator: string, param: string, value: number, min = -3e37, max = 3e37): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new IndicatorParameterError(`${indicator}: ${param} must be a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** A streaming indicator with one number out. */
export abstract class ScalarIndicator implements StreamingIndicator<number, number> {
  abstract readonly name: string;
  abstract readonly lookback: number;
  protected value = Number.NaN;
  protected ready = false;

  /**
   * Updates with one input and says whether a value is ready (then in `result`). Hot loops and adapters use this:
   * a boolean return never allocates, while a double returned from a call that is not inlined is boxed.
   */
  abstract push(input: number): boolean;

  update(input: number): number | null {
    return this.push(input) ? this.value : null;
  }

  /** The latest value, NaN while warming up (no null check, no allocation). */
  get current(): number {
    return this.value;
  }

  get result(): number | null {
    return this.ready ? this.value : null;
  }

  get isReady(): boolean {
    return this.ready;
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

/**
 * A streaming indicator with several numbers out. The result record is one object, updated in place on each
 * update so that updating allocates nothing: copy it if you keep it past the next update.
 */
export abstract class RecordIndicator<TIn, TOut extends object> implements StreamingIndicator<TIn, Readonly<TOut>> {
  abstract readonly name: string;
  abstract readonly lookback: number;
  protected ready = false;

  constructor(protected readonly out: TOut) {}

  abstract update(input: TIn): Readonly<TOut> | null;

  get result(): Readonly<TOut> | null {
    return this.ready ? this.out : null;
  }

  get isReady(): boolean {
    return this.ready;
  }

  resultOrThrow(): Readonly<TOut> {
    if (!this.ready) throw new NotWarmedUpError(this.name);
    return this.out;
  }

  reset(): void {
    this.ready = false;
    this.clear();
  }

  protected abstract clear(): void;
}

/**
 * Runs a scalar streaming indicator over a whole series: NaN while it warms up. Batch functions whose
 * arithmetic is the streaming one (the composites) use this instead of repeating the recurrence.
 */
export function runBatch(indicator: ScalarIndicator, input: Float64Array): Float64Array {
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    out[i] = indicator.push(input[i]) ? indicator.current : Number.NaN;
  }
  return out;
}
