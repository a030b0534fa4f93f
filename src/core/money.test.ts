import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_MONEY_PRECISION, Money } from './money.js';
import { Currency } from './identifiers.js';
import { Price, Quantity } from './price.js';
import { Rate } from './rate.js';
import { RoundingMode, divRound, pow10n } from './decimal.js';
import { InvariantError, ParseError } from './errors.js';

const USD = Currency.parse('USD');
const BTC = Currency.parse('BTC');
const usd = (s: string, p?: number) => Money.parse(s, USD, p);

const moneyArb = (currency = USD) =>
  fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 18 })).map(([r, p]) => Money.of(r, currency, p));
/** Exact value as a bigint at MAX_MONEY_PRECISION decimals. */
const exact = (m: Money): bigint => m.toBigRaw(MAX_MONEY_PRECISION);

describe('Money parsing and formatting', () => {
  it('parses and formats exactly', () => {
    const m = usd('1234.50');
    expect(m.raw).toBe(123450n);
    expect(m.precision).toBe(2);
    expect(m.currency).toBe('USD');
    expect(m.toString()).toBe('1234.50 USD');
    expect(m.toDecimalString()).toBe('1234.50');
    expect(usd('1234.5', 4).toDecimalString()).toBe('1234.5000');
    expect(usd('1.5e3').toDecimalString()).toBe('1500');
    expect(usd('-0.000001').toDecimalString()).toBe('-0.000001');
    expect(Money.parse('123456789012345678901234567890.123456789012345678', BTC).toString()).toBe(
      '123456789012345678901234567890.123456789012345678 BTC',
    );
  });

  it('rounds extra decimals only when asked to', () => {
    expect(() => usd('1.005', 2)).toThrow(/amount: "1.005" has more than 2 decimal places/);
    expect(Money.parse('1.005', USD, 2, RoundingMode.HalfEven).toDecimalString()).toBe('1.00');
    expect(Money.parse('1.005', USD, 2, RoundingMode.HalfUp).toDecimalString()).toBe('1.01');
  });

  it('rejects malformed input naming the field', () => {
    expect(() => usd('abc')).toThrow(/^amount: /);
    expect(() => usd('1.2.3')).toThrow(ParseError);
    expect(() => usd('1', 37)).toThrow(/^precision: /);
    expect(() => usd('1e-40')).toThrow(/^precision: /);
    expect(() => Money.of(1 as unknown as bigint, USD, 2)).toThrow(/^amount: /);
    expect(() => Money.zero(USD, -1)).toThrow(ParseError);
  });

  it('parses "<amount> <currency>" and JSON', () => {
    expect(Money.parseWithCurrency('12.50 USDT').toString()).toBe('12.50 USDT');
    expect(Money.parseWithCurrency(' 12.5 BTC ', 8).toString()).toBe('12.50000000 BTC');
    expect(() => Money.parseWithCurrency('12.50')).toThrow(/^money: /);
    expect(() => Money.parseWithCurrency('12.50 usd')).toThrow(/^Currency: /);
    const m = usd('-7.25');
    expect(JSON.parse(JSON.stringify(m))).toEqual({ amount: '-7.25', currency: 'USD' });
    expect(Money.fromJSON(m.toJSON()).eq(m)).toBe(true);
    expect(() => Money.fromJSON(null as unknown as { amount: string; currency: string })).toThrow(/^money: /);
  });

  it('round-trips text and JSON (property)', () => {
    fc.assert(
      fc.property(moneyArb(), (m) => {
        const back = Money.parse(m.toDecimalString(), m.currency);
        expect(back.raw).toBe(m.raw);
        expect(back.precision).toBe(m.precision);
        const j = Money.fromJSON(JSON.parse(JSON.stringify(m)));
        expect(j.raw).toBe(m.raw);
        expect(j.currency).toBe(m.currency);
      }),
      { numRuns: 1000 },
    );
  });

  it('toNumber is the nearest float of the exact decimal', () => {
    expect(usd('0.10').toNumber()).toBe(0.1);
    expect(usd('-123456789.123456789').toNumber()).toBe(-123456789.123456789);
    fc.assert(
      fc.property(moneyArb(), (m) => {
        expect(m.toNumber()).toBe(Number.parseFloat(m.toDecimalString()));
      }),
    );
  });
});

describe('Money arithmetic', () => {
  it('adds and subtracts across precisions at the larger one', () => {
    expect(usd('1.5').add(usd('0.25')).toDecimalString()).toBe('1.75');
    expect(usd('1.5').sub(usd('0.25')).toDecimalString()).toBe('1.25');
    expect(usd('1').sub(usd('3')).toDecimalString()).toBe('-2');
    expect(usd('1.50').neg().toDecimalString()).toBe('-1.50');
    expect(usd('-1.50').abs().toDecimalString()).toBe('1.50');
    expect(usd('1.50').abs().toDecimalString()).toBe('1.50');
    expect(usd('1.25').mulInt(-3).toDecimalString()).toBe('-3.75');
    expect(usd('1.25').mulInt(3n).toDecimalString()).toBe('3.75');
    expect(() => usd('1').mulInt(1.5)).toThrow(InvariantError);
  });

  it('never mixes currencies', () => {
    const b = Money.parse('1', BTC);
    expect(() => usd('1').add(b)).toThrow(/cannot add USD and BTC/);
    expect(() => usd('1').sub(b)).toThrow(InvariantError);
    expect(() => usd('1').compare(b)).toThrow(InvariantError);
  });

  it('does not overflow where a safe integer would', () => {
    const big = usd('9007199254740991.99');
    expect(big.add(big).toDecimalString()).toBe('18014398509481983.98');
    expect(big.mulInt(1_000_000).toDecimalString()).toBe('9007199254740991990000.00');
  });

  it('obeys the group laws exactly (property)', () => {
    fc.assert(
      fc.property(moneyArb(), moneyArb(), moneyArb(), (a, b, c) => {
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        expect(a.add(a.neg()).isZero()).toBe(true);
        expect(exact(a.add(b))).toBe(exact(a) + exact(b));
        const d = exact(a) - exact(b);
        const cmp = a.compare(b);
        expect(cmp).toBe(d === 0n ? 0 : d < 0n ? -1 : 1);
        expect(cmp).toBe(a.sub(b).sign());
        expect(a.lt(b)).toBe(cmp < 0);
        expect(a.lte(b)).toBe(cmp <= 0);
        expect(a.gt(b)).toBe(cmp > 0);
        expect(a.gte(b)).toBe(cmp >= 0);
        expect(a.isPositive()).toBe(a.raw > 0n);
        expect(a.isNegative()).toBe(a.raw < 0n);
      }),
      { numRuns: 1000 },
    );
  });

  it('compares numerically in a numeric context', () => {
    expect((usd('9.00') as unknown as number) < (usd('10.00') as unknown as number)).toBe(true);
    expect(`${usd('1.5')}`).toBe('1.5 USD');
  });

  it('sums a list', () => {
    expect(Money.sum([usd('1.10'), usd('2.205'), usd('-0.005')], USD, 2).toDecimalString()).toBe('3.300');
    expect(Money.sum([], USD, 2).toString()).toBe('0.00 USD');
    expect(Money.isMoney(usd('1'))).toBe(true);
    expect(Money.isMoney({ raw: 1n })).toBe(false);
  });
});

describe('Money precision changes', () => {
  it('goes up exactly and down only exactly or with a rounding mode', () => {
    const m = usd('1.255');
    expect(m.withPrecision(5).toDecimalString()).toBe('1.25500');
    expect(m.withPrecision(3)).toBe(m);
    expect(() => m.withPrecision(2)).toThrow(/^precision: /);
    expect(m.withPrecision(2, RoundingMode.HalfEven).toDecimalString()).toBe('1.26');
    expect(usd('1.245').withPrecision(2, RoundingMode.HalfEven).toDecimalString()).toBe('1.24');
    expect(usd('-1.245').withPrecision(2, RoundingMode.Floor).toDecimalString()).toBe('-1.25');
    expect(usd('1.250').withPrecision(2).toDecimalString()).toBe('1.25');
    expect(() => m.toBigRaw(1)).toThrow(InvariantError);
  });
});

describe('Money.fromNotional', () => {
  it('computes price * quantity exactly before one rounding', () => {
    const price = Price.parse('27123.45');
    const qty = Quantity.parse('0.00012345');
    // 27123.45 * 0.00012345 = 3.3483899025 exactly (Python decimal).
    expect(Money.notionalExact(price, qty, USD).toDecimalString()).toBe('3.3483899025');
    expect(Money.fromNotional(price, qty, USD, 2, RoundingMode.HalfEven).toDecimalString()).toBe('3.35');
    expect(Money.fromNotional(price, qty, USD, 2, RoundingMode.Down).toDecimalString()).toBe('3.34');
    expect(Money.fromNotional(price, qty, USD, 12, RoundingMode.Down).toDecimalString()).toBe('3.348389902500');
  });

  it('applies a contract multiplier', () => {
    const m = Money.fromNotional(Price.parse('4500.25'), Quantity.parse('3'), USD, 2, RoundingMode.HalfEven, Quantity.parse('50'));
    expect(m.toDecimalString()).toBe('675037.50');
    expect(Money.notionalExact(Price.parse('0.5'), Quantity.parse('3'), USD, Quantity.parse('0.1')).toDecimalString()).toBe('0.15');
  });

  it('does not overflow on large notionals', () => {
    const price = Price.fromRaw(Number.MAX_SAFE_INTEGER, 2);
    const qty = Quantity.fromRaw(Number.MAX_SAFE_INTEGER, 0);
    const n = Money.notionalExact(price, qty, USD);
    expect(n.raw).toBe(BigInt(Number.MAX_SAFE_INTEGER) ** 2n);
  });

  it('equals the exact product rounded once (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1e15 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(...Object.values(RoundingMode)),
        (pr, pp, qr, qp, target, mode) => {
          const price = Price.fromRaw(pr, pp);
          const qty = Quantity.fromRaw(qr, qp);
          const m = Money.fromNotional(price, qty, USD, target, mode);
          const productAtScale = BigInt(pr) * BigInt(qr); // scale pp + qp
          const scale = pp + qp;
          const expected = target >= scale ? productAtScale * pow10n(target - scale) : divRound(productAtScale, pow10n(scale - target), mode);
          expect(m.raw).toBe(expected);
          // Rounded value is within one unit of the target precision of the exact notional.
          const exactN = Money.notionalExact(price, qty, USD);
          const diff = exact(m) - exact(exactN);
          const unit = pow10n(MAX_MONEY_PRECISION - target);
          expect(diff < unit && diff > -unit).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('Money rates', () => {
  it('multiplies by a fee rate with explicit rounding', () => {
    const notional = usd('1000.00');
    const taker = Rate.parse('0.00075');
    expect(notional.mulRate(taker, RoundingMode.Ceiling).toDecimalString()).toBe('0.75');
    expect(usd('1234.56').mulRate(taker, RoundingMode.Ceiling).toDecimalString()).toBe('0.93');
    expect(usd('1234.56').mulRate(taker, RoundingMode.Floor).toDecimalString()).toBe('0.92');
    expect(usd('1234.56').mulRate(Rate.parse('-0.0001'), RoundingMode.HalfEven).toDecimalString()).toBe('-0.12');
    expect(usd('2').mulRate(Price.parse('1.5'), RoundingMode.Down).toDecimalString()).toBe('3');
  });

  it('converts between currencies rounding once', () => {
    const btc = Money.parse('0.12345678', BTC);
    const m = btc.convert(Rate.parse('27123.45'), USD, 2, RoundingMode.HalfEven);
    // 0.12345678 * 27123.45 = 3348.5737994910 (Python decimal) -> 3348.57
    expect(m.toString()).toBe('3348.57 USD');
    expect(() => btc.convert(Rate.parse('1'), USD, 99, RoundingMode.Down)).toThrow(ParseError);
  });

  it('mulRate equals the exact product rounded once (property)', () => {
    fc.assert(
      fc.property(moneyArb(), fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...Object.values(RoundingMode)), (m, rr, rp, mode) => {
        const rate = Rate.fromRaw(rr, rp);
        const out = m.mulRate(rate, mode);
        expect(out.precision).toBe(m.precision);
        expect(out.raw).toBe(divRound(m.raw * BigInt(rr), 10n ** BigInt(rp), mode));
        // Rate 1 is the identity.
        expect(m.mulRate(Rate.parse('1.000'), mode).eq(m)).toBe(true);
      }),
    );
  });
});
