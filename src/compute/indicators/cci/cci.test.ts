import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Cci, cci } from './cci.js';

const series = referenceSeries();

describe('CCI against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 5, 14, 20, 40]) {
      it(`${name}, period ${period}`, () => {
        const ref = talib('CCI', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: period });
        const ind = new Cci(period);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(cci(s.high, s.low, s.close, period), ref.outputs.outReal, `cci batch ${name} ${period}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `cci stream ${name} ${period}`);
      });
    }
  }

  it('reproduces TA-Lib bit for bit over a flat window, rounding artefacts included', () => {
    // The mean of equal prices rounds to a value a few ulps off them, so TA-Lib's exact-zero tests do not
    // fire and it divides two rounding errors (66.67 here); copying its slot order copies that too.
    const s = series.longFlat;
    const ours = cci(s.high, s.low, s.close, 14).subarray(1100, 1800);
    const ref = talib('CCI', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 14 }).outputs.outReal.subarray(1100, 1800);
    expect(Array.from(ref).some((v) => v !== 0)).toBe(true);
    expect(Array.from(ours)).toEqual(Array.from(ref));
  });

  it('rejects period 1', () => {
    expect(() => new Cci(1)).toThrow(/period/);
  });
});

describeIndicatorContract('CCI(14)', () => new Cci(14), contractBarSeries());
