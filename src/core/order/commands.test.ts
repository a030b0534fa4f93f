import { describe, expect, it } from 'vitest';
import { TradingCommands } from './commands.js';
import type { TradingCommand } from './commands.js';
import { InvalidOrderError } from './order.js';
import { OrderSide, OrderType } from './enums.js';
import { event, fill, ids, makeOrder } from './testing/fixtures.js';
import { PositionId } from '../identifiers.js';
import { Price, Quantity } from '../price.js';
import { UnixMicros } from '../time.js';
import { assertNever } from '../errors.js';

const cmdIds = { commandId: 'C-1', tsInit: UnixMicros.of(3_000) };

function describeCommand(c: TradingCommand): string {
  switch (c.type) {
    case 'SubmitOrder':
      return `submit ${c.order.clientOrderId}`;
    case 'CancelOrder':
      return `cancel ${c.clientOrderId}`;
    case 'CancelAllOrders':
      return `cancel all ${c.side ?? 'both'}`;
    case 'ModifyOrder':
      return `modify ${c.clientOrderId}`;
    default:
      return assertNever(c, 'command');
  }
}

describe('trading commands', () => {
  it('builds submit and cancel commands from an order', () => {
    const o = makeOrder();
    const s = TradingCommands.submit(o, { ...cmdIds, positionId: PositionId.parse('P-1') });
    expect(s).toMatchObject({ type: 'SubmitOrder', commandId: 'C-1', traderId: ids.traderId, strategyId: ids.strategyId, instrumentId: ids.instrumentId, positionId: 'P-1', tsInit: 3_000 });
    expect(s.order).toBe(o.init);
    expect(Object.isFrozen(s)).toBe(true);
    expect(TradingCommands.submit(o, cmdIds)).not.toHaveProperty('positionId');
    const c0 = TradingCommands.cancel(o, cmdIds);
    expect(c0).not.toHaveProperty('venueOrderId');
    o.apply(event('OrderSubmitted'));
    o.apply(event('OrderAccepted'));
    const c = TradingCommands.cancel(o, cmdIds);
    expect(c).toMatchObject({ type: 'CancelOrder', clientOrderId: ids.clientOrderId, venueOrderId: ids.venueOrderId });
    expect(describeCommand(s)).toBe('submit O-1');
    expect(describeCommand(c)).toBe('cancel O-1');
    expect(describeCommand({ ...c, type: 'CancelAllOrders', side: OrderSide.Buy })).toBe('cancel all BUY');
    expect(() => TradingCommands.cancel(o, { ...cmdIds, commandId: '' })).toThrow(/^commandId: /);
  });

  it('builds a modify command checked against the order', () => {
    const o = makeOrder({ orderType: OrderType.StopLimit, triggerPrice: Price.parse('101') });
    o.apply(event('OrderSubmitted'));
    o.apply(event('OrderAccepted'));
    o.apply(fill('4', '100', { orderType: OrderType.StopLimit }));
    const m = TradingCommands.modify(o, cmdIds, { price: Price.parse('99.5') });
    expect(m).toMatchObject({ type: 'ModifyOrder', clientOrderId: ids.clientOrderId, venueOrderId: ids.venueOrderId });
    expect(m.price?.toString()).toBe('99.5');
    expect(m).not.toHaveProperty('quantity');
    expect(describeCommand(m)).toBe('modify O-1');
    const q = TradingCommands.modify(o, cmdIds, { quantity: Quantity.parse('12'), triggerPrice: Price.parse('100.5') });
    expect(q.quantity?.toString()).toBe('12');
    expect(q.triggerPrice?.toString()).toBe('100.5');

    const fieldOf = (change: Parameters<typeof TradingCommands.modify>[2]) => {
      try {
        TradingCommands.modify(o, cmdIds, change);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOrderError);
        return (e as InvalidOrderError).field;
      }
      return undefined;
    };
    expect(fieldOf({})).toBe('change');
    expect(fieldOf({ quantity: Quantity.parse('10'), price: Price.parse('100.00') })).toBe('change');
    expect(fieldOf({ quantity: Quantity.parse('4') })).toBe('quantity');
    expect(fieldOf({ price: Price.parse('-1') })).toBe('price');
    const mkt = makeOrder({ orderType: OrderType.Market, price: undefined });
    expect(() => TradingCommands.modify(mkt, cmdIds, { price: Price.parse('1') })).toThrow(/^price: a MARKET order cannot take the limit price/);
    expect(() => TradingCommands.modify(mkt, cmdIds, { triggerPrice: Price.parse('1') })).toThrow(/^triggerPrice: /);
  });
});
