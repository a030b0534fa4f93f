import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Stoch, stoch } from './stoch.js';

const series = referenceSeries();
const paramSets: [number, number, number][] = [
  [5, 3, 3],
  [14, 3, 3],
  [14, 1, 1],
  [9, 5, 4],
  [1, 2, 2],
  [21, 7, 1],
];

describe('Stochastic against TA-Lib (SMA smoothing)', () => {
  for (const [name, s] of Object.entries(series)) {
    for (const [fk, sk, sd] of paramSets) {
      it(`${name}, ${fk},${sk},${sd}`, () => {
        const ref = talib(
          'STOCH',
          { high: s.high, low: s.low, close: s.close },
          { optInFastK_Period: fk, optInSlowK_Period: sk, optInSlowK_MAType: 0, optInSlowD_Period: sd, optInSlowD_MAType: 0 },
        );
        const ind = new Stoch(fk, sk, sd);
        expect(ind.lookback).toBe(ref.begIndex);
        const cols = stoch(s.high, s.low, s.close, fk, sk, sd);
        expectMatchesTalib(cols.k, ref.outputs.outSlowK, `k ${name}`);
        expectMatchesTalib(cols.d, ref.outputs.outSlowD, `d ${name}`);
        const [k, d] = streamColumns(ind, toBars(s), (r) => [r.k, r.d], 2);
        expectMatchesTalib(k, ref.outputs.outSlowK, `k stream ${name}`);
        expectMatchesTalib(d, ref.outputs.outSlowD, `d stream ${name}`);
      });
    }
  }

  it('is 0 over a flat window, where the range is zero', () => {
    const ind = new Stoch(3, 1, 1);
    const flat = { open: 10, high: 10, low: 10, close: 10, volume: 1 };
    for (let i = 0; i < 3; i++) ind.update(flat);
    expect(ind.result).toEqual({ k: 0, d: 0 });
  });

  it('rejects period 0', () => {
    expect(() => new Stoch(0)).toThrow(/fastK/);
    expect(() => new Stoch(5, 0)).toThrow(/slowK/);
    expect(() => new Stoch(5, 3, 0)).toThrow(/slowD/);
  });
});

describeIndicatorContract('STOCH(5,3,3)', () => new Stoch(), contractBarSeries());
