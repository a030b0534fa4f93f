import { AccountId, ClientOrderId, Currency, InstrumentId, StrategyId, TradeId, TraderId, VenueOrderId } from '../../identifiers.js';
import { Money } from '../../money.js';
import { Price, Quantity } from '../../price.js';
import { UnixMicros } from '../../time.js';
import { LiquiditySide, OrderSide, OrderType } from '../enums.js';
import type { OrderEvent, OrderEventType, OrderFilled } from '../events.js';
import { Order } from '../order.js';
import type { OrderParams } from '../order.js';

/** Test helpers that build valid orders and events; not part of the public API. */
export const ids = {
  traderId: TraderId.parse('TRADER-001'),
  strategyId: StrategyId.parse('S-001'),
  instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'),
  clientOrderId: ClientOrderId.parse('O-1'),
  accountId: AccountId.parse('BINANCE-001'),
  venueOrderId: VenueOrderId.parse('V-1'),
};
export const USDT = Currency.parse('USDT');

let seq = 0;
export function nextEventId(): string {
  seq += 1;
  return `E-${seq}`;
}

export function makeOrder(over: Partial<OrderParams> = {}): Order {
  return Order.create({
    eventId: nextEventId(),
    traderId: ids.traderId,
    strategyId: ids.strategyId,
    instrumentId: ids.instrumentId,
    clientOrderId: ids.clientOrderId,
    side: OrderSide.Buy,
    orderType: OrderType.Limit,
    quantity: Quantity.parse('10'),
    price: Price.parse('100.00'),
    tsInit: UnixMicros.of(1_000),
    ...over,
  });
}

const base = () => ({
  eventId: nextEventId(),
  traderId: ids.traderId,
  strategyId: ids.strategyId,
  instrumentId: ids.instrumentId,
  clientOrderId: ids.clientOrderId,
  tsEvent: UnixMicros.of(2_000),
  tsInit: UnixMicros.of(2_001),
});

let trade = 0;
export function fill(qty: string, px: string, over: Partial<OrderFilled> = {}): OrderFilled {
  trade += 1;
  return {
    ...base(),
    type: 'OrderFilled',
    venueOrderId: ids.venueOrderId,
    accountId: ids.accountId,
    tradeId: TradeId.parse(`T-${trade}`),
    orderSide: OrderSide.Buy,
    orderType: OrderType.Limit,
    lastQty: Quantity.parse(qty),
    lastPx: Price.parse(px),
    commission: Money.parse('0.01', USDT),
    liquiditySide: LiquiditySide.Maker,
    ...over,
  };
}

/** A valid event of each type (fills: 1 unit at 100; updates: quantity 20, new price and trigger). */
export function event(type: OrderEventType): OrderEvent {
  const b = base();
  switch (type) {
    case 'OrderInitialized':
      return makeOrder().init;
    case 'OrderDenied':
      return { ...b, type, reason: 'risk: notional too large' };
    case 'OrderSubmitted':
      return { ...b, type, accountId: ids.accountId };
    case 'OrderAccepted':
      return { ...b, type, accountId: ids.accountId, venueOrderId: ids.venueOrderId };
    case 'OrderRejected':
      return { ...b, type, accountId: ids.accountId, reason: 'insufficient balance' };
    case 'OrderCanceled':
    case 'OrderExpired':
    case 'OrderTriggered':
    case 'OrderPendingUpdate':
    case 'OrderPendingCancel':
      return { ...b, type, venueOrderId: ids.venueOrderId, accountId: ids.accountId };
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
      return { ...b, type, reason: 'unknown order' };
    case 'OrderUpdated':
      return { ...b, type, quantity: Quantity.parse('20'), price: Price.parse('99.00'), triggerPrice: Price.parse('98.00') };
    case 'OrderFilled':
      return fill('1', '100.00', { orderType: OrderType.StopLimit });
  }
}
