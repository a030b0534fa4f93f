import type { BookDeltas, BookLevelDelta, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { AggressorSide, BookSide } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import { TradeId } from '../../core/identifiers.js';
import type { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import { RejectReason, reasonOf } from '../common/reject-reason.js';
import { arr, instrumentOf, int, obj, positivePrice, quantity, timeOf } from './common.js';

/**
 * Coinbase Exchange WebSocket feed (wss://ws-feed.exchange.coinbase.com), channels matches, ticker, level2
 * and heartbeat. Pure: `parseExchangeMessage(text, tsInit)` returns domain events plus the bookkeeping a
 * client needs (sequence numbers and trade ids for gap detection); it never throws.
 *
 * - `match` / `last_match`: `side` is the MAKER's side (Coinbase's documented convention), so a `sell`
 *   match was lifted by a buyer: the aggressor is the opposite side.
 * - `ticker`: best bid/ask, with sizes on current feeds (`best_bid_size`); older feeds have none, and then
 *   no quote is made (a quote with unknown sizes would be wrong, not merely incomplete). A side with no
 *   orders comes as null: the frame is valid (the stream is alive) but makes no quote either.
 * - `snapshot` / `l2update`: absolute sizes, `0` removes a level; level2 has no sequence numbers.
 * - `heartbeat`: `sequence` and `last_trade_id` per product, which let a client see missed trades.
 */
export type ExchangeMessage =
  | { readonly kind: 'trade'; readonly event: TradeTick; readonly sequence: number; readonly tradeId: number }
  | { readonly kind: 'quote'; readonly event: QuoteTick | undefined; readonly sequence: number; readonly productId: string }
  | { readonly kind: 'book_snapshot'; readonly event: BookSnapshot }
  | { readonly kind: 'book_deltas'; readonly event: BookDeltas }
  | { readonly kind: 'heartbeat'; readonly productId: string; readonly sequence: number; readonly lastTradeId: number; readonly time: UnixMicros }
  | { readonly kind: 'subscriptions'; readonly channels: readonly { readonly name: string; readonly productIds: readonly string[] }[] }
  | { readonly kind: 'error'; readonly message: string; readonly reason: string }
  | { readonly kind: 'rejection'; readonly reason: RejectReason; readonly field: string | undefined; readonly messageType: string | undefined };

function levels(v: unknown, field: string): (readonly [Price, Quantity])[] {
  return arr(v, field).map((l, i) => {
    const level = arr(l, `${field}[${i}]`);
    return [positivePrice(level[0], `${field}[${i}][0]`), quantity(level[1], `${field}[${i}][1]`, false)] as const;
  });
}

function parseObject(o: Record<string, unknown>, tsInit: UnixMicros): ExchangeMessage {
  switch (o.type) {
    case 'match':
    case 'last_match': {
      const tradeId = int(o.trade_id, 'trade_id');
      if (o.side !== 'buy' && o.side !== 'sell') throw new ParseError(`side is not buy or sell: ${JSON.stringify(o.side)}`, 'side');
      return {
        kind: 'trade',
        sequence: int(o.sequence, 'sequence'),
        tradeId,
        event: {
          type: 'trade',
          instrumentId: instrumentOf(o.product_id),
          price: positivePrice(o.price, 'price'),
          size: quantity(o.size, 'size', true),
          aggressorSide: o.side === 'sell' ? AggressorSide.Buyer : AggressorSide.Seller,
          tradeId: TradeId.parse(String(tradeId)),
          tsEvent: timeOf(o.time),
          tsInit,
        },
      };
    }
    case 'ticker': {
      const instrumentId = instrumentOf(o.product_id);
      const sequence = int(o.sequence, 'sequence');
      // A side with no orders comes as null price (and null size): a valid frame that makes no quote.
      const oneSided = o.best_bid === null || o.best_ask === null;
      for (const side of ['bid', 'ask'] as const) {
        const px = o[`best_${side}`];
        const size = o[`best_${side}_size`];
        if (px === null && size !== null && size !== undefined) throw new ParseError(`best_${side} is null but its size is not`, `best_${side}_size`);
        if (px !== null) positivePrice(px, `best_${side}`);
      }
      const hasSizes = o.best_bid_size !== undefined && o.best_ask_size !== undefined;
      const event: QuoteTick | undefined =
        hasSizes && !oneSided
          ? {
              type: 'quote',
              instrumentId,
              bidPrice: positivePrice(o.best_bid, 'best_bid'),
              askPrice: positivePrice(o.best_ask, 'best_ask'),
              bidSize: quantity(o.best_bid_size, 'best_bid_size', false),
              askSize: quantity(o.best_ask_size, 'best_ask_size', false),
              tsEvent: timeOf(o.time),
              tsInit,
            }
          : undefined;
      return { kind: 'quote', event, sequence, productId: o.product_id as string };
    }
    case 'snapshot':
      return {
        kind: 'book_snapshot',
        event: {
          type: 'book_snapshot',
          instrumentId: instrumentOf(o.product_id),
          bids: levels(o.bids, 'bids'),
          asks: levels(o.asks, 'asks'),
          sequence: 0,
          tsEvent: o.time === undefined ? tsInit : timeOf(o.time),
          tsInit,
        },
      };
    case 'l2update': {
      const deltas: BookLevelDelta[] = arr(o.changes, 'changes').map((c, i) => {
        const change = arr(c, `changes[${i}]`);
        if (change[0] !== 'buy' && change[0] !== 'sell') throw new ParseError(`side is not buy or sell: ${JSON.stringify(change[0])}`, `changes[${i}][0]`);
        return {
          side: change[0] === 'buy' ? BookSide.Bid : BookSide.Ask,
          price: positivePrice(change[1], `changes[${i}][1]`),
          size: quantity(change[2], `changes[${i}][2]`, false),
        };
      });
      return {
        kind: 'book_deltas',
        event: { type: 'book_deltas', instrumentId: instrumentOf(o.product_id), deltas, firstSequence: 0, sequence: 0, tsEvent: timeOf(o.time), tsInit },
      };
    }
    case 'heartbeat':
      instrumentOf(o.product_id); // validates the product id
      return {
        kind: 'heartbeat',
        productId: o.product_id as string,
        sequence: int(o.sequence, 'sequence'),
        lastTradeId: int(o.last_trade_id, 'last_trade_id'),
        time: timeOf(o.time),
      };
    case 'subscriptions':
      return {
        kind: 'subscriptions',
        channels: arr(o.channels, 'channels').map((c, i) => {
          const ch = obj(c, `channels[${i}]`);
          return { name: String(ch.name), productIds: arr(ch.product_ids ?? [], `channels[${i}].product_ids`).map(String) };
        }),
      };
    case 'error':
      return { kind: 'error', message: String(o.message ?? ''), reason: String(o.reason ?? '') };
    default:
      throw new ParseError(`unknown message type ${JSON.stringify(o.type)}`, 'type');
  }
}

/** Parses one frame of the Exchange feed; never throws. */
export function parseExchangeMessage(text: string, tsInit: UnixMicros): ExchangeMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'rejection', reason: RejectReason.InvalidJson, field: undefined, messageType: undefined };
  }
  const messageType = typeof parsed === 'object' && parsed !== null && typeof (parsed as { type?: unknown }).type === 'string' ? (parsed as { type: string }).type : undefined;
  try {
    return parseObject(obj(parsed, 'message'), tsInit);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    const reason = err.field === 'type' ? RejectReason.UnknownType : /not an object/.test(err.message) && err.field === 'message' ? RejectReason.NotObject : reasonOf(err, RejectReason.BadField);
    return { kind: 'rejection', reason, field: err.field, messageType };
  }
}

/**
 * Gap detection on the Exchange feed, per product. Trade ids of a product are consecutive, so a match whose
 * id skips ahead means trades were missed; a heartbeat's `last_trade_id` beyond the last seen id says the
 * same when no match arrived. Duplicates (ids already seen) are reported so the client can drop them.
 */
export class ExchangeTradeSequencer {
  private readonly lastTradeId = new Map<string, number>();

  /** Returns 'ok', 'duplicate', or the first missing id range [from, to] (inclusive). */
  onTrade(productId: string, tradeId: number): 'ok' | 'duplicate' | readonly [number, number] {
    const last = this.lastTradeId.get(productId);
    if (last !== undefined && tradeId <= last) return 'duplicate';
    this.lastTradeId.set(productId, tradeId);
    if (last !== undefined && tradeId > last + 1) return [last + 1, tradeId - 1];
    return 'ok';
  }

  /** Missing id range implied by a heartbeat, if any. Does not advance the last seen id. */
  onHeartbeat(productId: string, lastTradeId: number): readonly [number, number] | undefined {
    const last = this.lastTradeId.get(productId);
    if (last === undefined) {
      this.lastTradeId.set(productId, lastTradeId);
      return undefined;
    }
    return lastTradeId > last ? [last + 1, lastTradeId] : undefined;
  }

  reset(productId?: string): void {
    if (productId === undefined) this.lastTradeId.clear();
    else this.lastTradeId.delete(productId);
  }
}

