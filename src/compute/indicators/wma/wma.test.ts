import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { WMA, wmaBatch } from './wma.js';

describeIndicatorContract('WMA(5)', () => new WMA(5), contractPriceSeries());
describeIndicatorContract('WMA(2)', () => new WMA(2), contractPriceSeries());

describe('WMA', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [5], [30], [150]]) {
      it(`equals TA-Lib WMA(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `WMA(${params.join(',')})`,
          indicator: new WMA(params[0]),
          inputs: Array.from(input),
          talibName: 'WMA',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(wmaBatch(input, params[0]), talib('WMA', { inReal: input }, options).outputs.outReal, 'wmaBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new WMA(1)).toThrow(IndicatorParameterError);
  });
});
