import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, OrderStatus, OrderType, TimeInForce } from './enums.js';
import { ORDER_EVENT_TYPES } from './events.js';
import type { OrderEventType } from './events.js';
import { InvalidOrderTransition } from './order.js';
import type { Order } from './order.js';
import { ORDER_STATE_TABLE, isClosedStatus, isInFlightStatus, isOpenStatus, transitionFor } from './state-table.js';
import { event, fill, makeOrder } from './testing/fixtures.js';
import { Price } from '../price.js';
import { UnixMicros } from '../time.js';

/**
 * The expected table, written out by hand from NautilusTrader's order state table (order.pyx) and the
 * documented deviations, independently of ORDER_STATE_TABLE. Columns are the event types in this order;
 * '-' is a rejected event; otherwise the status after the event, for an order of quantity 10 whose
 * fills are of 1 unit and whose pending states were entered from ACCEPTED.
 */
const COLUMNS: readonly OrderEventType[] = [
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
const I = 'INITIALIZED', D = 'DENIED', SU = 'SUBMITTED', A = 'ACCEPTED', R = 'REJECTED', C = 'CANCELED', E = 'EXPIRED';
const T = 'TRIGGERED', PU = 'PENDING_UPDATE', PC = 'PENDING_CANCEL', PF = 'PARTIALLY_FILLED', F = 'FILLED', _ = '-';
const EXPECTED: Record<OrderStatus, readonly string[]> = {
  //                 Init Den Sub Acc Rej Can Exp Trg PUp PCa MRj CRj Upd Fill
  INITIALIZED:      [_,   D,  SU, A,  R,  C,  E,  T,  _,  _,  _,  _,  I,  _],
  DENIED:           [_,   _,  _,  _,  _,  _,  _,  _,  _,  _,  _,  _,  _,  _],
  SUBMITTED:        [_,   _,  _,  A,  R,  C,  _,  T,  PU, PC, SU, SU, SU, PF],
  ACCEPTED:         [_,   _,  _,  _,  R,  C,  E,  T,  PU, PC, A,  A,  A,  PF],
  REJECTED:         [_,   _,  _,  _,  _,  _,  _,  _,  _,  _,  R,  R,  _,  _],
  CANCELED:         [_,   _,  _,  _,  _,  _,  _,  _,  _,  _,  C,  C,  _,  C],
  EXPIRED:          [_,   _,  _,  _,  _,  _,  _,  _,  _,  _,  E,  E,  _,  _],
  TRIGGERED:        [_,   _,  _,  _,  R,  C,  E,  _,  PU, PC, T,  T,  T,  PF],
  PENDING_UPDATE:   [_,   _,  _,  A,  R,  C,  E,  T,  PU, PC, A,  PU, A,  PF],
  PENDING_CANCEL:   [_,   _,  _,  A,  R,  C,  E,  _,  _,  PC, PC, A,  PC, PF],
  PARTIALLY_FILLED: [_,   _,  _,  _,  _,  C,  E,  _,  PU, PC, PF, PF, PF, PF],
  FILLED:           [_,   _,  _,  _,  _,  _,  _,  _,  _,  _,  F,  F,  _,  _],
};

/** Events that bring a fresh STOP_LIMIT GTD order (quantity 10) to each status. */
const PATHS: Record<OrderStatus, readonly OrderEventType[]> = {
  INITIALIZED: [],
  DENIED: ['OrderDenied'],
  SUBMITTED: ['OrderSubmitted'],
  ACCEPTED: ['OrderSubmitted', 'OrderAccepted'],
  REJECTED: ['OrderSubmitted', 'OrderRejected'],
  CANCELED: ['OrderSubmitted', 'OrderAccepted', 'OrderCanceled'],
  EXPIRED: ['OrderSubmitted', 'OrderAccepted', 'OrderExpired'],
  TRIGGERED: ['OrderSubmitted', 'OrderAccepted', 'OrderTriggered'],
  PENDING_UPDATE: ['OrderSubmitted', 'OrderAccepted', 'OrderPendingUpdate'],
  PENDING_CANCEL: ['OrderSubmitted', 'OrderAccepted', 'OrderPendingCancel'],
  PARTIALLY_FILLED: ['OrderSubmitted', 'OrderAccepted', 'OrderFilled'],
  FILLED: ['OrderSubmitted', 'OrderAccepted', 'OrderFilled'],
};

function orderIn(status: OrderStatus): Order {
  const o = makeOrder({
    orderType: OrderType.StopLimit,
    price: Price.parse('100.00'),
    triggerPrice: Price.parse('101.00'),
    timeInForce: TimeInForce.Gtd,
    expireTime: UnixMicros.of(9_000_000),
  });
  for (const t of PATHS[status]) {
    o.apply(status === OrderStatus.Filled && t === 'OrderFilled' ? fill('10', '100.00', { orderType: OrderType.StopLimit }) : event(t));
  }
  expect(o.status).toBe(status);
  return o;
}

describe('order state table', () => {
  it('the expected grid has a row per status and a column per event type', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ORDER_STATUSES].sort());
    expect([...COLUMNS].sort()).toEqual([...ORDER_EVENT_TYPES].sort());
    expect(Object.keys(ORDER_STATE_TABLE).sort()).toEqual([...ORDER_STATUSES].sort());
  });

  const cells = ORDER_STATUSES.flatMap((s) => COLUMNS.map((e, i) => [s, e, EXPECTED[s][i]] as const));
  it.each(cells)('%s + %s -> %s', (status, type, expected) => {
    const order = orderIn(status);
    const before = { status: order.status, events: order.events.length, filled: order.filledQty.toString(), qty: order.quantity.toString() };
    const verdict = order.check(event(type));
    if (expected === '-') {
      expect(verdict.ok).toBe(false);
      const e = event(type);
      let thrown: unknown;
      try {
        order.apply(e);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(InvalidOrderTransition);
      const t = thrown as InvalidOrderTransition;
      expect(t.status).toBe(status);
      expect(t.eventType).toBe(type);
      expect(t.reason.length).toBeGreaterThan(5);
      expect(t.message).toContain(status);
      expect(t.message).toContain(type);
      // A refused event changes nothing.
      expect({ status: order.status, events: order.events.length, filled: order.filledQty.toString(), qty: order.quantity.toString() }).toEqual(before);
    } else {
      expect(verdict).toEqual({ ok: true, next: expected });
      expect(order.apply(event(type))).toBe(expected);
      expect(order.status).toBe(expected);
      expect(order.events.length).toBe(before.events + 1);
      expect(order.lastEvent.type).toBe(type);
    }
  });

  it('transitionFor reads the table', () => {
    expect(transitionFor(OrderStatus.Accepted, 'OrderFilled')).toBe('FILL');
    expect(transitionFor(OrderStatus.Denied, 'OrderFilled')).toBeUndefined();
    expect(transitionFor(OrderStatus.Accepted, 'Bogus' as OrderEventType)).toBeUndefined();
  });

  it('classifies statuses as open, closed and in flight', () => {
    const open = ORDER_STATUSES.filter(isOpenStatus);
    const closed = ORDER_STATUSES.filter(isClosedStatus);
    const inFlight = ORDER_STATUSES.filter(isInFlightStatus);
    expect(open.sort()).toEqual([A, PC, PU, PF, T].sort());
    expect(closed.sort()).toEqual([C, D, E, F, R].sort());
    expect(inFlight.sort()).toEqual([PC, PU, SU].sort());
    // Closed statuses accept nothing that could reopen them.
    for (const s of closed) {
      for (const t of ORDER_EVENT_TYPES) {
        const cell = transitionFor(s, t);
        if (cell !== undefined && cell !== 'LATE_FILL') expect(cell).toBe(s);
      }
    }
  });
});
