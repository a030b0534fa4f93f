/** Base class for Tradewind errors: a name of its own and an optional cause (STYLE.md habit 8). */
export class TradewindError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value from outside (venue, file, HTTP, config) that does not parse. Names the field that failed. */
export class ParseError extends TradewindError {
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(field === undefined ? message : `${field}: ${message}`, options);
  }
}

/** A broken invariant inside the system (NaN price, time going backwards): crash, do not continue. */
export class InvariantError extends TradewindError {}

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
