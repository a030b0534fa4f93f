import { InvariantError, ParseError, TradewindError, assertNever } from '../errors.js';
import type {
  AccountId,
  ClientOrderId,
  Currency,
  InstrumentId,
  PositionId,
  StrategyId,
  TradeId,
  TraderId,
  VenueOrderId,
} from '../identifiers.js';
import { RoundingMode, divRound, formatDecimalBig, pow10n } from '../decimal.js';
import { Money } from '../money.js';
import { Price, Quantity } from '../price.js';
import type { UnixMicros } from '../time.js';
import { LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce, TrailingOffsetType } from './enums.js';
import type { OrderEvent, OrderEventType, OrderFilled, OrderInitialized, OrderUpdated } from './events.js';
import { NextStatus, isClosedStatus, isInFlightStatus, isOpenStatus, transitionFor } from './state-table.js';

/** An order that cannot be created as specified; `field` names the parameter at fault. */
export class InvalidOrderError extends ParseError {}

/**
 * An event that the order's state table (or its fill accounting) does not allow. Thrown by
 * `Order.apply`; `Order.check` returns the same verdict as a value for callers that expect failures
 * (an execution engine reconciling venue reports), so they need no try/catch.
 */
export class InvalidOrderTransition extends TradewindError {
  constructor(
    readonly clientOrderId: ClientOrderId,
    readonly status: OrderStatus,
    readonly eventType: OrderEventType,
    readonly reason: string,
  ) {
    super(`order ${clientOrderId}: ${eventType} rejected in ${status}: ${reason}`);
  }
}

export type OrderCheck = { readonly ok: true; readonly next: OrderStatus } | { readonly ok: false; readonly reason: string };

/** Scale (decimals) of the exact sum of price * quantity over fills: 12 price decimals + 12 size decimals. */
export const FILL_NOTIONAL_SCALE = 24;
const HALF_SCALE = FILL_NOTIONAL_SCALE / 2;

/** What `Order.create` takes: the OrderInitialized fields, with flags and time in force defaulted. */
export interface OrderParams {
  readonly eventId: string;
  readonly traderId: TraderId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly clientOrderId: ClientOrderId;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly triggerPrice?: Price;
  /** Default GTC. */
  readonly timeInForce?: TimeInForce;
  readonly expireTime?: UnixMicros;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly trailingOffset?: Price;
  readonly trailingOffsetType?: TrailingOffsetType;
  readonly limitOffset?: Price;
  readonly tags?: readonly string[];
  /** Default tsInit. */
  readonly tsEvent?: UnixMicros;
  readonly tsInit: UnixMicros;
}

const LIMIT_PRICED: ReadonlySet<OrderType> = new Set([OrderType.Limit, OrderType.StopLimit, OrderType.TrailingStopLimit]);
const STOPS: ReadonlySet<OrderType> = new Set([
  OrderType.StopMarket,
  OrderType.StopLimit,
  OrderType.TrailingStopMarket,
  OrderType.TrailingStopLimit,
]);
const TRAILING: ReadonlySet<OrderType> = new Set([OrderType.TrailingStopMarket, OrderType.TrailingStopLimit]);

function bad(field: string, message: string): never {
  throw new InvalidOrderError(message, field);
}

/**
 * Checks the parameters of an order: the rules every venue applies, so a broken order never leaves the
 * strategy. Throws InvalidOrderError naming the field.
 */
export function validateOrderInitialized(e: OrderInitialized): void {
  if (typeof e.eventId !== 'string' || e.eventId === '') bad('eventId', 'must be a non-empty string');
  for (const f of ['traderId', 'strategyId', 'instrumentId', 'clientOrderId'] as const) {
    if (typeof e[f] !== 'string' || e[f] === '') bad(f, 'must be a parsed identifier');
  }
  for (const f of ['tsEvent', 'tsInit'] as const) {
    if (!Number.isSafeInteger(e[f]) || e[f] < 0) bad(f, `not a microsecond timestamp: ${e[f]}`);
  }
  if (!Object.values(OrderSide).includes(e.side)) bad('side', `unknown side ${JSON.stringify(e.side)}`);
  if (!Object.values(OrderType).includes(e.orderType)) bad('orderType', `unknown order type ${JSON.stringify(e.orderType)}`);
  if (!Object.values(TimeInForce).includes(e.timeInForce)) bad('timeInForce', `unknown time in force ${JSON.stringify(e.timeInForce)}`);
  if (!Quantity.isQuantity(e.quantity) || !e.quantity.isPositive()) bad('quantity', `must be a positive Quantity: ${String(e.quantity)}`);
  for (const f of ['price', 'triggerPrice', 'trailingOffset', 'limitOffset'] as const) {
    if (e[f] !== undefined && !Price.isPrice(e[f])) bad(f, 'must be a Price');
  }

  const t = e.orderType;
  if (t === OrderType.Limit || t === OrderType.StopLimit) {
    if (e.price === undefined) bad('price', `a ${t} order needs a limit price`);
  } else if (t !== OrderType.TrailingStopLimit && e.price !== undefined) {
    bad('price', `a ${t} order has no limit price`);
  }
  if (t === OrderType.StopMarket || t === OrderType.StopLimit) {
    if (e.triggerPrice === undefined) bad('triggerPrice', `a ${t} order needs a trigger price`);
  } else if (!STOPS.has(t) && e.triggerPrice !== undefined) {
    bad('triggerPrice', `a ${t} order has no trigger price`);
  }
  if (e.price !== undefined && !e.price.isPositive()) bad('price', `must be positive: ${e.price}`);
  if (e.triggerPrice !== undefined && !e.triggerPrice.isPositive()) bad('triggerPrice', `must be positive: ${e.triggerPrice}`);

  if (TRAILING.has(t)) {
    if (e.trailingOffset === undefined) bad('trailingOffset', `a ${t} order needs a trailing offset`);
    if (!e.trailingOffset.isPositive()) bad('trailingOffset', `must be positive: ${e.trailingOffset}`);
    if (e.trailingOffsetType === undefined || !Object.values(TrailingOffsetType).includes(e.trailingOffsetType)) {
      bad('trailingOffsetType', `a ${t} order needs one of ${Object.values(TrailingOffsetType).join(', ')}`);
    }
    if (t === OrderType.TrailingStopLimit) {
      if (e.limitOffset === undefined) bad('limitOffset', 'a TRAILING_STOP_LIMIT order needs a limit offset');
      if (e.limitOffset.isNegative()) bad('limitOffset', `must not be negative: ${e.limitOffset}`);
    } else if (e.limitOffset !== undefined) bad('limitOffset', `a ${t} order has no limit offset`);
  } else {
    if (e.trailingOffset !== undefined) bad('trailingOffset', `a ${t} order does not trail`);
    if (e.trailingOffsetType !== undefined) bad('trailingOffsetType', `a ${t} order does not trail`);
    if (e.limitOffset !== undefined) bad('limitOffset', `a ${t} order has no limit offset`);
  }

  if (typeof e.postOnly !== 'boolean') bad('postOnly', 'must be a boolean');
  if (typeof e.reduceOnly !== 'boolean') bad('reduceOnly', 'must be a boolean');
  if (e.postOnly) {
    if (!LIMIT_PRICED.has(t)) bad('postOnly', `post-only needs a limit-priced order, not ${t}`);
    if (e.timeInForce === TimeInForce.Ioc || e.timeInForce === TimeInForce.Fok) {
      bad('postOnly', `a post-only order must rest on the book, which ${e.timeInForce} forbids`);
    }
  }

  if (e.timeInForce === TimeInForce.Gtd) {
    if (t === OrderType.Market) bad('timeInForce', 'a MARKET order cannot be GTD');
    if (e.expireTime === undefined) bad('expireTime', 'a GTD order needs an expire time');
    if (!Number.isSafeInteger(e.expireTime) || e.expireTime < 0) bad('expireTime', `not a microsecond timestamp: ${e.expireTime}`);
  } else if (e.expireTime !== undefined) {
    bad('expireTime', `only GTD orders expire at a time, not ${e.timeInForce}`);
  }
  if (e.tags !== undefined && (!Array.isArray(e.tags) || e.tags.some((x) => typeof x !== 'string'))) bad('tags', 'must be strings');
}

/**
 * An order. Its parameters come from its OrderInitialized event; its state changes only through `apply`,
 * which checks every event against ORDER_STATE_TABLE and the fill accounting. It keeps every event it
 * accepted, so it can be rebuilt by replaying them (`Order.fromEvents`).
 */
export class Order {
  readonly init: OrderInitialized;
  private _status: OrderStatus = OrderStatus.Initialized;
  private _statusBeforePending: OrderStatus | undefined;
  private _quantity: Quantity;
  private _price: Price | undefined;
  private _triggerPrice: Price | undefined;
  private _filledQty: Quantity;
  private _fillNotional = 0n;
  private _venueOrderId: VenueOrderId | undefined;
  private _accountId: AccountId | undefined;
  private _positionId: PositionId | undefined;
  private _lastPx: Price | undefined;
  private _liquiditySide: LiquiditySide = LiquiditySide.None;
  private readonly _commissions = new Map<Currency, Money>();
  private readonly _tradeIds = new Set<TradeId>();
  private readonly _eventIds = new Set<string>();
  private readonly _events: OrderEvent[] = [];

  private constructor(init: OrderInitialized) {
    validateOrderInitialized(init);
    this.init = init;
    this._quantity = init.quantity;
    this._price = init.price;
    this._triggerPrice = init.triggerPrice;
    this._filledQty = Quantity.zero(init.quantity.precision);
    this._events.push(init);
    this._eventIds.add(init.eventId);
  }

  /** Validates the parameters (InvalidOrderError naming the field) and returns an INITIALIZED order. */
  static create(params: OrderParams): Order {
    const init: OrderInitialized = Object.freeze({
      type: 'OrderInitialized',
      eventId: params.eventId,
      traderId: params.traderId,
      strategyId: params.strategyId,
      instrumentId: params.instrumentId,
      clientOrderId: params.clientOrderId,
      side: params.side,
      orderType: params.orderType,
      quantity: params.quantity,
      timeInForce: params.timeInForce ?? TimeInForce.Gtc,
      postOnly: params.postOnly ?? false,
      reduceOnly: params.reduceOnly ?? false,
      tsEvent: params.tsEvent ?? params.tsInit,
      tsInit: params.tsInit,
      ...(params.price === undefined ? {} : { price: params.price }),
      ...(params.triggerPrice === undefined ? {} : { triggerPrice: params.triggerPrice }),
      ...(params.expireTime === undefined ? {} : { expireTime: params.expireTime }),
      ...(params.trailingOffset === undefined ? {} : { trailingOffset: params.trailingOffset }),
      ...(params.trailingOffsetType === undefined ? {} : { trailingOffsetType: params.trailingOffsetType }),
      ...(params.limitOffset === undefined ? {} : { limitOffset: params.limitOffset }),
      ...(params.tags === undefined ? {} : { tags: Object.freeze([...params.tags]) }),
    });
    return new Order(init);
  }

  /** Rebuilds an order from its events (the first must be its OrderInitialized); throws on any invalid one. */
  static fromEvents(events: readonly OrderEvent[]): Order {
    const [first, ...rest] = events;
    if (first === undefined || first.type !== 'OrderInitialized') {
      throw new InvalidOrderError('the first event must be OrderInitialized', 'events');
    }
    const order = new Order(first);
    for (const e of rest) order.apply(e);
    return order;
  }

  get traderId(): TraderId {
    return this.init.traderId;
  }
  get strategyId(): StrategyId {
    return this.init.strategyId;
  }
  get instrumentId(): InstrumentId {
    return this.init.instrumentId;
  }
  get clientOrderId(): ClientOrderId {
    return this.init.clientOrderId;
  }
  get side(): OrderSide {
    return this.init.side;
  }
  get orderType(): OrderType {
    return this.init.orderType;
  }
  get timeInForce(): TimeInForce {
    return this.init.timeInForce;
  }
  get expireTime(): UnixMicros | undefined {
    return this.init.expireTime;
  }
  get postOnly(): boolean {
    return this.init.postOnly;
  }
  get reduceOnly(): boolean {
    return this.init.reduceOnly;
  }
  get status(): OrderStatus {
    return this._status;
  }
  /** Total quantity (changes only through OrderUpdated). */
  get quantity(): Quantity {
    return this._quantity;
  }
  get price(): Price | undefined {
    return this._price;
  }
  get triggerPrice(): Price | undefined {
    return this._triggerPrice;
  }
  get filledQty(): Quantity {
    return this._filledQty;
  }
  /** Quantity still to fill: quantity - filled (zero once closed by a fill, not by a cancel). */
  get leavesQty(): Quantity {
    return this._quantity.sub(this._filledQty);
  }
  get venueOrderId(): VenueOrderId | undefined {
    return this._venueOrderId;
  }
  get accountId(): AccountId | undefined {
    return this._accountId;
  }
  get positionId(): PositionId | undefined {
    return this._positionId;
  }
  get lastPx(): Price | undefined {
    return this._lastPx;
  }
  /** Liquidity side of the last fill (NONE before any). */
  get liquiditySide(): LiquiditySide {
    return this._liquiditySide;
  }
  get events(): readonly OrderEvent[] {
    return this._events;
  }
  get lastEvent(): OrderEvent {
    return this._events[this._events.length - 1];
  }
  get tradeIds(): readonly TradeId[] {
    return [...this._tradeIds];
  }
  /** tsEvent of the last event applied. */
  get tsLast(): UnixMicros {
    return this.lastEvent.tsEvent;
  }
  get isOpen(): boolean {
    return isOpenStatus(this._status);
  }
  get isClosed(): boolean {
    return isClosedStatus(this._status);
  }
  get isInFlight(): boolean {
    return isInFlightStatus(this._status);
  }
  get isBuy(): boolean {
    return this.init.side === OrderSide.Buy;
  }

  /** Exact sum over fills of price * quantity, scaled by 10^FILL_NOTIONAL_SCALE. */
  get fillNotionalRaw(): bigint {
    return this._fillNotional;
  }

  /** Exact sum over fills of price * quantity (before commissions), as Money in `currency`. */
  filledNotional(currency: Currency): Money {
    return Money.of(this._fillNotional, currency, FILL_NOTIONAL_SCALE);
  }

  /**
   * Volume-weighted average fill price, from the exact sums, rounded once to `precision` decimals
   * (default: the last fill price's precision + 4, so small differences stay visible). Undefined before
   * any fill.
   */
  avgPx(precision?: number, rounding: RoundingMode = RoundingMode.HalfEven): Price | undefined {
    if (this._filledQty.isZero() || this._lastPx === undefined) return undefined;
    const p = precision ?? Math.min(12, this._lastPx.precision + 4);
    const qty = this._filledQty.toBigRaw(HALF_SCALE);
    // notional / qty has scale 24 - 12 = 12; bring it to p in the same division.
    const raw = divRound(this._fillNotional * pow10n(p), qty * pow10n(HALF_SCALE), rounding);
    return Price.fromRaw(Number(raw), p);
  }

  /** The average fill price as a float (for indicators and reports), undefined before any fill. */
  avgPxNumber(): number | undefined {
    if (this._filledQty.isZero()) return undefined;
    const qty = this._filledQty.toBigRaw(HALF_SCALE);
    const raw = divRound(this._fillNotional * pow10n(18), qty, RoundingMode.HalfEven);
    return Number(formatDecimalBig(raw, 18 + HALF_SCALE));
  }

  /** Commissions so far, one Money per currency (negative for rebates). */
  commissions(): readonly Money[] {
    return [...this._commissions.values()];
  }

  /**
   * The verdict `apply` would reach, without changing anything: the next status, or why the event is
   * refused. Identity, duplicates, the state table and the fill accounting are all checked here.
   */
  check(event: OrderEvent): OrderCheck {
    const no = (reason: string): OrderCheck => ({ ok: false, reason });
    if (event.clientOrderId !== this.clientOrderId) return no(`event is for order ${event.clientOrderId}`);
    if (event.instrumentId !== this.instrumentId) return no(`event is for instrument ${event.instrumentId}, not ${this.instrumentId}`);
    if (event.strategyId !== this.strategyId || event.traderId !== this.traderId) return no('event is for another strategy or trader');
    if (this._eventIds.has(event.eventId)) return no(`duplicate event ${event.eventId}`);
    if (event.type === 'OrderInitialized') return no('the order is already initialized');
    const cell = transitionFor(this._status, event.type);
    if (cell === undefined) return no(`no transition from ${this._status} on ${event.type}`);

    let leavesAfter: Quantity | undefined;
    if (event.type === 'OrderFilled') {
      const reason = this.fillProblem(event);
      if (reason !== undefined) return no(reason);
      leavesAfter = this._quantity.sub(this._filledQty.add(event.lastQty));
    } else if (event.type === 'OrderUpdated') {
      const reason = this.updateProblem(event);
      if (reason !== undefined) return no(reason);
    }

    switch (cell) {
      case NextStatus.Fill:
        return { ok: true, next: (leavesAfter as Quantity).isZero() ? OrderStatus.Filled : OrderStatus.PartiallyFilled };
      case NextStatus.LateFill:
        return { ok: true, next: (leavesAfter as Quantity).isZero() ? OrderStatus.Filled : this._status };
      case NextStatus.Previous:
        if (this._statusBeforePending === undefined) throw new InvariantError(`order ${this.clientOrderId}: pending without a previous status`);
        return { ok: true, next: this._statusBeforePending };
      default:
        return { ok: true, next: cell };
    }
  }

  private fillProblem(e: OrderFilled): string | undefined {
    if (e.orderSide !== this.side) return `fill side ${e.orderSide} does not match order side ${this.side}`;
    if (!Quantity.isQuantity(e.lastQty) || !e.lastQty.isPositive()) return `fill quantity must be positive: ${String(e.lastQty)}`;
    if (!Price.isPrice(e.lastPx)) return 'fill price must be a Price';
    if (!Money.isMoney(e.commission)) return 'commission must be Money';
    if (this._tradeIds.has(e.tradeId)) return `duplicate trade id ${e.tradeId}`;
    const filled = this._filledQty.add(e.lastQty);
    if (filled.gt(this._quantity)) return `overfill: ${this._filledQty} filled + ${e.lastQty} exceeds quantity ${this._quantity}`;
    return undefined;
  }

  private updateProblem(e: OrderUpdated): string | undefined {
    return this.updateProblemFor(e)?.reason;
  }

  /**
   * Why the order could not take this quantity (new total) and these prices, or undefined when it can:
   * the check shared by OrderUpdated events and ModifyOrder commands.
   */
  updateProblemFor(change: {
    readonly quantity: Quantity;
    readonly price?: Price | undefined;
    readonly triggerPrice?: Price | undefined;
  }): { readonly field: string; readonly reason: string } | undefined {
    const { quantity, price, triggerPrice } = change;
    if (!Quantity.isQuantity(quantity) || !quantity.gt(this._filledQty)) {
      return { field: 'quantity', reason: `updated quantity ${String(quantity)} must exceed the filled quantity ${this._filledQty}` };
    }
    const t = this.orderType;
    if (price !== undefined && !(LIMIT_PRICED.has(t) && Price.isPrice(price) && price.isPositive())) {
      return { field: 'price', reason: `a ${t} order cannot take the limit price ${String(price)}` };
    }
    if (triggerPrice !== undefined && !(STOPS.has(t) && Price.isPrice(triggerPrice) && triggerPrice.isPositive())) {
      return { field: 'triggerPrice', reason: `a ${t} order cannot take the trigger price ${String(triggerPrice)}` };
    }
    return undefined;
  }

  /** Applies an event: the only way an order changes. Returns the new status; throws InvalidOrderTransition. */
  apply(event: OrderEvent): OrderStatus {
    const verdict = this.check(event);
    if (!verdict.ok) throw new InvalidOrderTransition(this.clientOrderId, this._status, event.type, verdict.reason);
    const next = verdict.next;
    const pendingNext = next === OrderStatus.PendingUpdate || next === OrderStatus.PendingCancel;
    const pendingNow = this._status === OrderStatus.PendingUpdate || this._status === OrderStatus.PendingCancel;
    if (pendingNext && !pendingNow) this._statusBeforePending = this._status;
    else if (!pendingNext) this._statusBeforePending = undefined;

    switch (event.type) {
      case 'OrderSubmitted':
      case 'OrderRejected':
        this._accountId = event.accountId;
        break;
      case 'OrderAccepted':
        this._accountId = event.accountId;
        this._venueOrderId = event.venueOrderId;
        break;
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderTriggered':
      case 'OrderPendingUpdate':
      case 'OrderPendingCancel':
      case 'OrderModifyRejected':
      case 'OrderCancelRejected':
        if (event.venueOrderId !== undefined) this._venueOrderId = event.venueOrderId;
        if (event.accountId !== undefined) this._accountId = event.accountId;
        break;
      case 'OrderUpdated':
        if (event.venueOrderId !== undefined) this._venueOrderId = event.venueOrderId;
        if (event.accountId !== undefined) this._accountId = event.accountId;
        this._quantity = event.quantity;
        if (event.price !== undefined) this._price = event.price;
        if (event.triggerPrice !== undefined) this._triggerPrice = event.triggerPrice;
        break;
      case 'OrderFilled': {
        this._venueOrderId = event.venueOrderId;
        this._accountId = event.accountId;
        if (event.positionId !== undefined) this._positionId = event.positionId;
        this._filledQty = this._filledQty.add(event.lastQty);
        this._fillNotional += event.lastPx.toBigRaw(HALF_SCALE) * event.lastQty.toBigRaw(HALF_SCALE);
        this._lastPx = event.lastPx;
        this._liquiditySide = event.liquiditySide;
        this._tradeIds.add(event.tradeId);
        const prev = this._commissions.get(event.commission.currency);
        this._commissions.set(event.commission.currency, prev === undefined ? event.commission : prev.add(event.commission));
        break;
      }
      case 'OrderDenied':
        break;
      case 'OrderInitialized':
        throw new InvariantError('unreachable: OrderInitialized passed check');
      default:
        assertNever(event, 'order event');
    }
    this._status = next;
    this._events.push(event);
    this._eventIds.add(event.eventId);
    return next;
  }
}
