import { describe, expect, it } from 'vitest';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE } from '../../../core/time.js';
import { describeIndicatorContract, contractBarSeries, expectMatchesTalib } from '../testing/index.js';
import { barTimes, generateOhlcv } from '../hlcv-shared/testing/ohlcv.js';
import type { OhlcvColumns } from '../hlcv-shared/testing/ohlcv.js';
import { BarTimeOrderError, MissingBarTimeError, Vwap, vwap } from './vwap.js';

/**
 * Independent reference: sessions found from calendar fields of `Date` (not by dividing times), and each
 * value recomputed from scratch over the session's bars so far (no running sums).
 */
function referenceVwap(s: OhlcvColumns, ts: Float64Array, sessionKey: (ms: number) => string): Float64Array {
  const n = ts.length;
  const out = new Float64Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && sessionKey(ts[i] / 1000) !== sessionKey(ts[i - 1] / 1000)) start = i;
    let pv = 0;
    let v = 0;
    for (let j = start; j <= i; j++) {
      const tp = (s.high[j] + s.low[j] + s.close[j]) / 3;
      pv += tp * s.volume[j];
      v += s.volume[j];
    }
    out[i] = v > 0 ? pv / v : (s.high[i] + s.low[i] + s.close[i]) / 3;
  }
  return out;
}

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('VWAP against a per-session recomputation', () => {
  const n = 4000;
  const start = Date.UTC(2024, 2, 1, 21, 0) * 1000; // three hours before a midnight
  const s = generateOhlcv(n, 404, { volatility: 0.003, flatChance: 0.02 });
  const ts = barTimes(n, 405, start, 5 * MICROS_PER_MINUTE);

  it('resets at each UTC midnight by default', () => {
    const expected = referenceVwap(s, ts, utcDay);
    expectMatchesTalib(vwap(s.high, s.low, s.close, s.volume, ts), expected, 'vwap utc day');
    const ind = new Vwap();
    const streamed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      streamed[i] = ind.update({ open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i] }, ts[i]) as number;
    }
    expectMatchesTalib(streamed, expected, 'vwap utc day, streaming');
    // The series must really cross sessions for this test to mean anything.
    expect(new Set(Array.from(ts, (t) => utcDay(t / 1000))).size).toBeGreaterThan(10);
  });

  it('resets at a configurable anchor: 13:30 UTC daily sessions', () => {
    const anchor = 13 * MICROS_PER_HOUR + 30 * MICROS_PER_MINUTE;
    const expected = referenceVwap(s, ts, (ms) => utcDay(ms - anchor / 1000));
    expectMatchesTalib(vwap(s.high, s.low, s.close, s.volume, ts, { anchorMicros: anchor }), expected, 'vwap 13:30 anchor');
  });

  it('resets every four hours with a four-hour session', () => {
    const key = (ms: number): string => {
      const d = new Date(ms);
      return `${utcDay(ms)}/${Math.floor(d.getUTCHours() / 4)}`;
    };
    const expected = referenceVwap(s, ts, key);
    expectMatchesTalib(vwap(s.high, s.low, s.close, s.volume, ts, { sessionMicros: 4 * MICROS_PER_HOUR }), expected, 'vwap 4h');
  });

  it('reads tsOpen from the bar when no time is passed, and refuses bars without time', () => {
    const ind = new Vwap();
    expect(ind.update({ open: 1, high: 3, low: 1, close: 2, volume: 10, tsOpen: 0 } as never)).toBe(2);
    expect(ind.update({ open: 1, high: 6, low: 3, close: 6, volume: 30, tsOpen: 1 } as never)).toBe((2 * 10 + 5 * 30) / 40);
    expect(ind.update({ open: 1, high: 9, low: 9, close: 9, volume: 1, tsOpen: MICROS_PER_DAY } as never)).toBe(9);
    expect(() => ind.update({ open: 1, high: 1, low: 1, close: 1, volume: 1 })).toThrow(MissingBarTimeError);
  });

  it('uses the typical price while the session has no volume, then weights by volume', () => {
    const ind = new Vwap();
    expect(ind.update({ open: 1, high: 4, low: 1, close: 1, volume: 0 }, 10)).toBe(2);
    expect(ind.update({ open: 1, high: 3, low: 3, close: 3, volume: 0 }, 20)).toBe(3);
    expect(ind.update({ open: 1, high: 5, low: 5, close: 5, volume: 2 }, 30)).toBe(5);
  });

  it('rejects time going backwards and bad options', () => {
    const ind = new Vwap();
    ind.update({ open: 1, high: 1, low: 1, close: 1, volume: 1 }, 100);
    expect(() => ind.update({ open: 1, high: 1, low: 1, close: 1, volume: 1 }, 99)).toThrow(BarTimeOrderError);
    expect(() => new Vwap({ sessionMicros: 0 })).toThrow(/session length/);
    expect(() => new Vwap({ anchorMicros: 0.5 })).toThrow(/anchor/);
  });
});

const timedContractBars = Object.fromEntries(
  Object.entries(contractBarSeries()).map(([k, bars]) => [k, bars.map((b, i) => ({ ...b, tsOpen: i * 10 * MICROS_PER_MINUTE }))]),
);
describeIndicatorContract('VWAP', () => new Vwap(), timedContractBars);
