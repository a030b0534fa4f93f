import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { Price, Quantity } from '../../core/price.js';
import { ThresholdBarAggregator } from './threshold-bars.js';
import { XRPETH, show, trade } from './testing/trades.js';

function agg(spec: string, latePolicy: 'drop' | 'fold' = 'drop', pricePrecision = 2, sizePrecision = 1) {
  const bars: Bar[] = [];
  const a = new ThresholdBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse(spec), pricePrecision, sizePrecision, onBar: (b) => bars.push(b), latePolicy });
  return { a, bars };
}

describe('ThresholdBarAggregator', () => {
  it('makes a tick bar every N trades, open at the first trade and closing at the last', () => {
    const { a, bars } = agg('3tick');
    const prices = ['1', '3', '2', '5', '4', '6', '7'];
    prices.forEach((p, i) => a.handleTrade(trade(100 + i, p, '1')));
    expect(bars.map(show)).toEqual([
      { t: 100, end: 102, o: '1.00', h: '3.00', l: '1.00', c: '2.00', v: '3.0', n: 3 },
      { t: 103, end: 105, o: '5.00', h: '6.00', l: '4.00', c: '6.00', v: '3.0', n: 3 },
    ]);
    a.flush();
    expect(show(bars[2])).toEqual({ t: 106, end: 106, o: '7.00', h: '7.00', l: '7.00', c: '7.00', v: '1.0', n: 1 });
  });

  it('splits a trade that overflows a volume bar across bars', () => {
    const { a, bars } = agg('10volume');
    a.handleTrade(trade(1, '5', '4'));
    a.handleTrade(trade(2, '6', '23.5'));
    a.handleTrade(trade(3, '7', '1'));
    a.flush();
    expect(bars.map(show)).toEqual([
      { t: 1, end: 2, o: '5.00', h: '6.00', l: '5.00', c: '6.00', v: '10.0', n: 2 },
      { t: 2, end: 2, o: '6.00', h: '6.00', l: '6.00', c: '6.00', v: '10.0', n: 1 },
      { t: 2, end: 3, o: '6.00', h: '7.00', l: '6.00', c: '7.00', v: '8.5', n: 2 },
    ]);
  });

  it('accepts fractional volume steps at the size precision and rejects finer ones', () => {
    const { a, bars } = agg('0.5volume');
    a.handleTrade(trade(1, '5', '1.2'));
    expect(bars.map((b) => b.volume.toString())).toEqual(['0.5', '0.5']);
    expect(() => agg('0.25volume')).toThrow(/multiple/);
  });

  it('splits value bars at the smallest size that reaches the notional', () => {
    // 100 of notional at price 3.00 needs ceil(100 / 3) = 33.4 units at one size decimal.
    const { a, bars } = agg('100value');
    a.handleTrade(trade(1, '3', '50'));
    a.flush();
    expect(bars.map(show)).toEqual([
      { t: 1, end: 1, o: '3.00', h: '3.00', l: '3.00', c: '3.00', v: '33.4', n: 1 },
      { t: 1, end: 1, o: '3.00', h: '3.00', l: '3.00', c: '3.00', v: '16.6', n: 1 },
    ]);
  });

  it('lets zero-priced trades into value bars without closing them', () => {
    const { a, bars } = agg('10value');
    a.handleTrade(trade(1, '0', '1000'));
    expect(bars).toHaveLength(0);
    a.handleTrade(trade(2, '10', '1'));
    expect(show(bars[0])).toMatchObject({ v: '1001.0', n: 2, l: '0.00' });
  });

  it('refuses value bars whose threshold cannot be counted exactly', () => {
    expect(() => agg('1e6value', 'drop', 2, 8)).toThrow(/too large/);
    expect(() => agg('1m')).toThrow(/time bar spec/);
    expect(() => agg('2.5tick')).toThrow(/tick/);
    expect(() => agg('10tick-mid')).toThrow(/last trade/);
  });

  it('drops and counts trades older than the open bar; folds them when asked', () => {
    const drop = agg('2tick');
    drop.a.handleTrade(trade(10, '1', '1'));
    drop.a.handleTrade(trade(5, '2', '1'));
    drop.a.handleTrade(trade(11, '3', '1'));
    expect(drop.a.lateTrades).toBe(1);
    expect(show(drop.bars[0])).toMatchObject({ o: '1.00', c: '3.00', n: 2 });

    const fold = agg('2tick', 'fold');
    fold.a.handleTrade(trade(10, '1', '1'));
    fold.a.handleTrade(trade(5, '2', '1'));
    expect(fold.a.lateTrades).toBe(1);
    expect(show(fold.bars[0])).toMatchObject({ t: 10, end: 10, o: '1.00', c: '2.00', n: 2 });
  });

  const rowsArb = fc.array(fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 5000 })), { maxLength: 200 });

  function feed(spec: string, rows: [number, number][]): Bar[] {
    const { a, bars } = agg(spec);
    rows.forEach(([p, s], i) => a.update(Price.fromRaw(p, 2), Quantity.fromRaw(s, 1), i));
    a.flush();
    return bars;
  }

  it('property: volume bars conserve volume and all but the last hold exactly N', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 2000 }), (rows, n) => {
        const bars = feed(`${n}volume`, rows);
        expect(bars.reduce((s, b) => s + b.volume.raw, 0)).toBe(rows.reduce((s, [, q]) => s + q, 0));
        bars.slice(0, -1).forEach((b) => expect(b.volume.raw).toBe(n * 10));
        if (bars.length > 0) expect(bars[bars.length - 1].volume.raw).toBeLessThanOrEqual(n * 10);
      }),
    );
  });

  it('property: value bars conserve volume and each complete bar reaches N by less than one size unit too many', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 1, max: 1000 }), (rows, n, price) => {
        const bars: Bar[] = [];
        const a = new ThresholdBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse(`${n}value`), pricePrecision: 2, sizePrecision: 1, onBar: (b) => bars.push(b) });
        // One price per run keeps each bar's notional computable from its volume.
        rows.forEach(([, s], i) => a.update(Price.fromRaw(price, 2), Quantity.fromRaw(s, 1), i));
        const complete = bars.length;
        a.flush();
        expect(bars.reduce((s, b) => s + b.volume.raw, 0)).toBe(rows.reduce((s, [, q]) => s + q, 0));
        const target = n * 1000;
        bars.slice(0, complete).forEach((b) => {
          expect(b.volume.raw * price).toBeGreaterThanOrEqual(target);
          expect((b.volume.raw - 1) * price).toBeLessThan(target);
        });
      }),
    );
  });

  it('property: tick bars count every trade once', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 50 }), (rows, n) => {
        const bars = feed(`${n}tick`, rows);
        expect(bars.reduce((s, b) => s + b.tradeCount, 0)).toBe(rows.length);
        expect(bars.length).toBe(Math.ceil(rows.length / n));
      }),
    );
  });
});
