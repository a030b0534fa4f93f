import type { ClientOrderId, InstrumentId, PositionId, StrategyId, TraderId, VenueOrderId } from '../identifiers.js';
import type { Price, Quantity } from '../price.js';
import type { UnixMicros } from '../time.js';
import { InvalidOrderError } from './order.js';
import type { Order } from './order.js';
import type { OrderSide } from './enums.js';
import type { OrderInitialized } from './events.js';

/**
 * Fields of every trading command (strategy -> risk engine -> execution engine -> venue client).
 * `commandId` is unique per command, for de-duplication and for tying the resulting events back to it.
 */
export interface TradingCommandBase {
  readonly commandId: string;
  readonly traderId: TraderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly tsInit: UnixMicros;
}

/** Send a new order; `order` is its OrderInitialized event (the order's full parameters). */
export interface SubmitOrder extends TradingCommandBase {
  readonly type: 'SubmitOrder';
  readonly order: OrderInitialized;
  /** The position the order belongs to, when the strategy tracks several (hedging accounts). */
  readonly positionId?: PositionId;
}

export interface CancelOrder extends TradingCommandBase {
  readonly type: 'CancelOrder';
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
}

/** Cancel every open order of the strategy in the instrument (on one side only, when `side` is given). */
export interface CancelAllOrders extends TradingCommandBase {
  readonly type: 'CancelAllOrders';
  readonly side?: OrderSide;
}

/** Change an open order: at least one of quantity (the new total), price and trigger price. */
export interface ModifyOrder extends TradingCommandBase {
  readonly type: 'ModifyOrder';
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  readonly quantity?: Quantity;
  readonly price?: Price;
  readonly triggerPrice?: Price;
}

export type TradingCommand = SubmitOrder | CancelOrder | CancelAllOrders | ModifyOrder;
export type TradingCommandType = TradingCommand['type'];

type Ids = Pick<TradingCommandBase, 'commandId' | 'tsInit'>;

function base(order: Order, ids: Ids): TradingCommandBase {
  if (typeof ids.commandId !== 'string' || ids.commandId === '') throw new InvalidOrderError('must be a non-empty string', 'commandId');
  return { commandId: ids.commandId, traderId: order.traderId, strategyId: order.strategyId, instrumentId: order.instrumentId, tsInit: ids.tsInit };
}

/** Commands built from an order, so their ids always agree with it. */
export const TradingCommands = {
  submit(order: Order, ids: Ids & { readonly positionId?: PositionId }): SubmitOrder {
    return Object.freeze({
      ...base(order, ids),
      type: 'SubmitOrder',
      order: order.init,
      ...(ids.positionId === undefined ? {} : { positionId: ids.positionId }),
    });
  },

  cancel(order: Order, ids: Ids): CancelOrder {
    return Object.freeze({
      ...base(order, ids),
      type: 'CancelOrder',
      clientOrderId: order.clientOrderId,
      ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
    });
  },

  /**
   * A modify command, checked against the order as it is now: something must change, and the change must
   * be one the order can take (InvalidOrderError naming the field otherwise).
   */
  modify(order: Order, ids: Ids, change: { readonly quantity?: Quantity; readonly price?: Price; readonly triggerPrice?: Price }): ModifyOrder {
    const { quantity, price, triggerPrice } = change;
    if (quantity === undefined && price === undefined && triggerPrice === undefined) {
      throw new InvalidOrderError('a modify must change the quantity, the price or the trigger price', 'change');
    }
    const same =
      (quantity === undefined || quantity.eq(order.quantity)) &&
      (price === undefined || (order.price !== undefined && price.eq(order.price))) &&
      (triggerPrice === undefined || (order.triggerPrice !== undefined && triggerPrice.eq(order.triggerPrice)));
    if (same) throw new InvalidOrderError('the modify changes nothing', 'change');
    const problem = order.updateProblemFor({ quantity: quantity ?? order.quantity, price, triggerPrice });
    if (problem !== undefined) throw new InvalidOrderError(problem.reason, problem.field);
    return Object.freeze({
      ...base(order, ids),
      type: 'ModifyOrder',
      clientOrderId: order.clientOrderId,
      ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
      ...(quantity === undefined ? {} : { quantity }),
      ...(price === undefined ? {} : { price }),
      ...(triggerPrice === undefined ? {} : { triggerPrice }),
    });
  },
} as const;
