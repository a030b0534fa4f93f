/**
 * TA-Lib (the reference, through the `talib` 1.1.6 binding) for tests and evaluations, never for production.
 *
 * API
 * - `talib(name, inputs, options)`: runs TA-Lib function `name` (e.g. 'EMA', 'MACD') over the whole series and
 *   returns each output (keyed by TA-Lib's output name: outReal, outMACD, outMACDSignal, ...) as a
 *   Float64Array of the input's length, NaN before TA-Lib's `begIndex`, so it lines up with a streaming run.
 *   `inputs` holds `inReal` or `open/high/low/close/volume` columns; `options` the optIn* values
 *   (`{ optInTimePeriod: 14 }`). The result also carries `begIndex` (TA-Lib's lookback).
 * - `streamColumns(indicator, inputs, pick)`: runs a streaming indicator over `inputs` and returns one
 *   Float64Array per picked output, NaN while `update` returns null.
 * - `compareSeries(actual, expected, tolerance)`: how two aligned columns agree: positions where exactly one
 *   is NaN (a warm-up mismatch), the largest relative and absolute error, the first failing index.
 * - `expectMatchesTalib(actual, expected, label, tolerance)`: throws an Error describing the first difference
 *   when `compareSeries` fails. A value passes when |a - e| <= rel * |e| or |a - e| <= abs (defaults 1e-9).
 * - `expectStreamingMatchesTalib({ label, indicator, inputs, talibName, talibInputs, talibOptions, outputs })`:
 *   the whole check for one indicator and parameter set: the indicator's `lookback` equals TA-Lib's begIndex,
 *   and each `outputs[talibOutputName] = (result) => number` column equals TA-Lib's (warm-up included).
 *   Returns the comparisons per output.
 *
 * The binding only accepts plain arrays (a Float64Array is read as garbage), so inputs are copied.
 */
import { createRequire } from 'node:module';
import type { StreamingIndicator } from '../indicator.js';

interface TalibBinding {
  readonly functions: readonly { readonly name: string }[];
  execute(params: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]>; error?: string };
}

let binding: TalibBinding | undefined;

/** Loaded on first use so that importing this module does not need the native build. */
export function talibBinding(): TalibBinding {
  binding ??= createRequire(import.meta.url)('talib') as TalibBinding;
  return binding;
}

export interface TalibInputs {
  readonly inReal?: ArrayLike<number>;
  readonly open?: ArrayLike<number>;
  readonly high?: ArrayLike<number>;
  readonly low?: ArrayLike<number>;
  readonly close?: ArrayLike<number>;
  readonly volume?: ArrayLike<number>;
}

export interface TalibResult {
  readonly begIndex: number;
  readonly outputs: Readonly<Record<string, Float64Array>>;
}

export class TalibCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TalibCallError';
  }
}

export function talib(name: string, inputs: TalibInputs, options: Readonly<Record<string, number>> = {}): TalibResult {
  // An unknown name makes the binding abort the whole process instead of throwing.
  if (!talibBinding().functions.some((f) => f.name === name)) throw new TalibCallError(`${name}: no such TA-Lib function`);
  let n = -1;
  const params: Record<string, unknown> = { name, startIdx: 0, ...options };
  for (const [key, column] of Object.entries(inputs) as [string, ArrayLike<number> | undefined][]) {
    if (column === undefined) continue;
    if (n >= 0 && column.length !== n) throw new TalibCallError(`${name}: input ${key} has ${column.length} values, expected ${n}`);
    n = column.length;
    // The binding reads only plain arrays; one already plain is passed as is (benchmarks time the binding alone).
    params[key] = Array.isArray(column) ? column : Array.from(column);
  }
  if (n <= 0) throw new TalibCallError(`${name}: no input`);
  params.endIdx = n - 1;
  let res: ReturnType<TalibBinding['execute']>;
  try {
    res = talibBinding().execute(params);
  } catch (cause) {
    throw new TalibCallError(`${name}: TA-Lib call failed`, { cause });
  }
  if (res.error !== undefined) throw new TalibCallError(`${name}: ${res.error}`);
  const outputs: Record<string, Float64Array> = {};
  for (const [key, values] of Object.entries(res.result)) {
    const col = new Float64Array(n).fill(Number.NaN);
    for (let i = 0; i < res.nbElement; i++) col[res.begIndex + i] = values[i];
    outputs[key] = col;
  }
  // With too little input TA-Lib reports begIndex 0 and no elements: every position is still warming up.
  return { begIndex: res.nbElement === 0 ? n : res.begIndex, outputs };
}

export function streamColumns<TIn, TOut>(
  indicator: StreamingIndicator<TIn, TOut>,
  inputs: readonly TIn[],
  pick: (result: TOut) => readonly number[],
  width: number,
): Float64Array[] {
  const cols = Array.from({ length: width }, () => new Float64Array(inputs.length).fill(Number.NaN));
  for (let i = 0; i < inputs.length; i++) {
    const r = indicator.update(inputs[i]);
    if (r === null) continue;
    const values = pick(r);
    for (let k = 0; k < width; k++) cols[k][i] = values[k];
  }
  return cols;
}

export interface Tolerance {
  readonly rel?: number;
  readonly abs?: number;
}

export interface Comparison {
  /** Positions where both have a value. */
  readonly checked: number;
  /** Positions where exactly one side is NaN (streaming warm-up differs from TA-Lib's lookback). */
  readonly warmupMismatches: number;
  readonly firstWarmupMismatch: number;
  readonly maxRelError: number;
  readonly maxAbsError: number;
  readonly failures: number;
  readonly firstFailure: number;
}

export function compareSeries(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance = {}): Comparison {
  const rel = tolerance.rel ?? 1e-9;
  const abs = tolerance.abs ?? 1e-9;
  if (actual.length !== expected.length) throw new RangeError(`length ${actual.length} vs ${expected.length}`);
  let checked = 0;
  let warmupMismatches = 0;
  let firstWarmupMismatch = -1;
  let maxRelError = 0;
  let maxAbsError = 0;
  let failures = 0;
  let firstFailure = -1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const an = Number.isNaN(a);
    const en = Number.isNaN(e);
    if (an && en) continue;
    if (an !== en) {
      warmupMismatches++;
      if (firstWarmupMismatch < 0) firstWarmupMismatch = i;
      continue;
    }
    checked++;
    const d = Math.abs(a - e);
    if (!(d <= rel * Math.abs(e) || d <= abs)) {
      failures++;
      if (firstFailure < 0) firstFailure = i;
    }
    if (d > maxAbsError || Number.isNaN(d)) maxAbsError = d;
    if (e !== 0 && d / Math.abs(e) > maxRelError) maxRelError = d / Math.abs(e);
  }
  return { checked, warmupMismatches, firstWarmupMismatch, maxRelError, maxAbsError, failures, firstFailure };
}

export function expectMatchesTalib(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, tolerance: Tolerance = {}): Comparison {
  const c = compareSeries(actual, expected, tolerance);
  if (c.warmupMismatches > 0) {
    const i = c.firstWarmupMismatch;
    throw new Error(`${label}: warm-up differs from TA-Lib at index ${i}: ours ${actual[i]}, TA-Lib ${expected[i]} (${c.warmupMismatches} positions)`);
  }
  if (c.failures > 0) {
    const i = c.firstFailure;
    throw new Error(`${label}: differs from TA-Lib at index ${i}: ours ${actual[i]}, TA-Lib ${expected[i]} (${c.failures} failures, max rel ${c.maxRelError})`);
  }
  if (c.checked === 0) throw new Error(`${label}: nothing to compare (series shorter than the lookback?)`);
  return c;
}

export interface StreamingCheck<TIn, TOut> {
  readonly label: string;
  readonly indicator: StreamingIndicator<TIn, TOut>;
  readonly inputs: readonly TIn[];
  readonly talibName: string;
  readonly talibInputs: TalibInputs;
  readonly talibOptions?: Readonly<Record<string, number>>;
  /** TA-Lib output name -> how to read it from our result. */
  readonly outputs: Readonly<Record<string, (result: TOut) => number>>;
  readonly tolerance?: Tolerance;
}

export function expectStreamingMatchesTalib<TIn, TOut>(check: StreamingCheck<TIn, TOut>): Record<string, Comparison> {
  const ref = talib(check.talibName, check.talibInputs, check.talibOptions);
  if (check.indicator.lookback !== ref.begIndex) {
    throw new Error(`${check.label}: lookback ${check.indicator.lookback}, TA-Lib begIndex ${ref.begIndex}`);
  }
  const names = Object.keys(check.outputs);
  const picks = names.map((k) => check.outputs[k]);
  const cols = streamColumns(check.indicator, check.inputs, (r) => picks.map((p) => p(r)), names.length);
  const result: Record<string, Comparison> = {};
  names.forEach((k, j) => {
    const expected = ref.outputs[k];
    if (expected === undefined) throw new Error(`${check.label}: TA-Lib ${check.talibName} has no output ${k}`);
    result[k] = expectMatchesTalib(cols[j], expected, `${check.label} ${k}`, check.tolerance);
  });
  return result;
}
