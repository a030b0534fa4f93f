import type { Bar, BookDeltas, QuoteTick, TradeTick } from '../../core/data.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { RejectReason } from '../common/reject-reason.js';

/** Which Binance market a connection talks to: spot or USD-M futures. */
export const BinanceMarket = { Spot: 'spot', Futures: 'futures' } as const;
export type BinanceMarket = (typeof BinanceMarket)[keyof typeof BinanceMarket];

/** Tradewind venue names of the two markets (the `VENUE` part of an InstrumentId). */
export const BINANCE_VENUE: Readonly<Record<BinanceMarket, string>> = { spot: 'BINANCE', futures: 'BINANCE_FUTURES' };

/** What a parser needs to know about an instrument: its id and the precisions its prices and sizes use. */
export interface InstrumentPrecision {
  readonly instrumentId: InstrumentId;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
}

/** Finds an instrument by the venue's symbol (`BTCUSDT`), or undefined when it is not known. */
export type InstrumentLookup = (venueSymbol: string) => InstrumentPrecision | undefined;

/** Why a frame was dropped: the vocabulary shared by every venue (counted per venue and reason). */
export { RejectReason };

export interface Rejection {
  readonly type: 'rejection';
  readonly reason: RejectReason;
  /** The wire field that failed (`p`, `data.b[3][0]`), when one did. */
  readonly field: string | undefined;
  readonly detail: string;
}

/**
 * A diff-depth event with the update ids the local-book procedure needs (book-sync.ts). Adapter-internal:
 * the client publishes only `deltas` once the event has been accepted in sequence.
 */
export interface DepthDiff {
  readonly type: 'depth_diff';
  readonly symbol: string;
  /** `U`: first update id in the event. */
  readonly firstUpdateId: number;
  /** `u`: final update id in the event. */
  readonly finalUpdateId: number;
  /** `pu` (futures only): final update id of the previous event; -1 when absent (spot). */
  readonly prevFinalUpdateId: number;
  readonly deltas: BookDeltas;
}

/** A kline: the bar so far, and whether the venue has closed it (`x`). Only closed bars are final. */
export interface KlineUpdate {
  readonly type: 'kline';
  readonly symbol: string;
  readonly interval: string;
  readonly closed: boolean;
  readonly firstTradeId: number;
  readonly lastTradeId: number;
  readonly bar: Bar;
}

/** Reply to a control request (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS ...), matched by `id`. */
export interface ControlReply {
  readonly type: 'control';
  readonly id: number | string | null;
  readonly result: unknown;
  readonly error: { readonly code: number; readonly msg: string } | undefined;
}

/** Everything a Binance market data frame can turn into. */
export type BinanceMessage = TradeTick | QuoteTick | DepthDiff | KlineUpdate | ControlReply | Rejection;
