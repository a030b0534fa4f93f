export const OrderSide = { Buy: 'BUY', Sell: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

export const OrderType = {
  Market: 'MARKET',
  Limit: 'LIMIT',
  StopMarket: 'STOP_MARKET',
  StopLimit: 'STOP_LIMIT',
  TrailingStopMarket: 'TRAILING_STOP_MARKET',
  TrailingStopLimit: 'TRAILING_STOP_LIMIT',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export const TimeInForce = {
  /** Good till canceled. */
  Gtc: 'GTC',
  /** Immediate or cancel: fill what can be filled now, cancel the rest. */
  Ioc: 'IOC',
  /** Fill or kill: fill all now or nothing. */
  Fok: 'FOK',
  /** Good till date: needs `expireTime`. */
  Gtd: 'GTD',
  /** Good for the trading day (venue's session). */
  Day: 'DAY',
} as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** How a trailing stop's offset is measured from the market. */
export const TrailingOffsetType = { Price: 'PRICE', BasisPoints: 'BASIS_POINTS', Ticks: 'TICKS' } as const;
export type TrailingOffsetType = (typeof TrailingOffsetType)[keyof typeof TrailingOffsetType];

/** Order statuses, as in NautilusTrader (without its emulation-only EMULATED and RELEASED). */
export const OrderStatus = {
  Initialized: 'INITIALIZED',
  Denied: 'DENIED',
  Submitted: 'SUBMITTED',
  Accepted: 'ACCEPTED',
  Rejected: 'REJECTED',
  Canceled: 'CANCELED',
  Expired: 'EXPIRED',
  Triggered: 'TRIGGERED',
  PendingUpdate: 'PENDING_UPDATE',
  PendingCancel: 'PENDING_CANCEL',
  PartiallyFilled: 'PARTIALLY_FILLED',
  Filled: 'FILLED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** Whether a fill added liquidity to the book (maker) or took it (taker). */
export const LiquiditySide = { Maker: 'MAKER', Taker: 'TAKER', None: 'NONE' } as const;
export type LiquiditySide = (typeof LiquiditySide)[keyof typeof LiquiditySide];

export const ORDER_SIDES: readonly OrderSide[] = Object.values(OrderSide);
export const ORDER_TYPES: readonly OrderType[] = Object.values(OrderType);
export const TIME_IN_FORCES: readonly TimeInForce[] = Object.values(TimeInForce);
export const ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);

/** The opposite side: what closes a position opened by `side`. */
export function oppositeSide(side: OrderSide): OrderSide {
  return side === OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
}
