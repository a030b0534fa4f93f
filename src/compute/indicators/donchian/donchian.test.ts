import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Donchian, donchian } from './donchian.js';

describe('Donchian channel against TA-Lib MAX/MIN', () => {
  for (const [name, s] of Object.entries(referenceSeries())) {
    for (const period of [2, 5, 20, 55]) {
      it(`${name}, period ${period}`, () => {
        const upper = talib('MAX', { inReal: s.high }, { optInTimePeriod: period });
        const lower = talib('MIN', { inReal: s.low }, { optInTimePeriod: period });
        const middle = upper.outputs.outReal.map((u, i) => (u + lower.outputs.outReal[i]) / 2);
        const ind = new Donchian(period);
        expect(ind.lookback).toBe(upper.begIndex);
        const cols = donchian(s.high, s.low, period);
        expectMatchesTalib(cols.upper, upper.outputs.outReal, `upper ${name}`, { rel: 0, abs: 0 });
        expectMatchesTalib(cols.lower, lower.outputs.outReal, `lower ${name}`, { rel: 0, abs: 0 });
        expectMatchesTalib(cols.middle, middle, `middle ${name}`);
        const [u, m, l] = streamColumns(ind, toBars(s), (r) => [r.upper, r.middle, r.lower], 3);
        expectMatchesTalib(u, upper.outputs.outReal, `upper stream ${name}`);
        expectMatchesTalib(m, middle, `middle stream ${name}`);
        expectMatchesTalib(l, lower.outputs.outReal, `lower stream ${name}`);
      });
    }
  }

  it('drops an extreme exactly when it leaves the window', () => {
    const ind = new Donchian(3);
    const bar = (h: number, l: number) => ({ open: l, high: h, low: l, close: h, volume: 1 });
    ind.update(bar(10, 1));
    ind.update(bar(5, 4));
    expect(ind.update(bar(6, 5))).toEqual({ upper: 10, middle: 5.5, lower: 1 });
    expect(ind.update(bar(7, 6))).toEqual({ upper: 7, middle: 5.5, lower: 4 });
  });

  it('rejects period 1', () => {
    expect(() => new Donchian(1)).toThrow(/period/);
  });
});

describeIndicatorContract('DONCHIAN(20)', () => new Donchian(20), contractBarSeries());
