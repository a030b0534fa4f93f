import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Instrument, InstrumentKind, OrderSizeProblem } from './instrument.js';
import type { InstrumentSpec } from './instrument.js';
import { Price, Quantity } from './price.js';
import { Money } from './money.js';
import { Rate } from './rate.js';
import { Currency } from './identifiers.js';
import { RoundingMode } from './decimal.js';
import { ParseError } from './errors.js';

const btcusdt: InstrumentSpec = {
  id: 'BTCUSDT.BINANCE',
  kind: InstrumentKind.Spot,
  baseCurrency: 'BTC',
  quoteCurrency: 'USDT',
  pricePrecision: 2,
  sizePrecision: 5,
  tickSize: '0.01',
  lotSize: '0.00001',
  minQuantity: '0.0001',
  maxQuantity: '9000',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
};

function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as ParseError).field;
  }
  throw new Error('expected a ParseError');
}

describe('Instrument.create', () => {
  it('builds a frozen instrument with typed fields', () => {
    const i = Instrument.create(btcusdt);
    expect(Object.isFrozen(i)).toBe(true);
    expect(i.id).toBe('BTCUSDT.BINANCE');
    expect(i.symbol).toBe('BTCUSDT');
    expect(i.venue).toBe('BINANCE');
    expect(i.kind).toBe('spot');
    expect(i.settlementCurrency).toBe('USDT');
    expect(i.settlementPrecision).toBe(8);
    expect(i.tickSize.toString()).toBe('0.01');
    expect(i.lotSize.toString()).toBe('0.00001');
    expect(i.minQuantity.toString()).toBe('0.00010');
    expect(i.maxQuantity?.toString()).toBe('9000.00000');
    expect(i.minNotional?.toString()).toBe('5 USDT');
    expect(i.makerFee.toString()).toBe('0.001');
    expect(i.multiplier.toString()).toBe('1');
    expect(() => {
      (i as unknown as { kind: string }).kind = 'perpetual';
    }).toThrow(TypeError);
  });

  it('applies defaults', () => {
    const i = Instrument.create({ id: 'AAPL.XNAS', kind: 'equity', baseCurrency: 'AAPL', quoteCurrency: 'USD', pricePrecision: 2, sizePrecision: 0, tickSize: '0.01', lotSize: '1', settlementPrecision: 2 });
    expect(i.minQuantity.toString()).toBe('1');
    expect(i.maxQuantity).toBeUndefined();
    expect(i.minNotional).toBeUndefined();
    expect(i.makerFee.isZero()).toBe(true);
    expect(i.takerFee.isZero()).toBe(true);
    expect(i.validateOrderSize(Price.parse('190.12'), Quantity.parse('1')).ok).toBe(true);
  });

  it('accepts typed values as well as strings', () => {
    const i = Instrument.create({
      ...btcusdt,
      tickSize: Price.parse('0.01'),
      lotSize: Quantity.parse('0.00001'),
      minQuantity: Quantity.parse('0.00010'),
      maxQuantity: undefined,
      minNotional: Money.parse('5.5', Currency.parse('USDT')),
      makerFee: Rate.parse('-0.0001'),
      takerFee: Rate.parsePercent('0.04'),
    });
    expect(i.takerFee.toString()).toBe('0.0004');
    expect(i.makerFee.toString()).toBe('-0.0001');
  });

  it('makes a perpetual with a multiplier', () => {
    const i = Instrument.create({ ...btcusdt, id: 'ETHUSD-PERP.DERIBIT', kind: 'perpetual', baseCurrency: 'ETH', quoteCurrency: 'USD', settlementCurrency: 'USD', multiplier: '0.1', minNotional: undefined, settlementPrecision: 2 });
    expect(i.multiplier.toString()).toBe('0.1');
    expect(i.notional(Price.parse('2000.50'), Quantity.parse('3', 5)).toString()).toBe('600.15000000 USD');
  });

  it.each<[string, Partial<Record<keyof InstrumentSpec, unknown>>]>([
    ['id', { id: 'BTCUSDT' }],
    ['id', { id: 42 }],
    ['kind', { kind: 'future' }],
    ['baseCurrency', { baseCurrency: 'btc' }],
    ['quoteCurrency', { quoteCurrency: '' }],
    ['settlementCurrency', { settlementCurrency: 'btc' }],
    ['settlementCurrency', { settlementCurrency: 'BTC' }],
    ['settlementPrecision', { settlementPrecision: 19 }],
    ['pricePrecision', { pricePrecision: 13 }],
    ['pricePrecision', { pricePrecision: 1.5 }],
    ['sizePrecision', { sizePrecision: -1 }],
    ['sizePrecision', { sizePrecision: '5' }],
    ['tickSize', { tickSize: '0.001' }],
    ['tickSize', { tickSize: Price.parse('0.010') }],
    ['tickSize', { tickSize: '0' }],
    ['tickSize', { tickSize: '-0.01' }],
    ['tickSize', { tickSize: 'abc' }],
    ['tickSize', { tickSize: 0.01 }],
    ['lotSize', { lotSize: '0' }],
    ['lotSize', { lotSize: '0.000001' }],
    ['lotSize', { lotSize: Quantity.parse('0.1') }],
    ['lotSize', { lotSize: Price.parse('0.00001') }],
    ['minQuantity', { minQuantity: '0' }],
    ['minQuantity', { minQuantity: '-1' }],
    ['maxQuantity', { maxQuantity: '0.00001' }],
    ['minNotional', { minNotional: '-5' }],
    ['minNotional', { minNotional: 'five' }],
    ['minNotional', { minNotional: Money.parse('5', Currency.parse('USD')) }],
    ['minNotional', { minNotional: 5 }],
    ['makerFee', { makerFee: 'x' }],
    ['makerFee', { makerFee: '1' }],
    ['takerFee', { takerFee: '-1.5' }],
    ['takerFee', { takerFee: 0.001 }],
    ['multiplier', { multiplier: '0' }],
    ['multiplier', { multiplier: '10' }],
    ['multiplier', { multiplier: 10 }],
  ])('rejects a bad %s', (field, patch) => {
    expect(fieldOf(() => Instrument.create({ ...btcusdt, ...patch } as InstrumentSpec))).toBe(field);
  });

  it('rejects a non-object spec', () => {
    expect(fieldOf(() => Instrument.create(null as unknown as InstrumentSpec))).toBe('instrument');
  });

  it('names the field in the message', () => {
    expect(() => Instrument.create({ ...btcusdt, tickSize: '0.001' })).toThrow(/^tickSize: /);
  });

  it('round-trips through toSpec and JSON', () => {
    const i = Instrument.create(btcusdt);
    const back = Instrument.create(JSON.parse(JSON.stringify(i)) as InstrumentSpec);
    expect(back.toSpec()).toEqual(i.toSpec());
    expect(back.minNotional?.eq(i.minNotional as Money)).toBe(true);
    const bare = Instrument.create({ ...btcusdt, maxQuantity: undefined, minNotional: undefined });
    expect(Instrument.create(bare.toSpec()).toSpec()).toEqual(bare.toSpec());
  });
});

describe('makePrice / makeQty', () => {
  const i = Instrument.create({ ...btcusdt, tickSize: '0.02' });
  it('rounds to the tick in one rounding', () => {
    expect(i.makePrice('1.0149').toString()).toBe('1.02');
    expect(i.makePrice('1.0099').toString()).toBe('1.00');
    expect(i.makePrice('1.01').toString()).toBe('1.02');
    expect(i.makePrice(1.0149).toString()).toBe('1.02');
    expect(i.makePrice(1.0099999).toString()).toBe('1.00');
    expect(i.makePrice(0.1 + 0.2).toString()).toBe('0.30');
    expect(i.makePrice(5e-324, 'up').toString()).toBe('0.02');
    expect(i.makePrice(-5e-324, 'up').toString()).toBe('0.00');
    expect(i.makePrice(-5e-324, 'down').toString()).toBe('-0.02');
    expect(i.makePrice(1e-300).toString()).toBe('0.00');
    expect(i.makePrice('1.01', 'down').toString()).toBe('1.00');
    expect(i.makePrice(Price.parse('27123.456789')).toString()).toBe('27123.46');
    expect(i.makePrice('-3.01', 'nearest').toString()).toBe('-3.02');
    expect(i.makePrice('1.01', RoundingMode.HalfEven).toString()).toBe('1.00');
    expect(() => i.makePrice('abc')).toThrow(/^price: /);
    expect(() => i.makePrice(Number.NaN)).toThrow(/^price: /);
    expect(() => i.makePrice('1e30')).toThrow(/^price: /);
  });

  it('rounds quantities toward zero by default', () => {
    expect(i.makeQty('0.123456789').toString()).toBe('0.12345');
    expect(i.makeQty(0.1 + 0.2).toString()).toBe('0.30000');
    expect(i.makeQty('0.123456', 'nearest').toString()).toBe('0.12346');
    expect(i.makeQty(Quantity.parse('2')).toString()).toBe('2.00000');
    expect(i.makeQty('-0').toString()).toBe('0.00000');
    expect(() => i.makeQty('-0.1')).toThrow(/^quantity: .*negative/);
    expect(() => i.makeQty(-1)).toThrow(/^quantity: /);
    expect(() => i.makeQty('x')).toThrow(/^quantity: /);
  });

  it('lands on the grid within one step (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
        const p = i.makePrice(x);
        expect(p.precision).toBe(2);
        expect(p.isMultipleOf(i.tickSize)).toBe(true);
        expect(Math.abs(p.toNumber() - x)).toBeLessThanOrEqual(0.01 + 1e-9);
        const q = i.makeQty(x);
        expect(q.isMultipleOf(i.lotSize)).toBe(true);
        expect(q.toNumber()).toBeLessThanOrEqual(x + 1e-9);
        expect(x - q.toNumber()).toBeLessThan(0.00001 + 1e-9);
      }),
    );
  });
});

describe('validateOrderSize', () => {
  const i = Instrument.create(btcusdt);
  const check = (price: string | undefined, qty: string) => i.validateOrderSize(price === undefined ? undefined : Price.parse(price), Quantity.parse(qty));

  it('accepts a valid order', () => {
    expect(check('27000.01', '0.001')).toEqual({ ok: true });
    expect(check(undefined, '0.0001')).toEqual({ ok: true });
    expect(check('50000', '0.0001')).toEqual({ ok: true }); // notional exactly 5
  });

  it.each<[string | undefined, string, OrderSizeProblem]>([
    ['100', '0', OrderSizeProblem.NonPositiveQuantity],
    ['100', '0.000015', OrderSizeProblem.NotLotMultiple],
    ['100000', '0.00005', OrderSizeProblem.BelowMinQuantity],
    [undefined, '9000.00001', OrderSizeProblem.AboveMaxQuantity],
    ['27000.015', '0.001', OrderSizeProblem.NotTickMultiple],
    ['0', '0.001', OrderSizeProblem.NonPositivePrice],
    ['-1', '0.001', OrderSizeProblem.NonPositivePrice],
    ['49999.99', '0.0001', OrderSizeProblem.BelowMinNotional],
  ])('price %s qty %s -> %s', (price, qty, reason) => {
    const r = check(price, qty);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });
});

describe('commission', () => {
  it('rounds the exact fee up to the settlement precision', () => {
    const i = Instrument.create({ ...btcusdt, settlementPrecision: 2, makerFee: '-0.0001', takerFee: '0.00075' });
    const n = i.notional(Price.parse('27123.45'), Quantity.parse('0.12345'));
    expect(n.toDecimalString()).toBe('3348.3899025');
    expect(i.commission(n, 'taker').toDecimalString()).toBe('2.52'); // 2.511292426875 -> up
    expect(i.commission(n, 'maker').toDecimalString()).toBe('-0.33'); // -0.33483899025 -> toward zero
  });
});
