import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { EMA, emaBatch } from './ema.js';

describeIndicatorContract('EMA(5)', () => new EMA(5), contractPriceSeries());
describeIndicatorContract('EMA(2)', () => new EMA(2), contractPriceSeries());

describe('EMA', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [5], [20], [200]]) {
      it(`equals TA-Lib EMA(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `EMA(${params.join(',')})`,
          indicator: new EMA(params[0]),
          inputs: Array.from(input),
          talibName: 'EMA',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(emaBatch(input, params[0]), talib('EMA', { inReal: input }, options).outputs.outReal, 'emaBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new EMA(1)).toThrow(IndicatorParameterError);
    expect(() => new EMA(0.5)).toThrow(IndicatorParameterError);
  });
});
