import type {
  AccountId,
  ClientOrderId,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  VenueOrderId,
} from './identifiers.js';
import type { Money } from './money.js';
import type { Price, Quantity } from './price.js';
import type { UnixMicros } from './time.js';
import type { LiquiditySide, OrderSide } from './order/enums.js';
import type { OrderFilled } from './order/events.js';

/** One execution: what a position and a portfolio account for. Immutable. */
export interface Fill {
  readonly tradeId: TradeId;
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly instrumentId: InstrumentId;
  readonly strategyId: StrategyId;
  readonly accountId: AccountId;
  readonly positionId?: PositionId;
  readonly side: OrderSide;
  readonly price: Price;
  readonly quantity: Quantity;
  /** Charged for this fill (negative for a rebate), in its own currency. */
  readonly commission: Money;
  readonly liquiditySide: LiquiditySide;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

export const Fill = {
  /** The fill an OrderFilled event reports. */
  fromEvent(e: OrderFilled): Fill {
    return Object.freeze({
      tradeId: e.tradeId,
      clientOrderId: e.clientOrderId,
      venueOrderId: e.venueOrderId,
      instrumentId: e.instrumentId,
      strategyId: e.strategyId,
      accountId: e.accountId,
      ...(e.positionId === undefined ? {} : { positionId: e.positionId }),
      side: e.orderSide,
      price: e.lastPx,
      quantity: e.lastQty,
      commission: e.commission,
      liquiditySide: e.liquiditySide,
      tsEvent: e.tsEvent,
      tsInit: e.tsInit,
    });
  },
} as const;
