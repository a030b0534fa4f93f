/**
 * Decimal formatting of fixed-point integers for the wire: the simulator keeps prices and sizes as integers
 * (ticks and lots) and writes them the way venues do ("0.35280000"), without float rounding.
 */
const zeros = '00000000000000000000';

/** `raw` scaled by 10^-decimals as a decimal string with exactly `decimals` places. `raw` >= 0. */
export function formatFixed(raw: number | bigint, decimals: number): string {
  const s = typeof raw === 'bigint' ? raw.toString() : String(raw);
  if (decimals === 0) return s;
  const n = s.length;
  if (n > decimals) return `${s.slice(0, n - decimals)}.${s.slice(n - decimals)}`;
  return `0.${zeros.slice(0, decimals - n)}${s}`;
}

/**
 * `raw` at `precision` written with `outDecimals` places (>= precision), e.g. Binance spot pads every
 * price and size to 8 places whatever the tick size.
 */
export function formatPadded(raw: number | bigint, precision: number, outDecimals: number): string {
  if (outDecimals === precision) return formatFixed(raw, precision);
  const base = formatFixed(raw, precision);
  const pad = zeros.slice(0, outDecimals - precision);
  return precision === 0 ? `${base}.${pad}` : `${base}${pad}`;
}

/** Parses a non-negative decimal string into an integer at `precision` places (extra places truncated). */
export function parseFixed(s: string, precision: number): number {
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  const digits = `${int}${(frac + zeros).slice(0, precision)}`;
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n < 0 || !/^\d+$/.test(digits)) throw new RangeError(`not a non-negative decimal: ${s}`);
  return n;
}

/** Number of decimal places a decimal string carries, ignoring trailing zeros ("0.01000000" -> 2). */
export function decimalsOf(s: string): number {
  const dot = s.indexOf('.');
  if (dot < 0) return 0;
  let end = s.length;
  while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}
