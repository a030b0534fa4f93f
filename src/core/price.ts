import { InvariantError, ParseError } from './errors.js';
import { formatDecimalRaw, parseDecimalRaw, pow10, rawFromNumber, rescaleUp } from './decimal.js';

/**
 * Shared fixed-point behaviour of Price and Quantity: an integer `raw` scaled by 10^precision.
 * Instances are immutable. Arithmetic between values of different precision is done at the larger one.
 */
abstract class Fixed<T extends Fixed<T>> {
  protected constructor(
    readonly raw: number,
    readonly precision: number,
  ) {}

  protected abstract make(raw: number, precision: number): T;

  toNumber(): number {
    return this.raw / pow10(this.precision);
  }

  toString(): string {
    return formatDecimalRaw(this.raw, this.precision);
  }

  toJSON(): string {
    return this.toString();
  }

  /** Compares by value across precisions: negative, zero or positive. */
  compare(other: Fixed<T>): number {
    if (this.precision === other.precision) return this.raw - other.raw;
    const p = Math.max(this.precision, other.precision);
    return rescaleUp(this.raw, this.precision, p) - rescaleUp(other.raw, other.precision, p);
  }

  eq(other: Fixed<T>): boolean {
    return this.compare(other) === 0;
  }
  lt(other: Fixed<T>): boolean {
    return this.compare(other) < 0;
  }
  lte(other: Fixed<T>): boolean {
    return this.compare(other) <= 0;
  }
  gt(other: Fixed<T>): boolean {
    return this.compare(other) > 0;
  }
  gte(other: Fixed<T>): boolean {
    return this.compare(other) >= 0;
  }
  isZero(): boolean {
    return this.raw === 0;
  }

  add(other: T): T {
    return this.combine(other, 1);
  }

  sub(other: T): T {
    return this.combine(other, -1);
  }

  private combine(other: T, sign: 1 | -1): T {
    const p = Math.max(this.precision, other.precision);
    const raw = rescaleUp(this.raw, this.precision, p) + sign * rescaleUp(other.raw, other.precision, p);
    if (!Number.isSafeInteger(raw)) throw new InvariantError(`fixed-point overflow: ${this} ${sign > 0 ? '+' : '-'} ${other}`);
    return this.make(raw, p);
  }

  /** Rounds to a multiple of `step` (a tick or lot size): 'nearest' (half away from zero), 'down' or 'up' (toward -inf/+inf). */
  roundTo(step: Fixed<T>, mode: 'nearest' | 'down' | 'up' = 'nearest'): T {
    if (step.raw <= 0) throw new ParseError(`step must be positive: ${step}`);
    const p = Math.max(this.precision, step.precision);
    const v = rescaleUp(this.raw, this.precision, p);
    const s = rescaleUp(step.raw, step.precision, p);
    let q: number;
    if (mode === 'down') q = Math.floor(v / s);
    else if (mode === 'up') q = Math.ceil(v / s);
    else {
      const r = Math.abs(v) % s;
      const base = Math.trunc(v / s);
      q = 2 * r >= s ? base + Math.sign(v) : base;
    }
    const raw = q * s;
    // Express the result at the step's precision when that loses nothing, so a tick-rounded price has the tick's precision.
    const out = this.make(raw === 0 ? 0 : raw, p);
    return step.precision < p ? out.withPrecision(step.precision) : out;
  }

  /** Changes precision; going down must be exact. */
  withPrecision(precision: number): T {
    if (precision === this.precision) return this as unknown as T;
    if (precision > this.precision) return this.make(rescaleUp(this.raw, this.precision, precision), precision);
    const div = pow10(this.precision - precision);
    if (this.raw % div !== 0) throw new ParseError(`${this} cannot be expressed with ${precision} decimals`);
    return this.make(this.raw / div, precision);
  }
}

/** An exact price of an instrument (may be negative: spreads, some futures). */
export class Price extends Fixed<Price> {
  private constructor(raw: number, precision: number) {
    super(raw, precision);
  }
  protected make(raw: number, precision: number): Price {
    return new Price(raw, precision);
  }
  static fromRaw(raw: number, precision: number): Price {
    pow10(precision);
    if (!Number.isSafeInteger(raw)) throw new ParseError(`price raw value is not a safe integer: ${raw}`, 'price');
    return new Price(raw, precision);
  }
  /** Parses a decimal string exactly. With no precision given, uses the string's own number of decimals. */
  static parse(s: string, precision?: number): Price {
    const p = precision ?? inferPrecision(s);
    return new Price(parseDecimalRaw(s, p, 'price'), p);
  }
  /** From a float, rounded to `precision` decimals. Use only where the source is a float (computations). */
  static fromNumber(x: number, precision: number): Price {
    return new Price(rawFromNumber(x, precision, 'price'), precision);
  }
  static zero(precision = 0): Price {
    return new Price(0, precision);
  }
}

/** An exact, non-negative quantity (size, volume). */
export class Quantity extends Fixed<Quantity> {
  private constructor(raw: number, precision: number) {
    super(raw, precision);
  }
  protected make(raw: number, precision: number): Quantity {
    if (raw < 0) throw new InvariantError(`quantity would be negative: ${formatDecimalRaw(raw, precision)}`);
    return new Quantity(raw, precision);
  }
  static fromRaw(raw: number, precision: number): Quantity {
    pow10(precision);
    if (!Number.isSafeInteger(raw) || raw < 0) throw new ParseError(`quantity raw value must be a non-negative safe integer: ${raw}`, 'quantity');
    return new Quantity(raw, precision);
  }
  static parse(s: string, precision?: number): Quantity {
    const p = precision ?? inferPrecision(s);
    const raw = parseDecimalRaw(s, p, 'quantity');
    if (raw < 0) throw new ParseError(`quantity must not be negative: ${JSON.stringify(s)}`, 'quantity');
    return new Quantity(raw, p);
  }
  static fromNumber(x: number, precision: number): Quantity {
    const raw = rawFromNumber(x, precision, 'quantity');
    if (raw < 0) throw new ParseError(`quantity must not be negative: ${x}`, 'quantity');
    return new Quantity(raw, precision);
  }
  static zero(precision = 0): Quantity {
    return new Quantity(0, precision);
  }
}

/** Number of significant fractional digits in a plain decimal string ("1.2300" -> 4; "1e-3" -> 3). */
export function inferPrecision(s: string): number {
  const m = /^\s*[+-]?\d*(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(s);
  if (m === null) throw new ParseError(`not a decimal number: ${JSON.stringify(s)}`);
  const frac = (m[1] ?? '').length - (m[2] === undefined ? 0 : Number(m[2]));
  const p = Math.max(0, frac);
  if (p > 12) throw new ParseError(`${JSON.stringify(s)} has more than 12 decimal places`);
  return p;
}
