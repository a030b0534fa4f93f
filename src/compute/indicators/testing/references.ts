/**
 * TA-Lib references for every indicator in the registry, for evaluations and benchmarks.
 *
 * API
 * - `talibReferences[name]`: `{ functions, ref(series, params) }` where `ref` returns one column per output of the
 *   registry definition `name` (same order), computed by TA-Lib (composed from TA-Lib functions for keltner and
 *   donchian), aligned with the input and NaN before TA-Lib's lookback. `functions` names the TA-Lib calls.
 * - `vwapReference(series, tsOpen, sessionMicros, anchorMicros)`: session-anchored VWAP of the typical price, a
 *   direct cumulative-sum implementation (TA-Lib has no VWAP), used as an independent reference.
 * Columns may be plain arrays (passed to the binding without an extra copy) or typed arrays.
 */
import { talib } from './talib.js';

export interface ReferenceSeries {
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
}

export interface TalibReference {
  readonly functions: readonly string[];
  ref(series: ReferenceSeries, params: readonly number[]): Float64Array[];
}

const hlc = (s: ReferenceSeries) => ({ high: s.high, low: s.low, close: s.close });
const real = (name: string, option = 'optInTimePeriod'): TalibReference => ({
  functions: [name],
  ref: (s, [p]) => [talib(name, { inReal: s.close }, { [option]: p }).outputs.outReal],
});
const hlcPeriod = (name: string): TalibReference => ({
  functions: [name],
  ref: (s, [p]) => [talib(name, hlc(s), { optInTimePeriod: p }).outputs.outReal],
});

export const talibReferences: Readonly<Record<string, TalibReference>> = {
  sma: real('SMA'),
  ema: real('EMA'),
  wma: real('WMA'),
  dema: real('DEMA'),
  tema: real('TEMA'),
  kama: real('KAMA'),
  rsi: real('RSI'),
  linregslope: real('LINEARREG_SLOPE'),
  roc: real('ROC'),
  mom: real('MOM'),
  macd: {
    functions: ['MACD'],
    ref: (s, [f, sl, g]) => {
      const r = talib('MACD', { inReal: s.close }, { optInFastPeriod: f, optInSlowPeriod: sl, optInSignalPeriod: g }).outputs;
      return [r.outMACD, r.outMACDSignal, r.outMACDHist];
    },
  },
  bbands: {
    functions: ['BBANDS'],
    ref: (s, [p, k]) => {
      const r = talib('BBANDS', { inReal: s.close }, { optInTimePeriod: p, optInNbDevUp: k, optInNbDevDn: k, optInMAType: 0 }).outputs;
      return [r.outRealUpperBand, r.outRealMiddleBand, r.outRealLowerBand];
    },
  },
  stddev: {
    functions: ['STDDEV'],
    ref: (s, [p, k]) => [talib('STDDEV', { inReal: s.close }, { optInTimePeriod: p, optInNbDev: k }).outputs.outReal],
  },
  stochrsi: {
    functions: ['STOCHRSI'],
    ref: (s, [p, k, d]) => {
      const r = talib('STOCHRSI', { inReal: s.close }, { optInTimePeriod: p, optInFastK_Period: k, optInFastD_Period: d, optInFastD_MAType: 0 }).outputs;
      return [r.outFastK, r.outFastD];
    },
  },
  atr: hlcPeriod('ATR'),
  natr: hlcPeriod('NATR'),
  plusdi: hlcPeriod('PLUS_DI'),
  minusdi: hlcPeriod('MINUS_DI'),
  dx: hlcPeriod('DX'),
  adxr: hlcPeriod('ADXR'),
  cci: hlcPeriod('CCI'),
  willr: hlcPeriod('WILLR'),
  adx: {
    functions: ['ADX', 'PLUS_DI', 'MINUS_DI'],
    ref: (s, [p]) => {
      const adx = talib('ADX', hlc(s), { optInTimePeriod: p }).outputs.outReal;
      // The catalog's adx emits +DI/-DI from ADX's (longer) lookback, so that one row is all warm or all empty.
      const warm = (col: Float64Array) => col.map((v, i) => (Number.isNaN(adx[i]) ? Number.NaN : v));
      return [adx, warm(talib('PLUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal), warm(talib('MINUS_DI', hlc(s), { optInTimePeriod: p }).outputs.outReal)];
    },
  },
  aroon: {
    functions: ['AROON'],
    ref: (s, [p]) => {
      const r = talib('AROON', { high: s.high, low: s.low }, { optInTimePeriod: p }).outputs;
      return [r.outAroonDown, r.outAroonUp];
    },
  },
  aroonosc: { functions: ['AROONOSC'], ref: (s, [p]) => [talib('AROONOSC', { high: s.high, low: s.low }, { optInTimePeriod: p }).outputs.outReal] },
  stoch: {
    functions: ['STOCH'],
    ref: (s, [fk, sk, sd]) => {
      const r = talib('STOCH', hlc(s), { optInFastK_Period: fk, optInSlowK_Period: sk, optInSlowK_MAType: 0, optInSlowD_Period: sd, optInSlowD_MAType: 0 }).outputs;
      return [r.outSlowK, r.outSlowD];
    },
  },
  mfi: { functions: ['MFI'], ref: (s, [p]) => [talib('MFI', { ...hlc(s), volume: s.volume }, { optInTimePeriod: p }).outputs.outReal] },
  obv: { functions: ['OBV'], ref: (s) => [talib('OBV', { inReal: s.close, volume: s.volume }).outputs.outReal] },
  keltner: {
    functions: ['EMA', 'ATR'],
    ref: (s, [p, m, a]) => {
      const ema = talib('EMA', { inReal: s.close }, { optInTimePeriod: p }).outputs.outReal;
      const atr = talib('ATR', hlc(s), { optInTimePeriod: a }).outputs.outReal;
      return [ema.map((e, i) => e + m * atr[i]), ema.map((e, i) => (Number.isNaN(atr[i]) ? Number.NaN : e)), ema.map((e, i) => e - m * atr[i])];
    },
  },
  donchian: {
    functions: ['MAX', 'MIN'],
    ref: (s, [p]) => {
      const hi = talib('MAX', { inReal: s.high }, { optInTimePeriod: p }).outputs.outReal;
      const lo = talib('MIN', { inReal: s.low }, { optInTimePeriod: p }).outputs.outReal;
      return [hi, hi.map((h, i) => (h + lo[i]) / 2), lo];
    },
  },
  sar: {
    functions: ['SAR'],
    ref: (s, [a, m]) => [talib('SAR', { high: s.high, low: s.low }, { optInAcceleration: a, optInMaximum: m }).outputs.outReal],
  },
};

/** Session-anchored VWAP of (high + low + close) / 3, restarting when a bar opens in a new session. */
export function vwapReference(series: ReferenceSeries, tsOpen: ArrayLike<number>, sessionMicros: number, anchorMicros: number): Float64Array {
  const n = series.close.length;
  const out = new Float64Array(n);
  let session = Number.NaN;
  let pv = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const s = Math.floor((tsOpen[i] - anchorMicros) / sessionMicros);
    if (s !== session) {
      session = s;
      pv = 0;
      v = 0;
    }
    const tp = (series.high[i] + series.low[i] + series.close[i]) / 3;
    pv += tp * series.volume[i];
    v += series.volume[i];
    out[i] = v === 0 ? tp : pv / v;
  }
  return out;
}
