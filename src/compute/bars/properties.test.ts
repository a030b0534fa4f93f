import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { Price, Quantity } from '../../core/price.js';
import { MICROS_PER_SECOND as S } from '../../core/time.js';
import { TimeBarAggregator } from './time-bars.js';
import { QuoteBarAggregator } from './quote-bars.js';
import { XRPETH, quote, show } from './testing/trades.js';

interface Row {
  readonly ts: number;
  readonly priceRaw: number;
  readonly sizeRaw: number;
}

/** Trades in roughly rising time with some arriving out of order (up to 3 minutes back). */
const jitteredArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -180, max: 0 }), fc.boolean(), fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 999 })), { maxLength: 200 })
  .map((xs) => {
    let clock = 0;
    return xs.map(([step, back, isLate, priceRaw, sizeRaw]): Row => {
      clock += step * S;
      return { ts: Math.max(0, clock + (isLate ? back * S : 0)), priceRaw, sizeRaw };
    });
  });

/** Independent reference: one bar per minute from trades already known to be accepted, by plain arithmetic. */
function reference(rows: readonly Row[], d: number) {
  const out = new Map<number, { o: number; h: number; l: number; c: number; v: number; n: number }>();
  for (const r of rows) {
    const t = Math.floor(r.ts / d) * d;
    const b = out.get(t);
    if (b === undefined) out.set(t, { o: r.priceRaw, h: r.priceRaw, l: r.priceRaw, c: r.priceRaw, v: r.sizeRaw, n: 1 });
    else {
      b.h = Math.max(b.h, r.priceRaw);
      b.l = Math.min(b.l, r.priceRaw);
      b.c = r.priceRaw;
      b.v += r.sizeRaw;
      b.n += 1;
    }
  }
  return [...out.entries()].sort(([a], [b]) => a - b).map(([t, b]) => ({ t, ...b }));
}

describe('bar properties', () => {
  it('late trades are dropped and counted; accepted trades make exactly the reference bars; emitted bars never change', () => {
    fc.assert(
      fc.property(jitteredArb, (rows) => {
        const d = 60 * S;
        const bars: Bar[] = [];
        const snapshots: string[] = [];
        const a = new TimeBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse('1m'), pricePrecision: 0, sizePrecision: 0, onBar: (b) => {
          bars.push(b);
          snapshots.push(JSON.stringify(show(b)));
        } });
        // Which trades the policy should accept: not before the open bar's start (or the last closed bar's end).
        const accepted: Row[] = [];
        let openStart = 0;
        for (const r of rows) {
          if (r.ts >= openStart) {
            accepted.push(r);
            openStart = Math.floor(r.ts / d) * d;
          }
          a.update(Price.fromRaw(r.priceRaw, 0), Quantity.fromRaw(r.sizeRaw, 0), r.ts);
        }
        a.flush();
        expect(a.lateTrades).toBe(rows.length - accepted.length);
        expect(bars.map((b) => ({ t: b.tsOpen, o: b.open.raw, h: b.high.raw, l: b.low.raw, c: b.close.raw, v: b.volume.raw, n: b.tradeCount }))).toEqual(reference(accepted, d));
        expect(bars.map((b) => JSON.stringify(show(b)))).toEqual(snapshots);
        for (let i = 1; i < bars.length; i++) expect(bars[i].tsOpen).toBeGreaterThanOrEqual(bars[i - 1].tsEvent);
      }),
    );
  });

  it('with fold, no trade is lost: volumes and counts add up to every trade, and closed bars still never change', () => {
    fc.assert(
      fc.property(jitteredArb, (rows) => {
        const bars: Bar[] = [];
        const snapshots: string[] = [];
        const a = new TimeBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse('1m'), pricePrecision: 0, sizePrecision: 0, latePolicy: 'fold', onBar: (b) => {
          bars.push(b);
          snapshots.push(JSON.stringify(show(b)));
        } });
        for (const r of rows) a.update(Price.fromRaw(r.priceRaw, 0), Quantity.fromRaw(r.sizeRaw, 0), r.ts);
        a.flush();
        expect(bars.reduce((s, b) => s + b.volume.raw, 0)).toBe(rows.reduce((s, r) => s + r.sizeRaw, 0));
        expect(bars.reduce((s, b) => s + b.tradeCount, 0)).toBe(rows.length);
        expect(bars.map((b) => JSON.stringify(show(b)))).toEqual(snapshots);
      }),
    );
  });

  it('with flat bars there is one bar for every interval from the first trade to the last, each opening at the previous close', () => {
    fc.assert(
      fc.property(jitteredArb, fc.constantFrom('10s', '1m', '5m'), (rows, spec) => {
        const sorted = [...rows].sort((x, y) => x.ts - y.ts);
        const d = BarSpec.durationMicros(BarSpec.parse(spec))!;
        const bars: Bar[] = [];
        const a = new TimeBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse(spec), pricePrecision: 0, sizePrecision: 0, emitFlat: true, onBar: (b) => bars.push(b) });
        for (const r of sorted) a.update(Price.fromRaw(r.priceRaw, 0), Quantity.fromRaw(r.sizeRaw, 0), r.ts);
        a.flush();
        if (sorted.length === 0) return void expect(bars).toHaveLength(0);
        const first = Math.floor(sorted[0].ts / d);
        const last = Math.floor(sorted[sorted.length - 1].ts / d);
        expect(bars.map((b) => b.tsOpen / d)).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
        for (let i = 1; i < bars.length; i++) {
          if (bars[i].tradeCount === 0) expect([bars[i].open.raw, bars[i].high.raw, bars[i].low.raw, bars[i].close.raw, bars[i].volume.raw]).toEqual([bars[i - 1].close.raw, bars[i - 1].close.raw, bars[i - 1].close.raw, bars[i - 1].close.raw, 0]);
        }
      }),
    );
  });

  it('mid bars are exact: each mid equals (bid + ask) / 2 computed in BigInt', () => {
    const quoteArb = fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 8n * 10n ** 14n }), fc.bigInt({ min: 0n, max: 10n ** 12n })), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(quoteArb, (qs) => {
        const bars: Bar[] = [];
        const a = new QuoteBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse('1s-mid'), pricePrecision: 4, sizePrecision: 0, onBar: (b) => bars.push(b) });
        // One quote per bar, so each bar's close is that quote's mid.
        qs.forEach(([bid, spread], i) => a.handleQuote(quote(i * S, fmt(bid, 4), fmt(bid + spread, 4), '1', '2')));
        a.flush();
        bars.forEach((b, i) => {
          const [bid, spread] = qs[i];
          const twice = 2n * bid + spread; // (bid + ask) in units of 1e-4
          expect(b.close.toString()).toBe(fmt(twice * 5n, 5));
          expect(b.volume.toString()).toBe('1.5');
        });
      }),
    );
    // Beyond that, (bid + ask) * 5 no longer fits in 2^53 and the aggregator says so instead of rounding.
    const a = new QuoteBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse('1s-mid'), pricePrecision: 4, sizePrecision: 0, onBar: () => undefined });
    expect(() => a.handleQuote(quote(0, fmt(10n ** 15n, 4), fmt(10n ** 15n, 4), '1', '1'))).toThrow(/overflows/);
  });
});

function fmt(raw: bigint, decimals: number): string {
  const s = raw.toString().padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
