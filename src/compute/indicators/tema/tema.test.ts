import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { TEMA, temaBatch } from './tema.js';

describeIndicatorContract('TEMA(5)', () => new TEMA(5), contractPriceSeries());

describe('TEMA', () => {
  const walk = randomWalk(5000, 101);
  const volatile = randomWalk(3000, 202, { volatility: 0.05, start: 0.0003 });
  for (const [label, input] of [['walk', walk], ['volatile low-priced', volatile]] as const) {
    for (const params of [[2], [5], [30]]) {
      it(`equals TA-Lib TEMA(${params.join(',')}) on the ${label} series, streaming and in batch`, () => {
        const tolerance = label === 'walk' ? {} : { abs: 1e-15 };
        const options = { optInTimePeriod: params[0] };
        expectStreamingMatchesTalib({
          label: `TEMA(${params.join(',')})`,
          indicator: new TEMA(params[0]),
          inputs: Array.from(input),
          talibName: 'TEMA',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outReal: (r) => r },
          tolerance,
        });
        expectMatchesTalib(temaBatch(input, params[0]), talib('TEMA', { inReal: input }, options).outputs.outReal, 'temaBatch', tolerance);
      });
    }
  }

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new TEMA(1)).toThrow(IndicatorParameterError);
  });
});
