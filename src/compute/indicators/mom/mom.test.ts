import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { MOM, momBatch } from './mom.js';

describeIndicatorContract('MOM(10)', () => new MOM(10), contractPriceSeries());
describeIndicatorContract('MOM(1)', () => new MOM(1), contractPriceSeries());

describe('MOM', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[1], [10], [60]]) {
      it(`equals TA-Lib MOM(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `MOM(${params.join(',')})`,
          indicator: new MOM(params[0]),
          inputs: Array.from(input),
          talibName: 'MOM',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(momBatch(input, params[0]), talib('MOM', { inReal: input }, options).outputs.outReal, 'momBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new MOM(0)).toThrow(IndicatorParameterError);
  });
});
