/**
 * The contract every streaming indicator passes (STYLE.md habit 9: one contract suite, every implementation).
 *
 * API
 * - `describeIndicatorContract(label, create, series, values?)`: registers a vitest `describe` block that
 *   checks, on each named input series (all values finite, each longer than the lookback):
 *   `lookback` is a non-negative integer; `update` returns null (and `result` is null, `isReady` false,
 *   `resultOrThrow` throws NotWarmedUpError) for exactly the first `lookback` inputs and a result from input
 *   `lookback + 1` on; `update`'s return equals `result`; no output is NaN or infinite; after `reset()` the
 *   indicator is back to its initial state and replaying the series gives identical outputs (Object.is).
 *   `values(result)` flattens a result to numbers (default: a number itself, or the record's values);
 *   results are snapshotted at once, so an indicator may reuse one result object.
 * - `describeDefinitionContract(definition, bars, paramSets?)`: the same for an `IndicatorDefinition`'s
 *   `BarIndicator`: NaN in every output slot for the first `lookback` bars, finite values after, `update`
 *   returns readiness, `reset()` replays identically, offsets are respected, and bad parameter counts throw.
 * Series helpers: `contractPriceSeries()`, `contractBarSeries()` in ./series.ts.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorDefinition } from '../definition.js';
import type { Ohlcv, StreamingIndicator } from '../indicator.js';
import { NotWarmedUpError } from '../indicator.js';

export function defaultValues(result: unknown): number[] {
  if (typeof result === 'number') return [result];
  if (result !== null && typeof result === 'object') return Object.values(result as Record<string, unknown>).filter((v): v is number => typeof v === 'number');
  throw new TypeError(`cannot read numbers from result ${String(result)}`);
}

interface Run {
  readonly outputs: (number[] | null)[];
}

function runSeries<TIn, TOut>(ind: StreamingIndicator<TIn, TOut>, inputs: readonly TIn[], values: (r: TOut) => number[]): Run {
  const outputs: (number[] | null)[] = [];
  for (const x of inputs) {
    const r = ind.update(x);
    outputs.push(r === null ? null : values(r));
  }
  return { outputs };
}

export function describeIndicatorContract<TIn, TOut>(
  label: string,
  create: () => StreamingIndicator<TIn, TOut>,
  series: Readonly<Record<string, readonly TIn[]>>,
  values: (result: TOut) => number[] = defaultValues,
): void {
  describe(`${label} streaming contract`, () => {
    it('has a name and a non-negative integer lookback', () => {
      const ind = create();
      expect(ind.name.length).toBeGreaterThan(0);
      expect(Number.isSafeInteger(ind.lookback) && ind.lookback >= 0, `lookback ${ind.lookback}`).toBe(true);
    });

    for (const [name, inputs] of Object.entries(series)) {
      describe(`on series "${name}"`, () => {
        it('is null for exactly the first `lookback` inputs, then ready', () => {
          const ind = create();
          expect(inputs.length, 'series must be longer than the lookback').toBeGreaterThan(ind.lookback + 1);
          expect(ind.result).toBeNull();
          expect(ind.isReady).toBe(false);
          expect(() => ind.resultOrThrow()).toThrow(NotWarmedUpError);
          for (let i = 0; i < inputs.length; i++) {
            const r = ind.update(inputs[i]);
            if (i < ind.lookback) {
              expect(r, `input ${i + 1} of lookback ${ind.lookback}`).toBeNull();
              expect(ind.result).toBeNull();
              expect(ind.isReady).toBe(false);
              expect(() => ind.resultOrThrow()).toThrow(NotWarmedUpError);
            } else {
              expect(r, `input ${i + 1} after lookback ${ind.lookback}`).not.toBeNull();
              expect(ind.isReady).toBe(true);
              expect(ind.result).toBe(r);
              expect(ind.resultOrThrow()).toBe(r);
            }
          }
        });

        it('never outputs NaN or infinity on finite input', () => {
          const ind = create();
          const run = runSeries(ind, inputs, values);
          run.outputs.forEach((out, i) => {
            if (out === null) return;
            expect(out.length).toBeGreaterThan(0);
            for (const v of out) expect(Number.isFinite(v), `output ${v} at input ${i}`).toBe(true);
          });
        });

        it('reset() restores the initial state and replays identically', () => {
          const ind = create();
          const first = runSeries(ind, inputs, values);
          ind.reset();
          expect(ind.result).toBeNull();
          expect(ind.isReady).toBe(false);
          expect(() => ind.resultOrThrow()).toThrow(NotWarmedUpError);
          const second = runSeries(ind, inputs, values);
          expect(second.outputs).toStrictEqual(first.outputs);
          // Also reset in the middle of warm-up, where partially filled state is easiest to leave behind.
          ind.reset();
          runSeries(ind, inputs.slice(0, Math.max(1, ind.lookback - 1)), values);
          ind.reset();
          expect(runSeries(ind, inputs, values).outputs).toStrictEqual(first.outputs);
        });
      });
    }
  });
}

export function describeDefinitionContract(
  definition: IndicatorDefinition,
  bars: readonly Ohlcv[],
  paramSets: readonly (readonly number[])[] = [definition.params.map(([, v]) => v)],
): void {
  describe(`${definition.name} definition contract`, () => {
    it('describes itself', () => {
      expect(definition.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(definition.description.length).toBeGreaterThan(0);
      expect(definition.outputs.length).toBeGreaterThan(0);
      if (definition.outputs.length === 1) expect(definition.outputs[0]).toBe(definition.name);
      expect(new Set(definition.outputs).size).toBe(definition.outputs.length);
    });

    it('rejects a wrong number of parameters', () => {
      expect(() => definition.create([...definition.params.map(([, v]) => v), 3])).toThrow();
    });

    for (const params of paramSets) {
      it(`writes NaN for the first lookback bars, finite values after, and replays after reset (${params.join(',')})`, () => {
        const ind = definition.create(params);
        const width = definition.outputs.length;
        const offset = 2;
        const out = new Float64Array(width + offset + 1);
        const record = (): number[][] =>
          bars.map((bar, i) => {
            out.fill(-12345);
            const ready = ind.update(bar, out, offset);
            expect(ready, `bar ${i}, lookback ${ind.lookback}`).toBe(i >= ind.lookback);
            expect(out[0]).toBe(-12345);
            expect(out[offset + width]).toBe(-12345);
            const slice = Array.from(out.subarray(offset, offset + width));
            for (const v of slice) {
              if (i < ind.lookback) expect(v).toBeNaN();
              else expect(Number.isFinite(v), `bar ${i}: ${v}`).toBe(true);
            }
            return slice;
          });
        expect(bars.length).toBeGreaterThan(ind.lookback + 1);
        const first = record();
        ind.reset();
        expect(record()).toStrictEqual(first);
      });
    }
  });
}
