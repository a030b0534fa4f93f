import { describe, expect, it } from 'vitest';
import { contractBarSeries, describeIndicatorContract, expectMatchesTalib, streamColumns, talib } from '../testing/index.js';
import { referenceSeries, toBars } from '../hlcv-shared/testing/ohlcv.js';
import { Adx, adx, Adxr, adxr, Dx, dx, MinusDi, PlusDi } from './adx.js';

const series = referenceSeries();

describe('ADX, +DI and -DI against TA-Lib', () => {
  for (const [name, s] of Object.entries(series)) {
    const hlc = { high: s.high, low: s.low, close: s.close };
    for (const period of [2, 5, 14, 28]) {
      it(`${name}, period ${period}`, () => {
        const opt = { optInTimePeriod: period };
        const refAdx = talib('ADX', hlc, opt);
        const refPlus = talib('PLUS_DI', hlc, opt);
        const refMinus = talib('MINUS_DI', hlc, opt);
        const cols = adx(s.high, s.low, s.close, period);
        expectMatchesTalib(cols.adx, refAdx.outputs.outReal, `adx ${name} ${period}`);
        expectMatchesTalib(cols.plusDi, refPlus.outputs.outReal, `+di ${name} ${period}`);
        expectMatchesTalib(cols.minusDi, refMinus.outputs.outReal, `-di ${name} ${period}`);

        const ind = new Adx(period);
        expect(ind.lookback).toBe(refAdx.begIndex);
        expect(new PlusDi(period).lookback).toBe(refPlus.begIndex);
        expect(new MinusDi(period).lookback).toBe(refMinus.begIndex);
        const [a, p, m] = streamColumns(ind, toBars(s), (r) => [r.adx, r.plusDi, r.minusDi], 3);
        expectMatchesTalib(a, refAdx.outputs.outReal, `adx stream ${name} ${period}`);
        // From ADX's lookback on, the record's DI lines are TA-Lib's PLUS_DI / MINUS_DI.
        expectMatchesTalib(p.subarray(ind.lookback), refPlus.outputs.outReal.subarray(ind.lookback), `+di stream ${name}`);
        expectMatchesTalib(m.subarray(ind.lookback), refMinus.outputs.outReal.subarray(ind.lookback), `-di stream ${name}`);
      });
    }
  }

  for (const [name, s] of Object.entries(series)) {
    for (const period of [2, 5, 14, 28]) {
      it(`DX and ADXR, ${name}, period ${period}: batch and streaming`, () => {
        const hlc = { high: s.high, low: s.low, close: s.close };
        const bars = toBars(s);
        for (const [fn, make, batch] of [
          ['DX', () => new Dx(period), dx],
          ['ADXR', () => new Adxr(period), adxr],
        ] as const) {
          const ref = talib(fn, hlc, { optInTimePeriod: period });
          const ind = make();
          expect(ind.lookback, fn).toBe(ref.begIndex);
          expectMatchesTalib(batch(s.high, s.low, s.close, period), ref.outputs.outReal, `${fn} batch ${name} ${period}`);
          const [ours] = streamColumns(ind, bars, (v) => [v], 1);
          expectMatchesTalib(ours, ref.outputs.outReal, `${fn} stream ${name} ${period}`);
        }
      });
    }
  }

  it('reaches TA-Lib zero guards on the long flat stretch (DI = 0, ADX held)', () => {
    const s = series.longFlat;
    const refPlus = talib('PLUS_DI', { high: s.high, low: s.low, close: s.close }, { optInTimePeriod: 5 }).outputs.outReal;
    const zeros = Array.from(refPlus.subarray(1000, 1900)).filter((v) => v === 0).length;
    expect(zeros, 'the flat run must drive the smoothed true range below 1e-14').toBeGreaterThan(100);
    const cols = adx(s.high, s.low, s.close, 5);
    expect(Array.from(cols.plusDi.subarray(1000, 1900)).filter((v) => v === 0).length).toBe(zeros);
    expect(cols.adx[1850]).toBe(cols.adx[1851]);
  });

  it('rejects period 1 and non-integers', () => {
    expect(() => new Adx(1)).toThrow(/period/);
    expect(() => new PlusDi(1)).toThrow(/period/);
    expect(() => new MinusDi(3.5)).toThrow(/period/);
    expect(() => new Dx(1)).toThrow(/DX: period/);
    expect(() => new Adxr(1)).toThrow(/ADXR: period/);
    expect(() => adxr(new Float64Array(3), new Float64Array(3), new Float64Array(2))).toThrow(/length/);
  });
});

describeIndicatorContract('ADX(14)', () => new Adx(14), contractBarSeries());
describeIndicatorContract('PLUS_DI(14)', () => new PlusDi(14), contractBarSeries());
describeIndicatorContract('DX(14)', () => new Dx(14), contractBarSeries());
describeIndicatorContract('ADXR(5)', () => new Adxr(5), contractBarSeries());
describeIndicatorContract('MINUS_DI(5)', () => new MinusDi(5), contractBarSeries());
