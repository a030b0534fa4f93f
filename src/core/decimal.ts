import { InvariantError, ParseError } from './errors.js';

/** Largest number of decimal places a Price or Quantity may carry. */
export const MAX_PRECISION = 12;

/**
 * Largest exponent accepted in a decimal string (`1e40`). It bounds the work a hostile input can cause
 * (`1e999999999` would otherwise build a billion-digit bigint) while covering every real amount.
 */
const MAX_EXPONENT = 64;

const POW10: readonly number[] = Array.from({ length: MAX_PRECISION + 1 }, (_, i) => 10 ** i);

export function pow10(precision: number): number {
  const p = POW10[precision];
  if (p === undefined) throw new ParseError(`precision out of range 0..${MAX_PRECISION}: ${precision}`, 'precision');
  return p;
}

const POW10_BIG: bigint[] = [];
/** 10^n as a bigint (any n >= 0), cached for the small exponents used by money scales. */
export function pow10n(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvariantError(`bad power of ten: ${n}`);
  if (n < 64) return (POW10_BIG[n] ??= 10n ** BigInt(n));
  return 10n ** BigInt(n);
}

/**
 * How a value that falls between two representable ones is rounded. Names follow java.math.RoundingMode,
 * which is what finance code usually means by them.
 */
export const RoundingMode = {
  /** Toward zero (truncate). */
  Down: 'toward-zero',
  /** Away from zero. */
  Up: 'away-from-zero',
  /** Toward negative infinity. */
  Floor: 'floor',
  /** Toward positive infinity. */
  Ceiling: 'ceiling',
  /** Nearest, ties away from zero (the school rule). */
  HalfUp: 'half-up',
  /** Nearest, ties to the even neighbour (banker's rounding: no bias over many roundings). */
  HalfEven: 'half-even',
} as const;
export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

/** `n / d` rounded as `mode` says, exactly. `d` must not be zero. */
export function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new InvariantError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  switch (mode) {
    case RoundingMode.Down:
      return q;
    case RoundingMode.Up:
      return away;
    case RoundingMode.Floor:
      return n < 0n ? q - 1n : q;
    case RoundingMode.Ceiling:
      return n > 0n ? q + 1n : q;
    case RoundingMode.HalfUp: {
      const twice = 2n * (r < 0n ? -r : r);
      return twice >= d ? away : q;
    }
    case RoundingMode.HalfEven: {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > d) return away;
      if (twice < d) return q;
      return q % 2n === 0n ? q : away;
    }
    default: {
      const never: never = mode;
      throw new InvariantError(`unknown rounding mode: ${String(never)}`);
    }
  }
}

/** A decimal string taken apart: value = (neg ? -1 : 1) * digits * 10^-scale (scale may be negative). */
interface DecimalParts {
  readonly neg: boolean;
  readonly digits: bigint;
  readonly scale: number;
}

const DECIMAL_RE = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

function parseParts(s: string, field: string): DecimalParts {
  if (typeof s !== 'string') throw new ParseError(`not a decimal string: ${String(s)}`, field);
  const m = DECIMAL_RE.exec(s);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (m === null || (intPart === '' && fracPart === '')) {
    throw new ParseError(`not a decimal number: ${JSON.stringify(s)}`, field);
  }
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) {
    throw new ParseError(`exponent out of range ±${MAX_EXPONENT}: ${JSON.stringify(s)}`, field);
  }
  return { neg: m[1] === '-', digits: BigInt(intPart + fracPart), scale: fracPart.length - exp };
}

/**
 * Parses a decimal string into an integer scaled by 10^precision, exactly (as a bigint, no size limit
 * beyond the exponent bound). With no rounding mode, a value that needs more than `precision` decimals is
 * rejected (trailing zeros are fine); with one, it is rounded. Negative zero parses as 0.
 */
export function parseDecimalBig(s: string, precision: number, field = 'decimal', rounding?: RoundingMode): bigint {
  if (!Number.isSafeInteger(precision) || precision < 0 || precision > 4 * MAX_EXPONENT) {
    throw new ParseError(`precision out of range: ${precision}`, 'precision');
  }
  const { neg, digits, scale } = parseParts(s, field);
  const signed = neg ? -digits : digits;
  let raw: bigint;
  if (scale <= precision) raw = signed * pow10n(precision - scale);
  else {
    const div = pow10n(scale - precision);
    if (rounding === undefined) {
      if (signed % div !== 0n) throw new ParseError(`${JSON.stringify(s)} has more than ${precision} decimal places`, field);
      raw = signed / div;
    } else raw = divRound(signed, div, rounding);
  }
  return raw === 0n ? 0n : raw;
}

/**
 * Parses a decimal string into an integer scaled by 10^precision, without going through a float.
 * Accepts an optional sign, digits, an optional fraction and an optional exponent (`1.5e-3`).
 * More fractional digits than `precision` are an error unless they are all zeros (or a rounding mode is
 * given). The result must be a safe integer (|raw| <= 2^53 - 1). Errors are ParseErrors naming `field`.
 */
export function parseDecimalRaw(s: string, precision: number, field = 'decimal', rounding?: RoundingMode): number {
  pow10(precision);
  const fast = typeof s === 'string' ? parsePlainFast(s, precision) : undefined;
  if (fast !== undefined) return fast;
  const raw = parseDecimalBig(s, precision, field, rounding);
  if (raw > MAX_SAFE_BIG || raw < -MAX_SAFE_BIG) {
    throw new ParseError(`${JSON.stringify(s)} is too large for precision ${precision}`, field);
  }
  return Number(raw);
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_MINUS = 45;
const CH_PLUS = 43;

/**
 * The common case on hot paths (venue messages, CSV rows): `[-+]digits[.digits]`, at most 15 significant
 * digits and no more decimals than `precision` except trailing zeros. Returns undefined for anything else,
 * which the general (bigint) path then parses or rejects; both paths give the same result.
 */
function parsePlainFast(s: string, precision: number): number | undefined {
  const n = s.length;
  let i = 0;
  let neg = false;
  let c = n > 0 ? s.charCodeAt(0) : 0;
  if (c === CH_MINUS || c === CH_PLUS) {
    neg = c === CH_MINUS;
    i = 1;
  }
  let acc = 0;
  let digits = 0;
  let sawDigit = false;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < CH_0 || c > CH_9) break;
    sawDigit = true;
    if (acc === 0 && c === CH_0) continue;
    acc = acc * 10 + (c - CH_0);
    digits++;
  }
  let frac = 0;
  if (i < n && s.charCodeAt(i) === CH_DOT) {
    i++;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < CH_0 || c > CH_9) return undefined;
      sawDigit = true;
      if (frac >= precision) {
        if (c !== CH_0) return undefined;
        continue;
      }
      frac++;
      if (acc === 0 && c === CH_0) continue;
      acc = acc * 10 + (c - CH_0);
      digits++;
    }
  }
  if (i !== n || !sawDigit || digits + precision - frac > 15) return undefined;
  const raw = acc * POW10[precision - frac];
  return neg && raw !== 0 ? -raw : raw;
}

/** True when a bigint fits a safe integer. */
export function isSafeBig(n: bigint): boolean {
  return n <= MAX_SAFE_BIG && n >= -MAX_SAFE_BIG;
}

/** Formats a scaled integer as a decimal string with exactly `precision` fractional digits. */
export function formatDecimalRaw(raw: number, precision: number): string {
  if (!Number.isSafeInteger(raw)) throw new InvariantError(`raw value is not a safe integer: ${raw}`);
  return formatDecimalBig(BigInt(raw), precision);
}

/** Formats a scaled bigint as a decimal string with exactly `precision` fractional digits. */
export function formatDecimalBig(raw: bigint, precision: number): string {
  const neg = raw < 0n;
  const abs = neg ? -raw : raw;
  if (precision === 0) return `${neg ? '-' : ''}${abs}`;
  const digits = abs.toString().padStart(precision + 1, '0');
  const cut = digits.length - precision;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Rounds a float to the nearest scaled integer (ties away from zero, as seen in the float's decimal form),
 * checking the result is safe. When the result needs at most 15 significant digits the float is read
 * through `toPrecision(15)`, so that arithmetic noise (`0.1 + 0.2`, `1.0049999999999999`) does not decide
 * the rounding; otherwise through its shortest round-trip form, which keeps every digit the float holds.
 */
export function rawFromNumber(x: number, precision: number, field = 'decimal'): number {
  pow10(precision);
  const text = numberToDecimalText(x, precision, field);
  const raw = parseDecimalBig(text, precision, field, RoundingMode.HalfUp);
  if (!isSafeBig(raw)) throw new ParseError(`${x} is too large for precision ${precision}`, field);
  return Number(raw);
}

/**
 * The decimal text a float stands for when it is to be rounded to `precision` decimals (see rawFromNumber):
 * its 15-significant-digit form when that is enough for the precision, else its shortest round-trip form.
 */
export function numberToDecimalText(x: number, precision: number, field = 'decimal'): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ParseError(`not a finite number: ${x}`, field);
  const intDigits = Math.abs(x) < 1 ? 0 : Math.floor(Math.log10(Math.abs(x))) + 1;
  return intDigits + precision <= 15 ? x.toPrecision(15) : String(x);
}

/** Number of decimals a decimal string carries once its exponent is applied (0 for integers), unbounded. */
export function decimalScale(s: string, field = 'decimal'): number {
  const m = typeof s === 'string' ? DECIMAL_RE.exec(s) : null;
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new ParseError(`not a decimal number: ${JSON.stringify(s)}`, field);
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  return Math.max(0, (m[3] ?? '').length - exp);
}

/** Rescales a raw value from one precision to a higher or equal one (exact). */
export function rescaleUp(raw: number, from: number, to: number): number {
  if (to < from) throw new InvariantError(`cannot rescale down from ${from} to ${to} exactly`);
  const r = raw * pow10(to - from);
  if (!Number.isSafeInteger(r)) throw new InvariantError(`value overflows at precision ${to}`);
  return r;
}
