import { BarSpec } from '../../core/bar-spec.js';
import type { Bar } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';
import type { LoadResult, RowRejection } from './rejection.js';

/**
 * Polygon.io aggregates (`/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`):
 * `{ ticker, results: [{ o, h, l, c, v, vw, t, n }] }` with `t` the bar's start in epoch milliseconds.
 * Numbers arrive as JSON floats; each is turned into an exact decimal through its shortest round-trip
 * text, which is the decimal Polygon sent.
 */
export interface PolygonAggsOptions {
  readonly instrumentId: InstrumentId;
  /** `1m`, `1h`, `1d`... (the request's multiplier and timespan). */
  readonly interval: string;
  readonly tsInit?: UnixMicros;
}

const TIMESPANS: Record<string, string> = { second: 's', minute: 'm', hour: 'h', day: 'd' };

/** `(1, 'day')` -> `1d`, the interval of a Polygon aggregates request. */
export function polygonInterval(multiplier: number, timespan: string): string {
  const unit = TIMESPANS[timespan];
  if (unit === undefined) throw new ParseError(`unsupported Polygon timespan: ${timespan}`, 'timespan');
  return `${multiplier}${unit}`;
}

function decimal(v: unknown, field: string, min: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ParseError(`expected a number >= ${min}, got ${JSON.stringify(v)}`, field);
  // Shortest round-trip text; exponent forms (1e-7) are understood by Price.parse.
  return String(v);
}

export function parsePolygonAggs(json: unknown, options: PolygonAggsOptions): LoadResult<Bar> {
  const spec = BarSpec.parse(options.interval);
  const duration = BarSpec.durationMicros(spec);
  if (duration === undefined) throw new ParseError(`interval must be a time interval: ${options.interval}`, 'interval');
  if (typeof json !== 'object' || json === null) throw new ParseError('expected a JSON object', 'body');
  const body = json as { status?: unknown; results?: unknown };
  if (body.status !== undefined && body.status !== 'OK' && body.status !== 'DELAYED') {
    throw new ParseError(`response status is ${JSON.stringify(body.status)}`, 'status');
  }
  const results = body.results ?? [];
  if (!Array.isArray(results)) throw new ParseError('results must be an array', 'results');
  const events: Bar[] = [];
  const rejected: RowRejection[] = [];
  results.forEach((r: unknown, i) => {
    try {
      if (typeof r !== 'object' || r === null) throw new ParseError('expected an object', 'result');
      const row = r as Record<string, unknown>;
      if (typeof row.t !== 'number' || !Number.isSafeInteger(row.t)) throw new ParseError(`bad timestamp ${JSON.stringify(row.t)}`, 't');
      const tsOpen = UnixMicros.fromMillis(row.t);
      const open = Price.parse(decimal(row.o, 'o', Number.MIN_VALUE));
      const high = Price.parse(decimal(row.h, 'h', Number.MIN_VALUE));
      const low = Price.parse(decimal(row.l, 'l', Number.MIN_VALUE));
      const close = Price.parse(decimal(row.c, 'c', Number.MIN_VALUE));
      if (high.lt(low) || high.lt(open) || high.lt(close) || low.gt(open) || low.gt(close)) {
        throw new ParseError('high/low do not bound open and close', 'h');
      }
      const n = row.n === undefined ? 0 : row.n;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new ParseError(`bad trade count ${JSON.stringify(row.n)}`, 'n');
      const tsEvent = (tsOpen + duration) as UnixMicros;
      events.push({
        type: 'bar',
        instrumentId: options.instrumentId,
        spec,
        open,
        high,
        low,
        close,
        volume: Quantity.parse(decimal(row.v, 'v', 0)),
        tradeCount: n,
        tsOpen,
        tsEvent,
        tsInit: options.tsInit ?? tsEvent,
      });
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      rejected.push({ line: i + 1, reason: err.message });
    }
  });
  return { events, rejected };
}
