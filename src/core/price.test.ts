import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Price, Quantity, inferPrecision } from './price.js';
import { MAX_PRECISION, RoundingMode, formatDecimalRaw, pow10 } from './decimal.js';
import { InvariantError, ParseError } from './errors.js';

const precisionArb = fc.integer({ min: 0, max: MAX_PRECISION });
/**
 * Prices whose value stays below 3000 in magnitude whatever their precision, so that any two or three of them
 * can be brought to 12 decimals safely; mixed with large raws at one shared precision (same-scale arithmetic).
 */
const mixedPriceArb = precisionArb.chain((p) => {
  const bound = Math.floor(3e15 / pow10(MAX_PRECISION - p));
  return fc.integer({ min: -bound, max: bound }).map((r) => Price.fromRaw(r, p));
});
const SHARED_PRECISION = 4;
const widePriceArb = fc.integer({ min: -2e15, max: 2e15 }).map((r) => Price.fromRaw(r, SHARED_PRECISION));
const priceArb = fc.oneof(mixedPriceArb, widePriceArb);
/** n prices from the same family, so that arithmetic between them cannot overflow. */
const pricesArb = (n: number) => fc.oneof(fc.array(mixedPriceArb, { minLength: n, maxLength: n }), fc.array(widePriceArb, { minLength: n, maxLength: n }));
const smallPriceArb = fc.tuple(fc.integer({ min: -1e12, max: 1e12 }), precisionArb).map(([r, p]) => Price.fromRaw(r, p));
const qtyArb = fc.tuple(fc.integer({ min: 0, max: 1e12 }), precisionArb).map(([r, p]) => Quantity.fromRaw(r, p));
/** Exact value as a bigint at 12 decimals: the reference the fixed-point code is checked against. */
const exact = (x: Price | Quantity): bigint => BigInt(x.raw) * 10n ** BigInt(MAX_PRECISION - x.precision);

describe('Price parsing and formatting', () => {
  it('infers the precision from the text', () => {
    const p = Price.parse('101.2500');
    expect(p.raw).toBe(1012500);
    expect(p.precision).toBe(4);
    expect(p.toString()).toBe('101.2500');
    expect(Price.parse('1e-3').precision).toBe(3);
    expect(Price.parse('1.5e2').toString()).toBe('150');
    expect(Price.parse('-3').toString()).toBe('-3');
  });

  it('parses at a given precision', () => {
    expect(Price.parse('101.25', 4).toString()).toBe('101.2500');
    expect(() => Price.parse('101.255', 2)).toThrow(/price: "101.255" has more than 2 decimal places/);
    expect(Price.parse('101.255', 2, RoundingMode.HalfEven).toString()).toBe('101.26');
  });

  it('round-trips text at every precision 0..12 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), precisionArb, (raw, p) => {
        const price = Price.fromRaw(raw, p);
        const back = Price.parse(price.toString());
        expect(back.raw).toBe(raw);
        expect(back.precision).toBe(p);
        expect(JSON.parse(JSON.stringify({ price }))).toEqual({ price: price.toString() });
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects malformed text with a ParseError naming the field', () => {
    for (const s of ['', 'abc', '1.2.3', '--1', '1e', 'NaN']) {
      expect(() => Price.parse(s)).toThrow(ParseError);
      expect(() => Price.parse(s)).toThrow(/^price: /);
      expect(() => Quantity.parse(s)).toThrow(/^quantity: /);
    }
    expect(() => Price.parse('0.0000000000001')).toThrow(/more than 12 decimal places/);
  });

  it('fromRaw and zero validate their inputs', () => {
    expect(() => Price.fromRaw(1.5, 2)).toThrow(ParseError);
    expect(() => Price.fromRaw(2 ** 53, 2)).toThrow(ParseError);
    expect(() => Price.fromRaw(1, 13)).toThrow(/precision/);
    expect(() => Price.zero(13)).toThrow(/precision/);
    expect(() => Quantity.zero(-1)).toThrow(/precision/);
    expect(Object.is(Price.fromRaw(-0, 2).raw, 0)).toBe(true);
    expect(Price.zero(3).toString()).toBe('0.000');
    expect(Quantity.zero().toString()).toBe('0');
  });

  it('fromNumber rounds half away from zero through the decimal form', () => {
    expect(Price.fromNumber(0.1 + 0.2, 2).toString()).toBe('0.30');
    expect(Price.fromNumber(-1.005, 2).toString()).toBe('-1.01');
    expect(Price.fromNumber(1e-7, 8).toString()).toBe('0.00000010');
    expect(() => Price.fromNumber(Number.NaN, 2)).toThrow(/price: not a finite number/);
    expect(Quantity.fromNumber(2.5, 0).toString()).toBe('3');
    expect(() => Quantity.fromNumber(-1, 0)).toThrow(/quantity: .*negative/);
  });

  it('toNumber is the nearest float', () => {
    expect(Price.parse('0.1').toNumber()).toBe(0.1);
    expect(Price.parse('-123.456').toNumber()).toBe(-123.456);
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), precisionArb, (raw, p) => {
        expect(Price.fromRaw(raw, p).toNumber()).toBe(Number(formatDecimalRaw(raw, p)));
      }),
    );
  });

  it('isPrice / isQuantity tell the classes apart', () => {
    expect(Price.isPrice(Price.zero())).toBe(true);
    expect(Price.isPrice(Quantity.zero())).toBe(false);
    expect(Quantity.isQuantity(Quantity.zero())).toBe(true);
    expect(Quantity.isQuantity({ raw: 0, precision: 0 })).toBe(false);
  });
});

describe('coercion', () => {
  it('compares numerically, not as strings, when used with < and >', () => {
    const nine = Price.parse('9.00');
    const ten = Price.parse('10.00');
    // Without Symbol.toPrimitive these would compare "9.00" and "10.00" as strings.
    expect((nine as unknown as number) < (ten as unknown as number)).toBe(true);
    expect((ten as unknown as number) > (nine as unknown as number)).toBe(true);
    expect(+Quantity.parse('2.5')).toBe(2.5);
    expect(`${ten}`).toBe('10.00');
    expect(String(nine)).toBe('9.00');
  });
});

describe('Quantity', () => {
  it('is never negative', () => {
    expect(() => Quantity.parse('-1')).toThrow(/quantity must not be negative/);
    expect(() => Quantity.fromRaw(-1, 0)).toThrow(ParseError);
    expect(() => Quantity.parse('1').sub(Quantity.parse('2'))).toThrow(InvariantError);
    expect(Quantity.parse('-0').raw).toBe(0);
    expect(Quantity.parse('2').sub(Quantity.parse('2')).isZero()).toBe(true);
    expect(() => Quantity.parse('1').mulInt(-1)).toThrow(InvariantError);
  });
});

describe('arithmetic laws (property)', () => {
  it('add is commutative and associative, exactly', () => {
    fc.assert(
      fc.property(pricesArb(3), ([a, b, c]) => {
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
        expect(exact(a.add(b))).toBe(exact(a) + exact(b));
      }),
      { numRuns: 1000 },
    );
  });

  it('a + b - b = a, at the larger precision', () => {
    fc.assert(
      fc.property(pricesArb(2), ([a, b]) => {
        const r = a.add(b).sub(b);
        expect(r.eq(a)).toBe(true);
        expect(r.precision).toBe(Math.max(a.precision, b.precision));
        expect(a.sub(a).isZero()).toBe(true);
        expect(Object.is(a.sub(a).raw, 0)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('compare agrees with the sign of the difference and with exact values', () => {
    fc.assert(
      fc.property(pricesArb(2), ([a, b]) => {
        const c = a.compare(b);
        expect(c).toBe(a.sub(b).sign());
        const d = exact(a) - exact(b);
        expect(c).toBe(d === 0n ? 0 : d < 0n ? -1 : 1);
        expect(b.compare(a)).toBe(c === 0 ? 0 : -c);
        expect(a.lt(b)).toBe(c < 0);
        expect(a.lte(b)).toBe(c <= 0);
        expect(a.gt(b)).toBe(c > 0);
        expect(a.gte(b)).toBe(c >= 0);
        expect(a.eq(b)).toBe(c === 0);
        expect(a.min(b).eq(c <= 0 ? a : b)).toBe(true);
        expect(a.max(b).eq(c >= 0 ? a : b)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('compare is exact for any two prices, whatever their precisions (property)', () => {
    fc.assert(
      fc.property(priceArb, priceArb, (a, b) => {
        const d = exact(a) - exact(b);
        expect(a.compare(b)).toBe(d === 0n ? 0 : d < 0n ? -1 : 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('compare across precisions never overflows', () => {
    const big = Price.fromRaw(Number.MAX_SAFE_INTEGER, 0);
    const tiny = Price.fromRaw(1, 12);
    expect(big.compare(tiny)).toBe(1);
    expect(tiny.compare(big)).toBe(-1);
    expect(big.neg().compare(tiny)).toBe(-1);
    expect(Price.parse('1.10').eq(Price.parse('1.1'))).toBe(true);
  });

  it('neg and abs', () => {
    fc.assert(
      fc.property(priceArb, (a) => {
        expect(a.neg().add(a).isZero()).toBe(true);
        expect(a.abs().sign()).toBe(a.isZero() ? 0 : 1);
        expect(a.abs().eq(a.isNegative() ? a.neg() : a)).toBe(true);
        expect(Object.is(Price.zero(2).neg().raw, 0)).toBe(true);
        expect(a.isPositive()).toBe(a.raw > 0);
      }),
    );
  });

  it('mulInt multiplies exactly', () => {
    fc.assert(
      fc.property(smallPriceArb, fc.integer({ min: -1000, max: 1000 }), (a, n) => {
        expect(exact(a.mulInt(n))).toBe(exact(a) * BigInt(n));
        expect(Object.is(a.mulInt(n).raw, -0)).toBe(false);
      }),
    );
    expect(() => Price.parse('1').mulInt(0.5)).toThrow(InvariantError);
  });

  it('overflow throws instead of losing units', () => {
    const max = Price.fromRaw(Number.MAX_SAFE_INTEGER, 2);
    expect(() => max.add(Price.parse('0.01'))).toThrow(InvariantError);
    expect(() => max.mulInt(2)).toThrow(InvariantError);
    expect(() => max.add(Price.parse('0.001'))).toThrow(InvariantError);
  });
});

describe('rounding to tick and lot', () => {
  const tick = Price.parse('0.05');
  it.each([
    ['1.02', 'nearest', '1.00'],
    ['1.025', 'nearest', '1.05'],
    ['1.024', 'nearest', '1.00'],
    ['-1.025', 'nearest', '-1.05'],
    ['1.04', 'down', '1.00'],
    ['-1.01', 'down', '-1.05'],
    ['1.01', 'up', '1.05'],
    ['-1.04', 'up', '-1.00'],
    ['1.025', RoundingMode.HalfEven, '1.00'],
    ['1.075', RoundingMode.HalfEven, '1.10'],
    ['-1.04', RoundingMode.Down, '-1.00'],
    ['1.01', RoundingMode.Up, '1.05'],
    ['7', 'nearest', '7.00'],
  ] as const)('%s %s -> %s', (x, mode, out) => {
    expect(Price.parse(x).roundTo(tick, mode).toString()).toBe(out);
  });

  it('handles a tick coarser than one unit', () => {
    expect(Price.parse('1234.5').roundTo(Price.parse('100')).toString()).toBe('1200');
    expect(Price.parse('1250').roundTo(Price.parse('100')).toString()).toBe('1300');
    expect(Quantity.parse('0.0034').roundTo(Quantity.parse('0.001'), 'down').toString()).toBe('0.003');
  });

  it('rejects a non-positive step', () => {
    expect(() => Price.parse('1').roundTo(Price.parse('0'))).toThrow(/step: step must be positive/);
    expect(() => Price.parse('1').roundTo(Price.parse('-0.1'))).toThrow(ParseError);
    expect(() => Price.parse('1').isMultipleOf(Price.parse('0'))).toThrow(InvariantError);
  });

  it('is exact where floats would not be, even at the edge of the safe range', () => {
    const big = Price.fromRaw(Number.MAX_SAFE_INTEGER - 1, 0); // 9007199254740990 = 3 * 3002399751580330
    expect(big.roundTo(Price.parse('3'), 'down').raw).toBe(Number.MAX_SAFE_INTEGER - 1);
    expect(Price.fromRaw(Number.MAX_SAFE_INTEGER - 2, 0).roundTo(Price.parse('3'), 'down').raw).toBe(Number.MAX_SAFE_INTEGER - 4);
    expect(() => Price.fromRaw(Number.MAX_SAFE_INTEGER, 0).roundTo(Price.parse('10'), 'up')).toThrow(InvariantError);
  });

  it('is idempotent, lands on the grid, within one step, with the step precision (property)', () => {
    const stepArb = fc.tuple(fc.integer({ min: 1, max: 100_000 }), precisionArb).map(([r, p]) => Price.fromRaw(r, p));
    const modes = ['nearest', 'down', 'up', ...Object.values(RoundingMode)] as const;
    fc.assert(
      fc.property(fc.oneof(fc.tuple(mixedPriceArb, stepArb), fc.tuple(widePriceArb, stepArb.map((st) => st.withPrecision(Math.min(st.precision, SHARED_PRECISION), RoundingMode.Ceiling)))), fc.constantFrom(...modes), ([x, step], mode) => {
        const r = x.roundTo(step, mode);
        expect(r.precision).toBe(step.precision);
        expect(r.isMultipleOf(step)).toBe(true);
        expect(r.roundTo(step, mode).eq(r)).toBe(true);
        const dist = exact(r) - exact(x);
        const s = exact(step);
        expect(dist < s && dist > -s).toBe(true);
        if (mode === 'down' || mode === RoundingMode.Floor) expect(dist <= 0n).toBe(true);
        if (mode === 'up' || mode === RoundingMode.Ceiling) expect(dist >= 0n).toBe(true);
        if (mode === 'nearest' || mode === RoundingMode.HalfUp || mode === RoundingMode.HalfEven) {
          expect(2n * (dist < 0n ? -dist : dist) <= s).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rounding a quantity to a lot never makes it negative', () => {
    fc.assert(
      fc.property(qtyArb, fc.integer({ min: 1, max: 1000 }), (q, lotRaw) => {
        const lot = Quantity.fromRaw(lotRaw, 3);
        expect(q.roundTo(lot, 'down').raw).toBeGreaterThanOrEqual(0);
        expect(q.roundTo(lot, 'down').lte(q)).toBe(true);
      }),
    );
  });
});

describe('withPrecision', () => {
  it('goes up exactly and down only when exact or asked to round', () => {
    const p = Price.parse('1.50');
    expect(p.withPrecision(4).toString()).toBe('1.5000');
    expect(p.withPrecision(1).toString()).toBe('1.5');
    expect(p.withPrecision(2)).toBe(p);
    expect(() => p.withPrecision(0)).toThrow(/precision: 1.50 cannot be expressed with 0 decimals/);
    expect(p.withPrecision(0, RoundingMode.HalfUp).toString()).toBe('2');
    expect(Price.parse('-1.5').withPrecision(0, RoundingMode.HalfEven).toString()).toBe('-2');
    expect(Price.parse('-0.4').withPrecision(0, RoundingMode.HalfUp).raw).toBe(0);
    expect(Object.is(Price.parse('-0.4').withPrecision(0, RoundingMode.HalfUp).raw, 0)).toBe(true);
    expect(() => p.withPrecision(13)).toThrow(/precision/);
    expect(() => Price.fromRaw(Number.MAX_SAFE_INTEGER, 0).withPrecision(1)).toThrow(InvariantError);
  });

  it('up then down is the identity (property)', () => {
    fc.assert(
      fc.property(mixedPriceArb, precisionArb, (a, p) => {
        const q = Math.max(a.precision, p);
        expect(a.withPrecision(q).withPrecision(a.precision).raw).toBe(a.raw);
        expect(a.withPrecision(q).eq(a)).toBe(true);
      }),
    );
  });

  it('toBigRaw refuses to lose digits', () => {
    expect(Price.parse('1.25').toBigRaw(4)).toBe(12500n);
    expect(() => Price.parse('1.25').toBigRaw(1)).toThrow(InvariantError);
  });
});

describe('inferPrecision', () => {
  it.each([
    ['1', 0],
    ['1.2300', 4],
    ['1e-3', 3],
    ['1.5e2', 0],
    ['1.25e1', 1],
    ['.5', 1],
    ['1.000000000000000', 12],
    ['0.1230000000000000000', 12],
  ])('%s -> %d', (s, p) => {
    expect(inferPrecision(s)).toBe(p);
  });
  it('keeps the value exact when dropping zeros beyond 12 decimals', () => {
    expect(Price.parse('1.000000000000000').toString()).toBe('1.000000000000');
    expect(Price.parse('0.1230000000000000000').toString()).toBe('0.123000000000');
  });
  it('rejects malformed text naming the field', () => {
    expect(() => inferPrecision('', 'price')).toThrow(/^price: not a decimal number/);
    expect(() => inferPrecision('x')).toThrow(ParseError);
    expect(() => inferPrecision('1.0000000000001')).toThrow(/more than 12/);
  });
  it('gives the precision that parses the formatted text back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), precisionArb, (raw, p) => {
        expect(inferPrecision(formatDecimalRaw(raw, p))).toBe(p);
        expect(pow10(p)).toBeGreaterThan(0);
      }),
    );
  });
});

describe('snap', () => {
  it('rounds text straight to the step, agreeing with parse + roundTo (property)', () => {
    const modes = ['nearest', 'down', 'up', ...Object.values(RoundingMode)] as const;
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...modes), (raw, p, sr, sp, mode) => {
        const x = Price.fromRaw(raw, p);
        const step = Price.fromRaw(sr, sp);
        expect(step.snap(x.toString(), mode).eq(x.roundTo(step, mode))).toBe(true);
        expect(step.snap(x.toString(), mode).precision).toBe(sp);
      }),
      { numRuns: 1000 },
    );
  });

  it('avoids double rounding and validates its input', () => {
    expect(Price.parse('0.02').snap('1.0149').toString()).toBe('1.02');
    expect(Price.parse('0.02').snap(1.0099).toString()).toBe('1.00');
    expect(Quantity.parse('0.001').snap('2.0005', 'nearest').toString()).toBe('2.001');
    expect(() => Price.parse('0').snap('1')).toThrow(/^step: /);
    expect(() => Price.parse('0.01').snap('1e20', 'nearest', 'price')).toThrow(/^price: .*too large/);
    expect(() => Quantity.parse('1').snap('-1')).toThrow(InvariantError);
  });
});
