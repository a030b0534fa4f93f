import { ParseError } from './errors.js';

/** Largest number of decimal places a Price or Quantity may carry. */
export const MAX_PRECISION = 12;

const POW10: readonly number[] = Array.from({ length: MAX_PRECISION + 1 }, (_, i) => 10 ** i);

export function pow10(precision: number): number {
  const p = POW10[precision];
  if (p === undefined) throw new ParseError(`precision out of range 0..${MAX_PRECISION}: ${precision}`);
  return p;
}

/**
 * Parses a decimal string into an integer scaled by 10^precision, without going through a float.
 * Accepts an optional sign, digits, an optional fraction and an optional exponent (`1.5e-3`).
 * More fractional digits than `precision` are an error unless they are all zeros.
 * The result must be a safe integer (|raw| <= 2^53 - 1).
 */
export function parseDecimalRaw(s: string, precision: number, field = 'decimal'): number {
  pow10(precision);
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(s);
  if (m === null || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) {
    throw new ParseError(`not a decimal number: ${JSON.stringify(s)}`, field);
  }
  const sign = m[1] === '-' ? -1 : 1;
  let intPart = m[2] ?? '';
  let fracPart = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 64) throw new ParseError(`exponent out of range: ${JSON.stringify(s)}`, field);
  // Shift the decimal point by the exponent on the digit strings.
  if (exp > 0) {
    const take = fracPart.slice(0, exp).padEnd(exp, '0');
    intPart += take;
    fracPart = fracPart.slice(exp);
  } else if (exp < 0) {
    const n = -exp;
    const padded = intPart.padStart(n, '0');
    fracPart = padded.slice(padded.length - n) + fracPart;
    intPart = padded.slice(0, padded.length - n);
  }
  if (fracPart.length > precision) {
    const extra = fracPart.slice(precision);
    if (/[^0]/.test(extra)) {
      throw new ParseError(`${JSON.stringify(s)} has more than ${precision} decimal places`, field);
    }
    fracPart = fracPart.slice(0, precision);
  }
  const digits = (intPart + fracPart.padEnd(precision, '0')).replace(/^0+(?=\d)/, '');
  const raw = digits === '' ? 0 : Number(digits);
  if (!Number.isSafeInteger(raw)) throw new ParseError(`${JSON.stringify(s)} is too large for precision ${precision}`, field);
  return raw === 0 ? 0 : sign * raw;
}

/** Formats a scaled integer as a decimal string with exactly `precision` fractional digits. */
export function formatDecimalRaw(raw: number, precision: number): string {
  if (precision === 0) return String(raw);
  const neg = raw < 0;
  const digits = String(Math.abs(raw)).padStart(precision + 1, '0');
  const cut = digits.length - precision;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** Rounds a float to the nearest scaled integer (half away from zero), checking the result is safe. */
export function rawFromNumber(x: number, precision: number, field = 'decimal'): number {
  if (!Number.isFinite(x)) throw new ParseError(`not a finite number: ${x}`, field);
  // Go through the shortest decimal representation so that 0.1 + 0.2 style noise does not leak in.
  const raw = Math.round(Number(`${x.toPrecision(15)}e${precision}`));
  if (!Number.isSafeInteger(raw)) throw new ParseError(`${x} is too large for precision ${precision}`, field);
  return raw === 0 ? 0 : raw;
}

/** Rescales a raw value from one precision to a higher or equal one (exact). */
export function rescaleUp(raw: number, from: number, to: number): number {
  if (to < from) throw new ParseError(`cannot rescale down from ${from} to ${to} exactly`);
  const r = raw * pow10(to - from);
  if (!Number.isSafeInteger(r)) throw new ParseError(`value overflows at precision ${to}`);
  return r;
}
