import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { KAMA, kamaBatch } from './kama.js';

describeIndicatorContract('KAMA(10)', () => new KAMA(10), contractPriceSeries());
describeIndicatorContract('KAMA(2)', () => new KAMA(2), contractPriceSeries());

describe('KAMA', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [10], [30]]) {
      it(`equals TA-Lib KAMA(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `KAMA(${params.join(',')})`,
          indicator: new KAMA(params[0]),
          inputs: Array.from(input),
          talibName: 'KAMA',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(kamaBatch(input, params[0]), talib('KAMA', { inReal: input }, options).outputs.outReal, 'kamaBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new KAMA(1)).toThrow(IndicatorParameterError);
  });
});
