import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { Price, Quantity } from '../../core/price.js';
import { MICROS_PER_DAY, MICROS_PER_MINUTE as M, MICROS_PER_SECOND as S } from '../../core/time.js';
import { TimeBarAggregator } from './time-bars.js';
import { BarResampler } from './resampler.js';
import { PrecisionError } from './bar-builder.js';
import { XRPETH, show, trade } from './testing/trades.js';

function agg(spec: string, extra: Partial<ConstructorParameters<typeof TimeBarAggregator>[0]> = {}) {
  const bars: Bar[] = [];
  const a = new TimeBarAggregator({
    instrumentId: XRPETH,
    spec: BarSpec.parse(spec),
    pricePrecision: 2,
    sizePrecision: 1,
    onBar: (b) => bars.push(b),
    ...extra,
  });
  return { a, bars };
}

describe('TimeBarAggregator', () => {
  it('builds epoch-aligned minute bars, open inclusive and close exclusive', () => {
    const { a, bars } = agg('1m');
    const t0 = 1000 * M;
    a.handleTrade(trade(t0 + 5 * S, '10.00', '1'));
    a.handleTrade(trade(t0 + 20 * S, '10.50', '2.5'));
    a.handleTrade(trade(t0 + 30 * S, '9.75', '1'));
    a.handleTrade(trade(t0 + 59 * S + 999_999, '10.25', '0.5'));
    expect(bars).toHaveLength(0);
    // Exactly at the close: belongs to the next bar and closes this one.
    a.handleTrade(trade(t0 + M, '11', '3'));
    expect(bars.map(show)).toEqual([{ t: t0, end: t0 + M, o: '10.00', h: '10.50', l: '9.75', c: '10.25', v: '5.0', n: 4 }]);
    a.flush();
    expect(bars.map(show)[1]).toEqual({ t: t0 + M, end: t0 + 2 * M, o: '11.00', h: '11.00', l: '11.00', c: '11.00', v: '3.0', n: 1 });
    expect(bars[0].spec).toEqual(BarSpec.parse('1m'));
    expect(Object.isFrozen(bars[0])).toBe(true);
  });

  it('closes a bar when the clock passes its close, not before', () => {
    const { a, bars } = agg('5s');
    a.handleTrade(trade(12 * S, '1', '1'));
    a.onTime(15 * S - 1);
    expect(bars).toHaveLength(0);
    a.onTime(15 * S, 15 * S + 7);
    expect(bars.map(show)).toEqual([{ t: 10 * S, end: 15 * S, o: '1.00', h: '1.00', l: '1.00', c: '1.00', v: '1.0', n: 1 }]);
    expect(bars[0].tsInit).toBe(15 * S + 7);
    a.onTime(100 * S);
    expect(bars).toHaveLength(1);
  });

  it('waits closeDelayMicros after the end before the clock closes a bar, so a trade stamped before the end still counts', () => {
    const { a, bars } = agg('1m', { closeDelayMicros: 500_000, emitFlat: true });
    a.handleTrade(trade(10 * S, '1', '1'));
    a.onTime(M + 499_999);
    expect(bars).toHaveLength(0);
    a.handleTrade(trade(M - 1, '2', '1'));
    a.onTime(M + 500_000);
    expect(bars.map(show)).toEqual([{ t: 0, end: M, o: '1.00', h: '2.00', l: '1.00', c: '2.00', v: '2.0', n: 2 }]);
    a.onTime(3 * M + 499_999);
    expect(bars).toHaveLength(2);
    a.onTime(3 * M + 500_000);
    expect(bars.map((b) => b.tsOpen)).toEqual([0, M, 2 * M]);
    expect(() => agg('1m', { closeDelayMicros: -1 })).toThrow(/close delay/);
  });

  it('makes no bar for intervals without trades unless flat bars are asked for', () => {
    const plain = agg('1m');
    plain.a.handleTrade(trade(0, '5', '1'));
    plain.a.handleTrade(trade(3 * M + 1, '6', '1'));
    plain.a.flush();
    expect(plain.bars.map((b) => b.tsOpen)).toEqual([0, 3 * M]);

    const flat = agg('1m', { emitFlat: true });
    flat.a.handleTrade(trade(0, '5', '1'));
    flat.a.handleTrade(trade(3 * M + 1, '6', '1'));
    flat.a.onTime(6 * M);
    expect(flat.bars.map(show)).toEqual([
      { t: 0, end: M, o: '5.00', h: '5.00', l: '5.00', c: '5.00', v: '1.0', n: 1 },
      { t: M, end: 2 * M, o: '5.00', h: '5.00', l: '5.00', c: '5.00', v: '0.0', n: 0 },
      { t: 2 * M, end: 3 * M, o: '5.00', h: '5.00', l: '5.00', c: '5.00', v: '0.0', n: 0 },
      { t: 3 * M, end: 4 * M, o: '6.00', h: '6.00', l: '6.00', c: '6.00', v: '1.0', n: 1 },
      { t: 4 * M, end: 5 * M, o: '6.00', h: '6.00', l: '6.00', c: '6.00', v: '0.0', n: 0 },
      { t: 5 * M, end: 6 * M, o: '6.00', h: '6.00', l: '6.00', c: '6.00', v: '0.0', n: 0 },
    ]);
  });

  it('makes no flat bar before the first trade', () => {
    const { a, bars } = agg('1m', { emitFlat: true });
    a.onTime(10 * M);
    expect(bars).toHaveLength(0);
    a.handleTrade(trade(10 * M + 1, '1', '1'));
    a.flush();
    expect(bars.map((b) => b.tsOpen)).toEqual([10 * M]);
  });

  it('drops and counts late trades by default; an emitted bar never changes', () => {
    const { a, bars } = agg('1m');
    a.handleTrade(trade(10 * S, '10', '1'));
    a.handleTrade(trade(M + 10 * S, '11', '1'));
    const first = show(bars[0]);
    a.handleTrade(trade(30 * S, '99', '7'));
    expect(a.lateTrades).toBe(1);
    a.flush();
    expect(show(bars[0])).toEqual(first);
    expect(show(bars[1])).toMatchObject({ h: '11.00', v: '1.0', n: 1 });
  });

  it('treats a trade older than the last emitted bar as late even when no bar is open', () => {
    const { a, bars } = agg('1m');
    a.handleTrade(trade(10 * S, '10', '1'));
    a.onTime(M);
    a.handleTrade(trade(59 * S, '12', '1'));
    expect(a.lateTrades).toBe(1);
    a.flush();
    expect(bars).toHaveLength(1);
  });

  it('folds late trades into the open bar when asked: volume, count, range, but not open or close', () => {
    const { a, bars } = agg('1m', { latePolicy: 'fold' });
    a.handleTrade(trade(10 * S, '10', '1'));
    a.handleTrade(trade(M + 10 * S, '11', '1'));
    a.handleTrade(trade(M + 20 * S, '12', '1'));
    a.handleTrade(trade(30 * S, '15', '2'));
    a.handleTrade(trade(40 * S, '8', '2'));
    a.flush();
    expect(a.lateTrades).toBe(2);
    expect(show(bars[0])).toMatchObject({ o: '10.00', h: '10.00', c: '10.00', v: '1.0', n: 1 });
    expect(show(bars[1])).toMatchObject({ o: '11.00', h: '15.00', l: '8.00', c: '12.00', v: '6.0', n: 4 });
  });

  it('folds a late trade with no open bar into a new bar at the first open interval', () => {
    const { a, bars } = agg('1m', { latePolicy: 'fold' });
    a.handleTrade(trade(10 * S, '10', '1'));
    a.onTime(M);
    a.handleTrade(trade(20 * S, '9', '2'));
    a.flush();
    expect(bars.map(show)[1]).toEqual({ t: M, end: 2 * M, o: '9.00', h: '9.00', l: '9.00', c: '9.00', v: '2.0', n: 1 });
  });

  it('aligns day bars to UTC midnight and odd steps to the epoch', () => {
    const day = agg('1d');
    const t = Date.UTC(2019, 9, 11, 13, 45) * 1000;
    day.a.handleTrade(trade(t, '1', '1'));
    day.a.flush();
    expect(day.bars[0].tsOpen).toBe(Date.UTC(2019, 9, 11) * 1000);
    expect(day.bars[0].tsEvent).toBe(Date.UTC(2019, 9, 11) * 1000 + MICROS_PER_DAY);
    const seven = agg('7m');
    seven.a.handleTrade(trade(100 * M, '1', '1'));
    seven.a.flush();
    expect(seven.bars[0].tsOpen).toBe(98 * M);
  });

  it('scales prices with fewer decimals up and refuses more decimals than the bar precision', () => {
    const { a, bars } = agg('1m');
    a.update(Price.parse('3'), Quantity.parse('2'), 0);
    a.flush();
    expect(show(bars[0])).toMatchObject({ o: '3.00', v: '2.0' });
    expect(() => a.update(Price.parse('3.001'), Quantity.parse('1'), M)).toThrow(PrecisionError);
  });

  it('rejects specs that are not time bars of trades', () => {
    expect(() => agg('100tick')).toThrow(/not a time bar/);
    expect(() => agg('1m-bid')).toThrow(/last trade/);
  });

  // Trades on a 2-decimal price grid within a few hours, in time order.
  const tradesArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 4 * 3600 }), fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 5000 })), { maxLength: 300 })
    .map((rows) =>
      rows
        .map(([sec, priceRaw, sizeRaw]) => ({ ts: sec * S + (priceRaw % 1000), priceRaw, sizeRaw }))
        .sort((x, y) => x.ts - y.ts),
    );

  function build(spec: string, rows: { ts: number; priceRaw: number; sizeRaw: number }[]): Bar[] {
    const { a, bars } = agg(spec);
    for (const r of rows) a.update(Price.fromRaw(r.priceRaw, 2), Quantity.fromRaw(r.sizeRaw, 1), r.ts);
    a.flush();
    return bars;
  }

  it('property: bar volumes sum to the trade sizes and there is one bar per distinct interval', () => {
    fc.assert(
      fc.property(tradesArb, fc.constantFrom('1s', '15s', '1m', '7m', '1h'), (rows, spec) => {
        const bars = build(spec, rows);
        const d = BarSpec.durationMicros(BarSpec.parse(spec))!;
        expect(bars.reduce((s, b) => s + b.volume.raw, 0)).toBe(rows.reduce((s, r) => s + r.sizeRaw, 0));
        expect(bars.reduce((s, b) => s + b.tradeCount, 0)).toBe(rows.length);
        expect(bars.length).toBe(new Set(rows.map((r) => Math.floor(r.ts / d))).size);
        for (const b of bars) {
          expect(b.low.raw).toBeLessThanOrEqual(Math.min(b.open.raw, b.close.raw));
          expect(b.high.raw).toBeGreaterThanOrEqual(Math.max(b.open.raw, b.close.raw));
          expect(b.tsOpen % d).toBe(0);
        }
      }),
    );
  });

  it('property: resampling 1m bars to 5m equals aggregating the trades to 5m (and 1h to 1d)', () => {
    fc.assert(
      fc.property(tradesArb, fc.constantFrom(['1m', '5m'], ['1m', '1h'], ['15s', '1m'], ['1h', '1d']), (rows, [small, large]) => {
        const direct = build(large, rows);
        const out: Bar[] = [];
        const r = new BarResampler({
          instrumentId: XRPETH,
          spec: BarSpec.parse(large),
          inputSpec: BarSpec.parse(small),
          pricePrecision: 2,
          sizePrecision: 1,
          onBar: (b) => out.push(b),
        });
        for (const b of build(small, rows)) r.handleBar(b);
        r.flush();
        expect(out.map(show)).toEqual(direct.map(show));
      }),
    );
  });
});
