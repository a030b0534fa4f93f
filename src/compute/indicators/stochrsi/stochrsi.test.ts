import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { StochRSI, stochRsiBatch } from './stochrsi.js';

describeIndicatorContract('STOCHRSI(14,14,3)', () => new StochRSI(14, 14, 3), contractPriceSeries());
describeIndicatorContract('STOCHRSI(2,1,1)', () => new StochRSI(2, 1, 1), contractPriceSeries());

describe('StochRSI', () => {
  const walk = randomWalk(5000, 707);
  // A coarse price grid repeats values, so RSI extremes tie inside the window.
  const ticks = randomWalk(3000, 808).map((x) => Math.round(x));
  const paramSets: [number, number, number][] = [
    [14, 14, 3],
    [14, 5, 3],
    [2, 1, 1],
    [5, 3, 1],
    [30, 20, 10],
  ];
  for (const [label, input] of [
    ['walk', walk],
    ['tick-rounded', ticks],
  ] as const) {
    for (const [period, fastK, fastD] of paramSets) {
      it(`equals TA-Lib STOCHRSI(${period},${fastK},${fastD}) on the ${label} series, streaming and in batch`, () => {
        const options = { optInTimePeriod: period, optInFastK_Period: fastK, optInFastD_Period: fastD, optInFastD_MAType: 0 };
        expectStreamingMatchesTalib({
          label: `STOCHRSI(${period},${fastK},${fastD})`,
          indicator: new StochRSI(period, fastK, fastD),
          inputs: Array.from(input),
          talibName: 'STOCHRSI',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outFastK: (r) => r.fastK, outFastD: (r) => r.fastD },
        });
        const ref = talib('STOCHRSI', { inReal: input }, options).outputs;
        const b = stochRsiBatch(input, period, fastK, fastD);
        expectMatchesTalib(b.fastK, ref.outFastK, 'stochRsiBatch fastK');
        expectMatchesTalib(b.fastD, ref.outFastD, 'stochRsiBatch fastD');
      });
    }
  }

  it('is 0 when the RSI window is flat', () => {
    const s = new StochRSI(2, 3, 1);
    let r = null;
    for (let i = 0; i < 10; i++) r = s.update(100);
    expect(r).toStrictEqual({ fastK: 0, fastD: 0 });
  });

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new StochRSI(1, 5, 3)).toThrow(IndicatorParameterError);
    expect(() => new StochRSI(14, 0, 3)).toThrow(IndicatorParameterError);
    expect(() => new StochRSI(14, 5, 0)).toThrow(IndicatorParameterError);
  });
});
