import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce, TrailingOffsetType, oppositeSide } from './enums.js';
import { FILL_NOTIONAL_SCALE, InvalidOrderError, InvalidOrderTransition, Order } from './order.js';
import type { OrderParams } from './order.js';
import type { OrderEvent } from './events.js';
import { USDT, event, fill, ids, makeOrder, nextEventId } from './testing/fixtures.js';
import { ClientOrderId, Currency, InstrumentId, PositionId, TradeId } from '../identifiers.js';
import { Money } from '../money.js';
import { Price, Quantity } from '../price.js';
import { UnixMicros } from '../time.js';
import { RoundingMode } from '../decimal.js';
import { InvariantError } from '../errors.js';

function fieldOf(over: Partial<OrderParams> & Record<string, unknown>): string | undefined {
  try {
    makeOrder(over as Partial<OrderParams>);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOrderError);
    return (e as InvalidOrderError).field;
  }
  return undefined;
}

const px = Price.parse;
const qty = Quantity.parse;

describe('Order.create', () => {
  it('creates an INITIALIZED order from its parameters', () => {
    const o = makeOrder({ tags: ['entry'] });
    expect(o.status).toBe(OrderStatus.Initialized);
    expect(o.side).toBe(OrderSide.Buy);
    expect(o.orderType).toBe(OrderType.Limit);
    expect(o.timeInForce).toBe(TimeInForce.Gtc);
    expect(o.postOnly).toBe(false);
    expect(o.reduceOnly).toBe(false);
    expect(o.quantity.toString()).toBe('10');
    expect(o.price?.toString()).toBe('100.00');
    expect(o.triggerPrice).toBeUndefined();
    expect(o.expireTime).toBeUndefined();
    expect(o.filledQty.isZero()).toBe(true);
    expect(o.leavesQty.toString()).toBe('10');
    expect(o.events).toHaveLength(1);
    expect(o.lastEvent.type).toBe('OrderInitialized');
    expect(o.tsLast).toBe(1_000);
    expect(Object.isFrozen(o.init)).toBe(true);
    expect(o.init.tags).toEqual(['entry']);
    expect(o.avgPx()).toBeUndefined();
    expect(o.avgPxNumber()).toBeUndefined();
    expect(o.isOpen || o.isClosed || o.isInFlight).toBe(false);
    expect(o.traderId).toBe(ids.traderId);
    expect(o.strategyId).toBe(ids.strategyId);
    expect(o.instrumentId).toBe(ids.instrumentId);
    expect(o.isBuy).toBe(true);
  });

  it('accepts every order type with its required fields', () => {
    const ok: Partial<OrderParams>[] = [
      { orderType: OrderType.Market, price: undefined },
      { orderType: OrderType.Market, price: undefined, timeInForce: TimeInForce.Ioc, reduceOnly: true },
      { orderType: OrderType.Limit, postOnly: true },
      { orderType: OrderType.Limit, timeInForce: TimeInForce.Gtd, expireTime: UnixMicros.of(5_000) },
      { orderType: OrderType.Limit, timeInForce: TimeInForce.Day },
      { orderType: OrderType.Limit, timeInForce: TimeInForce.Fok },
      { orderType: OrderType.StopMarket, price: undefined, triggerPrice: px('95') },
      { orderType: OrderType.StopLimit, triggerPrice: px('95'), postOnly: true },
      { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffset: px('1.5'), trailingOffsetType: TrailingOffsetType.Price },
      { orderType: OrderType.TrailingStopMarket, price: undefined, triggerPrice: px('98'), trailingOffset: px('25'), trailingOffsetType: TrailingOffsetType.BasisPoints },
      { orderType: OrderType.TrailingStopLimit, price: undefined, trailingOffset: px('3'), trailingOffsetType: TrailingOffsetType.Ticks, limitOffset: px('0') },
      { orderType: OrderType.TrailingStopLimit, trailingOffset: px('3'), trailingOffsetType: TrailingOffsetType.Ticks, limitOffset: px('0.5') },
    ];
    for (const over of ok) expect(fieldOf(over as Record<string, unknown>)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['price', { orderType: OrderType.Limit, price: undefined }],
    ['price', { orderType: OrderType.Market }],
    ['price', { orderType: OrderType.StopMarket, triggerPrice: px('95') }],
    ['price', { orderType: OrderType.StopLimit, price: undefined, triggerPrice: px('95') }],
    ['price', { price: px('0') }],
    ['price', { price: px('-1') }],
    ['price', { price: 100 }],
    ['triggerPrice', { orderType: OrderType.StopMarket, price: undefined }],
    ['triggerPrice', { orderType: OrderType.StopLimit }],
    ['triggerPrice', { triggerPrice: px('95') }],
    ['triggerPrice', { orderType: OrderType.StopMarket, price: undefined, triggerPrice: px('-95') }],
    ['quantity', { quantity: qty('0') }],
    ['quantity', { quantity: 10 }],
    ['side', { side: 'LONG' }],
    ['orderType', { orderType: 'ICEBERG' }],
    ['timeInForce', { timeInForce: 'GTX' }],
    ['postOnly', { orderType: OrderType.Market, price: undefined, postOnly: true }],
    ['postOnly', { orderType: OrderType.StopMarket, price: undefined, triggerPrice: px('95'), postOnly: true }],
    ['postOnly', { postOnly: true, timeInForce: TimeInForce.Ioc }],
    ['postOnly', { postOnly: true, timeInForce: TimeInForce.Fok }],
    ['postOnly', { postOnly: 'yes' }],
    ['reduceOnly', { reduceOnly: 1 }],
    ['expireTime', { timeInForce: TimeInForce.Gtd }],
    ['expireTime', { timeInForce: TimeInForce.Gtd, expireTime: -5 }],
    ['expireTime', { expireTime: UnixMicros.of(5_000) }],
    ['timeInForce', { orderType: OrderType.Market, price: undefined, timeInForce: TimeInForce.Gtd, expireTime: UnixMicros.of(5_000) }],
    ['trailingOffset', { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffsetType: TrailingOffsetType.Price }],
    ['trailingOffset', { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffset: px('0'), trailingOffsetType: TrailingOffsetType.Price }],
    ['trailingOffset', { trailingOffset: px('1') }],
    ['trailingOffsetType', { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffset: px('1') }],
    ['trailingOffsetType', { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffset: px('1'), trailingOffsetType: 'PERCENT' }],
    ['trailingOffsetType', { trailingOffsetType: TrailingOffsetType.Price }],
    ['limitOffset', { orderType: OrderType.TrailingStopLimit, price: undefined, trailingOffset: px('1'), trailingOffsetType: TrailingOffsetType.Price }],
    ['limitOffset', { orderType: OrderType.TrailingStopLimit, price: undefined, trailingOffset: px('1'), trailingOffsetType: TrailingOffsetType.Price, limitOffset: px('-1') }],
    ['limitOffset', { orderType: OrderType.TrailingStopMarket, price: undefined, trailingOffset: px('1'), trailingOffsetType: TrailingOffsetType.Price, limitOffset: px('1') }],
    ['limitOffset', { limitOffset: px('1') }],
    ['eventId', { eventId: '' }],
    ['clientOrderId', { clientOrderId: '' }],
    ['tsInit', { tsInit: -1, tsEvent: 5 }],
    ['tsEvent', { tsEvent: 1.5 }],
    ['tags', { tags: [1] }],
  ])('rejects a bad %s: %j', (field, over) => {
    expect(fieldOf(over)).toBe(field);
  });

  it('names the field in the message', () => {
    expect(() => makeOrder({ price: undefined })).toThrow(/^price: a LIMIT order needs a limit price/);
  });
});

describe('fill accounting', () => {
  function accepted(over: Partial<OrderParams> = {}): Order {
    const o = makeOrder(over);
    o.apply(event('OrderSubmitted'));
    o.apply(event('OrderAccepted'));
    return o;
  }

  it('tracks partial fills, leaves, average price and commissions exactly', () => {
    const o = accepted();
    expect(o.venueOrderId).toBe(ids.venueOrderId);
    expect(o.accountId).toBe(ids.accountId);
    expect(o.isOpen).toBe(true);
    expect(o.apply(fill('3', '100.10', { commission: Money.parse('0.03', USDT), positionId: PositionId.parse('P-1') }))).toBe(OrderStatus.PartiallyFilled);
    expect(o.filledQty.toString()).toBe('3');
    expect(o.leavesQty.toString()).toBe('7');
    expect(o.avgPx()?.toString()).toBe('100.100000');
    expect(o.positionId).toBe('P-1');
    expect(o.apply(fill('7', '100.25', { commission: Money.parse('0.07', USDT), liquiditySide: LiquiditySide.Taker }))).toBe(OrderStatus.Filled);
    expect(o.filledQty.toString()).toBe('10');
    expect(o.leavesQty.isZero()).toBe(true);
    // (3 * 100.10 + 7 * 100.25) / 10 = 1002.05 / 10 = 100.205
    expect(o.avgPx()?.toString()).toBe('100.205000');
    expect(o.avgPx(2, RoundingMode.HalfEven)?.toString()).toBe('100.20');
    expect(o.avgPx(2, RoundingMode.HalfUp)?.toString()).toBe('100.21');
    expect(o.avgPxNumber()).toBe(100.205);
    expect(o.filledNotional(USDT).toString()).toBe(`1002.05${'0'.repeat(FILL_NOTIONAL_SCALE - 2)} USDT`);
    expect(o.commissions().map(String)).toEqual(['0.10 USDT']);
    expect(o.lastPx?.toString()).toBe('100.25');
    expect(o.liquiditySide).toBe(LiquiditySide.Taker);
    expect(o.tradeIds).toHaveLength(2);
    expect(o.isClosed).toBe(true);
    expect(o.isOpen).toBe(false);
  });

  it('keeps commissions per currency', () => {
    const o = accepted();
    o.apply(fill('1', '100', { commission: Money.parse('0.001', Currency.parse('BNB')) }));
    o.apply(fill('1', '100', { commission: Money.parse('-0.02', USDT) }));
    o.apply(fill('1', '100', { commission: Money.parse('0.002', Currency.parse('BNB')) }));
    expect(o.commissions().map(String).sort()).toEqual(['-0.02 USDT', '0.003 BNB']);
  });

  it('refuses an overfill and leaves the order unchanged', () => {
    const o = accepted();
    o.apply(fill('6', '100'));
    const e = fill('5', '100');
    expect(o.check(e)).toEqual({ ok: false, reason: 'overfill: 6 filled + 5 exceeds quantity 10' });
    expect(() => o.apply(e)).toThrow(InvalidOrderTransition);
    expect(() => o.apply(e)).toThrow(/overfill/);
    expect(o.filledQty.toString()).toBe('6');
    expect(o.status).toBe(OrderStatus.PartiallyFilled);
    expect(o.apply(fill('4', '100'))).toBe(OrderStatus.Filled);
    expect(o.check(fill('0.001', '100')).ok).toBe(false);
  });

  it('refuses malformed fills', () => {
    const o = accepted();
    const first = fill('1', '100');
    o.apply(first);
    expect(o.check({ ...fill('1', '100'), tradeId: first.tradeId })).toEqual({ ok: false, reason: `duplicate trade id ${first.tradeId}` });
    expect(o.check({ ...fill('1', '100'), eventId: first.eventId }).ok).toBe(false);
    expect(o.check(fill('1', '100', { orderSide: OrderSide.Sell }))).toMatchObject({ ok: false, reason: expect.stringMatching(/side/) });
    expect(o.check(fill('0', '100'))).toMatchObject({ ok: false, reason: expect.stringMatching(/positive/) });
    expect(o.check(fill('1', '100', { lastPx: 100 as unknown as Price })).ok).toBe(false);
    expect(o.check(fill('1', '100', { commission: 0 as unknown as Money })).ok).toBe(false);
    expect(o.filledQty.toString()).toBe('1');
  });

  it('refuses events for another order', () => {
    const o = accepted();
    expect(o.check({ ...event('OrderCanceled'), clientOrderId: ClientOrderId.parse('O-2') }).ok).toBe(false);
    expect(o.check({ ...event('OrderCanceled'), instrumentId: InstrumentId.parse('ETHUSDT.BINANCE') }).ok).toBe(false);
    expect(o.check({ ...event('OrderCanceled'), strategyId: 'OTHER' as typeof ids.strategyId }).ok).toBe(false);
  });

  it('accepts a late fill on a canceled order, closing it as FILLED only when complete', () => {
    const o = accepted();
    o.apply(fill('4', '100'));
    o.apply(event('OrderCanceled'));
    expect(o.apply(fill('2', '100'))).toBe(OrderStatus.Canceled);
    expect(o.apply(fill('4', '100'))).toBe(OrderStatus.Filled);
  });

  it('a fill racing a cancel request: filled, then the cancel is rejected', () => {
    const o = accepted();
    o.apply(event('OrderPendingCancel'));
    expect(o.isInFlight).toBe(true);
    expect(o.apply(fill('10', '100'))).toBe(OrderStatus.Filled);
    expect(o.apply(event('OrderCancelRejected'))).toBe(OrderStatus.Filled);
  });
});

describe('pending requests', () => {
  function partiallyFilled(): Order {
    const o = makeOrder({ orderType: OrderType.StopLimit, triggerPrice: px('101') });
    o.apply(event('OrderSubmitted'));
    o.apply(event('OrderAccepted'));
    o.apply(fill('4', '100', { orderType: OrderType.StopLimit }));
    return o;
  }

  it('an update returns to the status before the request, with the new quantity and prices', () => {
    const o = partiallyFilled();
    expect(o.apply(event('OrderPendingUpdate'))).toBe(OrderStatus.PendingUpdate);
    expect(o.apply(event('OrderPendingUpdate'))).toBe(OrderStatus.PendingUpdate);
    expect(o.apply(event('OrderUpdated'))).toBe(OrderStatus.PartiallyFilled);
    expect(o.quantity.toString()).toBe('20');
    expect(o.leavesQty.toString()).toBe('16');
    expect(o.price?.toString()).toBe('99.00');
    expect(o.triggerPrice?.toString()).toBe('98.00');
  });

  it('a rejected modify or cancel returns to the status before the first request', () => {
    const o = partiallyFilled();
    o.apply(event('OrderPendingUpdate'));
    o.apply(event('OrderPendingCancel'));
    expect(o.apply(event('OrderCancelRejected'))).toBe(OrderStatus.PartiallyFilled);
    o.apply(event('OrderPendingUpdate'));
    expect(o.apply(event('OrderModifyRejected'))).toBe(OrderStatus.PartiallyFilled);
    const s = makeOrder();
    s.apply(event('OrderSubmitted'));
    s.apply(event('OrderPendingCancel'));
    expect(s.apply(event('OrderCancelRejected'))).toBe(OrderStatus.Submitted);
  });

  it('refuses updates that break the order', () => {
    const o = partiallyFilled();
    const upd = (over: Record<string, unknown>) => ({ ...event('OrderUpdated'), ...over }) as OrderEvent;
    expect(o.check(upd({ quantity: qty('4') }))).toMatchObject({ ok: false, reason: expect.stringMatching(/must exceed the filled quantity 4/) });
    expect(o.check(upd({ quantity: qty('3') })).ok).toBe(false);
    expect(o.check(upd({ price: px('-1') })).ok).toBe(false);
    expect(o.check(upd({ quantity: qty('5'), price: undefined, triggerPrice: undefined }))).toEqual({ ok: true, next: OrderStatus.PartiallyFilled });
    const m = makeOrder({ orderType: OrderType.Market, price: undefined });
    expect(m.check(upd({ triggerPrice: undefined })).ok).toBe(false);
    expect(m.check(upd({ price: undefined }))).toMatchObject({ ok: false, reason: expect.stringMatching(/trigger price/) });
    expect(m.check(upd({ price: undefined, triggerPrice: undefined })).ok).toBe(true);
  });

  it('crashes if the pending bookkeeping were ever broken', () => {
    const o = makeOrder();
    o.apply(event('OrderSubmitted'));
    o.apply(event('OrderPendingUpdate'));
    (o as unknown as { _statusBeforePending: undefined })._statusBeforePending = undefined;
    expect(() => o.check(event('OrderModifyRejected'))).toThrow(InvariantError);
  });
});

describe('replay', () => {
  it('fromEvents rebuilds the same state', () => {
    const o = makeOrder({ orderType: OrderType.StopLimit, triggerPrice: px('101') });
    for (const e of [event('OrderSubmitted'), event('OrderAccepted'), fill('2', '101'), event('OrderPendingUpdate'), event('OrderUpdated'), fill('3', '99')]) {
      o.apply(e);
    }
    const r = Order.fromEvents(o.events);
    expect(r.status).toBe(o.status);
    expect(r.filledQty.eq(o.filledQty)).toBe(true);
    expect(r.quantity.eq(o.quantity)).toBe(true);
    expect(r.avgPx()?.eq(o.avgPx() as Price)).toBe(true);
    expect(r.events).toEqual(o.events);
    expect(() => Order.fromEvents([])).toThrow(/^events: /);
    expect(() => Order.fromEvents([event('OrderSubmitted')])).toThrow(InvalidOrderError);
    expect(() => Order.fromEvents([o.init, event('OrderFilled')])).toThrow(InvalidOrderTransition);
  });

  it('oppositeSide flips', () => {
    expect(oppositeSide(OrderSide.Buy)).toBe(OrderSide.Sell);
    expect(oppositeSide(OrderSide.Sell)).toBe(OrderSide.Buy);
  });
});

describe('fill accounting properties', () => {
  it('average price brackets the exact VWAP and filled never exceeds quantity (property)', () => {
    const fillArb = fc.record({ q: fc.integer({ min: 1, max: 5_000 }), p: fc.integer({ min: 1, max: 10_000_000 }) });
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 50_000 }), (fills, extra) => {
        const total = fills.reduce((s, f) => s + f.q, 0) + extra;
        const o = makeOrder({ quantity: Quantity.fromRaw(total, 3), clientOrderId: ClientOrderId.parse('O-1') });
        o.apply(event('OrderSubmitted'));
        o.apply(event('OrderAccepted'));
        let notional = 0n; // price raw (2 dp) * qty raw (3 dp): scale 5
        let filled = 0;
        for (const f of fills) {
          o.apply(fill('1', '1', { lastQty: Quantity.fromRaw(f.q, 3), lastPx: Price.fromRaw(f.p, 2), tradeId: TradeId.parse(`T-${nextEventId()}`) }));
          notional += BigInt(f.q) * BigInt(f.p);
          filled += f.q;
          expect(o.filledQty.raw).toBe(filled);
          expect(o.leavesQty.raw).toBe(total - filled);
        }
        expect(o.status).toBe(extra === 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled);
        // floor(avg) * filled <= notional < (floor(avg) + 1 unit) * filled, at 6 decimals (avg scale 2 -> 6: x10^4).
        const lo = BigInt(o.avgPx(6, RoundingMode.Floor)!.raw);
        expect(lo * BigInt(filled) <= notional * 10_000n).toBe(true);
        expect((lo + 1n) * BigInt(filled) > notional * 10_000n).toBe(true);
        expect(o.fillNotionalRaw).toBe(notional * 10n ** BigInt(FILL_NOTIONAL_SCALE - 5));
        // One more fill than what is left is always refused.
        const over = fill('1', '1', { lastQty: Quantity.fromRaw(extra + 1, 3) });
        expect(o.check(over).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('random event sequences never corrupt the order (property)', () => {
    const types = ['OrderSubmitted', 'OrderAccepted', 'OrderCanceled', 'OrderExpired', 'OrderTriggered', 'OrderPendingUpdate', 'OrderPendingCancel', 'OrderModifyRejected', 'OrderCancelRejected', 'OrderUpdated', 'OrderFilled', 'OrderRejected', 'OrderDenied'] as const;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...types), { maxLength: 40 }), (seq) => {
        const o = makeOrder({ orderType: OrderType.StopLimit, triggerPrice: px('101'), timeInForce: TimeInForce.Gtd, expireTime: UnixMicros.of(9_000) });
        for (const t of seq) {
          const e = event(t);
          const before = o.events.length;
          const verdict = o.check(e);
          if (verdict.ok) {
            expect(o.apply(e)).toBe(verdict.next);
            expect(o.events.length).toBe(before + 1);
          } else {
            expect(() => o.apply(e)).toThrow(InvalidOrderTransition);
            expect(o.events.length).toBe(before);
          }
          expect(o.filledQty.lte(o.quantity)).toBe(true);
          if (o.status === OrderStatus.Filled) expect(o.leavesQty.isZero()).toBe(true);
          if (o.status === OrderStatus.PartiallyFilled) expect(o.filledQty.isPositive() && o.leavesQty.isPositive()).toBe(true);
        }
        expect(Order.fromEvents(o.events).status).toBe(o.status);
      }),
      { numRuns: 200 },
    );
  });
});
