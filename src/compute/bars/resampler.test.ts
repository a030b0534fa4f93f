import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { Price, Quantity } from '../../core/price.js';
import { MICROS_PER_MINUTE as M, UnixMicros } from '../../core/time.js';
import { BarResampler, ResampleError, checkMultiple } from './resampler.js';
import { XRPETH, show } from './testing/trades.js';

const ONE_MIN = BarSpec.parse('1m');

function bar(tsOpen: number, o: string, h: string, l: string, c: string, v: string, n: number, spec = ONE_MIN): Bar {
  return {
    type: 'bar',
    instrumentId: XRPETH,
    spec,
    open: Price.parse(o),
    high: Price.parse(h),
    low: Price.parse(l),
    close: Price.parse(c),
    volume: Quantity.parse(v),
    tradeCount: n,
    tsOpen: UnixMicros.unsafe(tsOpen),
    tsEvent: UnixMicros.unsafe(tsOpen + BarSpec.durationMicros(spec)!),
    tsInit: UnixMicros.unsafe(tsOpen + BarSpec.durationMicros(spec)!),
  };
}

function resampler(spec: string, inputSpec?: BarSpec) {
  const out: Bar[] = [];
  const r = new BarResampler({ instrumentId: XRPETH, spec: BarSpec.parse(spec), inputSpec, pricePrecision: 2, sizePrecision: 1, onBar: (b) => out.push(b) });
  return { r, out };
}

describe('BarResampler', () => {
  it('merges 1m bars into epoch-aligned 5m bars, summing volume and trades', () => {
    const { r, out } = resampler('5m', ONE_MIN);
    r.handleBar(bar(3 * M, '10', '11', '9.5', '10.5', '1.5', 3));
    r.handleBar(bar(4 * M, '10.5', '12', '10', '11', '2', 1));
    r.handleBar(bar(5 * M, '11', '11', '8', '9', '4', 2));
    r.handleBar(bar(7 * M, '9', '9.9', '9', '9.1', '0.5', 1));
    expect(out.map(show)).toEqual([{ t: 0, end: 5 * M, o: '10.00', h: '12.00', l: '9.50', c: '11.00', v: '3.5', n: 4 }]);
    r.onTime(10 * M - 1);
    expect(out).toHaveLength(1);
    r.onTime(10 * M);
    expect(out.map(show)[1]).toEqual({ t: 5 * M, end: 10 * M, o: '11.00', h: '11.00', l: '8.00', c: '9.10', v: '4.5', n: 3 });
  });

  it('drops and counts bars that start before the bar being built', () => {
    const { r, out } = resampler('5m');
    r.handleBar(bar(5 * M, '1', '1', '1', '1', '1', 1));
    r.handleBar(bar(4 * M, '2', '2', '2', '2', '1', 1));
    r.flush();
    expect(r.lateBars).toBe(1);
    expect(out.map(show)).toEqual([{ t: 5 * M, end: 10 * M, o: '1.00', h: '1.00', l: '1.00', c: '1.00', v: '1.0', n: 1 }]);
  });

  it('refuses a target that is not a whole multiple, and an input bar that straddles a boundary', () => {
    expect(() => resampler('7m', BarSpec.parse('5m'))).toThrow(ResampleError);
    expect(() => checkMultiple(BarSpec.parse('1h'), BarSpec.parse('1d'))).not.toThrow();
    expect(() => checkMultiple(BarSpec.parse('100tick'), BarSpec.parse('1d'))).toThrow(/time bars/);
    expect(() => resampler('100tick')).toThrow(/time bars/);
    const { r } = resampler('5m');
    expect(() => r.handleBar(bar(4 * M, '1', '1', '1', '1', '1', 1, BarSpec.parse('2m')))).toThrow(/straddles/);
  });
});
