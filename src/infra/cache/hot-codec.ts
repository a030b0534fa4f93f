import { BarSpec, Price, Quantity, UnixMicros } from '../../core/index.js';
import type { Bar, InstrumentId, QuoteTick } from '../../core/index.js';
import type { BookTop, FeatureVector, HotEntry, HotKind, Prediction } from '../../kernel/ports/hot-cache.js';
import { assertNever } from '../../core/errors.js';

/**
 * Keys and JSON forms shared by every HotCache implementation, so that memory and Redis store the same
 * bytes and decode them the same way. Prices and sizes are decimal strings (their precision survives).
 */
export const hotKeys = {
  bar: (id: InstrumentId, spec: BarSpec) => `bar:${id}:${BarSpec.toString(spec)}`,
  quote: (id: InstrumentId) => `quote:${id}`,
  bookTop: (id: InstrumentId) => `book:${id}`,
  features: (id: InstrumentId, name: string) => `feat:${id}:${name}`,
  prediction: (modelId: string, id: InstrumentId) => `pred:${modelId}:${id}`,
} as const;

export interface EncodedEntry {
  readonly kind: HotKind;
  readonly key: string;
  readonly ts: number;
  readonly json: string;
}

export function encodeEntry(e: HotEntry): EncodedEntry {
  switch (e.kind) {
    case 'bar': {
      const b = e.bar;
      return { kind: e.kind, key: hotKeys.bar(b.instrumentId, b.spec), ts: b.tsEvent, json: JSON.stringify({ ...b, spec: BarSpec.toString(b.spec) }) };
    }
    case 'quote':
      return { kind: e.kind, key: hotKeys.quote(e.quote.instrumentId), ts: e.quote.tsEvent, json: JSON.stringify(e.quote) };
    case 'book_top':
      return { kind: e.kind, key: hotKeys.bookTop(e.top.instrumentId), ts: e.top.tsEvent, json: JSON.stringify(e.top) };
    case 'features':
      return { kind: e.kind, key: hotKeys.features(e.features.instrumentId, e.features.name), ts: e.features.tsEvent, json: JSON.stringify(e.features) };
    case 'prediction':
      return {
        kind: e.kind,
        key: hotKeys.prediction(e.prediction.modelId, e.prediction.instrumentId),
        ts: e.prediction.tsEvent,
        json: JSON.stringify(e.prediction),
      };
    default:
      return assertNever(e, 'hot cache entry');
  }
}

type Json = Record<string, unknown>;
const str = (o: Json, k: string) => String(o[k]);
const micros = (o: Json, k: string) => UnixMicros.of(Number(o[k]));

export function decodeBar(json: string): Bar {
  const o = JSON.parse(json) as Json;
  return {
    type: 'bar',
    instrumentId: str(o, 'instrumentId') as InstrumentId,
    spec: BarSpec.parse(str(o, 'spec')),
    open: Price.parse(str(o, 'open')),
    high: Price.parse(str(o, 'high')),
    low: Price.parse(str(o, 'low')),
    close: Price.parse(str(o, 'close')),
    volume: Quantity.parse(str(o, 'volume')),
    tradeCount: Number(o.tradeCount),
    tsOpen: micros(o, 'tsOpen'),
    tsEvent: micros(o, 'tsEvent'),
    tsInit: micros(o, 'tsInit'),
  };
}

export function decodeQuote(json: string): QuoteTick {
  const o = JSON.parse(json) as Json;
  return {
    type: 'quote',
    instrumentId: str(o, 'instrumentId') as InstrumentId,
    bidPrice: Price.parse(str(o, 'bidPrice')),
    askPrice: Price.parse(str(o, 'askPrice')),
    bidSize: Quantity.parse(str(o, 'bidSize')),
    askSize: Quantity.parse(str(o, 'askSize')),
    tsEvent: micros(o, 'tsEvent'),
    tsInit: micros(o, 'tsInit'),
  };
}

export function decodeBookTop(json: string): BookTop {
  const o = JSON.parse(json) as Json;
  return {
    instrumentId: str(o, 'instrumentId') as InstrumentId,
    bidPrice: Price.parse(str(o, 'bidPrice')),
    bidSize: Quantity.parse(str(o, 'bidSize')),
    askPrice: Price.parse(str(o, 'askPrice')),
    askSize: Quantity.parse(str(o, 'askSize')),
    tsEvent: micros(o, 'tsEvent'),
  };
}

export function decodeFeatures(json: string): FeatureVector {
  return JSON.parse(json) as FeatureVector;
}

export function decodePrediction(json: string): Prediction {
  return JSON.parse(json) as Prediction;
}
