import type { BookDeltas, BookLevelDelta, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { AggressorSide, BookSide } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import { TradeId } from '../../core/identifiers.js';
import type { UnixMicros } from '../../core/time.js';
import { RejectReason, reasonOf } from '../common/reject-reason.js';
import { arr, instrumentOf, int, obj, positivePrice, quantity, timeOf } from './common.js';

/**
 * Coinbase Advanced Trade WebSocket (wss://advanced-trade-ws.coinbase.com). Every message is an envelope
 *   { channel, client_id, timestamp, sequence_num, events: [...] }
 * where `sequence_num` counts every message on the connection: a jump means messages were lost, and the
 * client must resubscribe (books start again from a snapshot). Channels used here:
 *   market_trades  events[].trades[]: trade_id, product_id, price, size, side, time
 *   ticker         events[].tickers[]: product_id, price, best_bid, best_bid_quantity, best_ask, best_ask_quantity
 *   l2_data        (subscribed as `level2`) events[]: type snapshot|update, product_id,
 *                  updates[]: side bid|offer, event_time, price_level, new_quantity
 *   heartbeats     events[]: current_time, heartbeat_counter (a string in the documented example)
 *   subscriptions  events[].subscriptions: channel -> product ids
 * As on the Exchange feed, a trade's `side` is taken as the maker's side, so the aggressor is the opposite.
 */
export type AdvancedEvent = TradeTick | QuoteTick | BookSnapshot | BookDeltas;

export interface AdvancedMessage {
  readonly channel: string;
  readonly sequence: number;
  readonly events: AdvancedEvent[];
  /** Heartbeat counter when the message is a heartbeat. */
  readonly heartbeat?: number;
  readonly subscriptions?: Readonly<Record<string, readonly string[]>>;
}

export type AdvancedParse =
  | { readonly kind: 'message'; readonly message: AdvancedMessage }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'rejection'; readonly reason: RejectReason; readonly field: string | undefined; readonly channel: string | undefined };

function tradesOf(e: Record<string, unknown>, i: number, tsInit: UnixMicros, out: AdvancedEvent[]): void {
  arr(e.trades, `events[${i}].trades`).forEach((t, j) => {
    const at = `events[${i}].trades[${j}]`;
    const trade = obj(t, at);
    const side = trade.side;
    if (side !== 'BUY' && side !== 'SELL') throw new ParseError(`side is not BUY or SELL: ${JSON.stringify(side)}`, `${at}.side`);
    if (typeof trade.trade_id !== 'string' && typeof trade.trade_id !== 'number') throw new ParseError('missing trade id', `${at}.trade_id`);
    out.push({
      type: 'trade',
      instrumentId: instrumentOf(trade.product_id, `${at}.product_id`),
      price: positivePrice(trade.price, `${at}.price`),
      size: quantity(trade.size, `${at}.size`, true),
      aggressorSide: side === 'SELL' ? AggressorSide.Buyer : AggressorSide.Seller,
      tradeId: TradeId.parse(String(trade.trade_id)),
      tsEvent: timeOf(trade.time, `${at}.time`),
      tsInit,
    });
  });
}

function tickersOf(e: Record<string, unknown>, i: number, tsEvent: UnixMicros, tsInit: UnixMicros, out: AdvancedEvent[]): void {
  arr(e.tickers, `events[${i}].tickers`).forEach((t, j) => {
    const at = `events[${i}].tickers[${j}]`;
    const ticker = obj(t, at);
    out.push({
      type: 'quote',
      instrumentId: instrumentOf(ticker.product_id, `${at}.product_id`),
      bidPrice: positivePrice(ticker.best_bid, `${at}.best_bid`),
      askPrice: positivePrice(ticker.best_ask, `${at}.best_ask`),
      bidSize: quantity(ticker.best_bid_quantity, `${at}.best_bid_quantity`, false),
      askSize: quantity(ticker.best_ask_quantity, `${at}.best_ask_quantity`, false),
      tsEvent,
      tsInit,
    });
  });
}

function bookOf(e: Record<string, unknown>, i: number, sequence: number, tsEvent: UnixMicros, tsInit: UnixMicros, out: AdvancedEvent[]): void {
  const at = `events[${i}]`;
  const instrumentId = instrumentOf(e.product_id, `${at}.product_id`);
  const deltas: BookLevelDelta[] = arr(e.updates, `${at}.updates`).map((u, j) => {
    const update = obj(u, `${at}.updates[${j}]`);
    if (update.side !== 'bid' && update.side !== 'offer') throw new ParseError(`side is not bid or offer: ${JSON.stringify(update.side)}`, `${at}.updates[${j}].side`);
    return {
      side: update.side === 'bid' ? BookSide.Bid : BookSide.Ask,
      price: positivePrice(update.price_level, `${at}.updates[${j}].price_level`),
      size: quantity(update.new_quantity, `${at}.updates[${j}].new_quantity`, false),
    };
  });
  if (e.type === 'snapshot') {
    const bids = deltas.filter((d) => d.side === BookSide.Bid && d.size.raw > 0).map((d) => [d.price, d.size] as const);
    const asks = deltas.filter((d) => d.side === BookSide.Ask && d.size.raw > 0).map((d) => [d.price, d.size] as const);
    bids.sort((a, b) => b[0].compare(a[0]));
    asks.sort((a, b) => a[0].compare(b[0]));
    out.push({ type: 'book_snapshot', instrumentId, bids, asks, sequence, tsEvent, tsInit });
  } else if (e.type === 'update') {
    out.push({ type: 'book_deltas', instrumentId, deltas, firstSequence: sequence, sequence, tsEvent, tsInit });
  } else {
    throw new ParseError(`book event type is not snapshot or update: ${JSON.stringify(e.type)}`, `${at}.type`);
  }
}

/** Parses one Advanced Trade message; never throws. */
export function parseAdvancedMessage(text: string, tsInit: UnixMicros): AdvancedParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'rejection', reason: RejectReason.InvalidJson, field: undefined, channel: undefined };
  }
  const channel = typeof parsed === 'object' && parsed !== null && typeof (parsed as { channel?: unknown }).channel === 'string' ? (parsed as { channel: string }).channel : undefined;
  try {
    const o = obj(parsed, 'message');
    if (o.type === 'error') return { kind: 'error', message: String(o.message ?? '') };
    const sequence = int(o.sequence_num, 'sequence_num');
    const tsEvent = timeOf(o.timestamp, 'timestamp');
    const events: AdvancedEvent[] = [];
    const list = arr(o.events, 'events');
    let heartbeat: number | undefined;
    let subscriptions: Record<string, string[]> | undefined;
    list.forEach((ev, i) => {
      const e = obj(ev, `events[${i}]`);
      switch (channel) {
        case 'market_trades':
          return tradesOf(e, i, tsInit, events);
        case 'ticker':
        case 'ticker_batch':
          return tickersOf(e, i, tsEvent, tsInit, events);
        case 'l2_data':
          return bookOf(e, i, sequence, tsEvent, tsInit, events);
        case 'heartbeats':
          heartbeat = int(e.heartbeat_counter, `events[${i}].heartbeat_counter`);
          return;
        case 'subscriptions': {
          const subs = obj(e.subscriptions, `events[${i}].subscriptions`);
          subscriptions = Object.fromEntries(Object.entries(subs).map(([k, v]) => [k, arr(v, `events[${i}].subscriptions.${k}`).map(String)]));
          return;
        }
        default:
          throw new ParseError(`unknown channel ${JSON.stringify(channel)}`, 'channel');
      }
    });
    return {
      kind: 'message',
      message: { channel: channel as string, sequence, events, ...(heartbeat === undefined ? {} : { heartbeat }), ...(subscriptions === undefined ? {} : { subscriptions }) },
    };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { kind: 'rejection', reason: err.field === 'channel' ? RejectReason.UnknownType : reasonOf(err, RejectReason.BadField), field: err.field, channel };
  }
}

/** Tracks `sequence_num` on one connection: returns the number of messages missed (0 when in order). */
export class AdvancedSequence {
  private last = -1;

  next(sequence: number): number {
    const missed = this.last < 0 || sequence <= this.last ? 0 : sequence - this.last - 1;
    if (sequence > this.last) this.last = sequence;
    return missed;
  }

  reset(): void {
    this.last = -1;
  }
}
