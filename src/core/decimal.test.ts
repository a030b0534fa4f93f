import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_PRECISION,
  RoundingMode,
  divRound,
  formatDecimalBig,
  formatDecimalRaw,
  isSafeBig,
  parseDecimalBig,
  parseDecimalRaw,
  pow10,
  pow10n,
  rawFromNumber,
  rescaleUp,
} from './decimal.js';
import { InvariantError, ParseError } from './errors.js';

const precisionArb = fc.integer({ min: 0, max: MAX_PRECISION });
const safeRaw = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('parseDecimalRaw', () => {
  it.each([
    ['0', 2, 0],
    ['1', 2, 100],
    ['1.5', 2, 150],
    ['-1.5', 2, -150],
    ['+1.25', 2, 125],
    ['.5', 1, 5],
    ['5.', 0, 5],
    ['0001.10', 2, 110],
    ['1.2300000', 2, 123],
    ['1.5e2', 0, 150],
    ['1.5E-3', 4, 15],
    ['-2.5e+1', 1, -250],
    ['  7.25 ', 2, 725],
    ['123e-5', 5, 123],
    ['9007199254740991', 0, Number.MAX_SAFE_INTEGER],
    ['-9007199254740.991', 3, -Number.MAX_SAFE_INTEGER],
  ])('%s at %d -> %d', (s, p, raw) => {
    expect(parseDecimalRaw(s, p)).toBe(raw);
  });

  it('never returns negative zero', () => {
    expect(Object.is(parseDecimalRaw('-0', 2), 0)).toBe(true);
    expect(Object.is(parseDecimalRaw('-0.000', 2), 0)).toBe(true);
    expect(Object.is(parseDecimalRaw('-0e5', 0), 0)).toBe(true);
  });

  it.each(['', ' ', '.', '-', '+', 'e5', '1e', '1.2.3', '1,5', 'abc', '0x10', '1_000', '--1', 'NaN', 'Infinity', '1 2'])(
    'rejects malformed %j with a ParseError naming the field',
    (s) => {
      const err = (() => {
        try {
          parseDecimalRaw(s, 2, 'price');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).field).toBe('price');
      expect((err as Error).message).toMatch(/^price: /);
    },
  );

  it('rejects more decimals than the precision unless they are zeros', () => {
    expect(() => parseDecimalRaw('1.234', 2, 'qty')).toThrow(/qty: "1.234" has more than 2 decimal places/);
    expect(() => parseDecimalRaw('1e-3', 2)).toThrow(ParseError);
    expect(parseDecimalRaw('1.230', 2)).toBe(123);
  });

  it('rounds extra decimals when a rounding mode is given', () => {
    expect(parseDecimalRaw('1.235', 2, 'x', RoundingMode.HalfUp)).toBe(124);
    expect(parseDecimalRaw('1.225', 2, 'x', RoundingMode.HalfEven)).toBe(122);
    expect(parseDecimalRaw('-1.239', 2, 'x', RoundingMode.Down)).toBe(-123);
    expect(parseDecimalRaw('-1.231', 2, 'x', RoundingMode.Floor)).toBe(-124);
  });

  it('rejects values that do not fit a safe integer, without rounding them', () => {
    expect(() => parseDecimalRaw('9007199254740992', 0)).toThrow(/too large/);
    expect(() => parseDecimalRaw('9007199254740993', 0)).toThrow(/too large/);
    expect(() => parseDecimalRaw('90071992547.40992', 5)).toThrow(/too large/);
    expect(() => parseDecimalRaw('1e40', 0)).toThrow(/too large/);
  });

  it('bounds the exponent', () => {
    expect(() => parseDecimalRaw('1e65', 0)).toThrow(/exponent out of range/);
    expect(() => parseDecimalRaw('1e-999999999', 0)).toThrow(/exponent out of range/);
    expect(parseDecimalRaw('1e-64', 0, 'x', RoundingMode.Down)).toBe(0);
  });

  it('rejects a bad precision', () => {
    expect(() => parseDecimalRaw('1', 13)).toThrow(/precision out of range/);
    expect(() => parseDecimalRaw('1', -1)).toThrow(ParseError);
    expect(() => parseDecimalRaw('1', 1.5)).toThrow(ParseError);
  });

  it('rejects a non-string', () => {
    expect(() => parseDecimalRaw(12 as unknown as string, 2, 'size')).toThrow(/size: not a decimal string/);
  });
});

describe('parseDecimalRaw fast path', () => {
  it('agrees with the exact bigint parser on plain strings, or both reject (property)', () => {
    const text = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{0,18}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,16}$/)),
      )
      .map(([sign, i, f]) => `${sign}${i}${f === null ? '' : `.${f}`}`);
    fc.assert(
      fc.property(text, precisionArb, (s, p) => {
        let big: bigint | undefined;
        try {
          big = parseDecimalBig(s, p);
        } catch {
          big = undefined;
        }
        if (big === undefined || !isSafeBig(big)) {
          expect(() => parseDecimalRaw(s, p)).toThrow(ParseError);
        } else {
          const raw = parseDecimalRaw(s, p);
          expect(raw).toBe(Number(big));
          expect(Object.is(raw, -0)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('formatDecimalRaw', () => {
  it.each([
    [0, 0, '0'],
    [0, 3, '0.000'],
    [5, 3, '0.005'],
    [-5, 3, '-0.005'],
    [-12345, 2, '-123.45'],
    [100, 2, '1.00'],
    [-0, 2, '0.00'],
    [Number.MAX_SAFE_INTEGER, 12, '9007.199254740991'],
    [-7, 0, '-7'],
  ])('%d at %d -> %s', (raw, p, s) => {
    expect(formatDecimalRaw(raw, p)).toBe(s);
  });

  it('refuses a raw value that is not a safe integer', () => {
    expect(() => formatDecimalRaw(1.5, 2)).toThrow(InvariantError);
    expect(() => formatDecimalRaw(2 ** 53, 2)).toThrow(InvariantError);
  });

  it('round-trips with parse for every precision 0..12 (property)', () => {
    fc.assert(
      fc.property(safeRaw, precisionArb, (raw, p) => {
        const s = formatDecimalRaw(raw, p);
        expect(parseDecimalRaw(s, p)).toBe(raw);
        // The text has exactly p decimals and no exponent.
        expect(s).toMatch(p === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${p}}$`));
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every exponent form of a value to the same raw (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), precisionArb, fc.integer({ min: -20, max: 20 }), (raw, p, k) => {
        // raw * 10^-p written as m e k, with m = raw * 10^-(p + k).
        const m = p + k >= 0 ? formatDecimalBig(BigInt(raw), p + k) : formatDecimalBig(BigInt(raw) * pow10n(-(p + k)), 0);
        expect(parseDecimalRaw(`${m}e${k}`, p)).toBe(raw);
        expect(parseDecimalRaw(`${m}E${k >= 0 ? '+' : ''}${k}`, p)).toBe(raw);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseDecimalBig / formatDecimalBig', () => {
  it('handles values far beyond 2^53', () => {
    const big = parseDecimalBig('123456789012345678901234567890.123456789', 9);
    expect(big).toBe(123456789012345678901234567890123456789n);
    expect(formatDecimalBig(big, 9)).toBe('123456789012345678901234567890.123456789');
    expect(formatDecimalBig(-5n, 2)).toBe('-0.05');
    expect(formatDecimalBig(-5n, 0)).toBe('-5');
  });

  it('round-trips any bigint (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }), (raw, p) => {
        expect(parseDecimalBig(formatDecimalBig(raw, p), p)).toBe(raw);
      }),
    );
  });

  it('rejects a precision out of range', () => {
    expect(() => parseDecimalBig('1', -1)).toThrow(/precision/);
    expect(() => parseDecimalBig('1', 1000)).toThrow(/precision/);
  });
});

describe('divRound', () => {
  const cases: [bigint, bigint, RoundingMode, bigint][] = [
    [7n, 2n, RoundingMode.Down, 3n],
    [-7n, 2n, RoundingMode.Down, -3n],
    [7n, 2n, RoundingMode.Up, 4n],
    [-7n, 2n, RoundingMode.Up, -4n],
    [7n, 2n, RoundingMode.Floor, 3n],
    [-7n, 2n, RoundingMode.Floor, -4n],
    [7n, 2n, RoundingMode.Ceiling, 4n],
    [-7n, 2n, RoundingMode.Ceiling, -3n],
    [5n, 2n, RoundingMode.HalfUp, 3n],
    [-5n, 2n, RoundingMode.HalfUp, -3n],
    [7n, 3n, RoundingMode.HalfUp, 2n],
    [8n, 3n, RoundingMode.HalfUp, 3n],
    [5n, 2n, RoundingMode.HalfEven, 2n],
    [7n, 2n, RoundingMode.HalfEven, 4n],
    [-5n, 2n, RoundingMode.HalfEven, -2n],
    [-7n, 2n, RoundingMode.HalfEven, -4n],
    [-8n, 3n, RoundingMode.HalfEven, -3n],
    [-7n, 3n, RoundingMode.HalfEven, -2n],
    [6n, 3n, RoundingMode.HalfEven, 2n],
    [7n, -2n, RoundingMode.Floor, -4n],
  ];
  it.each(cases)('%d / %d %s = %d', (n, d, mode, q) => {
    expect(divRound(n, d, mode)).toBe(q);
  });

  it('matches the definition of each mode (property)', () => {
    const modes = Object.values(RoundingMode);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.constantFrom(...modes), (n, d, mode) => {
        const q = divRound(n, d, mode);
        // Within one unit of the exact quotient.
        const err = n - q * d; // exact residual: n/d - q = err/d
        expect(err > -d && err < d).toBe(true);
        const twice = 2n * (err < 0n ? -err : err);
        switch (mode) {
          case 'toward-zero':
            expect(err === 0n || (err > 0n) === (n > 0n)).toBe(true);
            break;
          case 'away-from-zero':
            expect(err === 0n || (err < 0n) === (n > 0n)).toBe(true);
            break;
          case 'floor':
            expect(err >= 0n).toBe(true);
            break;
          case 'ceiling':
            expect(err <= 0n).toBe(true);
            break;
          case 'half-up':
          case 'half-even':
            expect(twice <= d).toBe(true);
            if (twice === d && mode === 'half-even') expect(q % 2n).toBe(0n);
            if (twice === d && mode === 'half-up') expect(q < 0n === n < 0n || q === 0n).toBe(true);
            break;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses division by zero and unknown modes', () => {
    expect(() => divRound(1n, 0n, RoundingMode.Down)).toThrow(InvariantError);
    expect(() => divRound(1n, 3n, 'sideways' as RoundingMode)).toThrow(/unknown rounding mode/);
  });
});

describe('rawFromNumber', () => {
  it.each([
    [0.1 + 0.2, 2, 30],
    [1.005, 2, 101],
    [2.675, 2, 268],
    [-2.5, 0, -3],
    [2.5, 0, 3],
    [-0.125, 2, -13],
    [1e-7, 8, 10],
    [1e-13, 12, 0],
    [123.456, 0, 123],
    [1234.123456789012, 12, 1234123456789012],
    [1e15, 0, 1e15],
    [-0, 3, 0],
  ])('%d at %d -> %d', (x, p, raw) => {
    const r = rawFromNumber(x, p);
    expect(r).toBe(raw);
    expect(Object.is(r, -0)).toBe(false);
  });

  it('rejects non-finite and too large values, naming the field', () => {
    expect(() => rawFromNumber(Number.NaN, 2, 'price')).toThrow(/price: not a finite number/);
    expect(() => rawFromNumber(Infinity, 2)).toThrow(ParseError);
    expect(() => rawFromNumber(1e20, 2, 'qty')).toThrow(/qty: .*too large/);
    expect(() => rawFromNumber(1e300, 0)).toThrow(ParseError);
  });

  it('is within half a unit of the float and agrees with parse on decimal strings (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }), (raw, p) => {
        const x = raw / pow10(p);
        expect(rawFromNumber(x, p)).toBe(raw);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rescaleUp / pow10 / isSafeBig', () => {
  it('rescales exactly and refuses to go down or overflow', () => {
    expect(rescaleUp(-15, 1, 4)).toBe(-15000);
    expect(rescaleUp(15, 2, 2)).toBe(15);
    expect(() => rescaleUp(1, 3, 2)).toThrow(InvariantError);
    expect(() => rescaleUp(Number.MAX_SAFE_INTEGER, 0, 1)).toThrow(/overflows/);
  });
  it('pow10 covers 0..12 only', () => {
    expect(pow10(0)).toBe(1);
    expect(pow10(12)).toBe(1e12);
    expect(() => pow10(13)).toThrow(ParseError);
    expect(pow10n(30)).toBe(10n ** 30n);
    expect(pow10n(70)).toBe(10n ** 70n);
    expect(() => pow10n(-1)).toThrow(InvariantError);
  });
  it('isSafeBig marks the safe range', () => {
    expect(isSafeBig(BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    expect(isSafeBig(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toBe(false);
    expect(isSafeBig(-BigInt(Number.MAX_SAFE_INTEGER) - 1n)).toBe(false);
  });
});
