import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { StdDev, stddevBatch } from './stddev.js';

describeIndicatorContract('StdDev(5,1)', () => new StdDev(5, 1), contractPriceSeries());
describeIndicatorContract('StdDev(20,2)', () => new StdDev(20, 2), contractPriceSeries());

describe('StdDev', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2, 1], [5, 1], [20, 2], [50, 0.5]]) {
      it(`equals TA-Lib STDDEV(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0], optInNbDev: params[1] };
        expectStreamingMatchesTalib({
          label: `StdDev(${params.join(',')})`,
          indicator: new StdDev(params[0], params[1]),
          inputs: Array.from(input),
          talibName: 'STDDEV',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(stddevBatch(input, params[0], params[1]), talib('STDDEV', { inReal: input }, options).outputs.outReal, 'stddevBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new StdDev(1)).toThrow(IndicatorParameterError);
    expect(() => new StdDev(5, Number.NaN)).toThrow(IndicatorParameterError);
  });
});
