import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Natr, natr } from './natr.js';

const series = referenceSeries();

describe('NATR against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 3, 14, 50]) {
      it(`${name}, period ${period}`, () => {
        const ref = talib('NATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: period });
        const ind = new Natr(period);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(natr(s.high, s.low, s.close, period), ref.outputs.outReal, `natr batch ${name} ${period}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `natr stream ${name} ${period}`);
      });
    }
  }

  it('normalises period 1 too, where TA-Lib returns the bare true range (a TA-Lib bug we do not copy)', () => {
    const s = series.smooth;
    const tr = talib('TRANGE', { high: s.high, low: s.low, close: s.close }).outputs.outReal;
    const expected = tr.map((v, i) => (v / s.close[i]) * 100);
    expectMatchesTalib(natr(s.high, s.low, s.close, 1), expected, 'natr(1) vs 100 * TRANGE / close');
    const raw = talib('NATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 1 }).outputs.outReal;
    expect(raw[5]).toBe(tr[5]);
  });

  it('is 0 on a zero close instead of dividing by it', () => {
    const ind = new Natr(2);
    ind.update({ open: 1, high: 2, low: 1, close: 1, volume: 1 });
    ind.update({ open: 1, high: 2, low: 1, close: 1, volume: 1 });
    expect(ind.update({ open: 1, high: 1, low: 0, close: 1, volume: 1 })).toBeCloseTo(100, 12);
    expect(ind.update({ open: 0, high: 1, low: 0, close: 0, volume: 1 })).toBe(0);
  });

  it('rejects a bad period', () => {
    expect(() => new Natr(0)).toThrow(/period/);
  });
});

describeIndicatorContract('NATR(14)', () => new Natr(14), contractBarSeries());
