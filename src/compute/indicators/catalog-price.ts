/**
 * Indicators over one price series (the bar's close), by their lower-case spec names (`rsi(14)`, `macd`).
 * Parameters given as fewer values than listed take the remaining defaults; more throw. docs/indicators.md lists
 * every name, parameter, output and column.
 */
import { resolveParams } from './base.js';
import type { ScalarIndicator } from './base.js';
import type { BarIndicator, IndicatorDefinition } from './definition.js';
import type { Ohlcv, StreamingIndicator } from './indicator.js';
import { BollingerBands } from './bbands/bbands.js';
import { DEMA } from './dema/dema.js';
import { EMA } from './ema/ema.js';
import { KAMA } from './kama/kama.js';
import { LinRegSlope } from './linregslope/linregslope.js';
import { MACD } from './macd/macd.js';
import { MOM } from './mom/mom.js';
import { ROC } from './roc/roc.js';
import { RSI } from './rsi/rsi.js';
import { SMA } from './sma/sma.js';
import { StdDev } from './stddev/stddev.js';
import { StochRSI } from './stochrsi/stochrsi.js';
import { TEMA } from './tema/tema.js';
import { WMA } from './wma/wma.js';

type Params = readonly (readonly [string, number])[];


function scalar(name: string, description: string, params: Params, make: (p: number[]) => ScalarIndicator): IndicatorDefinition {
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
          // push + current rather than update: no boxed double even when the call is not inlined.
          const ready = ind.push(bar.close);
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
  make: (p: number[]) => StreamingIndicator<number, T>,
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
          const r = ind.update(bar.close);
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

const period = (p: number): Params => [['period', p]];

/** Indicators over a single price series (the close). */
export const priceIndicators: readonly IndicatorDefinition[] = [
  scalar('sma', 'Simple moving average of the close, as TA-Lib SMA', period(20), ([p]) => new SMA(p)),
  scalar('ema', 'Exponential moving average (SMA-seeded), as TA-Lib EMA', period(20), ([p]) => new EMA(p)),
  scalar('wma', 'Linearly weighted moving average, as TA-Lib WMA', period(20), ([p]) => new WMA(p)),
  scalar('dema', 'Double exponential moving average, as TA-Lib DEMA', period(20), ([p]) => new DEMA(p)),
  scalar('tema', 'Triple exponential moving average, as TA-Lib TEMA', period(20), ([p]) => new TEMA(p)),
  scalar('kama', 'Kaufman adaptive moving average (fast 2, slow 30), as TA-Lib KAMA', period(10), ([p]) => new KAMA(p)),
  scalar('rsi', 'Relative strength index (Wilder smoothing), as TA-Lib RSI', period(14), ([p]) => new RSI(p)),
  record(
    'macd',
    'MACD line, signal and histogram (EMAs aligned and SMA-seeded), as TA-Lib MACD',
    [
      ['fast', 12],
      ['slow', 26],
      ['signal', 9],
    ],
    ['macd', 'macd_signal', 'macd_hist'],
    ([f, s, g]) => new MACD(f, s, g),
    (r, out, o) => {
      out[o] = r.macd;
      out[o + 1] = r.signal;
      out[o + 2] = r.histogram;
    },
  ),
  record(
    'bbands',
    'Bollinger Bands: SMA(period) ± k population standard deviations, as TA-Lib BBANDS with nbdevup = nbdevdn = k',
    [
      ['period', 20],
      ['k', 2],
    ],
    ['bbands_upper', 'bbands_middle', 'bbands_lower'],
    ([p, k]) => new BollingerBands(p, k, k),
    (r, out, o) => {
      out[o] = r.upper;
      out[o + 1] = r.middle;
      out[o + 2] = r.lower;
    },
  ),
  scalar(
    'stddev',
    'Population standard deviation times nbdev, as TA-Lib STDDEV',
    [
      ['period', 20],
      ['nbdev', 1],
    ],
    ([p, k]) => new StdDev(p, k),
  ),
  scalar('linregslope', 'Slope of the least-squares line per bar, as TA-Lib LINEARREG_SLOPE', period(14), ([p]) => new LinRegSlope(p)),
  scalar('roc', 'Rate of change in percent, as TA-Lib ROC', period(10), ([p]) => new ROC(p)),
  scalar('mom', 'Momentum: close minus the close period bars ago, as TA-Lib MOM', period(10), ([p]) => new MOM(p)),
  record(
    'stochrsi',
    'Stochastic RSI fast %K and fast %D (SMA), as TA-Lib STOCHRSI',
    [
      ['period', 14],
      ['fastk_period', 14],
      ['fastd_period', 3],
    ],
    ['stochrsi_k', 'stochrsi_d'],
    ([p, k, d]) => new StochRSI(p, k, d),
    (r, out, o) => {
      out[o] = r.fastK;
      out[o + 1] = r.fastD;
    },
  ),
];
