import { ParseError } from '../../core/errors.js';
import { Price, Quantity } from '../../core/price.js';

/**
 * Why a venue frame was dropped: the one vocabulary of the rejection metric (counted per venue and reason),
 * shared by every venue adapter so that a dashboard or alert on a reason means the same thing for all of
 * them. The failing wire field (`p`, `data.b[3][0]`) is carried beside the reason, never in it.
 */
export const RejectReason = {
  /** The frame is not JSON. */
  InvalidJson: 'invalid_json',
  /** The frame (or one element of a batched frame) is JSON but not an object. */
  NotObject: 'not_object',
  /** An event type or channel the parser does not know. */
  UnknownType: 'unknown_type',
  /** A required field is absent. */
  MissingField: 'missing_field',
  /** A field is present but of the wrong type, shape or range (ids, times, levels, symbols). */
  BadField: 'bad_field',
  /** A price that is not a positive decimal, or bar prices that do not bound each other. */
  BadPrice: 'bad_price',
  NegativePrice: 'negative_price',
  /** A size that is not a decimal, or zero where zero is not allowed. */
  BadSize: 'bad_size',
  NegativeSize: 'negative_size',
  /** A symbol the adapter has no instrument for. */
  UnknownInstrument: 'unknown_instrument',
  /** A quote whose best bid is not below its best ask. */
  CrossedQuote: 'crossed_quote',
  /** A well-formed book snapshot or update that the local book cannot take. */
  BadSnapshot: 'bad_snapshot',
  BadUpdate: 'bad_update',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

const REASONS: ReadonlySet<string> = new Set(Object.values(RejectReason));

export function isRejectReason(v: unknown): v is RejectReason {
  return typeof v === 'string' && REASONS.has(v);
}

/**
 * A parse failure that knows its reason, for parsers whose field readers can tell a bad price from a bad
 * size (a plain ParseError from elsewhere is a `bad_field`). `detail` is the message without the field.
 */
export class FieldRejection extends ParseError {
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
    field?: string,
  ) {
    super(detail, field);
  }
}

/** A venue's decimal text as an exact Price; one no Price can hold (too many decimals, too large) is a `bad_price`. */
export function exactPrice(text: string, field: string): Price {
  try {
    return Price.parse(text);
  } catch (err) {
    if (err instanceof ParseError) throw new FieldRejection(RejectReason.BadPrice, err.message, field);
    throw err;
  }
}

/** A venue's decimal text as an exact Quantity; one no Quantity can hold is a `bad_size`. */
export function exactSize(text: string, field: string): Quantity {
  try {
    return Quantity.parse(text);
  } catch (err) {
    if (err instanceof ParseError) throw new FieldRejection(RejectReason.BadSize, err.message, field);
    throw err;
  }
}

/** The reason of a ParseError: its own when it is a FieldRejection, else `fallback`. */
export function reasonOf(err: ParseError, fallback: RejectReason): RejectReason {
  return err instanceof FieldRejection ? err.reason : fallback;
}
