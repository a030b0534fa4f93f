import { describe, expect, it } from 'vitest';
import { IndicatorParameterError } from '../base.js';
import { describeIndicatorContract } from '../testing/contract.js';
import { contractPriceSeries, randomWalk } from '../testing/series.js';
import { expectMatchesTalib, expectStreamingMatchesTalib, talib } from '../testing/talib.js';
import { MACD, macdBatch } from './macd.js';

describeIndicatorContract('MACD(12,26,9)', () => new MACD(12, 26, 9), contractPriceSeries());
describeIndicatorContract('MACD(3,5,2)', () => new MACD(3, 5, 2), contractPriceSeries());

describe('MACD', () => {
  const walk = randomWalk(5000, 303);
  const volatile = randomWalk(3000, 404, { volatility: 0.05, start: 0.0003 });
  const paramSets: [number, number, number][] = [
    [12, 26, 9],
    [5, 35, 5],
    [2, 3, 2],
    [26, 12, 9], // TA-Lib swaps fast and slow
    [10, 10, 4],
  ];
  for (const [label, input, tolerance] of [
    ['walk', walk, {}],
    ['volatile low-priced', volatile, { abs: 1e-15 }],
  ] as const) {
    for (const [fast, slow, signal] of paramSets) {
      it(`equals TA-Lib MACD(${fast},${slow},${signal}) on the ${label} series, streaming and in batch`, () => {
        const options = { optInFastPeriod: fast, optInSlowPeriod: slow, optInSignalPeriod: signal };
        expectStreamingMatchesTalib({
          label: `MACD(${fast},${slow},${signal})`,
          indicator: new MACD(fast, slow, signal),
          inputs: Array.from(input),
          talibName: 'MACD',
          talibInputs: { inReal: input },
          talibOptions: options,
          outputs: { outMACD: (r) => r.macd, outMACDSignal: (r) => r.signal, outMACDHist: (r) => r.histogram },
          tolerance,
        });
        const ref = talib('MACD', { inReal: input }, options).outputs;
        const b = macdBatch(input, fast, slow, signal);
        expectMatchesTalib(b.macd, ref.outMACD, 'macdBatch macd', tolerance);
        expectMatchesTalib(b.signal, ref.outMACDSignal, 'macdBatch signal', tolerance);
        expectMatchesTalib(b.histogram, ref.outMACDHist, 'macdBatch hist', tolerance);
      });
    }
  }

  it('reuses one result object, so updating allocates nothing', () => {
    const m = new MACD(2, 3, 2);
    const rs = [1, 2, 3, 4, 5].map((x) => m.update(x));
    expect(rs[2]).toBeNull();
    expect(rs[3]).not.toBeNull();
    expect(rs[4]).toBe(rs[3]);
  });

  it('rejects parameters TA-Lib rejects', () => {
    expect(() => new MACD(1, 26, 9)).toThrow(IndicatorParameterError);
    expect(() => new MACD(12, 26, 1)).toThrow(IndicatorParameterError);
  });
});
