import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Keltner, keltner } from './keltner.js';

const paramSets: [number, number, number][] = [
  [20, 2, 10],
  [10, 1.5, 14],
  [5, 3, 30], // the ATR warms up after the EMA
  [50, 0.5, 1],
];

describe('Keltner channel against TA-Lib EMA ± multiplier × ATR', () => {
  for (const [name, s] of Object.entries(referenceSeries())) {
    for (const [period, mult, atrPeriod] of paramSets) {
      it(`${name}, ${period},${mult},${atrPeriod}`, () => {
        const ema = talib('EMA', { inReal: s.close }, { optInTimePeriod: period });
        const atr = talib('ATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: atrPeriod });
        const e = ema.outputs.outReal;
        const a = atr.outputs.outReal;
        const upper = e.map((v, i) => v + mult * a[i]);
        const lower = e.map((v, i) => v - mult * a[i]);
        const ind = new Keltner(period, mult, atrPeriod);
        expect(ind.lookback).toBe(Math.max(ema.begIndex, atr.begIndex));
        const middle = e.map((v, i) => (Number.isNaN(a[i]) ? Number.NaN : v));
        const cols = keltner(s.high, s.low, s.close, period, mult, atrPeriod);
        expectMatchesTalib(cols.upper, upper, `upper ${name}`);
        expectMatchesTalib(cols.middle, middle, `middle ${name}`);
        expectMatchesTalib(cols.lower, lower, `lower ${name}`);
        const [u, m, l] = streamColumns(ind, toBars(s), (r) => [r.upper, r.middle, r.lower], 3);
        expectMatchesTalib(u, upper, `upper stream ${name}`);
        expectMatchesTalib(m, middle, `middle stream ${name}`);
        expectMatchesTalib(l, lower, `lower stream ${name}`);
      });
    }
  }

  it('rejects bad parameters', () => {
    expect(() => new Keltner(1)).toThrow(/period/);
    expect(() => new Keltner(20, -1)).toThrow(/multiplier/);
    expect(() => new Keltner(20, 2, 0)).toThrow(/ATR period/);
  });
});

describeIndicatorContract('KELTNER(20,2,10)', () => new Keltner(), contractBarSeries());
