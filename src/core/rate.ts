import { Fixed, inferPrecision } from './price.js';
import { MAX_PRECISION, formatDecimalBig, parseDecimalRaw, pow10, rawFromNumber } from './decimal.js';
import { ParseError } from './errors.js';

/**
 * An exact dimensionless rate: a fee rate (0.001 = 0.1 %, negative for a maker rebate), an exchange rate or
 * a funding rate. Fixed-point like Price, so that a fee computed from it reconciles to the last unit.
 */
export class Rate extends Fixed<Rate> {
  /** Makes the class nominal: a Rate is not assignable to another fixed-point type. */
  declare private readonly unit: 'Rate';
  private constructor(raw: number, precision: number) {
    super(raw, precision);
  }
  protected make(raw: number, precision: number): Rate {
    return new Rate(raw, precision);
  }
  neg(): Rate {
    return new Rate(this.raw === 0 ? 0 : -this.raw, this.precision);
  }
  abs(): Rate {
    return this.raw < 0 ? this.neg() : this;
  }
  static fromRaw(raw: number, precision: number): Rate {
    pow10(precision);
    if (!Number.isSafeInteger(raw)) throw new ParseError(`raw value is not a safe integer: ${raw}`, 'rate');
    return new Rate(raw === 0 ? 0 : raw, precision);
  }
  /** Parses a decimal string exactly (`0.0004`, `-1e-4`); the precision defaults to the string's own. */
  static parse(s: string, precision?: number, field = 'rate'): Rate {
    const p = precision ?? inferPrecision(s, field);
    return new Rate(parseDecimalRaw(s, p, field), p);
  }
  /** Parses a percentage exactly: `0.1` (%) is the rate 0.001. */
  static parsePercent(s: string, field = 'rate'): Rate {
    const p = inferPrecision(s, field);
    if (p + 2 > MAX_PRECISION) throw new ParseError(`${JSON.stringify(s)} has more than ${MAX_PRECISION - 2} decimal places`, field);
    // The same digits, read as a rate, sit two places further right.
    return new Rate(parseDecimalRaw(s, p, field), p + 2);
  }
  static fromNumber(x: number, precision: number): Rate {
    return new Rate(rawFromNumber(x, precision, 'rate'), precision);
  }
  static zero(precision = 0): Rate {
    pow10(precision);
    return new Rate(0, precision);
  }
  static isRate(x: unknown): x is Rate {
    return x instanceof Rate;
  }
  /** `0.1%` style text for logs and reports (exact, trailing zeros dropped). */
  toPercentString(): string {
    const s = formatDecimalBig(BigInt(this.raw) * 100n, this.precision);
    return `${s.includes('.') ? s.replace(/\.?0+$/, '') : s}%`;
  }
}
