import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Aroon, aroon, AroonOsc } from './aroon.js';

const series = referenceSeries();

describe('Aroon against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 5, 14, 25]) {
      it(`${name}, period ${period}`, () => {
        const ref = talib('AROON', { high: s.high, low: s.low }, { optInTimePeriod: period });
        const osc = talib('AROONOSC', { high: s.high, low: s.low }, { optInTimePeriod: period });
        const ind = new Aroon(period);
        expect(ind.lookback).toBe(ref.begIndex);
        const cols = aroon(s.high, s.low, period);
        // Ties decide Aroon: compare exactly, so that picking an older equal extreme would fail.
        expectMatchesTalib(cols.up, ref.outputs.outAroonUp, `up ${name} ${period}`, { rel: 0, abs: 0 });
        expectMatchesTalib(cols.down, ref.outputs.outAroonDown, `down ${name} ${period}`, { rel: 0, abs: 0 });
        expectMatchesTalib(cols.oscillator, osc.outputs.outReal, `osc ${name} ${period}`);
        const [down, up] = streamColumns(ind, toBars(s), (r) => [r.down, r.up], 2);
        expectMatchesTalib(down, ref.outputs.outAroonDown, `down stream ${name} ${period}`);
        expectMatchesTalib(up, ref.outputs.outAroonUp, `up stream ${name} ${period}`);
        const [o] = streamColumns(new AroonOsc(period), toBars(s), (v) => [v], 1);
        expectMatchesTalib(o, osc.outputs.outReal, `osc stream ${name} ${period}`);
      });
    }
  }

  it('counts the newest of equal highs (the tick-rounded series has ties)', () => {
    const ind = new Aroon(3);
    const bar = (h: number) => ({ open: h, high: h, low: 1, close: h, volume: 1 });
    ind.update(bar(5));
    ind.update(bar(5));
    ind.update(bar(4));
    expect(ind.update(bar(3))?.up).toBeCloseTo((100 / 3) * 1, 12);
  });

  it('rejects period 1', () => {
    expect(() => new Aroon(1)).toThrow(/period/);
  });
});

describeIndicatorContract('AROON(14)', () => new Aroon(14), contractBarSeries());
describeIndicatorContract('AROONOSC(14)', () => new AroonOsc(14), contractBarSeries());
