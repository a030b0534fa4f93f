import { ParseError } from '../../core/errors.js';
import { InstrumentId } from '../../core/identifiers.js';
import type { Price, Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';
import { FieldRejection, RejectReason, exactPrice, exactSize } from '../common/reject-reason.js';

/** Tradewind venue of Coinbase products: `BTC-USD.COINBASE`. */
export const COINBASE_VENUE = 'COINBASE';

const DECIMAL = /^\d+(?:\.\d+)?$/;

export function instrumentOf(productId: unknown, field = 'product_id'): InstrumentId {
  if (typeof productId !== 'string' || !/^[A-Z0-9]{1,15}-[A-Z0-9]{1,15}$/.test(productId)) {
    throw new ParseError(`not a product id: ${JSON.stringify(productId)}`, field);
  }
  return InstrumentId.of(productId, COINBASE_VENUE);
}

/** Coinbase sends prices and sizes as decimal strings: parsed exactly, never through a float. */
/** Why a price or size field is refused, in the shared rejection vocabulary. */
function decimalReason(v: unknown, bad: RejectReason, negative: RejectReason): RejectReason {
  if (v === undefined) return RejectReason.MissingField;
  return typeof v === 'string' && v.startsWith('-') ? negative : bad;
}

export function positivePrice(v: unknown, field: string): Price {
  if (typeof v !== 'string' || !DECIMAL.test(v) || !/[1-9]/.test(v)) {
    throw new FieldRejection(decimalReason(v, RejectReason.BadPrice, RejectReason.NegativePrice), `not a positive decimal: ${JSON.stringify(v)}`, field);
  }
  return exactPrice(v, field);
}

export function quantity(v: unknown, field: string, positive: boolean): Quantity {
  if (typeof v !== 'string' || !DECIMAL.test(v) || (positive && !/[1-9]/.test(v))) {
    const message = `not a ${positive ? 'positive' : 'non-negative'} decimal: ${JSON.stringify(v)}`;
    throw new FieldRejection(decimalReason(v, RejectReason.BadSize, RejectReason.NegativeSize), message, field);
  }
  return exactSize(v, field);
}

/**
 * RFC 3339 times with up to nanosecond fractions (`2021-04-17T16:43:37.075687Z`) to microseconds, exactly.
 * Advanced Trade heartbeats use Go's `2023-06-23 20:31:56.121961769 +0000 UTC` form; it is accepted too.
 */
export function timeOf(v: unknown, field = 'time'): UnixMicros {
  if (typeof v !== 'string') throw new ParseError(`not a time: ${JSON.stringify(v)}`, field);
  const go = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))? \+0000 UTC/.exec(v);
  const text = go === null ? v : `${go[1]}T${go[2]}${go[3] === undefined ? '' : `.${go[3]}`}Z`;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) throw new ParseError(`not an RFC 3339 UTC time: ${JSON.stringify(v)}`, field);
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) throw new ParseError(`not a valid date: ${JSON.stringify(v)}`, field);
  return UnixMicros.of(ms * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6)));
}

export function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParseError('not an object', field);
  return v as Record<string, unknown>;
}

export function arr(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new ParseError('not an array', field);
  return v;
}

export function int(v: unknown, field: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new ParseError(`not a non-negative integer: ${JSON.stringify(v)}`, field);
  return n;
}
