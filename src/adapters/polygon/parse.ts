import { BarSpec } from '../../core/bar-spec.js';
import type { Bar, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { AggressorSide } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import { InstrumentId, TradeId } from '../../core/identifiers.js';
import type { Price} from '../../core/price.js';
import { Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';
import { FieldRejection, RejectReason, exactPrice, exactSize } from '../common/reject-reason.js';

/**
 * Polygon.io WebSocket frames: every frame is a JSON array of events, each with an `ev` type.
 *   status                        connection and auth status (`connected`, `auth_success`, `auth_failed`, `success`, `error`)
 *   T / Q                         stock (and option) trades and quotes: `sym`, prices `p`/`bp`/`ap`, sizes, `t` SIP time
 *   A / AM                        per-second and per-minute aggregates: `o h l c v`, `s` start, `e` end
 *   XT / XQ / XA / XAS / XL2      crypto trades, quotes, minute/second aggregates and level-2 books: `pair`
 * Timestamps are epoch milliseconds on these channels, but some Polygon fields carry microseconds or
 * nanoseconds (LULD, NOI, v3 REST); the unit is told by magnitude. Integers of 16 or more digits are read
 * from the frame text, not through a float, so nanosecond times keep their exact microsecond.
 * Instruments are `<SYMBOL>.POLYGON` (`AAPL.POLYGON`, `BTC-USD.POLYGON`).
 * A bad element is rejected with a reason code shared with the other venues (`RejectReason`) and the field
 * it failed on; the rest of its frame is kept. Channels Tradewind does not use are skipped, not rejected.
 */
export const POLYGON_VENUE = 'POLYGON';

export interface PolygonStatus {
  readonly type: 'status';
  readonly status: string;
  readonly message: string;
}

export type PolygonEvent = TradeTick | QuoteTick | Bar | BookSnapshot | PolygonStatus;

export interface PolygonRejection {
  readonly reason: RejectReason;
  /** The wire field that failed (`p`, `b[3].price`), when one did. */
  readonly field: string | undefined;
  readonly detail: string;
  /** The `ev` of the rejected element, when it had one. */
  readonly ev?: string;
}

function fail(reason: RejectReason, field: string | undefined, detail: string): never {
  throw new FieldRejection(reason, detail, field);
}

function required(v: unknown, field: string): unknown {
  if (v === undefined) fail(RejectReason.MissingField, field, `missing field ${field}`);
  return v;
}

export interface PolygonFrameResult {
  readonly events: PolygonEvent[];
  readonly rejections: PolygonRejection[];
}

/** Epoch time of unknown unit (s, ms, µs or ns, told by magnitude) to microseconds. */
export function polygonTimeToMicros(v: unknown, field: string): UnixMicros {
  required(v, field);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) {
    if (v.length >= 17) return UnixMicros.of(Number(BigInt(v) / 1000n)); // nanoseconds, exactly
    return polygonTimeToMicros(Number(v), field);
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(RejectReason.BadField, field, `not a timestamp: ${JSON.stringify(v)}`);
  if (v >= 1e17) return UnixMicros.of(Math.trunc(v / 1000));
  if (v >= 1e14) return UnixMicros.of(Math.trunc(v));
  if (v >= 1e11) return UnixMicros.of(Math.round(v * 1000));
  return UnixMicros.of(Math.round(v * 1_000_000));
}

/** Polygon sends prices and sizes as JSON numbers; their shortest decimal text is what the venue meant. */
function decimalText(v: unknown, field: string, allowZero: boolean, bad: RejectReason, negative: RejectReason): string {
  required(v, field);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    fail(typeof v === 'number' && v < 0 ? negative : bad, field, `expected a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  }
  return String(v);
}

// A number no Price or Quantity can hold exactly (more than 12 decimals, `1e-20`, or too large) is a bad_price / bad_size.
const price = (v: unknown, field: string): Price => exactPrice(decimalText(v, field, false, RejectReason.BadPrice, RejectReason.NegativePrice), field);
const size = (v: unknown, field: string, allowZero = true): Quantity =>
  exactSize(decimalText(v, field, allowZero, RejectReason.BadSize, RejectReason.NegativeSize), field);

function instrument(v: unknown, field: string): InstrumentId {
  required(v, field);
  if (typeof v !== 'string' || v === '') return fail(RejectReason.BadField, field, `not a symbol: ${JSON.stringify(v)}`);
  // Crypto aggregates on newer clusters prefix `X:`, forex `C:`, options `O:`; the symbol is what follows for crypto.
  const symbol = v.startsWith('X:') ? v.slice(2) : v;
  try {
    return InstrumentId.of(symbol.replace(/\//g, '-'), POLYGON_VENUE);
  } catch (err) {
    return fail(RejectReason.BadField, field, (err as Error).message);
  }
}

const MINUTE = BarSpec.of(1, 'minute');
const SECOND = BarSpec.of(1, 'second');

function aggregate(e: Record<string, unknown>, spec: BarSpec, symbolField: string, tsInit: UnixMicros): Bar {
  const open = price(e.o, 'o');
  const high = price(e.h, 'h');
  const low = price(e.l, 'l');
  const close = price(e.c, 'c');
  if (high.lt(low) || high.lt(open) || high.lt(close) || low.gt(open) || low.gt(close)) fail(RejectReason.BadPrice, 'h', 'high/low do not bound open and close');
  const tsOpen = polygonTimeToMicros(e.s, 's');
  const duration = BarSpec.durationMicros(spec) as number;
  const tsEvent = e.e === undefined ? ((tsOpen + duration) as UnixMicros) : polygonTimeToMicros(e.e, 'e');
  if (tsEvent < tsOpen) fail(RejectReason.BadField, 'e', 'end before start');
  return {
    type: 'bar',
    instrumentId: instrument(e[symbolField], symbolField),
    spec,
    open,
    high,
    low,
    close,
    volume: e.v === undefined ? Quantity.zero() : size(e.v, 'v'),
    // `z` is the average trade size on stock aggregates, not a count; Polygon streams no trade count.
    tradeCount: 0,
    tsOpen,
    tsEvent,
    tsInit,
  };
}

function levels(v: unknown, field: string): (readonly [Price, Quantity])[] {
  required(v, field);
  if (!Array.isArray(v)) return fail(RejectReason.BadField, field, 'expected an array of [price, size]');
  return v.map((level: unknown, i) => {
    if (!Array.isArray(level) || level.length < 2) fail(RejectReason.BadField, `${field}[${i}]`, `level ${i} is not [price, size]`);
    return [price(level[0], `${field}[${i}].price`), size(level[1], `${field}[${i}].size`)] as const;
  });
}

function tradeIdOf(text: string): TradeId {
  try {
    return TradeId.parse(text);
  } catch (err) {
    return fail(RejectReason.BadField, 'i', (err as Error).message);
  }
}

/** Parses one element of a frame. Throws FieldRejection on a bad element; `parsePolygonFrame` turns that into a rejection. */
export function parsePolygonEvent(e: unknown, tsInit: UnixMicros): PolygonEvent | undefined {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) fail(RejectReason.NotObject, undefined, 'frame element is not an object');
  const ev = (e as Record<string, unknown>).ev;
  const o = e as Record<string, unknown>;
  switch (ev) {
    case 'status':
      return { type: 'status', status: String(o.status ?? ''), message: String(o.message ?? '') };
    case 'T':
    case 'XT': {
      const crypto = ev === 'XT';
      // Options trades carry no `i`; their sequence number `q` is unique per contract and serves instead.
      const id = o.i ?? (o.q === undefined ? undefined : `q${String(o.q)}`);
      if (id === undefined) fail(RejectReason.MissingField, 'i', 'missing trade id');
      // Stock trade ids are unique per exchange only, so the exchange id is part of ours.
      const tradeId = tradeIdOf(o.x === undefined ? String(id) : `${String(o.x)}-${String(id)}`);
      const s = size(o.s, 's', false);
      const ts = polygonTimeToMicros(o.t, 't');
      return {
        type: 'trade',
        instrumentId: instrument(crypto ? o.pair : o.sym, crypto ? 'pair' : 'sym'),
        price: price(o.p, 'p'),
        size: s,
        aggressorSide: AggressorSide.None,
        tradeId,
        tsEvent: ts,
        tsInit,
      };
    }
    case 'Q':
    case 'XQ': {
      const crypto = ev === 'XQ';
      const bid = price(o.bp, 'bp');
      const ask = price(o.ap, 'ap');
      return {
        type: 'quote',
        instrumentId: instrument(crypto ? o.pair : o.sym, crypto ? 'pair' : 'sym'),
        bidPrice: bid,
        askPrice: ask,
        bidSize: size(o.bs, 'bs'),
        askSize: size(o.as, 'as'),
        tsEvent: polygonTimeToMicros(o.t, 't'),
        tsInit,
      };
    }
    case 'A':
      return aggregate(o, SECOND, 'sym', tsInit);
    case 'AM':
      return aggregate(o, MINUTE, 'sym', tsInit);
    case 'XA':
      return aggregate(o, MINUTE, 'pair', tsInit);
    case 'XAS':
      return aggregate(o, SECOND, 'pair', tsInit);
    case 'XL2': {
      const bids = levels(o.b, 'b');
      const asks = levels(o.a, 'a');
      return {
        type: 'book_snapshot',
        instrumentId: instrument(o.pair, 'pair'),
        bids,
        asks,
        sequence: 0,
        tsEvent: polygonTimeToMicros(o.t, 't'),
        tsInit,
      };
    }
    case undefined:
      return fail(RejectReason.MissingField, 'ev', 'missing event type');
    default:
      // Channels Tradewind does not use (LULD, NOI, FMV, options values...) are skipped, not rejected.
      return undefined;
  }
}

const BIG_INT = /([:[,]\s*)(\d{16,})(?=\s*[,\]}])/g;

/** Parses a whole frame. Never throws, whatever the bytes: bad elements become rejections with reason codes. */
export function parsePolygonFrame(text: string, tsInit: UnixMicros): PolygonFrameResult {
  const events: PolygonEvent[] = [];
  const rejections: PolygonRejection[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(BIG_INT, '$1"$2"'));
  } catch {
    return { events, rejections: [{ reason: RejectReason.InvalidJson, field: undefined, detail: 'invalid JSON' }] };
  }
  const elements = Array.isArray(parsed) ? parsed : [parsed];
  for (const e of elements) {
    try {
      const event = parsePolygonEvent(e, tsInit);
      if (event !== undefined) events.push(event);
    } catch (err) {
      const ev = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).ev : undefined;
      // Price.parse / Quantity.parse may still refuse a number (too many decimals): a bad value of no known field.
      const r: PolygonRejection =
        err instanceof FieldRejection
          ? { reason: err.reason, field: err.field, detail: err.detail }
          : { reason: RejectReason.BadField, field: err instanceof ParseError ? err.field : undefined, detail: err instanceof Error ? err.message : String(err) };
      rejections.push(typeof ev === 'string' ? { ...r, ev } : r);
    }
  }
  return { events, rejections };
}
