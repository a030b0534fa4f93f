import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Sar, sar } from './sar.js';

const paramSets: [number, number][] = [
  [0.02, 0.2],
  [0.01, 0.1],
  [0.05, 0.5],
  [0.3, 0.2], // acceleration above the maximum: TA-Lib lowers it to the maximum
  [0, 0],
];

describe('Parabolic SAR against TA-Lib', () => {
  for (const [name, s] of Object.entries(referenceSeries())) {
    for (const [acc, max] of paramSets) {
      it(`${name}, ${acc}/${max}`, () => {
        const ref = talib('SAR', { high: s.high, low: s.low }, { optInAcceleration: acc, optInMaximum: max });
        const ind = new Sar(acc, max);
        expect(ind.lookback).toBe(ref.begIndex);
        expectMatchesTalib(sar(s.high, s.low, acc, max), ref.outputs.outReal, `sar batch ${name}`);
        const [streamed] = streamColumns(ind, toBars(s), (v) => [v], 1);
        expectMatchesTalib(streamed, ref.outputs.outReal, `sar stream ${name}`);
      });
    }
  }

  it('starts short when bar 1 has a positive -DM and long otherwise, like TA-Lib', () => {
    for (const [h, l] of [
      [[10, 9.5], [9, 8]], // low falls more than the high: short, SAR starts at bar 0's high
      [[10, 11], [9, 9.5]], // high rises: long, SAR starts at bar 0's low
      [[10, 10], [9, 9]], // no movement: long
    ] as [number[], number[]][]) {
      const ref = talib('SAR', { high: [...h, h[1]], low: [...l, l[1]] }, { optInAcceleration: 0.02, optInMaximum: 0.2 }).outputs.outReal;
      const ours = sar(Float64Array.from([...h, h[1]]), Float64Array.from([...l, l[1]]));
      expect(Array.from(ours)).toEqual(Array.from(ref));
    }
  });

  it('rejects negative or non-finite parameters', () => {
    expect(() => new Sar(-0.01)).toThrow(/acceleration/);
    expect(() => new Sar(0.02, Number.NaN)).toThrow(/maximum/);
  });
});

describeIndicatorContract('SAR(0.02,0.2)', () => new Sar(), contractBarSeries());
