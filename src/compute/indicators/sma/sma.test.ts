import { describe, expect, it } from 'vitest';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { SMA, smaBatch } from './sma.js';

describeIndicatorContract('SMA(5)', () => new SMA(5), contractPriceSeries());
describeIndicatorContract('SMA(2)', () => new SMA(2), contractPriceSeries());

describe('SMA', () => {
  const input = randomWalk(5000, 1);
  for (const period of [2, 5, 20, 200]) {
    it(`equals TA-Lib SMA(${period}) streaming and in batch`, () => {
      expectStreamingMatchesTalib({
        label: `SMA(${period})`,
        indicator: new SMA(period),
        inputs: Array.from(input),
        talibName: 'SMA',
        talibInputs: { inReal: input },
        talibOptions: { optInTimePeriod: period },
        outputs: { outReal: (r) => r },
      });
      expectMatchesTalib(smaBatch(input, period), talib('SMA', { inReal: input }, { optInTimePeriod: period }).outputs.outReal, 'smaBatch');
    });
  }

  it('rejects periods TA-Lib rejects', () => {
    expect(() => new SMA(1)).toThrow(/period/);
    expect(() => new SMA(2.5)).toThrow(/period/);
    expect(() => smaBatch(new Float64Array(3), 0)).toThrow(/period/);
  });

  it('batch handles input shorter than the period', () => {
    expect(Array.from(smaBatch(new Float64Array([1, 2]), 3))).toStrictEqual([Number.NaN, Number.NaN]);
  });
});
