import type { Bar, BarSpec, InstrumentId, Price, QuoteTick, Quantity, UnixMicros } from '../../core/index.js';

/** Best bid and ask of an order book. */
export interface BookTop {
  readonly instrumentId: InstrumentId;
  readonly bidPrice: Price;
  readonly bidSize: Quantity;
  readonly askPrice: Price;
  readonly askSize: Quantity;
  readonly tsEvent: UnixMicros;
}

/** Named float64 values computed at one time (features, or a model's outputs). */
export interface FeatureVector {
  readonly instrumentId: InstrumentId;
  readonly name: string;
  readonly values: Readonly<Record<string, number>>;
  readonly tsEvent: UnixMicros;
}

export interface Prediction {
  readonly modelId: string;
  readonly instrumentId: InstrumentId;
  readonly values: Readonly<Record<string, number>>;
  readonly tsEvent: UnixMicros;
}

/** What one pipelined write carries. */
export type HotEntry =
  | { readonly kind: 'bar'; readonly bar: Bar }
  | { readonly kind: 'quote'; readonly quote: QuoteTick }
  | { readonly kind: 'book_top'; readonly top: BookTop }
  | { readonly kind: 'features'; readonly features: FeatureVector }
  | { readonly kind: 'prediction'; readonly prediction: Prediction };

export type HotKind = HotEntry['kind'];

/** Time to live per kind, in milliseconds; an entry older than its TTL reads as absent. */
export type HotCacheTtls = Readonly<Record<HotKind, number>>;

export const DEFAULT_HOT_TTLS: HotCacheTtls = {
  bar: 24 * 3600_000,
  quote: 60_000,
  book_top: 60_000,
  features: 3600_000,
  prediction: 3600_000,
};

/**
 * The latest value of each thing, shared between processes (Redis) or within one (memory).
 * "Latest" is by event time: a write older than what is stored is ignored, so out-of-order or replayed
 * messages never move a value back. A write that is kept renews the TTL.
 */
export interface HotCache {
  /** Writes all entries in one round trip; resolves to how many were newer than what was stored. */
  put(entries: readonly HotEntry[]): Promise<number>;
  latestBar(instrumentId: InstrumentId, spec: BarSpec): Promise<Bar | undefined>;
  latestQuote(instrumentId: InstrumentId): Promise<QuoteTick | undefined>;
  bookTop(instrumentId: InstrumentId): Promise<BookTop | undefined>;
  features(instrumentId: InstrumentId, name: string): Promise<FeatureVector | undefined>;
  prediction(modelId: string, instrumentId: InstrumentId): Promise<Prediction | undefined>;
  close(): Promise<void>;
}
