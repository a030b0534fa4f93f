import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { DEMA, demaBatch } from './dema.js';

describeIndicatorContract('DEMA(5)', () => new DEMA(5), contractPriceSeries());

describe('DEMA', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [5], [30]]) {
      it(`equals TA-Lib DEMA(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `DEMA(${params.join(',')})`,
          indicator: new DEMA(params[0]),
          inputs: Array.from(input),
          talibName: 'DEMA',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(demaBatch(input, params[0]), talib('DEMA', { inReal: input }, options).outputs.outReal, 'demaBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new DEMA(1)).toThrow(IndicatorParameterError);
  });
});
