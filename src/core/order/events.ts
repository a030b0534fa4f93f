import type {
  AccountId,
  ClientOrderId,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  TraderId,
  VenueOrderId,
} from '../identifiers.js';
import type { Money } from '../money.js';
import type { Price, Quantity } from '../price.js';
import type { UnixMicros } from '../time.js';
import type { LiquiditySide, OrderSide, OrderType, TimeInForce, TrailingOffsetType } from './enums.js';

/**
 * Fields every order event carries. `eventId` is unique per event (the bus is at-least-once; consumers
 * drop duplicates by it); `tsEvent` is when it happened (at the venue for venue events), `tsInit` when
 * Tradewind created the object. Events are never changed after creation.
 */
export interface OrderEventBase {
  readonly eventId: string;
  readonly traderId: TraderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

/** Fields of events that come from (or concern) the venue. */
interface VenueFields {
  readonly venueOrderId?: VenueOrderId;
  readonly accountId?: AccountId;
}

/** The order's parameters: the first event of every order. */
export interface OrderInitialized extends OrderEventBase {
  readonly type: 'OrderInitialized';
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: Quantity;
  /** Limit price (LIMIT, STOP_LIMIT; TRAILING_STOP_LIMIT once known). */
  readonly price?: Price;
  /** Stop trigger price (STOP_*; TRAILING_STOP_* once known). */
  readonly triggerPrice?: Price;
  readonly timeInForce: TimeInForce;
  /** GTD only. */
  readonly expireTime?: UnixMicros;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** TRAILING_STOP_*: distance of the trigger from the market, in `trailingOffsetType` units. */
  readonly trailingOffset?: Price;
  readonly trailingOffsetType?: TrailingOffsetType;
  /** TRAILING_STOP_LIMIT: distance of the limit price from the trigger price. */
  readonly limitOffset?: Price;
  readonly tags?: readonly string[];
}

/** Refused inside Tradewind (risk engine) before reaching the venue. */
export interface OrderDenied extends OrderEventBase {
  readonly type: 'OrderDenied';
  readonly reason: string;
}

export interface OrderSubmitted extends OrderEventBase {
  readonly type: 'OrderSubmitted';
  readonly accountId: AccountId;
}

export interface OrderAccepted extends OrderEventBase {
  readonly type: 'OrderAccepted';
  readonly venueOrderId: VenueOrderId;
  readonly accountId: AccountId;
}

/** Refused by the venue. */
export interface OrderRejected extends OrderEventBase {
  readonly type: 'OrderRejected';
  readonly accountId: AccountId;
  readonly reason: string;
}

export interface OrderCanceled extends OrderEventBase, VenueFields {
  readonly type: 'OrderCanceled';
}

export interface OrderExpired extends OrderEventBase, VenueFields {
  readonly type: 'OrderExpired';
}

/** A stop order's trigger was hit (it now works as a market or limit order). */
export interface OrderTriggered extends OrderEventBase, VenueFields {
  readonly type: 'OrderTriggered';
}

/** A modify request was sent and is not yet answered. */
export interface OrderPendingUpdate extends OrderEventBase, VenueFields {
  readonly type: 'OrderPendingUpdate';
}

/** A cancel request was sent and is not yet answered. */
export interface OrderPendingCancel extends OrderEventBase, VenueFields {
  readonly type: 'OrderPendingCancel';
}

export interface OrderModifyRejected extends OrderEventBase, VenueFields {
  readonly type: 'OrderModifyRejected';
  readonly reason: string;
}

export interface OrderCancelRejected extends OrderEventBase, VenueFields {
  readonly type: 'OrderCancelRejected';
  readonly reason: string;
}

/** A modification took effect: the new quantity (total, including what is filled) and prices. */
export interface OrderUpdated extends OrderEventBase, VenueFields {
  readonly type: 'OrderUpdated';
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly triggerPrice?: Price;
}

export interface OrderFilled extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly venueOrderId: VenueOrderId;
  readonly accountId: AccountId;
  readonly tradeId: TradeId;
  readonly positionId?: PositionId;
  readonly orderSide: OrderSide;
  readonly orderType: OrderType;
  readonly lastQty: Quantity;
  readonly lastPx: Price;
  /** Commission charged for this fill (negative for a rebate), in its own currency. */
  readonly commission: Money;
  readonly liquiditySide: LiquiditySide;
}

export type OrderEvent =
  | OrderInitialized
  | OrderDenied
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderCanceled
  | OrderExpired
  | OrderTriggered
  | OrderPendingUpdate
  | OrderPendingCancel
  | OrderModifyRejected
  | OrderCancelRejected
  | OrderUpdated
  | OrderFilled;

export type OrderEventType = OrderEvent['type'];

export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
  'OrderInitialized',
  'OrderDenied',
  'OrderSubmitted',
  'OrderAccepted',
  'OrderRejected',
  'OrderCanceled',
  'OrderExpired',
  'OrderTriggered',
  'OrderPendingUpdate',
  'OrderPendingCancel',
  'OrderModifyRejected',
  'OrderCancelRejected',
  'OrderUpdated',
  'OrderFilled',
];
