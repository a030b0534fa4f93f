import { OrderStatus } from './enums.js';
import type { OrderEventType } from './events.js';

/**
 * Where an event leads when the cell is not a fixed status:
 * - FILL: FILLED when the fill leaves nothing open, else PARTIALLY_FILLED;
 * - LATE_FILL: FILLED when the fill leaves nothing open, else the status stays (a closed order stays closed);
 * - PREVIOUS: back to the status the order had before its pending modify/cancel request.
 */
export const NextStatus = { Fill: 'FILL', LateFill: 'LATE_FILL', Previous: 'PREVIOUS' } as const;
export type NextStatus = (typeof NextStatus)[keyof typeof NextStatus];

export type Transition = OrderStatus | NextStatus;

const S = OrderStatus;
const FILL = NextStatus.Fill;
const PREVIOUS = NextStatus.Previous;
const LATE_FILL = NextStatus.LateFill;

/**
 * THE order state table: status x event type -> next status. A missing cell is an invalid transition.
 * It follows NautilusTrader's table (order.pyx `_ORDER_STATE_TABLE`), with events in place of target
 * statuses. Where Nautilus handles an event outside its table, this table spells the rule out:
 * - OrderUpdated returns a PENDING_UPDATE order to its previous status, and keeps any other live status;
 * - OrderModifyRejected / OrderCancelRejected end a pending modify / cancel (PREVIOUS) and are otherwise
 *   recorded without a change, even on a closed order: a cancel racing a fill is rejected by the venue
 *   after the fill arrived, which is normal, not an error. Only orders that never reached the venue
 *   (INITIALIZED, DENIED) refuse them.
 * - A fill on a CANCELED order is accepted (the venue filled before it processed the cancel); unlike
 *   Nautilus, which reopens the order as PARTIALLY_FILLED, a partial late fill leaves it CANCELED, since
 *   nothing is working at the venue any more (LATE_FILL).
 */
export const ORDER_STATE_TABLE: Readonly<Record<OrderStatus, Readonly<Partial<Record<OrderEventType, Transition>>>>> = {
  [S.Initialized]: {
    OrderDenied: S.Denied,
    OrderSubmitted: S.Submitted,
    // The next five are for orders first seen at the venue (external orders, reconciliation).
    OrderAccepted: S.Accepted,
    OrderRejected: S.Rejected,
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderTriggered: S.Triggered,
    OrderUpdated: S.Initialized,
  },
  [S.Denied]: {},
  [S.Submitted]: {
    OrderAccepted: S.Accepted,
    OrderRejected: S.Rejected,
    // IOC and FOK orders may be canceled before any acknowledgement.
    OrderCanceled: S.Canceled,
    OrderTriggered: S.Triggered,
    OrderPendingUpdate: S.PendingUpdate,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: S.Submitted,
    OrderCancelRejected: S.Submitted,
    OrderUpdated: S.Submitted,
    OrderFilled: FILL,
  },
  [S.Accepted]: {
    // A stop-limit order can be rejected when it triggers.
    OrderRejected: S.Rejected,
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderTriggered: S.Triggered,
    OrderPendingUpdate: S.PendingUpdate,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: S.Accepted,
    OrderCancelRejected: S.Accepted,
    OrderUpdated: S.Accepted,
    OrderFilled: FILL,
  },
  [S.Rejected]: {
    OrderModifyRejected: S.Rejected,
    OrderCancelRejected: S.Rejected,
  },
  [S.Canceled]: {
    OrderModifyRejected: S.Canceled,
    OrderCancelRejected: S.Canceled,
    OrderFilled: LATE_FILL,
  },
  [S.Expired]: {
    OrderModifyRejected: S.Expired,
    OrderCancelRejected: S.Expired,
  },
  [S.Triggered]: {
    OrderRejected: S.Rejected,
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderPendingUpdate: S.PendingUpdate,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: S.Triggered,
    OrderCancelRejected: S.Triggered,
    OrderUpdated: S.Triggered,
    OrderFilled: FILL,
  },
  [S.PendingUpdate]: {
    OrderAccepted: S.Accepted,
    OrderRejected: S.Rejected,
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderTriggered: S.Triggered,
    // Several modify requests may be in flight.
    OrderPendingUpdate: S.PendingUpdate,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: PREVIOUS,
    OrderCancelRejected: S.PendingUpdate,
    OrderUpdated: PREVIOUS,
    OrderFilled: FILL,
  },
  [S.PendingCancel]: {
    // A failed cancel request can come back as a (re)acceptance.
    OrderAccepted: S.Accepted,
    OrderRejected: S.Rejected,
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: S.PendingCancel,
    OrderCancelRejected: PREVIOUS,
    // A modify sent before the cancel may still take effect.
    OrderUpdated: S.PendingCancel,
    OrderFilled: FILL,
  },
  [S.PartiallyFilled]: {
    OrderCanceled: S.Canceled,
    OrderExpired: S.Expired,
    OrderPendingUpdate: S.PendingUpdate,
    OrderPendingCancel: S.PendingCancel,
    OrderModifyRejected: S.PartiallyFilled,
    OrderCancelRejected: S.PartiallyFilled,
    OrderUpdated: S.PartiallyFilled,
    OrderFilled: FILL,
  },
  [S.Filled]: {
    OrderModifyRejected: S.Filled,
    OrderCancelRejected: S.Filled,
  },
};

/** The table cell for a status and an event type, or undefined when the transition is invalid. */
export function transitionFor(status: OrderStatus, eventType: OrderEventType): Transition | undefined {
  return ORDER_STATE_TABLE[status]?.[eventType];
}

const CLOSED: ReadonlySet<OrderStatus> = new Set([S.Denied, S.Rejected, S.Canceled, S.Expired, S.Filled]);
const OPEN: ReadonlySet<OrderStatus> = new Set([S.Accepted, S.Triggered, S.PendingUpdate, S.PendingCancel, S.PartiallyFilled]);
const IN_FLIGHT: ReadonlySet<OrderStatus> = new Set([S.Submitted, S.PendingUpdate, S.PendingCancel]);

/** Closed: nothing more will happen at the venue (a late fill on CANCELED aside). */
export function isClosedStatus(status: OrderStatus): boolean {
  return CLOSED.has(status);
}
/** Open: working at the venue. */
export function isOpenStatus(status: OrderStatus): boolean {
  return OPEN.has(status);
}
/** In flight: a request was sent and its answer has not come back. */
export function isInFlightStatus(status: OrderStatus): boolean {
  return IN_FLIGHT.has(status);
}
