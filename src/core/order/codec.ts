import { ParseError, assertNever } from '../errors.js';
import {
  AccountId,
  ClientOrderId,
  Currency,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  TraderId,
  VenueOrderId,
} from '../identifiers.js';
import { Money } from '../money.js';
import { Price, Quantity } from '../price.js';
import { UnixMicros } from '../time.js';
import { LiquiditySide, OrderSide, OrderType, TimeInForce, TrailingOffsetType } from './enums.js';
import { ORDER_EVENT_TYPES } from './events.js';
import type { OrderEvent, OrderEventType } from './events.js';

/**
 * JSON form of order events, for the distributed bus and the store: prices and quantities as exact decimal
 * strings, Money as `{ amount, currency }`, everything else as is. `decodeOrderEvent` validates every field
 * of input from outside the process and names the one that fails (`OrderFilled.lastPx: ...`).
 */
export type OrderEventJson = { readonly type: OrderEventType } & Readonly<Record<string, unknown>>;

type FieldKind =
  | 'string'
  | 'strings'
  | 'bool'
  | 'ts'
  | 'price'
  | 'qty'
  | 'money'
  | 'currency'
  | 'amount'
  | 'traderId'
  | 'strategyId'
  | 'instrumentId'
  | 'clientOrderId'
  | 'venueOrderId'
  | 'accountId'
  | 'tradeId'
  | 'positionId'
  | 'side'
  | 'orderType'
  | 'timeInForce'
  | 'trailingOffsetType'
  | 'liquiditySide';

/** [kind, optional] per field. */
type Schema = Readonly<Record<string, readonly [FieldKind, boolean]>>;

const REQ = false;
const OPT = true;

const BASE: Schema = {
  eventId: ['string', REQ],
  traderId: ['traderId', REQ],
  strategyId: ['strategyId', REQ],
  instrumentId: ['instrumentId', REQ],
  clientOrderId: ['clientOrderId', REQ],
  tsEvent: ['ts', REQ],
  tsInit: ['ts', REQ],
};
const VENUE: Schema = { venueOrderId: ['venueOrderId', OPT], accountId: ['accountId', OPT] };

const SCHEMAS: Readonly<Record<OrderEventType, Schema>> = {
  OrderInitialized: {
    ...BASE,
    side: ['side', REQ],
    orderType: ['orderType', REQ],
    quantity: ['qty', REQ],
    price: ['price', OPT],
    triggerPrice: ['price', OPT],
    timeInForce: ['timeInForce', REQ],
    expireTime: ['ts', OPT],
    postOnly: ['bool', REQ],
    reduceOnly: ['bool', REQ],
    trailingOffset: ['price', OPT],
    trailingOffsetType: ['trailingOffsetType', OPT],
    limitOffset: ['price', OPT],
    tags: ['strings', OPT],
  },
  OrderDenied: { ...BASE, reason: ['string', REQ] },
  OrderSubmitted: { ...BASE, accountId: ['accountId', REQ] },
  OrderAccepted: { ...BASE, venueOrderId: ['venueOrderId', REQ], accountId: ['accountId', REQ] },
  OrderRejected: { ...BASE, accountId: ['accountId', REQ], reason: ['string', REQ] },
  OrderCanceled: { ...BASE, ...VENUE },
  OrderExpired: { ...BASE, ...VENUE },
  OrderTriggered: { ...BASE, ...VENUE },
  OrderPendingUpdate: { ...BASE, ...VENUE },
  OrderPendingCancel: { ...BASE, ...VENUE },
  OrderModifyRejected: { ...BASE, ...VENUE, reason: ['string', REQ] },
  OrderCancelRejected: { ...BASE, ...VENUE, reason: ['string', REQ] },
  OrderUpdated: { ...BASE, ...VENUE, quantity: ['qty', REQ], price: ['price', OPT], triggerPrice: ['price', OPT] },
  OrderFilled: {
    ...BASE,
    venueOrderId: ['venueOrderId', REQ],
    accountId: ['accountId', REQ],
    tradeId: ['tradeId', REQ],
    positionId: ['positionId', OPT],
    orderSide: ['side', REQ],
    orderType: ['orderType', REQ],
    lastQty: ['qty', REQ],
    lastPx: ['price', REQ],
    commission: ['money', REQ],
    liquiditySide: ['liquiditySide', REQ],
  },
};

function oneOf<T extends string>(values: readonly T[], v: unknown, field: string): T {
  if (typeof v !== 'string' || !values.includes(v as T)) throw new ParseError(`must be one of ${values.join(', ')}: ${JSON.stringify(v)}`, field);
  return v as T;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new ParseError(`must be a string: ${JSON.stringify(v)}`, field);
  return v;
}

function decodeField(kind: FieldKind, v: unknown, field: string): unknown {
  try {
    switch (kind) {
      case 'string':
        return str(v, field);
      case 'strings':
        if (!Array.isArray(v)) throw new ParseError('must be an array of strings', field);
        return Object.freeze(v.map((x, i) => str(x, `${field}[${i}]`)));
      case 'bool':
        if (typeof v !== 'boolean') throw new ParseError(`must be a boolean: ${JSON.stringify(v)}`, field);
        return v;
      case 'ts':
        if (typeof v !== 'number') throw new ParseError(`must be a number of microseconds: ${JSON.stringify(v)}`, field);
        return UnixMicros.of(v);
      case 'price':
        return Price.parse(str(v, field));
      case 'qty':
        return Quantity.parse(str(v, field));
      case 'money': {
        if (v === null || typeof v !== 'object') throw new ParseError('must be { amount, currency }', field);
        const m = v as { amount?: unknown; currency?: unknown };
        const currency = decodeField('currency', m.currency, `${field}.currency`) as Currency;
        return decodeField('amount', { amount: m.amount, currency }, `${field}.amount`);
      }
      case 'currency':
        return Currency.parse(str(v, field));
      case 'amount': {
        const m = v as { amount: unknown; currency: Currency };
        return Money.parse(str(m.amount, field), m.currency);
      }
      case 'traderId':
        return TraderId.parse(str(v, field));
      case 'strategyId':
        return StrategyId.parse(str(v, field));
      case 'instrumentId':
        return InstrumentId.parse(str(v, field));
      case 'clientOrderId':
        return ClientOrderId.parse(str(v, field));
      case 'venueOrderId':
        return VenueOrderId.parse(str(v, field));
      case 'accountId':
        return AccountId.parse(str(v, field));
      case 'tradeId':
        return TradeId.parse(str(v, field));
      case 'positionId':
        return PositionId.parse(str(v, field));
      case 'side':
        return oneOf(Object.values(OrderSide), v, field);
      case 'orderType':
        return oneOf(Object.values(OrderType), v, field);
      case 'timeInForce':
        return oneOf(Object.values(TimeInForce), v, field);
      case 'trailingOffsetType':
        return oneOf(Object.values(TrailingOffsetType), v, field);
      case 'liquiditySide':
        return oneOf(Object.values(LiquiditySide), v, field);
      default:
        return assertNever(kind, 'field kind');
    }
  } catch (e) {
    if (e instanceof ParseError && e.field?.startsWith(field)) throw e;
    throw new ParseError(e instanceof Error ? e.message : String(e), field, { cause: e });
  }
}

function encodeValue(v: unknown): unknown {
  if (Price.isPrice(v) || Quantity.isQuantity(v)) return v.toString();
  if (Money.isMoney(v)) return v.toJSON();
  if (Array.isArray(v)) return [...(v as unknown[])];
  return v;
}

/** The JSON form of an event (exact decimals as strings). */
export function encodeOrderEvent(e: OrderEvent): OrderEventJson {
  const out: Record<string, unknown> = { type: e.type };
  for (const key of Object.keys(SCHEMAS[e.type])) {
    const v = (e as unknown as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = encodeValue(v);
  }
  return out as OrderEventJson;
}

/**
 * Parses and validates the JSON form of an event. Unknown fields are refused (they signal a version
 * mismatch between producer and consumer); a ParseError names `<type>.<field>`.
 */
export function decodeOrderEvent(json: unknown): OrderEvent {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ParseError('must be an object', 'OrderEvent');
  const obj = json as Record<string, unknown>;
  const type = oneOf(ORDER_EVENT_TYPES, obj.type, 'OrderEvent.type');
  const schema = SCHEMAS[type];
  for (const key of Object.keys(obj)) {
    if (key !== 'type' && !(key in schema)) throw new ParseError(`unknown field`, `${type}.${key}`);
  }
  const out: Record<string, unknown> = { type };
  for (const [key, [kind, optional]] of Object.entries(schema)) {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (!optional) throw new ParseError('is required', `${type}.${key}`);
      continue;
    }
    out[key] = decodeField(kind, v, `${type}.${key}`);
  }
  return Object.freeze(out) as unknown as OrderEvent;
}
