import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { WillR, willr } from './willr.js';

const series = referenceSeries();

describe('WILLR against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 5, 14, 30]) {
      it(`${name}, period ${period}`, () => {
        const ref = talib('WILLR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: period });
        const ind = new WillR(period);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(willr(s.high, s.low, s.close, period), ref.outputs.outReal, `willr batch ${name} ${period}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `willr stream ${name} ${period}`);
      });
    }
  }

  it('is 0 over a flat window, as TA-Lib is', () => {
    const s = series.longFlat;
    const ours = willr(s.high, s.low, s.close, 14);
    expect(Array.from(ours.subarray(1100, 1800)).every((v) => v === 0)).toBe(true);
    const ref = talib('WILLR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 14 }).outputs.outReal;
    expect(Array.from(ref.subarray(1100, 1800)).every((v) => v === 0)).toBe(true);
  });

  it('rejects period 1', () => {
    expect(() => new WillR(1)).toThrow(/period/);
  });
});

describeIndicatorContract('WILLR(14)', () => new WillR(14), contractBarSeries());
