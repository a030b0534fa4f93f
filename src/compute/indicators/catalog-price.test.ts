import { describe, expect, it } from 'vitest';
import { priceIndicators } from './catalog-price.js';
import type { IndicatorDefinition } from './definition.js';
import type { Ohlcv } from './indicator.js';
import { contractBarSeries, describeDefinitionContract, expectMatchesTalib, randomOhlcv, talib, toBars } from './testing/index.js';

const byName = new Map(priceIndicators.map((d) => [d.name, d]));
const def = (name: string): IndicatorDefinition => {
  const d = byName.get(name);
  if (d === undefined) throw new Error(`no definition ${name}`);
  return d;
};

function runDefinition(d: IndicatorDefinition, params: readonly number[], bars: readonly Ohlcv[]): Float64Array[] {
  const ind = d.create(params);
  const cols = d.outputs.map(() => new Float64Array(bars.length));
  const out = new Float64Array(d.outputs.length);
  bars.forEach((bar, i) => {
    ind.update(bar, out, 0);
    cols.forEach((c, k) => (c[i] = out[k]));
  });
  return cols;
}

/** TA-Lib function, options and output names for each definition and one parameter set. */
const references: Record<string, { params: number[]; talib: string; options: (p: number[]) => Record<string, number>; outputs: string[] }> = {
  sma: { params: [7], talib: 'SMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  ema: { params: [9], talib: 'EMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  wma: { params: [9], talib: 'WMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  dema: { params: [9], talib: 'DEMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  tema: { params: [9], talib: 'TEMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  kama: { params: [10], talib: 'KAMA', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  rsi: { params: [14], talib: 'RSI', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  macd: {
    params: [12, 26, 9],
    talib: 'MACD',
    options: ([f, s, g]) => ({ optInFastPeriod: f, optInSlowPeriod: s, optInSignalPeriod: g }),
    outputs: ['outMACD', 'outMACDSignal', 'outMACDHist'],
  },
  bbands: {
    params: [20, 2.5],
    talib: 'BBANDS',
    options: ([p, k]) => ({ optInTimePeriod: p, optInNbDevUp: k, optInNbDevDn: k, optInMAType: 0 }),
    outputs: ['outRealUpperBand', 'outRealMiddleBand', 'outRealLowerBand'],
  },
  stddev: { params: [20, 2], talib: 'STDDEV', options: ([p, k]) => ({ optInTimePeriod: p, optInNbDev: k }), outputs: ['outReal'] },
  linregslope: { params: [14], talib: 'LINEARREG_SLOPE', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  roc: { params: [10], talib: 'ROC', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  mom: { params: [10], talib: 'MOM', options: ([p]) => ({ optInTimePeriod: p }), outputs: ['outReal'] },
  stochrsi: {
    params: [14, 14, 3],
    talib: 'STOCHRSI',
    options: ([p, k, d]) => ({ optInTimePeriod: p, optInFastK_Period: k, optInFastD_Period: d, optInFastD_MAType: 0 }),
    outputs: ['outFastK', 'outFastD'],
  },
};

const { random, flatRun } = contractBarSeries();
for (const d of priceIndicators) {
  describeDefinitionContract(d, random);
  describeDefinitionContract(d, flatRun, [references[d.name]?.params ?? []]);
}

describe('price catalog', () => {
  it('has the fourteen price indicators, each with a TA-Lib reference here', () => {
    expect(priceIndicators.map((d) => d.name).sort()).toStrictEqual(Object.keys(references).sort());
  });

  const series = randomOhlcv(4000, 99);
  const bars = toBars(series);
  for (const [name, ref] of Object.entries(references)) {
    it(`${name}(${ref.params.join(',')}) writes TA-Lib ${ref.talib} into its output slots`, () => {
      const cols = runDefinition(def(name), ref.params, bars);
      const expected = talib(ref.talib, { inReal: series.close }, ref.options(ref.params)).outputs;
      expect(cols.length).toBe(ref.outputs.length);
      ref.outputs.forEach((o, k) => expectMatchesTalib(cols[k], expected[o], `${name} ${o}`));
    });
  }

  it('fills omitted trailing parameters with defaults and rejects extra ones', () => {
    const [full] = runDefinition(def('stddev'), [20, 1], bars);
    const [partial] = runDefinition(def('stddev'), [20], bars);
    const [none] = runDefinition(def('stddev'), [], bars);
    expect(partial).toStrictEqual(full);
    expect(none).toStrictEqual(full);
    expect(() => def('rsi').create([14, 2])).toThrow(/rsi takes at most 1 parameters \(period\), got 2/);
    expect(() => def('rsi').create([1])).toThrow(/period/);
  });
});
