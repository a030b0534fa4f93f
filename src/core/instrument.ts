import { ParseError } from './errors.js';
import type { InstrumentSymbol, Venue } from './identifiers.js';
import { Currency, InstrumentId } from './identifiers.js';
import { MAX_PRECISION, RoundingMode, decimalScale, parseDecimalBig } from './decimal.js';
import { Price, Quantity } from './price.js';
import type { StepRounding } from './price.js';
import { Money } from './money.js';
import { Rate } from './rate.js';

export const InstrumentKind = { Spot: 'spot', Perpetual: 'perpetual', Equity: 'equity' } as const;
export type InstrumentKind = (typeof InstrumentKind)[keyof typeof InstrumentKind];

/** Money precision used for the settlement currency when the spec does not give one (crypto venues use 8). */
export const DEFAULT_SETTLEMENT_PRECISION = 8;

/**
 * What `Instrument.create` accepts: typed values or the decimal strings a venue or config file gives
 * (`"0.01"`), so that one validating constructor serves both.
 */
export interface InstrumentSpec {
  readonly id: string;
  readonly kind: InstrumentKind;
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  /** Perpetuals: the currency P&L and margin settle in; defaults to the quote currency (linear contracts). */
  readonly settlementCurrency?: string;
  /** Decimals of Money amounts in the settlement currency (fees, P&L); default 8. */
  readonly settlementPrecision?: number;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
  /** Tick size: the price grid. Its precision must be pricePrecision. */
  readonly tickSize: string | Price;
  /** Lot size: the quantity grid. Its precision must be sizePrecision. */
  readonly lotSize: string | Quantity;
  /** Smallest order quantity; defaults to the lot size. */
  readonly minQuantity?: string | Quantity;
  readonly maxQuantity?: string | Quantity;
  /** Smallest order notional (price * quantity * multiplier) in the quote currency. */
  readonly minNotional?: string | Money;
  /** Fee rates as decimals (0.001 = 0.1 %); negative for a rebate. Default 0. */
  readonly makerFee?: string | Rate;
  readonly takerFee?: string | Rate;
  /** Units of the underlying per contract; 1 for spot and equity. */
  readonly multiplier?: string | Quantity;
}

/** Why an order size is not acceptable for an instrument (an expected failure: a typed result, not a throw). */
export const OrderSizeProblem = {
  NonPositiveQuantity: 'NON_POSITIVE_QUANTITY',
  NotLotMultiple: 'NOT_LOT_MULTIPLE',
  BelowMinQuantity: 'BELOW_MIN_QUANTITY',
  AboveMaxQuantity: 'ABOVE_MAX_QUANTITY',
  NotTickMultiple: 'NOT_TICK_MULTIPLE',
  NonPositivePrice: 'NON_POSITIVE_PRICE',
  BelowMinNotional: 'BELOW_MIN_NOTIONAL',
} as const;
export type OrderSizeProblem = (typeof OrderSizeProblem)[keyof typeof OrderSizeProblem];

export type OrderSizeCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: OrderSizeProblem; readonly message: string };

const OK: OrderSizeCheck = Object.freeze({ ok: true });

function fail(reason: OrderSizeProblem, message: string): OrderSizeCheck {
  return Object.freeze({ ok: false, reason, message });
}

function checkPrecision(value: unknown, field: string, max = MAX_PRECISION): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new ParseError(`must be an integer 0..${max}: ${JSON.stringify(value)}`, field);
  }
  return value;
}

function wrap<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ParseError && e.field === field) throw e;
    throw new ParseError(e instanceof Error ? e.message : String(e), field, { cause: e });
  }
}

function priceField(v: string | Price, precision: number, field: string): Price {
  const p = wrap(field, () => (typeof v === 'string' ? Price.parse(v, precision) : v));
  if (!Price.isPrice(p)) throw new ParseError(`must be a decimal string or a Price`, field);
  if (p.precision !== precision) throw new ParseError(`precision ${p.precision} of ${p} does not match ${precision}`, field);
  return p;
}

function qtyField(v: string | Quantity, precision: number, field: string): Quantity {
  const q = wrap(field, () => (typeof v === 'string' ? Quantity.parse(v, precision) : v));
  if (!Quantity.isQuantity(q)) throw new ParseError(`must be a decimal string or a Quantity`, field);
  if (q.precision !== precision) throw new ParseError(`precision ${q.precision} of ${q} does not match ${precision}`, field);
  return q;
}

function rateField(v: string | Rate | undefined, field: string): Rate {
  if (v === undefined) return Rate.zero();
  const r = wrap(field, () => (typeof v === 'string' ? Rate.parse(v, undefined, field) : v));
  if (!Rate.isRate(r)) throw new ParseError(`must be a decimal string or a Rate`, field);
  if (r.abs().gte(Rate.parse('1'))) throw new ParseError(`fee rate must be within (-1, 1): ${r}`, field);
  return r;
}

/**
 * A tradable instrument and its trading rules. Built only by `Instrument.create`, which validates every
 * field and names the one that fails; instances are frozen.
 */
export class Instrument {
  readonly kind: InstrumentKind;
  readonly id: InstrumentId;
  readonly symbol: InstrumentSymbol;
  readonly venue: Venue;
  readonly baseCurrency: Currency;
  readonly quoteCurrency: Currency;
  readonly settlementCurrency: Currency;
  readonly settlementPrecision: number;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
  readonly tickSize: Price;
  readonly lotSize: Quantity;
  readonly minQuantity: Quantity;
  readonly maxQuantity: Quantity | undefined;
  readonly minNotional: Money | undefined;
  readonly makerFee: Rate;
  readonly takerFee: Rate;
  readonly multiplier: Quantity;

  private constructor(spec: InstrumentSpec) {
    if (spec === null || typeof spec !== 'object') throw new ParseError('instrument spec must be an object', 'instrument');
    this.id = wrap('id', () => InstrumentId.parse(spec.id));
    this.symbol = InstrumentId.symbol(this.id);
    this.venue = InstrumentId.venue(this.id);
    if (!Object.values(InstrumentKind).includes(spec.kind)) {
      throw new ParseError(`must be one of ${Object.values(InstrumentKind).join(', ')}: ${JSON.stringify(spec.kind)}`, 'kind');
    }
    this.kind = spec.kind;
    this.baseCurrency = wrap('baseCurrency', () => Currency.parse(spec.baseCurrency));
    this.quoteCurrency = wrap('quoteCurrency', () => Currency.parse(spec.quoteCurrency));
    this.settlementCurrency =
      spec.settlementCurrency === undefined ? this.quoteCurrency : wrap('settlementCurrency', () => Currency.parse(spec.settlementCurrency as string));
    if (this.settlementCurrency !== this.quoteCurrency) {
      // Inverse contracts (settled in the base) have P&L in 1/price, which is not a finite decimal: not modelled.
      throw new ParseError(
        `only contracts settled in the quote currency (${this.quoteCurrency}) are supported, not ${this.settlementCurrency}`,
        'settlementCurrency',
      );
    }
    this.settlementPrecision = checkPrecision(spec.settlementPrecision ?? DEFAULT_SETTLEMENT_PRECISION, 'settlementPrecision', 18);
    this.pricePrecision = checkPrecision(spec.pricePrecision, 'pricePrecision');
    this.sizePrecision = checkPrecision(spec.sizePrecision, 'sizePrecision');

    this.tickSize = priceField(spec.tickSize, this.pricePrecision, 'tickSize');
    if (!this.tickSize.isPositive()) throw new ParseError(`must be positive: ${this.tickSize}`, 'tickSize');
    this.lotSize = qtyField(spec.lotSize, this.sizePrecision, 'lotSize');
    if (this.lotSize.isZero()) throw new ParseError(`must be positive: ${this.lotSize}`, 'lotSize');
    this.minQuantity = spec.minQuantity === undefined ? this.lotSize : qtyField(spec.minQuantity, this.sizePrecision, 'minQuantity');
    if (this.minQuantity.isZero()) throw new ParseError(`must be positive: ${this.minQuantity}`, 'minQuantity');
    this.maxQuantity = spec.maxQuantity === undefined ? undefined : qtyField(spec.maxQuantity, this.sizePrecision, 'maxQuantity');
    if (this.maxQuantity !== undefined && this.maxQuantity.lt(this.minQuantity)) {
      throw new ParseError(`${this.maxQuantity} is below minQuantity ${this.minQuantity}`, 'maxQuantity');
    }
    if (spec.minNotional === undefined) this.minNotional = undefined;
    else {
      const mn = wrap('minNotional', () => (typeof spec.minNotional === 'string' ? Money.parse(spec.minNotional, this.quoteCurrency) : spec.minNotional));
      if (!Money.isMoney(mn)) throw new ParseError('must be a decimal string or Money', 'minNotional');
      if (mn.currency !== this.quoteCurrency) throw new ParseError(`must be in ${this.quoteCurrency}, not ${mn.currency}`, 'minNotional');
      if (mn.isNegative()) throw new ParseError(`must not be negative: ${mn}`, 'minNotional');
      this.minNotional = mn;
    }
    this.makerFee = rateField(spec.makerFee, 'makerFee');
    this.takerFee = rateField(spec.takerFee, 'takerFee');
    const mult = spec.multiplier ?? '1';
    this.multiplier = wrap('multiplier', () => (typeof mult === 'string' ? Quantity.parse(mult) : mult));
    if (!Quantity.isQuantity(this.multiplier)) throw new ParseError('must be a decimal string or a Quantity', 'multiplier');
    if (this.multiplier.isZero()) throw new ParseError('must be positive', 'multiplier');
    if (this.kind !== InstrumentKind.Perpetual && !this.multiplier.eq(Quantity.parse('1'))) {
      throw new ParseError(`must be 1 for ${this.kind} instruments: ${this.multiplier}`, 'multiplier');
    }
    Object.freeze(this);
  }

  /** Validates a spec and returns a frozen Instrument; a ParseError names the first field that fails. */
  static create(spec: InstrumentSpec): Instrument {
    return new Instrument(spec);
  }

  /**
   * A price on this instrument's grid: `x` rounded to the tick size in one rounding (nearest, ties away
   * from zero, by default). Strings and Prices are taken exactly, floats through their decimal form.
   */
  makePrice(x: number | string | Price, mode: StepRounding = 'nearest'): Price {
    return this.tickSize.snap(Price.isPrice(x) ? x.toString() : x, mode, 'price');
  }

  /**
   * A quantity on this instrument's lot grid. Rounds toward zero by default, so that a computed size never
   * grows past what the caller could afford; a negative input is a ParseError.
   */
  makeQty(x: number | string | Quantity, mode: StepRounding = 'down'): Quantity {
    const v = Quantity.isQuantity(x) ? x.toString() : x;
    if (typeof v === 'number' ? v < 0 : parseDecimalBig(v, decimalScale(v, 'quantity'), 'quantity') < 0n) {
      throw new ParseError(`quantity must not be negative: ${v}`, 'quantity');
    }
    return this.lotSize.snap(v, mode, 'quantity');
  }

  /**
   * The exact notional price * quantity * multiplier in the settlement currency, at its natural scale
   * (price decimals + size decimals + multiplier decimals): no rounding.
   */
  notional(price: Price, quantity: Quantity): Money {
    return Money.notionalExact(price, quantity, this.settlementCurrency, this.isUnitMultiplier() ? undefined : this.multiplier);
  }

  /** The fee for a notional at the maker or taker rate, rounded up to the settlement precision. */
  commission(notional: Money, liquidity: 'maker' | 'taker'): Money {
    const rate = liquidity === 'maker' ? this.makerFee : this.takerFee;
    // Ceiling, in one rounding: never less than the exact fee; a rebate (negative fee) is rounded toward zero.
    return notional.convert(rate, notional.currency, this.settlementPrecision, RoundingMode.Ceiling);
  }

  private isUnitMultiplier(): boolean {
    return this.multiplier.raw === 10 ** this.multiplier.precision;
  }

  /**
   * Checks an order size against the trading rules. `price` is the limit price, or a reference price for a
   * market order (pass undefined to skip the price and notional checks).
   */
  validateOrderSize(price: Price | undefined, quantity: Quantity): OrderSizeCheck {
    if (quantity.isZero()) return fail(OrderSizeProblem.NonPositiveQuantity, `quantity must be positive`);
    if (!quantity.isMultipleOf(this.lotSize)) {
      return fail(OrderSizeProblem.NotLotMultiple, `quantity ${quantity} is not a multiple of the lot size ${this.lotSize}`);
    }
    if (quantity.lt(this.minQuantity)) {
      return fail(OrderSizeProblem.BelowMinQuantity, `quantity ${quantity} is below the minimum ${this.minQuantity}`);
    }
    if (this.maxQuantity !== undefined && quantity.gt(this.maxQuantity)) {
      return fail(OrderSizeProblem.AboveMaxQuantity, `quantity ${quantity} is above the maximum ${this.maxQuantity}`);
    }
    if (price === undefined) return OK;
    if (!price.isPositive()) return fail(OrderSizeProblem.NonPositivePrice, `price ${price} must be positive`);
    if (!price.isMultipleOf(this.tickSize)) {
      return fail(OrderSizeProblem.NotTickMultiple, `price ${price} is not a multiple of the tick size ${this.tickSize}`);
    }
    if (this.minNotional !== undefined) {
      const n = this.notional(price, quantity);
      if (n.lt(this.minNotional)) {
        return fail(OrderSizeProblem.BelowMinNotional, `notional ${n} is below the minimum ${this.minNotional}`);
      }
    }
    return OK;
  }

  /** The spec this instrument was made from, as plain strings (JSON, storage); `create(toSpec())` is equal. */
  toSpec(): InstrumentSpec {
    return {
      id: this.id,
      kind: this.kind,
      baseCurrency: this.baseCurrency,
      quoteCurrency: this.quoteCurrency,
      settlementCurrency: this.settlementCurrency,
      settlementPrecision: this.settlementPrecision,
      pricePrecision: this.pricePrecision,
      sizePrecision: this.sizePrecision,
      tickSize: this.tickSize.toString(),
      lotSize: this.lotSize.toString(),
      minQuantity: this.minQuantity.toString(),
      ...(this.maxQuantity === undefined ? {} : { maxQuantity: this.maxQuantity.toString() }),
      ...(this.minNotional === undefined ? {} : { minNotional: this.minNotional.toDecimalString() }),
      makerFee: this.makerFee.toString(),
      takerFee: this.takerFee.toString(),
      multiplier: this.multiplier.toString(),
    };
  }

  toJSON(): InstrumentSpec {
    return this.toSpec();
  }
}
