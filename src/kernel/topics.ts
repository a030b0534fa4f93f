/**
 * The switchboard: every topic and endpoint name in Tradewind is built here and nowhere else, so that the
 * in-process bus and NATS carry the same strings and a rename happens in one place (NautilusTrader's
 * `Switchboard`). Call sites never type a topic string.
 *
 * Topics are NATS subjects: dot-separated tokens without `.`, `*`, `>` or whitespace. Values that become a
 * token (symbols such as `BTC/USDT` or `ES.FUT`, strategy ids, model names, bar specs such as `0.5volume`)
 * are escaped by {@link encodeToken}; see docs/kernel.md for the scheme.
 */
import type { BarSpec } from '../core/bar-spec.js';
import { BarSpec as BarSpecOps } from '../core/bar-spec.js';
import type { Bar, BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../core/data.js';
import type { AccountId, InstrumentId, StrategyId, Venue } from '../core/identifiers.js';
import { InstrumentId as InstrumentIdOps } from '../core/identifiers.js';
import type { OrderEvent } from '../core/order/events.js';
import type { Endpoint, Topic, TopicPattern } from './bus/topic.js';
import { TopicError } from './bus/topic.js';
import type { ComponentStateChanged, HandlerFailed } from './messages.js';

// Characters that stay as they are in a token. Everything else (including '%', the escape character) is
// written as %XX per UTF-8 byte, upper-case hex, so that encoding is a bijection on non-empty strings.
const SAFE_TOKEN = /^[A-Za-z0-9_-]+$/;
const LONE_SURROGATE = /\p{Cs}/u;
const HEX = '0123456789ABCDEF';
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isSafeByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2d;
}

/** Makes any non-empty string a valid, reversible topic token: `BTC/USDT` -> `BTC%2FUSDT`. */
export function encodeToken(value: string): string {
  if (value.length === 0) throw new TopicError('a topic token cannot be empty');
  if (SAFE_TOKEN.test(value)) return value;
  // A lone surrogate would be UTF-8 encoded as U+FFFD, so two values would share one token.
  if (LONE_SURROGATE.test(value)) throw new TopicError(`a topic token must be well-formed Unicode: ${JSON.stringify(value)}`);
  let out = '';
  for (const b of utf8Encoder.encode(value)) {
    out += isSafeByte(b) ? String.fromCharCode(b) : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/** Inverse of {@link encodeToken}; rejects tokens that encodeToken would never produce. */
export function decodeToken(token: string): string {
  if (SAFE_TOKEN.test(token)) return token;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 0x25) {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new TopicError(`bad escape at ${i} in token ${JSON.stringify(token)}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (isSafeByte(c)) {
      bytes.push(c);
    } else {
      throw new TopicError(`unescaped character ${JSON.stringify(token[i])} in token ${JSON.stringify(token)}`);
    }
  }
  let value: string;
  try {
    value = utf8Decoder.decode(new Uint8Array(bytes));
  } catch (cause) {
    throw new TopicError(`token is not UTF-8: ${JSON.stringify(token)}`, { cause });
  }
  // Canonical form only (no escaped safe characters), so one value has exactly one topic.
  if (value.length === 0 || encodeToken(value) !== token) throw new TopicError(`non-canonical token: ${JSON.stringify(token)}`);
  return value;
}

function join(...tokens: string[]): string {
  return tokens.join('.');
}

/**
 * Returns the engine's canonical (internalised) copy of `s`. V8 internalises property names; a topic that
 * is internalised compares by pointer and has its hash ready, which made the bus's topic lookup up to twice
 * as fast in a micro-benchmark over 100 topics. Harmless on engines that do not do this.
 */
function intern(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}

// Per-instrument topics are memoised: publishers on the hot path get the same string instance every time,
// which costs a map lookup instead of escaping and concatenating (and lets the bus's topic cache hit on a
// string whose hash is already computed).
function memo<M>(kind: string): (id: InstrumentId) => Topic<M> {
  const cache = new Map<InstrumentId, Topic<M>>();
  return (id) => {
    let t = cache.get(id);
    if (t === undefined) {
      t = intern(join(kind, instrumentTokens(id))) as Topic<M>;
      cache.set(id, t);
    }
    return t;
  };
}

/** `<venue>.<symbol>`, both escaped. */
function instrumentTokens(id: InstrumentId): string {
  return `${encodeToken(InstrumentIdOps.venue(id))}.${encodeToken(InstrumentIdOps.symbol(id))}`;
}

const specTokens = new WeakMap<BarSpec, string>();
function specToken(spec: BarSpec): string {
  let t = specTokens.get(spec);
  if (t === undefined) {
    t = encodeToken(BarSpecOps.toString(spec));
    specTokens.set(spec, t);
  }
  return t;
}

const barTopics = new Map<InstrumentId, Map<string, Topic<Bar>>>();

const tradeTopic = memo<TradeTick>('data.trade');
const quoteTopic = memo<QuoteTick>('data.quote');
const bookTopic = memo<BookDeltas | BookSnapshot>('data.book');

/** Position, account, risk and prediction messages are typed when their modules land; unknown until then. */
export type OrderEventMessage = OrderEvent;
export type PositionEventMessage = unknown;
export type AccountEventMessage = unknown;
export type RiskEventMessage = unknown;
export type PredictionMessage = unknown;

export const topics = {
  // ---- market data: data.<kind>.<venue>.<symbol>[.<spec>]
  /** `data.trade.<venue>.<symbol>` */
  trades: tradeTopic,
  /** `data.quote.<venue>.<symbol>` */
  quotes: quoteTopic,
  /**
   * `data.book.<venue>.<symbol>`: deltas and snapshots share one topic so that a book consumer sees them in
   * the order they were published, on every bus (the `type` field tells them apart).
   */
  bookDeltas: bookTopic,
  /** Same topic as {@link topics.bookDeltas}. */
  bookSnapshots: bookTopic,
  /** `data.bar.<venue>.<symbol>.<spec>`, spec in BarSpec's short form (`1m`, `100tick`, `1m-mid`). */
  bars(id: InstrumentId, spec: BarSpec): Topic<Bar> {
    let bySpec = barTopics.get(id);
    if (bySpec === undefined) barTopics.set(id, (bySpec = new Map()));
    const st = specToken(spec);
    let t = bySpec.get(st);
    if (t === undefined) {
      t = intern(join('data.bar', instrumentTokens(id), st)) as Topic<Bar>;
      bySpec.set(st, t);
    }
    return t;
  },

  allData: (): TopicPattern<TradeTick | QuoteTick | BookDeltas | BookSnapshot | Bar> => 'data.>' as TopicPattern<never>,
  allTrades: (): TopicPattern<TradeTick> => 'data.trade.>' as TopicPattern<TradeTick>,
  tradesAt: (venue: Venue): TopicPattern<TradeTick> => join('data.trade', encodeToken(venue), '*') as TopicPattern<TradeTick>,
  allQuotes: (): TopicPattern<QuoteTick> => 'data.quote.>' as TopicPattern<QuoteTick>,
  quotesAt: (venue: Venue): TopicPattern<QuoteTick> => join('data.quote', encodeToken(venue), '*') as TopicPattern<QuoteTick>,
  allBooks: (): TopicPattern<BookDeltas | BookSnapshot> => 'data.book.>' as TopicPattern<BookDeltas | BookSnapshot>,
  allBars: (): TopicPattern<Bar> => 'data.bar.>' as TopicPattern<Bar>,
  /** Every bar spec of one instrument: `data.bar.<venue>.<symbol>.*`. */
  barsOf: (id: InstrumentId): TopicPattern<Bar> => join('data.bar', instrumentTokens(id), '*') as TopicPattern<Bar>,
  /** One bar spec across all instruments: `data.bar.*.*.<spec>`. */
  barsWithSpec: (spec: BarSpec): TopicPattern<Bar> => join('data.bar.*.*', specToken(spec)) as TopicPattern<Bar>,

  // ---- ML
  /**
   * `ml.prediction.<model>.<venue>.<symbol>`. DESIGN.md writes `ml.prediction.<model>.<symbol>`; the venue
   * is kept because a symbol alone is ambiguous across venues, and the shape then matches the data topics.
   */
  predictions: (model: string, id: InstrumentId): Topic<PredictionMessage> =>
    join('ml.prediction', encodeToken(model), instrumentTokens(id)) as Topic<PredictionMessage>,
  allPredictions: (): TopicPattern<PredictionMessage> => 'ml.prediction.>' as TopicPattern<PredictionMessage>,
  predictionsOf: (model: string): TopicPattern<PredictionMessage> =>
    join('ml.prediction', encodeToken(model), '>') as TopicPattern<PredictionMessage>,

  // ---- execution: exec.<kind>.<strategy>.<venue>.<symbol>
  /** `exec.order.<strategy>.<venue>.<symbol>`: order events of one strategy on one instrument. */
  orderEvents: (strategy: StrategyId, id: InstrumentId): Topic<OrderEventMessage> =>
    join('exec.order', encodeToken(strategy), instrumentTokens(id)) as Topic<OrderEventMessage>,
  allOrderEvents: (): TopicPattern<OrderEventMessage> => 'exec.order.>' as TopicPattern<OrderEventMessage>,
  orderEventsOf: (strategy: StrategyId): TopicPattern<OrderEventMessage> =>
    join('exec.order', encodeToken(strategy), '>') as TopicPattern<OrderEventMessage>,
  /** `exec.position.<strategy>.<venue>.<symbol>` */
  positionEvents: (strategy: StrategyId, id: InstrumentId): Topic<PositionEventMessage> =>
    join('exec.position', encodeToken(strategy), instrumentTokens(id)) as Topic<PositionEventMessage>,
  allPositionEvents: (): TopicPattern<PositionEventMessage> => 'exec.position.>' as TopicPattern<PositionEventMessage>,
  positionEventsOf: (strategy: StrategyId): TopicPattern<PositionEventMessage> =>
    join('exec.position', encodeToken(strategy), '>') as TopicPattern<PositionEventMessage>,
  /** `exec.account.<account>` */
  accountEvents: (account: AccountId): Topic<AccountEventMessage> =>
    join('exec.account', encodeToken(account)) as Topic<AccountEventMessage>,
  allAccountEvents: (): TopicPattern<AccountEventMessage> => 'exec.account.*' as TopicPattern<AccountEventMessage>,

  // ---- risk
  /** `risk.event.<strategy>`: denied orders and other risk decisions about one strategy. */
  riskEvents: (strategy: StrategyId): Topic<RiskEventMessage> => join('risk.event', encodeToken(strategy)) as Topic<RiskEventMessage>,
  allRiskEvents: (): TopicPattern<RiskEventMessage> => 'risk.event.*' as TopicPattern<RiskEventMessage>,
  /** `risk.trading_state`: the kill switch (active, reducing, halted). */
  tradingState: (): Topic<RiskEventMessage> => 'risk.trading_state' as Topic<RiskEventMessage>,

  // ---- system
  /** `system.component.<id>`: lifecycle changes of one component. */
  componentStatus: (componentId: string): Topic<ComponentStateChanged> =>
    join('system.component', encodeToken(componentId)) as Topic<ComponentStateChanged>,
  allComponentStatus: (): TopicPattern<ComponentStateChanged> => 'system.component.*' as TopicPattern<ComponentStateChanged>,
  /** `system.bus.handler_failed`: a subscriber's handler threw. */
  busErrors: (): Topic<HandlerFailed> => 'system.bus.handler_failed' as Topic<HandlerFailed>,

  // ---- request/response
  /** `svc.<service>.<method>`: a request/response endpoint (NATS service naming). */
  endpoint: <Q, R>(service: string, method: string): Endpoint<Q, R> =>
    join('svc', encodeToken(service), encodeToken(method)) as string as Endpoint<Q, R>,
} as const;
