import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Obv, obv } from './obv.js';

describe('OBV against TA-Lib', () => {
  for (const [name, s] of Object.entries(referenceSeries())) {
    it(name, () => {
      const ref = talib('OBV', { inReal: s.close, volume: s.volume });
      const ind = new Obv();
      expect(ind.lookback).toBe(ref.begIndex);
      expectMatchesTalib(obv(s.close, s.volume), ref.outputs.outReal, `obv batch ${name}`);
      const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
      expectMatchesTalib(streamed, ref.outputs.outReal, `obv stream ${name}`);
    });
  }

  it('starts at the first volume and ignores unchanged closes', () => {
    const ind = new Obv();
    const bar = (close: number, volume: number) => ({ open: close, high: close, low: close, close, volume });
    expect(ind.update(bar(10, 5))).toBe(5);
    expect(ind.update(bar(11, 3))).toBe(8);
    expect(ind.update(bar(11, 7))).toBe(8);
    expect(ind.update(bar(9, 2))).toBe(6);
  });

  it('rejects columns of different lengths', () => {
    expect(() => obv(new Float64Array(2), new Float64Array(3))).toThrow(/length/);
  });
});

describeIndicatorContract('OBV', () => new Obv(), contractBarSeries());
