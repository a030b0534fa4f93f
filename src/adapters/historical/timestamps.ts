import { ParseError } from '../../core/errors.js';
import { UnixMicros } from '../../core/time.js';

/**
 * Archive timestamps are epoch milliseconds, except that Binance's spot archive switched to microseconds
 * on 2025-01-01. Any plausible date in microseconds is above 1e14 (1973 in µs is 1e14, in ms that is
 * year 5138), so the magnitude tells the unit unambiguously.
 */
export function epochToMicros(text: string, field = 'timestamp'): UnixMicros {
  const s = text.trim();
  if (!/^\d{1,17}$/.test(s)) throw new ParseError(`not an epoch timestamp: ${JSON.stringify(text)}`, field);
  const n = Number(s);
  return UnixMicros.of(n >= 1e14 ? n : n * 1000);
}
