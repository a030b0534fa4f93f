import { InvariantError, ParseError } from './errors.js';
import {
  MAX_PRECISION,
  RoundingMode,
  decimalScale,
  divRound,
  formatDecimalRaw,
  numberToDecimalText,
  parseDecimalBig,
  isSafeBig,
  parseDecimalRaw,
  pow10,
  pow10n,
  rawFromNumber,
  rescaleUp,
} from './decimal.js';

/**
 * Rounding to a tick or lot: 'nearest' (ties away from zero), 'down' (toward -inf), 'up' (toward +inf),
 * or any RoundingMode (RoundingMode.Down is toward zero, unlike 'down').
 */
export type StepRounding = 'nearest' | 'down' | 'up' | RoundingMode;

function toRoundingMode(mode: StepRounding): RoundingMode {
  if (mode === 'nearest') return RoundingMode.HalfUp;
  if (mode === 'down') return RoundingMode.Floor;
  if (mode === 'up') return RoundingMode.Ceiling;
  return mode;
}

/**
 * Shared fixed-point behaviour of Price and Quantity: a safe integer `raw` scaled by 10^precision.
 * Instances are immutable (readonly fields; not Object.freeze'd, which costs ~30x per construction on the
 * hot path). Arithmetic between values of different precision is done at the larger one;
 * a result that would not fit a safe integer throws InvariantError rather than lose a unit.
 */
export abstract class Fixed<T extends Fixed<T>> {
  protected constructor(
    readonly raw: number,
    readonly precision: number,
  ) {}

  protected abstract make(raw: number, precision: number): T;

  /** The nearest float64 (raw / 10^precision is correctly rounded): for computation, never for money. */
  toNumber(): number {
    return this.raw / pow10(this.precision);
  }

  /** The raw value as a bigint at `precision` decimals (at least this value's own precision). */
  toBigRaw(precision: number = this.precision): bigint {
    if (precision < this.precision) throw new InvariantError(`cannot rescale ${this} down to ${precision} decimals exactly`);
    return BigInt(this.raw) * pow10n(precision - this.precision);
  }

  toString(): string {
    return formatDecimalRaw(this.raw, this.precision);
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * `a < b` on two objects would otherwise compare their strings ("10.00" < "9.00"): in a numeric context
   * the value is its float, elsewhere its exact text. Prefer `compare`/`lt` (exact) in code.
   */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === 'number' ? this.toNumber() : this.toString();
  }

  /** Compares by value across precisions: -1, 0 or 1. Never overflows. */
  compare(other: Fixed<T>): number {
    if (this.precision === other.precision) return Math.sign(this.raw - other.raw);
    const p = Math.max(this.precision, other.precision);
    const a = this.raw * pow10(p - this.precision);
    const b = other.raw * pow10(p - other.precision);
    if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return Math.sign(a - b);
    const d = this.toBigRaw(p) - other.toBigRaw(p);
    return d === 0n ? 0 : d < 0n ? -1 : 1;
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
  isPositive(): boolean {
    return this.raw > 0;
  }
  isNegative(): boolean {
    return this.raw < 0;
  }
  /** -1, 0 or 1. */
  sign(): number {
    return Math.sign(this.raw);
  }
  min(other: T): T {
    return this.compare(other) <= 0 ? (this as unknown as T) : other;
  }
  max(other: T): T {
    return this.compare(other) >= 0 ? (this as unknown as T) : other;
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
    return this.make(raw === 0 ? 0 : raw, p);
  }

  /** Multiplies by an integer (a number of ticks or lots), exactly. */
  mulInt(n: number): T {
    if (!Number.isSafeInteger(n)) throw new InvariantError(`multiplier must be a safe integer: ${n}`);
    const raw = this.raw * n;
    if (!Number.isSafeInteger(raw)) throw new InvariantError(`fixed-point overflow: ${this} * ${n}`);
    return this.make(raw === 0 ? 0 : raw, this.precision);
  }

  /** True when this value is a whole number of `step`s (a tick or lot size). */
  isMultipleOf(step: Fixed<T>): boolean {
    if (step.raw <= 0) throw new InvariantError(`step must be positive: ${step}`);
    const p = Math.max(this.precision, step.precision);
    return this.toBigRaw(p) % step.toBigRaw(p) === 0n;
  }

  /**
   * Rounds to a multiple of `step` (a tick or lot size), exactly; the result has the step's precision.
   * Rounding an already rounded value returns the same value, and the result is within one step.
   */
  roundTo(step: Fixed<T>, mode: StepRounding = 'nearest'): T {
    if (step.raw <= 0) throw new ParseError(`step must be positive: ${step}`, 'step');
    const p = Math.max(this.precision, step.precision);
    const q = divRound(this.toBigRaw(p), step.toBigRaw(p), toRoundingMode(mode));
    const raw = q * BigInt(step.raw);
    if (!isSafeBig(raw)) throw new InvariantError(`fixed-point overflow rounding ${this} to ${step}`);
    const n = Number(raw);
    return this.make(n === 0 ? 0 : n, step.precision);
  }

  /**
   * Treats this value as a step (tick or lot size) and rounds `x` (a decimal string or a float) straight to a
   * multiple of it, in one rounding: no intermediate rounding to some precision first, which could move a
   * value onto a midpoint (1.0149 -> 1.01 -> 1.02 on a 0.02 grid, where 1.00 is nearer).
   */
  snap(x: string | number, mode: StepRounding = 'nearest', field = 'value'): T {
    if (this.raw <= 0) throw new ParseError(`step must be positive: ${this}`, 'step');
    // A float below 1e-30 in magnitude rounds exactly like 1e-30 on any grid of at most 12 decimals, and its
    // own text (down to 5e-324) would need a 324-digit scale.
    const small = typeof x === 'number' && x !== 0 && Math.abs(x) < 1e-30 ? (x < 0 ? -1e-30 : 1e-30) : x;
    const text = typeof small === 'number' ? numberToDecimalText(small, this.precision, field) : small;
    const scale = Math.max(this.precision, decimalScale(text, field));
    const v = parseDecimalBig(text, scale, field);
    const q = divRound(v, BigInt(this.raw) * pow10n(scale - this.precision), toRoundingMode(mode));
    const raw = q * BigInt(this.raw);
    if (!isSafeBig(raw)) throw new ParseError(`${JSON.stringify(text)} is too large for precision ${this.precision}`, field);
    const n = Number(raw);
    return this.make(n === 0 ? 0 : n, this.precision);
  }

  /**
   * Changes precision. Going up is exact; going down must be exact unless a rounding mode is given
   * (ParseError otherwise, since the caller asked for a representation that cannot hold the value).
   */
  withPrecision(precision: number, rounding?: RoundingMode): T {
    pow10(precision);
    if (precision === this.precision) return this as unknown as T;
    if (precision > this.precision) return this.make(rescaleUp(this.raw, this.precision, precision), precision);
    const div = BigInt(pow10(this.precision - precision));
    const raw = BigInt(this.raw);
    if (rounding === undefined && raw % div !== 0n) {
      throw new ParseError(`${this} cannot be expressed with ${precision} decimals`, 'precision');
    }
    const n = Number(divRound(raw, div, rounding ?? RoundingMode.Down));
    return this.make(n === 0 ? 0 : n, precision);
  }
}

function checkRaw(raw: number, precision: number, field: string): number {
  pow10(precision);
  if (!Number.isSafeInteger(raw)) throw new ParseError(`raw value is not a safe integer: ${raw}`, field);
  return raw === 0 ? 0 : raw;
}

/** An exact price of an instrument (may be negative: spreads, some futures). */
export class Price extends Fixed<Price> {
  /** Makes the class nominal: a Price is not assignable to another fixed-point type. */
  declare private readonly unit: 'Price';
  private constructor(raw: number, precision: number) {
    super(raw, precision);
  }
  protected make(raw: number, precision: number): Price {
    return new Price(raw, precision);
  }
  neg(): Price {
    return new Price(this.raw === 0 ? 0 : -this.raw, this.precision);
  }
  abs(): Price {
    return this.raw < 0 ? this.neg() : this;
  }
  static fromRaw(raw: number, precision: number): Price {
    return new Price(checkRaw(raw, precision, 'price'), precision);
  }
  /**
   * Parses a decimal string exactly. With no precision given, uses the string's own number of decimals.
   * With a precision and a rounding mode, extra decimals are rounded instead of rejected.
   */
  static parse(s: string, precision?: number, rounding?: RoundingMode): Price {
    const p = precision ?? inferPrecision(s, 'price');
    return new Price(parseDecimalRaw(s, p, 'price', rounding), p);
  }
  /** From a float, rounded to `precision` decimals. Use only where the source is a float (computations). */
  static fromNumber(x: number, precision: number): Price {
    return new Price(rawFromNumber(x, precision, 'price'), precision);
  }
  static zero(precision = 0): Price {
    pow10(precision);
    return new Price(0, precision);
  }
  static isPrice(x: unknown): x is Price {
    return x instanceof Price;
  }
}

/** An exact, non-negative quantity (size, volume). Subtracting below zero is an InvariantError. */
export class Quantity extends Fixed<Quantity> {
  /** Makes the class nominal: a Quantity is not assignable to another fixed-point type. */
  declare private readonly unit: 'Quantity';
  private constructor(raw: number, precision: number) {
    super(raw, precision);
  }
  protected make(raw: number, precision: number): Quantity {
    if (raw < 0) throw new InvariantError(`quantity would be negative: ${formatDecimalRaw(raw, precision)}`);
    return new Quantity(raw, precision);
  }
  static fromRaw(raw: number, precision: number): Quantity {
    const r = checkRaw(raw, precision, 'quantity');
    if (r < 0) throw new ParseError(`quantity raw value must not be negative: ${raw}`, 'quantity');
    return new Quantity(r, precision);
  }
  static parse(s: string, precision?: number, rounding?: RoundingMode): Quantity {
    const p = precision ?? inferPrecision(s, 'quantity');
    const raw = parseDecimalRaw(s, p, 'quantity', rounding);
    if (raw < 0) throw new ParseError(`quantity must not be negative: ${JSON.stringify(s)}`, 'quantity');
    return new Quantity(raw, p);
  }
  static fromNumber(x: number, precision: number): Quantity {
    const raw = rawFromNumber(x, precision, 'quantity');
    if (raw < 0) throw new ParseError(`quantity must not be negative: ${x}`, 'quantity');
    return new Quantity(raw, precision);
  }
  static zero(precision = 0): Quantity {
    pow10(precision);
    return new Quantity(0, precision);
  }
  static isQuantity(x: unknown): x is Quantity {
    return x instanceof Quantity;
  }
}

/**
 * Number of fractional digits a decimal string needs ("1.2300" -> 4, "1e-3" -> 3, "1.5e2" -> 0). Trailing
 * zeros count (they state the precision); beyond MAX_PRECISION decimals, zeros are dropped down to
 * MAX_PRECISION, and only significant digits beyond it are an error.
 */
export function inferPrecision(s: string, field = 'decimal'): number {
  const plain = typeof s === 'string' ? plainDecimals(s) : -1;
  if (plain >= 0 && plain <= MAX_PRECISION) return plain;
  const m = typeof s === 'string' ? /^\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(s) : null;
  if (m === null || ((m[1] ?? '') === '' && (m[2] ?? '') === '')) {
    throw new ParseError(`not a decimal number: ${JSON.stringify(s)}`, field);
  }
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  const frac = m[2] ?? '';
  let p = Math.max(0, frac.length - exp);
  if (p > MAX_PRECISION && frac.replace(/0+$/, '').length - exp <= MAX_PRECISION) p = MAX_PRECISION;
  if (p > MAX_PRECISION) throw new ParseError(`${JSON.stringify(s)} has more than ${MAX_PRECISION} decimal places`, field);
  return p;
}

/** Decimals of a plain `[-+]digits[.digits]` string, or -1 when it is not one (exponent, spaces, junk). */
function plainDecimals(s: string): number {
  let i = s.length > 0 && (s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43) ? 1 : 0;
  let dot = -1;
  let digits = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && dot < 0) dot = i;
    else return -1;
  }
  if (digits === 0) return -1;
  return dot < 0 ? 0 : s.length - dot - 1;
}
