/**
 * Indicators over high, low, close and volume, by their lower-case spec names (`atr(14)`, `stoch(5,3,3)`).
 * Output keys become column names with the parameters appended (`plus_di` -> `plus_di_14`); docs/indicators-hlcv.md
 * lists them all. Parameters given as fewer values than listed take the remaining defaults; more throw.
 */
import type { BarIndicator, IndicatorDefinition } from './definition.js';
import type { Ohlcv, StreamingIndicator } from './indicator.js';
import { resolveParams } from './base.js';
import type { ScalarHlcvIndicator } from './hlcv-shared/base.js';
import { Adx, Adxr, Dx, MinusDi, PlusDi } from './adx/adx.js';
import type { AdxResult } from './adx/adx.js';
import { Aroon, AroonOsc } from './aroon/aroon.js';
import type { AroonResult } from './aroon/aroon.js';
import { Atr } from './atr/atr.js';
import { Cci } from './cci/cci.js';
import { Donchian } from './donchian/donchian.js';
import type { DonchianResult } from './donchian/donchian.js';
import { Keltner } from './keltner/keltner.js';
import type { KeltnerResult } from './keltner/keltner.js';
import { Mfi } from './mfi/mfi.js';
import { Natr } from './natr/natr.js';
import { Obv } from './obv/obv.js';
import { Sar } from './sar/sar.js';
import { Stoch } from './stoch/stoch.js';
import type { StochResult } from './stoch/stoch.js';
import { Vwap } from './vwap/vwap.js';
import { WillR } from './willr/willr.js';
import { MICROS_PER_MINUTE } from '../../core/time.js';

type Params = readonly (readonly [string, number])[];


function scalar(
  name: string,
  description: string,
  params: Params,
  make: (p: number[]) => ScalarHlcvIndicator<Ohlcv>,
): IndicatorDefinition {
  return {
    name,
    description,
    params,
    outputs: [name],
    create(values: readonly number[]): BarIndicator {
      const ind = make(resolveParams(name, params, values));
      return {
        lookback: ind.lookback,
        update(bar: Ohlcv, out: Float64Array, offset: number): boolean {
          // step + current rather than update: no double crosses the call, so nothing is boxed.
          const ready = ind.step(bar);
          out[offset] = ready ? ind.current : Number.NaN;
          return ready;
        },
        reset(): void {
          ind.reset();
        },
      };
    },
  };
}

function record<T>(
  name: string,
  description: string,
  params: Params,
  outputs: readonly string[],
  make: (p: number[]) => StreamingIndicator<Ohlcv, T>,
  write: (r: T, out: Float64Array, offset: number) => void,
): IndicatorDefinition {
  return {
    name,
    description,
    params,
    outputs,
    create(values: readonly number[]): BarIndicator {
      const ind = make(resolveParams(name, params, values));
      const width = outputs.length;
      return {
        lookback: ind.lookback,
        update(bar: Ohlcv, out: Float64Array, offset: number): boolean {
          const r = ind.update(bar);
          if (r === null) {
            out.fill(Number.NaN, offset, offset + width);
            return false;
          }
          write(r, out, offset);
          return true;
        },
        reset(): void {
          ind.reset();
        },
      };
    },
  };
}

/**
 * VWAP needs each bar's time, which `Ohlcv` does not carry: the bar indicator reads `tsOpen` (integer
 * microseconds, the bar's open time, as on core `Bar`) from the bar object, so callers pass `TimedOhlcv`
 * records. A bar without it throws MissingBarTimeError naming the fix.
 */
function vwapDefinition(): IndicatorDefinition {
  const params: Params = [
    ['session_minutes', 1440],
    ['anchor_minutes', 0],
  ];
  return {
    name: 'vwap',
    description: 'Session-anchored VWAP of (high+low+close)/3; sessions of session_minutes starting anchor_minutes after midnight UTC; bars carry tsOpen',
    params,
    outputs: ['vwap'],
    create(values: readonly number[]): BarIndicator {
      const [session, anchor] = resolveParams('vwap', params, values);
      const ind = new Vwap({ sessionMicros: session * MICROS_PER_MINUTE, anchorMicros: anchor * MICROS_PER_MINUTE });
      return {
        lookback: ind.lookback,
        update(bar: Ohlcv, out: Float64Array, offset: number): boolean {
          // Vwap reads bar.tsOpen itself (and throws MissingBarTimeError without it); passing the time as an
          // argument would box it on every call.
          ind.step(bar);
          out[offset] = ind.current;
          return true;
        },
        reset(): void {
          ind.reset();
        },
      };
    },
  };
}

const period = (p: number): Params => [['period', p]];

/** Indicators over high, low, close and volume. */
export const hlcvIndicators: readonly IndicatorDefinition[] = [
  scalar('atr', 'Average true range (Wilder), as TA-Lib ATR', period(14), ([p]) => new Atr(p)),
  scalar('natr', 'Normalised ATR: 100 * ATR / close, as TA-Lib NATR', period(14), ([p]) => new Natr(p)),
  record<Readonly<AdxResult>>(
    'adx',
    'Average directional index with +DI and -DI, as TA-Lib ADX, PLUS_DI, MINUS_DI (all from the ADX lookback)',
    period(14),
    ['adx', 'plus_di', 'minus_di'],
    ([p]) => new Adx(p),
    (r, out, o) => {
      out[o] = r.adx;
      out[o + 1] = r.plusDi;
      out[o + 2] = r.minusDi;
    },
  ),
  scalar('plusdi', '+DI alone, from its own (shorter) lookback, as TA-Lib PLUS_DI', period(14), ([p]) => new PlusDi(p)),
  scalar('minusdi', '-DI alone, from its own (shorter) lookback, as TA-Lib MINUS_DI', period(14), ([p]) => new MinusDi(p)),
  scalar('dx', 'Directional movement index 100 * |+DI - -DI| / (+DI + -DI), before ADX smoothing, as TA-Lib DX', period(14), ([p]) => new Dx(p)),
  scalar('adxr', 'Average directional movement rating (ADX + the ADX of period - 1 bars ago) / 2, as TA-Lib ADXR', period(14), ([p]) => new Adxr(p)),
  record<Readonly<AroonResult>>(
    'aroon',
    'Aroon down and up, as TA-Lib AROON',
    period(14),
    ['aroon_down', 'aroon_up'],
    ([p]) => new Aroon(p),
    (r, out, o) => {
      out[o] = r.down;
      out[o + 1] = r.up;
    },
  ),
  scalar('aroonosc', 'Aroon oscillator (up - down), as TA-Lib AROONOSC', period(14), ([p]) => new AroonOsc(p)),
  record<Readonly<StochResult>>(
    'stoch',
    'Stochastic slow %K and %D with SMA smoothing, as TA-Lib STOCH',
    [
      ['fastk_period', 5],
      ['slowk_period', 3],
      ['slowd_period', 3],
    ],
    ['stoch_k', 'stoch_d'],
    ([fk, sk, sd]) => new Stoch(fk, sk, sd),
    (r, out, o) => {
      out[o] = r.k;
      out[o + 1] = r.d;
    },
  ),
  scalar('cci', 'Commodity channel index, as TA-Lib CCI', period(14), ([p]) => new Cci(p)),
  scalar('willr', 'Williams %R (0 to -100), as TA-Lib WILLR', period(14), ([p]) => new WillR(p)),
  scalar('mfi', 'Money flow index, as TA-Lib MFI', period(14), ([p]) => new Mfi(p)),
  scalar('obv', 'On-balance volume, as TA-Lib OBV', [], () => new Obv()),
  vwapDefinition(),
  record<Readonly<KeltnerResult>>(
    'keltner',
    'Keltner channel: EMA(period) of close ± multiplier × ATR(atr_period)',
    [
      ['period', 20],
      ['multiplier', 2],
      ['atr_period', 10],
    ],
    ['keltner_upper', 'keltner_middle', 'keltner_lower'],
    ([p, m, a]) => new Keltner(p, m, a),
    (r, out, o) => {
      out[o] = r.upper;
      out[o + 1] = r.middle;
      out[o + 2] = r.lower;
    },
  ),
  record<Readonly<DonchianResult>>(
    'donchian',
    'Donchian channel: highest high, midpoint, lowest low over period bars (current bar included)',
    period(20),
    ['donchian_upper', 'donchian_middle', 'donchian_lower'],
    ([p]) => new Donchian(p),
    (r, out, o) => {
      out[o] = r.upper;
      out[o + 1] = r.middle;
      out[o + 2] = r.lower;
    },
  ),
  scalar(
    'sar',
    'Parabolic SAR, as TA-Lib SAR',
    [
      ['acceleration', 0.02],
      ['maximum', 0.2],
    ],
    ([a, m]) => new Sar(a, m),
  ),
];
