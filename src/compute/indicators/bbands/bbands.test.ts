import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { BollingerBands, bbandsBatch } from './bbands.js';

describeIndicatorContract('BBANDS(20,2)', () => new BollingerBands(20, 2), contractPriceSeries());
describeIndicatorContract('BBANDS(2,1,3)', () => new BollingerBands(2, 1, 3), contractPriceSeries());

describe('BollingerBands', () => {
  const walk = randomWalk(5000, 505);
  const volatile = randomWalk(3000, 606, { volatility: 0.05, start: 0.0003 });
  const paramSets: [number, number, number][] = [
    [20, 2, 2],
    [5, 1, 1],
    [2, 2, 2],
    [50, 2.5, 1.5],
    [10, 1, 3],
    [10, 3, 1],
  ];
  for (const [label, input, tolerance] of [
    ['walk', walk, {}],
    ['volatile low-priced', volatile, { abs: 1e-15 }],
  ] as const) {
    for (const [period, up, down] of paramSets) {
      it(`equals TA-Lib BBANDS(${period},${up},${down}) on the ${label} series, streaming and in batch`, () => {
        const options = { optInTimePeriod: period, optInNbDevUp: up, optInNbDevDn: down, optInMAType: 0 };
        expectStreamingMatchesTalib({
          label: `BBANDS(${period},${up},${down})`,
          indicator: new BollingerBands(period, up, down),
          inputs: Array.from(input),
          talibName: 'BBANDS',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outRealUpperBand: (r) => r.upper, outRealMiddleBand: (r) => r.middle, outRealLowerBand: (r) => r.lower },
          tolerance,
        });
        const ref = talib('BBANDS', { inReal: input }, options).outputs;
        const b = bbandsBatch(input, period, up, down);
        expectMatchesTalib(b.upper, ref.outRealUpperBand, 'bbandsBatch upper', tolerance);
        expectMatchesTalib(b.middle, ref.outRealMiddleBand, 'bbandsBatch middle', tolerance);
        expectMatchesTalib(b.lower, ref.outRealLowerBand, 'bbandsBatch lower', tolerance);
      });
    }
  }

  it('gives zero-width bands on flat input', () => {
    const b = new BollingerBands(3, 2);
    [5, 5, 5].forEach((x) => b.update(x));
    expect(b.resultOrThrow()).toStrictEqual({ upper: 5, middle: 5, lower: 5 });
    expect(b.name).toBe('BBANDS(3,2)');
    expect(new BollingerBands(3, 2, 1).name).toBe('BBANDS(3,2,1)');
  });

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new BollingerBands(1)).toThrow(IndicatorParameterError);
    expect(() => new BollingerBands(20, Number.POSITIVE_INFINITY)).toThrow(IndicatorParameterError);
  });
});
