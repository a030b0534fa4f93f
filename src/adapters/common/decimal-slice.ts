import { MAX_PRECISION } from '../../core/decimal.js';

const POW10: readonly number[] = Array.from({ length: MAX_PRECISION + 1 }, (_, i) => 10 ** i);

/**
 * Parses the plain decimal `s[start, end)` (optional '-', digits, optional '.' and digits) into an integer
 * scaled by 10^precision, reading char codes in place: no substring, no regex, no float. The hot path of
 * every venue parser, so it returns NaN instead of throwing: on an empty or malformed number, an exponent,
 * more significant decimals than `precision` (extra trailing zeros are fine) or a result beyond 2^53 - 1.
 * Agrees with core's parseDecimalRaw on every string it accepts (tested).
 */
export function parseDecimalSlice(s: string, start: number, end: number, precision: number): number {
  if (!(precision >= 0 && precision <= MAX_PRECISION)) return Number.NaN;
  let i = start;
  let neg = false;
  if (i < end && s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let raw = 0;
  let frac = 0;
  let dot = false;
  let digits = false;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits = true;
      if (dot) {
        if (frac >= precision) {
          if (c !== 48) return Number.NaN;
          continue;
        }
        frac++;
      }
      raw = raw * 10 + (c - 48);
      if (raw > Number.MAX_SAFE_INTEGER) return Number.NaN;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return Number.NaN;
    }
  }
  if (!digits) return Number.NaN;
  if (frac < precision) {
    raw *= POW10[precision - frac];
    if (raw > Number.MAX_SAFE_INTEGER) return Number.NaN;
  }
  return neg && raw !== 0 ? -raw : raw;
}

/** Number of digits after the '.' of a plain decimal string (trailing zeros included): "0.35130000" -> 8. */
export function decimalPlaces(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
