import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Mfi, mfi } from './mfi.js';

const series = referenceSeries();

describe('MFI against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 5, 14, 30]) {
      it(`${name}, period ${period}`, () => {
        const ref = talib('MFI', { high: s.high, low: s.low, close: s.close, volume: s.volume }, { optInTimePeriod: period });
        const ind = new Mfi(period);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(mfi(s.high, s.low, s.close, s.volume, period), ref.outputs.outReal, `mfi batch ${name} ${period}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `mfi stream ${name} ${period}`);
      });
    }
  }

  it('is 0 when the window has less than 1 of money flow (TA-Lib guard), e.g. a flat run', () => {
    const s = series.longFlat;
    const ours = mfi(s.high, s.low, s.close, s.volume, 14);
    expect(Array.from(ours.subarray(1100, 1800)).every((v) => v === 0)).toBe(true);
    const tiny = new Mfi(2);
    tiny.update({ open: 1, high: 1, low: 1, close: 1, volume: 0.1 });
    tiny.update({ open: 1, high: 2, low: 1, close: 2, volume: 0.1 });
    expect(tiny.update({ open: 1, high: 3, low: 1, close: 3, volume: 0.1 })).toBe(0);
  });

  it('rejects period 1', () => {
    expect(() => new Mfi(1)).toThrow(/period/);
  });
});

describeIndicatorContract('MFI(14)', () => new Mfi(14), contractBarSeries());
