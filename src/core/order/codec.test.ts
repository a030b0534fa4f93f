import { describe, expect, it } from 'vitest';
import { decodeOrderEvent, encodeOrderEvent } from './codec.js';
import { ORDER_EVENT_TYPES } from './events.js';
import type { OrderEvent } from './events.js';
import { Order } from './order.js';
import { OrderType, TimeInForce, TrailingOffsetType } from './enums.js';
import { event, fill, makeOrder } from './testing/fixtures.js';
import { PositionId } from '../identifiers.js';
import { Price } from '../price.js';
import { UnixMicros } from '../time.js';
import { ParseError } from '../errors.js';

const roundTrip = (e: OrderEvent): OrderEvent => decodeOrderEvent(JSON.parse(JSON.stringify(encodeOrderEvent(e))));

function fieldOf(json: unknown): string | undefined {
  try {
    decodeOrderEvent(json);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as ParseError).field;
  }
  return undefined;
}

describe('order event codec', () => {
  it.each(ORDER_EVENT_TYPES)('round-trips %s exactly', (type) => {
    const e = event(type);
    const back = roundTrip(e);
    expect(back).toEqual(e);
    expect(Object.isFrozen(back)).toBe(true);
  });

  it('round-trips every optional field, with exact decimals and precisions', () => {
    const o = makeOrder({
      orderType: OrderType.TrailingStopLimit,
      price: Price.parse('100.50'),
      triggerPrice: Price.parse('101.000'),
      trailingOffset: Price.parse('25'),
      trailingOffsetType: TrailingOffsetType.BasisPoints,
      limitOffset: Price.parse('0.10'),
      timeInForce: TimeInForce.Gtd,
      expireTime: UnixMicros.of(9_000_000),
      postOnly: true,
      reduceOnly: true,
      tags: ['a', 'b'],
    });
    const back = roundTrip(o.init);
    expect(back).toEqual(o.init);
    const json = encodeOrderEvent(o.init);
    expect(json).toMatchObject({ price: '100.50', triggerPrice: '101.000', limitOffset: '0.10', tags: ['a', 'b'] });
    const f = fill('1.250', '100.10', { positionId: PositionId.parse('P-9') });
    expect(encodeOrderEvent(f)).toMatchObject({ lastQty: '1.250', lastPx: '100.10', commission: { amount: '0.01', currency: 'USDT' }, positionId: 'P-9' });
    expect(roundTrip(f)).toEqual(f);
  });

  it('replays decoded events into the same order', () => {
    const o = makeOrder();
    for (const e of [event('OrderSubmitted'), event('OrderAccepted'), fill('4', '100.10'), fill('6', '100.30')]) o.apply(e);
    const r = Order.fromEvents(o.events.map(roundTrip));
    expect(r.status).toBe(o.status);
    expect(r.avgPx()?.toString()).toBe(o.avgPx()?.toString());
  });

  it.each<[string, unknown]>([
    ['OrderEvent', null],
    ['OrderEvent', [1]],
    ['OrderEvent.type', { type: 'OrderExploded' }],
    ['OrderSubmitted.accountId', { ...encodeOrderEvent(event('OrderSubmitted')), accountId: undefined }],
    ['OrderSubmitted.accountId', { ...encodeOrderEvent(event('OrderSubmitted')), accountId: 'bad id' }],
    ['OrderSubmitted.extra', { ...encodeOrderEvent(event('OrderSubmitted')), extra: 1 }],
    ['OrderSubmitted.tsEvent', { ...encodeOrderEvent(event('OrderSubmitted')), tsEvent: '2024-01-01' }],
    ['OrderSubmitted.tsInit', { ...encodeOrderEvent(event('OrderSubmitted')), tsInit: -1 }],
    ['OrderSubmitted.eventId', { ...encodeOrderEvent(event('OrderSubmitted')), eventId: 7 }],
    ['OrderSubmitted.instrumentId', { ...encodeOrderEvent(event('OrderSubmitted')), instrumentId: 'BTCUSDT' }],
    ['OrderFilled.lastPx', { ...encodeOrderEvent(event('OrderFilled')), lastPx: 100.1 }],
    ['OrderFilled.lastPx', { ...encodeOrderEvent(event('OrderFilled')), lastPx: '1e' }],
    ['OrderFilled.lastQty', { ...encodeOrderEvent(event('OrderFilled')), lastQty: '-1' }],
    ['OrderFilled.commission', { ...encodeOrderEvent(event('OrderFilled')), commission: '0.01' }],
    ['OrderFilled.commission.currency', { ...encodeOrderEvent(event('OrderFilled')), commission: { amount: '0.01', currency: 'usdt' } }],
    ['OrderFilled.commission.amount', { ...encodeOrderEvent(event('OrderFilled')), commission: { amount: 'x', currency: 'USDT' } }],
    ['OrderFilled.liquiditySide', { ...encodeOrderEvent(event('OrderFilled')), liquiditySide: 'BOTH' }],
    ['OrderFilled.orderSide', { ...encodeOrderEvent(event('OrderFilled')), orderSide: 'buy' }],
    ['OrderFilled.tradeId', { ...encodeOrderEvent(event('OrderFilled')), tradeId: '' }],
    ['OrderInitialized.postOnly', { ...encodeOrderEvent(makeOrder().init), postOnly: 'false' }],
    ['OrderInitialized.tags', { ...encodeOrderEvent(makeOrder().init), tags: 'a' }],
    ['OrderInitialized.tags[1]', { ...encodeOrderEvent(makeOrder().init), tags: ['a', 2] }],
    ['OrderInitialized.timeInForce', { ...encodeOrderEvent(makeOrder().init), timeInForce: 'GTX' }],
  ])('names %s when it is wrong', (field, json) => {
    expect(fieldOf(json)).toBe(field);
  });

  it('accepts null for optional fields', () => {
    const json = { ...encodeOrderEvent(event('OrderCanceled')), venueOrderId: null };
    expect(decodeOrderEvent(json)).not.toHaveProperty('venueOrderId');
  });
});
