import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { LinRegSlope, linregSlopeBatch } from './linregslope.js';

describeIndicatorContract('LinRegSlope(14)', () => new LinRegSlope(14), contractPriceSeries());
describeIndicatorContract('LinRegSlope(2)', () => new LinRegSlope(2), contractPriceSeries());

describe('LinRegSlope', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [14], [100]]) {
      it(`equals TA-Lib LINEARREG_SLOPE(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `LinRegSlope(${params.join(',')})`,
          indicator: new LinRegSlope(params[0]),
          inputs: Array.from(input),
          talibName: 'LINEARREG_SLOPE',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(linregSlopeBatch(input, params[0]), talib('LINEARREG_SLOPE', { inReal: input }, options).outputs.outReal, 'linregSlopeBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new LinRegSlope(1)).toThrow(IndicatorParameterError);
  });
});
