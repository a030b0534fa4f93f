import { describe, expect, it } from 'vitest';
import { IndicatorRow, IndicatorSpecError, columnName, findIndicator, indicatorDefinitions, parseIndicatorSpec } from './registry.js';
import { randomOhlcv, toBars } from './testing/series.js';
import { expectMatchesTalib, talib } from './testing/talib.js';

describe('indicator registry', () => {
  it('reaches every indicator of the issue by its lower-case name', () => {
    const issue = ['sma', 'ema', 'wma', 'dema', 'tema', 'kama', 'rsi', 'macd', 'bbands', 'atr', 'natr', 'adx', 'aroon', 'stoch', 'stochrsi', 'cci', 'roc', 'mom', 'willr', 'mfi', 'obv', 'vwap', 'keltner', 'donchian', 'sar', 'stddev', 'linregslope'];
    for (const name of issue) expect(findIndicator(name)?.name, name).toBe(name);
    expect(findIndicator(' RSI ')?.name).toBe('rsi');
    expect(findIndicator('nope')).toBeUndefined();
    expect(new Set(indicatorDefinitions.map((d) => d.name)).size).toBe(indicatorDefinitions.length);
  });

  it('names columns <output>_<params joined by _>', () => {
    expect(columnName('macd_signal', [12, 26, 9])).toBe('macd_signal_12_26_9');
    expect(columnName('sar', [0.02, 0.2])).toBe('sar_0.02_0.2');
    expect(columnName('obv', [])).toBe('obv');
  });
});

describe('parseIndicatorSpec', () => {
  it('parses the issue example into instances with the documented column names', () => {
    const xs = parseIndicatorSpec('rsi(14),macd(12,26,9),bbands(20,2),atr(14)');
    expect(xs.map((x) => x.spec)).toStrictEqual(['rsi(14)', 'macd(12,26,9)', 'bbands(20,2)', 'atr(14)']);
    expect(xs.flatMap((x) => x.columns)).toStrictEqual([
      'rsi_14',
      'macd_12_26_9',
      'macd_signal_12_26_9',
      'macd_hist_12_26_9',
      'bbands_upper_20_2',
      'bbands_middle_20_2',
      'bbands_lower_20_2',
      'atr_14',
    ]);
    expect(xs.map((x) => x.indicator.lookback)).toStrictEqual([14, 33, 19, 14]);
  });

  it('fills omitted parameters with defaults, accepts spaces, case and empty parentheses', () => {
    const xs = parseIndicatorSpec(' RSI , macd(5) ,obv(), sar( 0.01 , 0.1 ), bbands(10, 2.5)');
    expect(xs.map((x) => x.spec)).toStrictEqual(['rsi(14)', 'macd(5,26,9)', 'obv', 'sar(0.01,0.1)', 'bbands(10,2.5)']);
    expect(xs[2].columns).toStrictEqual(['obv']);
    expect(xs[4].columns[0]).toBe('bbands_upper_10_2.5');
    expect(parseIndicatorSpec('stoch').flatMap((x) => x.columns)).toStrictEqual(['stoch_k_5_3_3', 'stoch_d_5_3_3']);
  });

  it('gives each item a fresh, independent instance', () => {
    const [a] = parseIndicatorSpec('sma(2)');
    const [b] = parseIndicatorSpec('sma(2)');
    expect(a.indicator).not.toBe(b.indicator);
  });

  const errors: [string, RegExp][] = [
    ['', /empty indicator spec/],
    ['   ', /empty indicator spec/],
    ['foo(3)', /unknown indicator "foo" in "foo\(3\)"; known: sma, ema/],
    ['rsi(14,2)', /rsi takes at most 1 parameter \(period\), got 2 in "rsi\(14,2\)"/],
    ['macd(1,2,3,4)', /macd takes at most 3 parameters \(fast, slow, signal\), got 4/],
    ['obv(3)', /obv takes no parameters, got 1/],
    ['rsi(1)', /invalid parameters in "rsi\(1\)": RSI: period must be an integer from 2/],
    ['rsi(14.5)', /invalid parameters in "rsi\(14.5\)"/],
    ['rsi(x)', /parameter "x" of rsi is not a number/],
    ['rsi(14', /missing "\)" after rsi\(/],
    ['rsi(14),', /expected an indicator after ","/],
    [',rsi', /character 1: expected an indicator name/],
    ['rsi(14) ema', /expected "," after rsi\(14\)/],
    ['rsi((14))', /unexpected "\("/],
    ['rsi(14,)', /parameter "" of rsi is not a number/],
    ['9rsi', /"9rsi" is not an indicator name/],
    ['rsi(14),rsi', /column rsi_14 would be produced twice \(by "rsi\(14\)" and "rsi"\)/],
  ];
  for (const [spec, message] of errors) {
    it(`rejects "${spec}" clearly`, () => {
      let caught: unknown;
      try {
        parseIndicatorSpec(spec);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(IndicatorSpecError);
      expect((caught as IndicatorSpecError).message).toMatch(message);
      expect((caught as IndicatorSpecError).spec).toBe(spec);
    });
  }
});

describe('IndicatorRow', () => {
  it('fills one row per bar in column order, NaN until each indicator is warm, and resets', () => {
    const s = randomOhlcv(300, 5);
    const bars = toBars(s);
    const row = IndicatorRow.fromSpec('rsi(14),macd(12,26,9),atr(14)');
    expect(row.columns).toStrictEqual(['rsi_14', 'macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9', 'atr_14']);
    expect(Array.from(row.values).every(Number.isNaN)).toBe(true);
    const cols = row.columns.map(() => new Float64Array(bars.length));
    const run = (): void =>
      bars.forEach((b, i) => {
        const v = row.update(b);
        cols.forEach((c, k) => (c[i] = v[k]));
      });
    run();
    expectMatchesTalib(cols[0], talib('RSI', { inReal: s.close }, { optInTimePeriod: 14 }).outputs.outReal, 'rsi');
    expectMatchesTalib(cols[3], talib('MACD', { inReal: s.close }, { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }).outputs.outMACDHist, 'macd hist');
    expectMatchesTalib(cols[4], talib('ATR', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 14 }).outputs.outReal, 'atr');
    const first = cols.map((c) => Float64Array.from(c));
    row.reset();
    expect(Array.from(row.values).every(Number.isNaN)).toBe(true);
    run();
    expect(cols).toStrictEqual(first);
  });
});
