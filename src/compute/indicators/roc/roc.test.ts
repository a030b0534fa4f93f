import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { ROC, rocBatch } from './roc.js';

describeIndicatorContract('ROC(10)', () => new ROC(10), contractPriceSeries());
describeIndicatorContract('ROC(1)', () => new ROC(1), contractPriceSeries());

describe('ROC', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[1], [10], [60]]) {
      it(`equals TA-Lib ROC(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `ROC(${params.join(',')})`,
          indicator: new ROC(params[0]),
          inputs: Array.from(input),
          talibName: 'ROC',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(rocBatch(input, params[0]), talib('ROC', { inReal: input }, options).outputs.outReal, 'rocBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new ROC(0)).toThrow(IndicatorParameterError);
  });
});
