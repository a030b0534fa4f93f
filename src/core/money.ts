import { InvariantError, ParseError } from './errors.js';
import { RoundingMode, divRound, formatDecimalBig, parseDecimalBig, pow10n } from './decimal.js';
import { Currency } from './identifiers.js';
import type { Price, Quantity } from './price.js';
import type { Rate } from './rate.js';

/**
 * Largest scale a Money may carry: a price (12 decimals) times a quantity (12) times a contract multiplier
 * (12) is kept exact before any rounding to the currency's own precision.
 */
export const MAX_MONEY_PRECISION = 36;

function checkPrecision(precision: number): number {
  if (!Number.isSafeInteger(precision) || precision < 0 || precision > MAX_MONEY_PRECISION) {
    throw new ParseError(`money precision out of range 0..${MAX_MONEY_PRECISION}: ${precision}`, 'precision');
  }
  return precision;
}

/** The plain-data form of Money (JSON, storage): the amount as an exact decimal string. */
export interface MoneyJson {
  readonly amount: string;
  readonly currency: string;
}

/**
 * An exact amount in a currency: a bigint `raw` scaled by 10^precision. Because raw is a bigint, notionals
 * (price * quantity), P&L and balances never overflow and reconcile to the last unit. Amounts of different
 * currencies never mix (InvariantError); amounts of different precisions combine at the larger one.
 * Immutable.
 */
export class Money {
  private constructor(
    readonly raw: bigint,
    readonly precision: number,
    readonly currency: Currency,
  ) {}

  static of(raw: bigint, currency: Currency, precision: number): Money {
    if (typeof raw !== 'bigint') throw new ParseError(`money raw value must be a bigint: ${String(raw)}`, 'amount');
    return new Money(raw, checkPrecision(precision), currency);
  }

  static zero(currency: Currency, precision: number): Money {
    return new Money(0n, checkPrecision(precision), currency);
  }

  /**
   * Parses an exact decimal amount. With no precision, the string's own number of decimals is used. With a
   * precision, extra decimals are an error unless a rounding mode is given.
   */
  static parse(amount: string, currency: Currency, precision?: number, rounding?: RoundingMode): Money {
    const p = checkPrecision(precision ?? inferMoneyPrecision(amount));
    return new Money(parseDecimalBig(amount, p, 'amount', rounding), p, currency);
  }

  /** Parses `"123.45 USD"` (amount, one space, currency code). */
  static parseWithCurrency(text: string, precision?: number): Money {
    const m = typeof text === 'string' ? /^\s*(\S+)\s+(\S+)\s*$/.exec(text) : null;
    if (m === null) throw new ParseError(`expected "<amount> <currency>": ${JSON.stringify(text)}`, 'money');
    return Money.parse(m[1], Currency.parse(m[2]), precision);
  }

  static fromJSON(json: MoneyJson): Money {
    if (json === null || typeof json !== 'object') throw new ParseError(`not a money object: ${JSON.stringify(json)}`, 'money');
    return Money.parse(json.amount, Currency.parse(json.currency));
  }

  /**
   * The notional price * quantity (* multiplier), computed exactly in bigint and only then brought to
   * `precision` with `rounding` (explicit, because the right rule depends on who pays: a fee is usually
   * rounded up, a proceeds amount down).
   */
  static fromNotional(
    price: Price,
    quantity: Quantity,
    currency: Currency,
    precision: number,
    rounding: RoundingMode,
    multiplier?: Quantity,
  ): Money {
    checkPrecision(precision);
    let raw = BigInt(price.raw) * BigInt(quantity.raw);
    let scale = price.precision + quantity.precision;
    if (multiplier !== undefined) {
      raw *= BigInt(multiplier.raw);
      scale += multiplier.precision;
    }
    return new Money(rescale(raw, scale, precision, rounding), precision, currency);
  }

  /** The exact notional at its natural scale (price decimals + quantity decimals [+ multiplier decimals]). */
  static notionalExact(price: Price, quantity: Quantity, currency: Currency, multiplier?: Quantity): Money {
    const scale = price.precision + quantity.precision + (multiplier?.precision ?? 0);
    return Money.fromNotional(price, quantity, currency, scale, RoundingMode.Down, multiplier);
  }

  /** The amount without the currency, as an exact decimal string with `precision` decimals. */
  toDecimalString(): string {
    return formatDecimalBig(this.raw, this.precision);
  }

  /** `"123.45 USD"`. */
  toString(): string {
    return `${this.toDecimalString()} ${this.currency}`;
  }

  toJSON(): MoneyJson {
    return { amount: this.toDecimalString(), currency: this.currency };
  }

  /** The nearest float64, for reports and computation only (the decimal text is parsed, so it is correctly rounded). */
  toNumber(): number {
    return Number(this.toDecimalString());
  }

  /** In a numeric context (`a < b`) the float value, elsewhere the text; prefer `compare` (exact). */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === 'number' ? this.toNumber() : this.toString();
  }

  /** The raw value at a larger or equal precision (exact). */
  toBigRaw(precision: number): bigint {
    if (precision < this.precision) throw new InvariantError(`cannot rescale ${this} down to ${precision} decimals exactly`);
    return this.raw * pow10n(precision - this.precision);
  }

  /** Changes precision: up exactly, down exactly or with the rounding mode given. */
  withPrecision(precision: number, rounding?: RoundingMode): Money {
    checkPrecision(precision);
    if (precision === this.precision) return this;
    if (precision > this.precision) return new Money(this.toBigRaw(precision), precision, this.currency);
    const div = pow10n(this.precision - precision);
    if (rounding === undefined && this.raw % div !== 0n) {
      throw new ParseError(`${this} cannot be expressed with ${precision} decimals`, 'precision');
    }
    return new Money(divRound(this.raw, div, rounding ?? RoundingMode.Down), precision, this.currency);
  }

  private sameCurrency(other: Money, op: string): void {
    if (other.currency !== this.currency) throw new InvariantError(`cannot ${op} ${this.currency} and ${other.currency}`);
  }

  add(other: Money): Money {
    this.sameCurrency(other, 'add');
    const p = Math.max(this.precision, other.precision);
    return new Money(this.toBigRaw(p) + other.toBigRaw(p), p, this.currency);
  }

  sub(other: Money): Money {
    this.sameCurrency(other, 'subtract');
    const p = Math.max(this.precision, other.precision);
    return new Money(this.toBigRaw(p) - other.toBigRaw(p), p, this.currency);
  }

  neg(): Money {
    return new Money(-this.raw, this.precision, this.currency);
  }

  abs(): Money {
    return this.raw < 0n ? this.neg() : this;
  }

  /** Multiplies by an integer, exactly. */
  mulInt(n: number | bigint): Money {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new InvariantError(`multiplier must be a safe integer: ${n}`);
    return new Money(this.raw * BigInt(n), this.precision, this.currency);
  }

  /**
   * Multiplies by a rate (a fee rate, an FX rate, a funding rate) and rounds to this amount's precision with
   * `rounding`. The product is exact before the one rounding.
   */
  mulRate(rate: Rate | Price, rounding: RoundingMode): Money {
    const product = this.raw * BigInt(rate.raw);
    return new Money(divRound(product, pow10n(rate.precision), rounding), this.precision, this.currency);
  }

  /** Converts to another currency at `rate` (units of `to` per unit of this currency), rounding once. */
  convert(rate: Rate | Price, to: Currency, precision: number, rounding: RoundingMode): Money {
    checkPrecision(precision);
    const product = this.raw * BigInt(rate.raw);
    return new Money(rescale(product, this.precision + rate.precision, precision, rounding), precision, to);
  }

  /** Compares by value across precisions: -1, 0 or 1. Currencies must match. */
  compare(other: Money): number {
    this.sameCurrency(other, 'compare');
    const p = Math.max(this.precision, other.precision);
    const d = this.toBigRaw(p) - other.toBigRaw(p);
    return d === 0n ? 0 : d < 0n ? -1 : 1;
  }
  eq(other: Money): boolean {
    return this.compare(other) === 0;
  }
  lt(other: Money): boolean {
    return this.compare(other) < 0;
  }
  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }
  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }
  gte(other: Money): boolean {
    return this.compare(other) >= 0;
  }
  isZero(): boolean {
    return this.raw === 0n;
  }
  isPositive(): boolean {
    return this.raw > 0n;
  }
  isNegative(): boolean {
    return this.raw < 0n;
  }
  sign(): number {
    return this.raw === 0n ? 0 : this.raw < 0n ? -1 : 1;
  }

  static isMoney(x: unknown): x is Money {
    return x instanceof Money;
  }

  /** Sum of amounts in one currency; an empty list sums to zero at `precision`. */
  static sum(items: readonly Money[], currency: Currency, precision: number): Money {
    let total = Money.zero(currency, precision);
    for (const m of items) total = total.add(m);
    return total;
  }
}

/** A raw value at `from` decimals brought to `to` decimals: exact going up, rounded going down. */
function rescale(raw: bigint, from: number, to: number, rounding: RoundingMode): bigint {
  if (to >= from) return raw * pow10n(to - from);
  return divRound(raw, pow10n(from - to), rounding);
}

function inferMoneyPrecision(amount: string): number {
  const m = typeof amount === 'string' ? /^\s*[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(amount) : null;
  if (m === null) throw new ParseError(`not a decimal number: ${JSON.stringify(amount)}`, 'amount');
  return Math.max(0, (m[1] ?? '').length - (m[2] === undefined ? 0 : Number(m[2])));
}
