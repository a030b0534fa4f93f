import { ParseError } from './errors.js';

declare const unixMicrosBrand: unique symbol;
/** Integer microseconds since the Unix epoch (safe to 2^53, i.e. until the year 2255). */
export type UnixMicros = number & { readonly [unixMicrosBrand]: true };

export const MICROS_PER_MILLI = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 86_400_000_000;

export const UnixMicros = {
  /** Checks that `n` is a non-negative safe integer and brands it. */
  of(n: number): UnixMicros {
    if (!Number.isSafeInteger(n) || n < 0) throw new ParseError(`not a valid microsecond timestamp: ${n}`, 'time');
    return n as UnixMicros;
  },
  /** Brands without a check: for values the caller has already validated on a hot path. */
  unsafe(n: number): UnixMicros {
    return n as UnixMicros;
  },
  fromMillis(ms: number): UnixMicros {
    return UnixMicros.of(Math.round(ms * MICROS_PER_MILLI));
  },
  fromSeconds(s: number): UnixMicros {
    return UnixMicros.of(Math.round(s * MICROS_PER_SECOND));
  },
  /** Nanoseconds (as a number or bigint) to microseconds, truncating toward zero. */
  fromNanos(ns: number | bigint): UnixMicros {
    return UnixMicros.of(typeof ns === 'bigint' ? Number(ns / 1000n) : Math.trunc(ns / 1000));
  },
  toMillis(t: UnixMicros): number {
    return Math.floor(t / MICROS_PER_MILLI);
  },
  /** ISO-8601 with microseconds, e.g. 2024-01-02T03:04:05.123456Z. For output only. */
  toIso(t: UnixMicros): string {
    const ms = Math.floor(t / 1000);
    const micros = t - ms * 1000;
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
  },
  /** Parses an ISO-8601 date or date-time (UTC when no offset is given); rejects impossible dates (Feb 30). */
  parseIso(s: string): UnixMicros {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      typeof s === 'string' ? s.trim() : '',
    );
    if (!m) throw new ParseError(`not an ISO-8601 date or time: ${JSON.stringify(s)}`, 'time');
    const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
    const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number);
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    const back = new Date(ms);
    // Date.UTC silently carries overflowing fields (Feb 30 -> Mar 1); a round trip catches them.
    if (
      back.getUTCFullYear() !== year ||
      back.getUTCMonth() !== month - 1 ||
      back.getUTCDate() !== day ||
      back.getUTCHours() !== hour ||
      back.getUTCMinutes() !== minute ||
      back.getUTCSeconds() !== second
    ) {
      throw new ParseError(`not a valid date: ${JSON.stringify(s)}`, 'time');
    }
    let offsetMinutes = 0;
    if (zone !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray;
      const oh = Number(z[2]);
      const om = Number(z[3]);
      if (oh > 23 || om > 59) throw new ParseError(`not a valid UTC offset: ${JSON.stringify(s)}`, 'time');
      offsetMinutes = (z[1] === '-' ? -1 : 1) * (oh * 60 + om);
    }
    const micros = Number(frac.padEnd(6, '0').slice(0, 6));
    return UnixMicros.of((ms - offsetMinutes * 60_000) * 1000 + micros);
  },
} as const;
