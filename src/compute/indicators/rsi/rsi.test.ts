import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { RSI, rsiBatch } from './rsi.js';

describeIndicatorContract('RSI(14)', () => new RSI(14), contractPriceSeries());
describeIndicatorContract('RSI(2)', () => new RSI(2), contractPriceSeries());

describe('RSI', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [14], [50]]) {
      it(`equals TA-Lib RSI(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `RSI(${params.join(',')})`,
          indicator: new RSI(params[0]),
          inputs: Array.from(input),
          talibName: 'RSI',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(rsiBatch(input, params[0]), talib('RSI', { inReal: input }, options).outputs.outReal, 'rsiBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new RSI(1)).toThrow(IndicatorParameterError);
  });
});
