import { describe, expect, it } from 'vitest';
import { MICROS_PER_MINUTE } from '../../core/time.js';
import { hlcvIndicators } from './catalog-hlcv.js';
import type { IndicatorDefinition } from './definition.js';
import type { Ohlcv } from './indicator.js';
import { referenceSeries, toBars } from './hlcv-shared/testing/ohlcv.js';
import type { OhlcvColumns } from './hlcv-shared/testing/ohlcv.js';
import { contractBarSeries, describeDefinitionContract, expectMatchesTalib, talib } from './testing/index.js';
import { MissingBarTimeError } from './vwap/vwap.js';

const byName = new Map(hlcvIndicators.map((d) => [d.name, d]));
const def = (name: string): IndicatorDefinition => {
  const d = byName.get(name);
  if (d === undefined) throw new Error(`no definition ${name}`);
  return d;
};

/** Runs a definition's bar indicator over bars; one column per output. */
function runDefinition(d: IndicatorDefinition, params: readonly number[], bars: readonly Ohlcv[]): Float64Array[] {
  const ind = d.create(params);
  const width = d.outputs.length;
  const cols = d.outputs.map(() => new Float64Array(bars.length));
  const out = new Float64Array(width);
  bars.forEach((bar, i) => {
    ind.update(bar, out, 0);
    for (let k = 0; k < width; k++) cols[k][i] = out[k];
  });
  return cols;
}

type Reference = (s: OhlcvColumns, p: readonly number[]) => Float64Array[];
const hlc = (s: OhlcvColumns) => ({ high: s.high, low: s.low, close: s.close });

/** Each definition's outputs from TA-Lib (or composed from TA-Lib functions), for one parameter set. */
const references: Record<string, { params: number[]; ref: Reference }> = {
  atr: { params: [14], ref: (s, [p]) => [talib('ATR', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  natr: { params: [7], ref: (s, [p]) => [talib('NATR', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  adx: {
    params: [14],
    ref: (s, [p]) => {
      const adx = talib('ADX', hlc(s), { optInTimePeriod: p }).outputs.outReal;
      const warm = (col: Float64Array) => col.map((v, i) => (Number.isNaN(adx[i]) ? Number.NaN : v));
      return [adx, warm(talib('PLUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal), warm(talib('MINUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal)];
    },
  },
  plusdi: { params: [9], ref: (s, [p]) => [talib('PLUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  minusdi: { params: [9], ref: (s, [p]) => [talib('MINUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  dx: { params: [9], ref: (s, [p]) => [talib('DX', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  adxr: { params: [14], ref: (s, [p]) => [talib('ADXR', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  aroon: {
    params: [25],
    ref: (s, [p]) => {
      const r = talib('AROON', { high: s.high, low: s.low }, { optInTimePeriod: p }).outputs;
      return [r.outAroonDown, r.outAroonUp];
    },
  },
  aroonosc: { params: [25], ref: (s, [p]) => [talib('AROONOSC', { high: s.high, low: s.low }, { optInTimePeriod: p }).outputs.outReal] },
  stoch: {
    params: [14, 3, 5],
    ref: (s, [fk, sk, sd]) => {
      const r = talib('STOCH', hlc(s), { optInFastK_Period: fk, optInSlowK_Period: sk, optInSlowK_MAType: 0, optInSlowD_Period: sd, optInSlowD_MAType: 0 }).outputs;
      return [r.outSlowK, r.outSlowD];
    },
  },
  cci: { params: [20], ref: (s, [p]) => [talib('CCI', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  willr: { params: [14], ref: (s, [p]) => [talib('WILLR', hlc(s), { optInTimePeriod: p }).outputs.outReal] },
  mfi: { params: [14], ref: (s, [p]) => [talib('MFI', { ...hlc(s), volume: s.volume }, { optInTimePeriod: p }).outputs.outReal] },
  obv: { params: [], ref: (s) => [talib('OBV', { inReal: s.close, volume: s.volume }).outputs.outReal] },
  keltner: {
    params: [20, 2, 10],
    ref: (s, [p, m, a]) => {
      const ema = talib('EMA', { inReal: s.close }, { optInTimePeriod: p }).outputs.outReal;
      const atr = talib('ATR', hlc(s), { optInTimePeriod: a }).outputs.outReal;
      return [ema.map((e, i) => e + m * atr[i]), ema.map((e, i) => (Number.isNaN(atr[i]) ? Number.NaN : e)), ema.map((e, i) => e - m * atr[i])];
    },
  },
  donchian: {
    params: [20],
    ref: (s, [p]) => {
      const hi = talib('MAX', { inReal: s.high }, { optInTimePeriod: p }).outputs.outReal;
      const lo = talib('MIN', { inReal: s.low }, { optInTimePeriod: p }).outputs.outReal;
      return [hi, hi.map((h, i) => (h + lo[i]) / 2), lo];
    },
  },
  sar: { params: [0.02, 0.2], ref: (s, [a, m]) => [talib('SAR', { high: s.high, low: s.low }, { optInAcceleration: a, optInMaximum: m }).outputs.outReal] },
};

describe('HLCV catalog', () => {
  it('names every indicator of the issue in lower case, once', () => {
    const names = hlcvIndicators.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['atr', 'natr', 'adx', 'plusdi', 'minusdi', 'dx', 'adxr', 'aroon', 'stoch', 'cci', 'willr', 'mfi', 'obv', 'vwap', 'keltner', 'donchian', 'sar']) {
      expect(names).toContain(n);
    }
    expect(def('adx').outputs).toEqual(['adx', 'plus_di', 'minus_di']);
    expect(def('aroon').outputs).toEqual(['aroon_down', 'aroon_up']);
    expect(def('stoch').outputs).toEqual(['stoch_k', 'stoch_d']);
    expect(def('keltner').outputs).toEqual(['keltner_upper', 'keltner_middle', 'keltner_lower']);
    expect(def('donchian').outputs).toEqual(['donchian_upper', 'donchian_middle', 'donchian_lower']);
  });

  for (const [name, { params, ref }] of Object.entries(references)) {
    it(`${name}(${params.join(',')}) through its bar indicator equals TA-Lib`, () => {
      for (const [seriesName, s] of Object.entries(referenceSeries(2500))) {
        const ours = runDefinition(def(name), params, toBars(s));
        const expected = ref(s, params);
        expect(ours.length).toBe(expected.length);
        ours.forEach((col, k) => expectMatchesTalib(col, expected[k], `${name}.${def(name).outputs[k]} on ${seriesName}`));
        expect(def(name).create(params).lookback).toBe(expected[0].findIndex((v) => !Number.isNaN(v)));
      }
    });
  }

  it('fills omitted trailing parameters with defaults', () => {
    const s = referenceSeries(300).smooth;
    const bars = toBars(s);
    expect(runDefinition(def('stoch'), [14], bars)).toEqual(runDefinition(def('stoch'), [14, 3, 3], bars));
    expect(runDefinition(def('atr'), [], bars)).toEqual(runDefinition(def('atr'), [14], bars));
  });

  it('vwap reads tsOpen from the bar and says what is missing without it', () => {
    const ind = def('vwap').create([60, 0]);
    const out = new Float64Array(1);
    const bar = { open: 1, high: 3, low: 1, close: 2, volume: 5 };
    ind.update({ ...bar, tsOpen: 0 } as Ohlcv, out, 0);
    expect(out[0]).toBe(2);
    ind.update({ ...bar, high: 6, low: 6, close: 6, tsOpen: 59 * MICROS_PER_MINUTE } as Ohlcv, out, 0);
    expect(out[0]).toBe(4);
    ind.update({ ...bar, high: 9, low: 9, close: 9, tsOpen: 60 * MICROS_PER_MINUTE } as Ohlcv, out, 0);
    expect(out[0]).toBe(9); // a new one-hour session
    expect(() => ind.update(bar, out, 0)).toThrow(MissingBarTimeError);
  });
});

const timed = contractBarSeries().random.map((b, i) => ({ ...b, tsOpen: i * 7 * MICROS_PER_MINUTE }));
for (const d of hlcvIndicators) describeDefinitionContract(d, timed);
describeDefinitionContract(def('stoch'), timed, [
  [5, 3, 3],
  [1, 1, 1],
]);
describeDefinitionContract(def('keltner'), timed, [[5, 1.5, 30]]);
