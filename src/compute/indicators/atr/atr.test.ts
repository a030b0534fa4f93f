import { describe, expect, it } from 'vitest';
import { describeIndicatorContract, expectMatchesTalib, streamColumns, talib, contractBarSeries } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Atr, atr } from './atr.js';

const series = referenceSeries();

describe('ATR against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [1, 2, 5, 14, 30]) {
      it(`${name}, period ${period}: batch and streaming equal TA-Lib after its lookback`, () => {
        const ref = talib('ATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: period });
        const ind = new Atr(period);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(atr(s.high, s.low, s.close, period), ref.outputs.outReal, `atr batch ${name} ${period}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `atr stream ${name} ${period}`);
      });
    }
  }

  it('decays through a long flat stretch exactly as TA-Lib does (values far below 1e-14)', () => {
    const s = series.longFlat;
    const ours = atr(s.high, s.low, s.close, 5);
    const ref = talib('ATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 5 }).outputs.outReal;
    expect(Math.min(...ours.subarray(1000, 1900))).toBeLessThan(1e-14);
    expectMatchesTalib(ours.subarray(1000, 1900), ref.subarray(1000, 1900), 'flat stretch', { abs: 0 });
  });

  it('rejects periods TA-Lib rejects and columns of different lengths', () => {
    expect(() => new Atr(0)).toThrow(/period/);
    expect(() => new Atr(2.5)).toThrow(/period/);
    expect(() => atr(new Float64Array(3), new Float64Array(3), new Float64Array(2))).toThrow(/length/);
  });
});

describeIndicatorContract('ATR(14)', () => new Atr(14), contractBarSeries());
describeIndicatorContract('ATR(1)', () => new Atr(1), contractBarSeries());
