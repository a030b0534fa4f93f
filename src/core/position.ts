import { InvariantError, TradewindError, assertNever } from './errors.js';
import type { AccountId, Currency, InstrumentId, PositionId, StrategyId, TradeId, TraderId } from './identifiers.js';
import { RoundingMode, divRound, formatDecimalBig, pow10n } from './decimal.js';
import type { Instrument } from './instrument.js';
import { Money } from './money.js';
import { Price, Quantity } from './price.js';
import type { UnixMicros } from './time.js';
import type { Fill } from './fill.js';
import { OrderSide } from './order/enums.js';

export const PositionSide = { Flat: 'FLAT', Long: 'LONG', Short: 'SHORT' } as const;
export type PositionSide = (typeof PositionSide)[keyof typeof PositionSide];

/** A fill that cannot belong to this position (other instrument, more decimals than the instrument has). */
export class InvalidFillError extends TradewindError {}

/**
 * A net position in one instrument, built from its fills.
 *
 * Exactness: quantities are bigints at the instrument's size precision; the cost basis of the open
 * quantity and every notional are bigints at the natural notional scale (price + size + multiplier
 * decimals), so nothing is rounded except when a partial close takes its share of the cost basis
 * (cost * closed / open, rounded half-even). The remainder stays in the cost basis and is realized by the
 * close that brings the position to flat, so over a round trip the realized P&L is exactly
 * sum(sell notional) - sum(buy notional) - commissions; and at any moment
 * realized + unrealized(mark) = sells - buys + signedQty * mark * multiplier - commissions, exactly.
 *
 * Commissions in the settlement currency are part of the realized P&L (as in NautilusTrader); those in
 * another currency (BNB fees) are kept apart in `commissions()`.
 */
export class Position {
  readonly instrument: Instrument;
  readonly id: PositionId | undefined;
  private readonly notionalScale: number;
  private readonly multRaw: bigint;
  private qty = 0n;
  private cost = 0n;
  private realized: Money;
  private buyQty = 0n;
  private sellQty = 0n;
  private readonly _commissions = new Map<Currency, Money>();
  private readonly tradeIds = new Set<TradeId>();
  private readonly _fills: Fill[] = [];
  private _tsOpened: UnixMicros | undefined;
  private _tsClosed: UnixMicros | undefined;
  private _lastChange: PositionChange | undefined;
  private _sidePrevious: PositionSide = PositionSide.Flat;

  constructor(instrument: Instrument, id?: PositionId) {
    this.instrument = instrument;
    this.id = id;
    this.notionalScale = instrument.pricePrecision + instrument.sizePrecision + instrument.multiplier.precision;
    this.multRaw = BigInt(instrument.multiplier.raw);
    this.realized = Money.zero(instrument.settlementCurrency, instrument.settlementPrecision);
  }

  get side(): PositionSide {
    return this.qty === 0n ? PositionSide.Flat : this.qty > 0n ? PositionSide.Long : PositionSide.Short;
  }
  get isFlat(): boolean {
    return this.qty === 0n;
  }
  get isLong(): boolean {
    return this.qty > 0n;
  }
  get isShort(): boolean {
    return this.qty < 0n;
  }
  /** Open quantity, unsigned (see `side`). */
  get quantity(): Quantity {
    return Quantity.fromRaw(Number(this.qty < 0n ? -this.qty : this.qty), this.instrument.sizePrecision);
  }
  /** Open quantity signed (negative when short), scaled by 10^sizePrecision. */
  get signedQtyRaw(): bigint {
    return this.qty;
  }
  /** Signed open quantity as a float, for computation. */
  signedQty(): number {
    return Number(formatDecimalBig(this.qty, this.instrument.sizePrecision));
  }
  get totalBought(): Quantity {
    return Quantity.fromRaw(Number(this.buyQty), this.instrument.sizePrecision);
  }
  get totalSold(): Quantity {
    return Quantity.fromRaw(Number(this.sellQty), this.instrument.sizePrecision);
  }
  get fills(): readonly Fill[] {
    return this._fills;
  }
  /** When the current position (since the last time it was flat) was opened. */
  get tsOpened(): UnixMicros | undefined {
    return this._tsOpened;
  }
  /** When the position last went flat (undefined while open). */
  get tsClosed(): UnixMicros | undefined {
    return this._tsClosed;
  }

  /** Realized P&L in the settlement currency, commissions in that currency included. Exact. */
  realizedPnl(): Money {
    return this.realized;
  }

  /** Cost basis of the open quantity (price * quantity * multiplier as paid or received). Exact. */
  costBasis(): Money {
    return Money.of(this.cost, this.instrument.settlementCurrency, this.notionalScale);
  }

  /** P&L of the open quantity if it were closed at `mark`. Exact. */
  unrealizedPnl(mark: Price): Money {
    const absQty = this.qty < 0n ? -this.qty : this.qty;
    const value = Money.of(BigInt(mark.raw) * absQty * this.multRaw, this.instrument.settlementCurrency, mark.precision + this.instrument.sizePrecision + this.instrument.multiplier.precision);
    const basis = this.costBasis();
    return this.qty >= 0n ? value.sub(basis) : basis.sub(value);
  }

  totalPnl(mark: Price): Money {
    return this.realized.add(this.unrealizedPnl(mark));
  }

  /**
   * Average open price: cost basis / (quantity * multiplier), rounded once to `precision` decimals
   * (default price precision + 4, at most 12). Undefined when flat.
   */
  avgPxOpen(precision?: number, rounding: RoundingMode = RoundingMode.HalfEven): Price | undefined {
    if (this.qty === 0n) return undefined;
    const p = precision ?? Math.min(12, this.instrument.pricePrecision + 4);
    const absQty = this.qty < 0n ? -this.qty : this.qty;
    const raw = divRound(this.cost * pow10n(p), absQty * this.multRaw * pow10n(this.instrument.pricePrecision), rounding);
    return Price.fromRaw(Number(raw), p);
  }

  /** Commissions paid, one Money per currency (those in the settlement currency are also in realizedPnl). */
  commissions(): readonly Money[] {
    return [...this._commissions.values()];
  }

  hasTrade(tradeId: TradeId): boolean {
    return this.tradeIds.has(tradeId);
  }

  /**
   * Applies a fill. Returns false (and changes nothing) for a trade already applied, since the bus may
   * deliver a fill twice; throws InvalidFillError for a fill that cannot belong here.
   */
  apply(fill: Fill): boolean {
    const inst = this.instrument;
    if (fill.instrumentId !== inst.id) throw new InvalidFillError(`fill ${fill.tradeId} is for ${fill.instrumentId}, not ${inst.id}`);
    const px = atScale(fill.price.raw, fill.price.precision, inst.pricePrecision);
    if (px === undefined) throw new InvalidFillError(`fill ${fill.tradeId} price ${fill.price} has more than ${inst.pricePrecision} decimals`);
    const q = atScale(fill.quantity.raw, fill.quantity.precision, inst.sizePrecision);
    if (q === undefined || q <= 0n) {
      throw new InvalidFillError(`fill ${fill.tradeId} quantity ${fill.quantity} must be positive with at most ${inst.sizePrecision} decimals`);
    }
    if (fill.side !== OrderSide.Buy && fill.side !== OrderSide.Sell) throw new InvalidFillError(`fill ${fill.tradeId} has side ${String(fill.side)}`);
    if (this.tradeIds.has(fill.tradeId)) return false;

    const signed = fill.side === OrderSide.Buy ? q : -q;
    const sideBefore = this.side;

    if (this.qty === 0n || this.qty > 0n === signed > 0n) {
      // Opening or adding: the cost basis grows by this fill's notional.
      this.cost += px * q * this.multRaw;
      this.qty += signed;
    } else {
      const open = this.qty < 0n ? -this.qty : this.qty;
      const closing = q < open ? q : open;
      // The closed share of the cost basis; the whole of it on a full close, so rounding never accumulates.
      const released = closing === open ? this.cost : divRound(this.cost * closing, open, RoundingMode.HalfEven);
      const proceeds = px * closing * this.multRaw;
      const pnl = this.qty > 0n ? proceeds - released : released - proceeds;
      this.realized = this.realized.add(Money.of(pnl, inst.settlementCurrency, this.notionalScale));
      this.cost -= released;
      this.qty += this.qty > 0n ? -closing : closing;
      const rest = q - closing;
      if (rest > 0n) {
        // Flip through zero: the remainder opens a position on the other side at this price.
        this.cost = px * rest * this.multRaw;
        this.qty = signed > 0n ? rest : -rest;
      }
    }

    if (fill.side === OrderSide.Buy) this.buyQty += q;
    else this.sellQty += q;
    const c = fill.commission;
    const prev = this._commissions.get(c.currency);
    this._commissions.set(c.currency, prev === undefined ? c : prev.add(c));
    if (c.currency === inst.settlementCurrency) this.realized = this.realized.sub(c);

    const sideAfter = this.side;
    this._sidePrevious = sideBefore;
    this._lastChange =
      sideBefore === PositionSide.Flat ? PositionChange.Opened : sideAfter === PositionSide.Flat ? PositionChange.Closed : sideAfter !== sideBefore ? PositionChange.Flipped : PositionChange.Changed;
    if (sideAfter === PositionSide.Flat) this._tsClosed = fill.tsEvent;
    else if (sideAfter !== sideBefore) {
      // Opened from flat, or flipped through zero: a new position lifetime starts.
      this._tsOpened = fill.tsEvent;
      this._tsClosed = undefined;
    }
    this.tradeIds.add(fill.tradeId);
    this._fills.push(fill);
    return true;
  }

  /** What the last applied fill did to the position (undefined before any). */
  get lastChange(): PositionChange | undefined {
    return this._lastChange;
  }

  /**
   * The event that reports the last applied fill: PositionOpened from flat, PositionClosed to flat,
   * PositionChanged otherwise (a flip through zero included: `side` is then the new side and
   * `previousSide` the old one, and `tsOpened` is the flip).
   */
  eventForLastFill(ids: { readonly eventId: string; readonly traderId: TraderId; readonly tsInit: UnixMicros }): PositionEvent {
    const fill = this._fills[this._fills.length - 1];
    if (fill === undefined || this._lastChange === undefined) throw new InvariantError('no fill applied to this position yet');
    const common = {
      eventId: ids.eventId,
      traderId: ids.traderId,
      strategyId: fill.strategyId,
      accountId: fill.accountId,
      instrumentId: this.instrument.id,
      ...(this.id === undefined ? {} : { positionId: this.id }),
      side: this.side,
      previousSide: this._sidePrevious,
      quantity: this.quantity,
      signedQty: formatDecimalBig(this.qty, this.instrument.sizePrecision),
      lastTradeId: fill.tradeId,
      lastPx: fill.price,
      lastQty: fill.quantity,
      realizedPnl: this.realized,
      tsEvent: fill.tsEvent,
      tsInit: ids.tsInit,
    };
    const avg = this.avgPxOpen();
    switch (this._lastChange) {
      case PositionChange.Opened:
        return Object.freeze({ ...common, type: 'PositionOpened', avgPxOpen: avg as Price, tsOpened: this._tsOpened as UnixMicros });
      case PositionChange.Changed:
      case PositionChange.Flipped:
        return Object.freeze({ ...common, type: 'PositionChanged', avgPxOpen: avg as Price, tsOpened: this._tsOpened as UnixMicros });
      case PositionChange.Closed:
        return Object.freeze({ ...common, type: 'PositionClosed', tsOpened: this._tsOpened as UnixMicros, tsClosed: this._tsClosed as UnixMicros });
      default:
        return assertNever(this._lastChange, 'position change');
    }
  }
}

/**
 * A raw value re-expressed at `to` decimals, or undefined when that would drop a non-zero digit (venues
 * often send trailing zeros: "27123.45000000" is fine for a 2-decimal instrument, "27123.455" is not).
 */
function atScale(raw: number, from: number, to: number): bigint | undefined {
  if (from <= to) return BigInt(raw) * pow10n(to - from);
  const div = pow10n(from - to);
  const r = BigInt(raw);
  return r % div === 0n ? r / div : undefined;
}

/** What one fill did to a position. */
export const PositionChange = { Opened: 'OPENED', Changed: 'CHANGED', Flipped: 'FLIPPED', Closed: 'CLOSED' } as const;
export type PositionChange = (typeof PositionChange)[keyof typeof PositionChange];

interface PositionEventBase {
  readonly eventId: string;
  readonly traderId: TraderId;
  readonly strategyId: StrategyId;
  readonly accountId: AccountId;
  readonly instrumentId: InstrumentId;
  readonly positionId?: PositionId;
  readonly side: PositionSide;
  readonly previousSide: PositionSide;
  /** Open quantity, unsigned. */
  readonly quantity: Quantity;
  /** Open quantity signed (negative when short), as an exact decimal string. */
  readonly signedQty: string;
  readonly lastTradeId: TradeId;
  readonly lastPx: Price;
  readonly lastQty: Quantity;
  /** Realized P&L so far, settlement-currency commissions included. */
  readonly realizedPnl: Money;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

export interface PositionOpened extends PositionEventBase {
  readonly type: 'PositionOpened';
  readonly avgPxOpen: Price;
  readonly tsOpened: UnixMicros;
}

export interface PositionChanged extends PositionEventBase {
  readonly type: 'PositionChanged';
  readonly avgPxOpen: Price;
  readonly tsOpened: UnixMicros;
}

export interface PositionClosed extends PositionEventBase {
  readonly type: 'PositionClosed';
  readonly tsOpened: UnixMicros;
  readonly tsClosed: UnixMicros;
}

export type PositionEvent = PositionOpened | PositionChanged | PositionClosed;
