import type { TradeTick } from '../../core/data.js';
import { AggressorSide } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import { TradeId } from '../../core/identifiers.js';
import type { UnixMicros } from '../../core/time.js';
import { arr, instrumentOf, int, obj, positivePrice, quantity, timeOf } from './common.js';

/**
 * Coinbase Exchange REST bodies the data client reads:
 *  - `GET /products/{id}/trades`: `[{ time, trade_id, price, size, side }]`, newest first; `side` is the
 *    maker's side, as on the `matches` channel, so the aggressor is the opposite;
 *  - `GET /products`: `[{ id, quote_increment, base_increment, ... }]`, the precisions of each product.
 * Pure and never throwing: a bad body is a typed rejection naming the field.
 */
export type RestParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly field: string | undefined; readonly detail: string };

export interface RestTrade {
  readonly tradeId: number;
  readonly event: TradeTick;
}

export interface ProductPrecision {
  readonly productId: string;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
}

function guard<T>(f: () => T): RestParse<T> {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, field: err.field, detail: err.message };
    if (err instanceof SyntaxError) return { ok: false, field: undefined, detail: `invalid JSON: ${err.message}` };
    throw err;
  }
}

export function parseRestTrades(text: string, productId: string, tsInit: UnixMicros): RestParse<RestTrade[]> {
  return guard(() => {
    const instrumentId = instrumentOf(productId);
    return arr(JSON.parse(text) as unknown, 'trades').map((row, i) => {
      const t = obj(row, `trades[${i}]`);
      const tradeId = int(t.trade_id, `trades[${i}].trade_id`);
      if (t.side !== 'buy' && t.side !== 'sell') throw new ParseError(`side is not buy or sell: ${JSON.stringify(t.side)}`, `trades[${i}].side`);
      return {
        tradeId,
        event: {
          type: 'trade',
          instrumentId,
          price: positivePrice(t.price, `trades[${i}].price`),
          size: quantity(t.size, `trades[${i}].size`, true),
          aggressorSide: t.side === 'sell' ? AggressorSide.Buyer : AggressorSide.Seller,
          tradeId: TradeId.parse(String(tradeId)),
          tsEvent: timeOf(t.time, `trades[${i}].time`),
          tsInit,
        },
      };
    });
  });
}

/** "0.01" -> 2, "1" -> 0, "0.00000001" -> 8. */
function incrementPrecision(v: unknown, field: string): number {
  if (typeof v !== 'string' || !/^\d+(?:\.\d+)?$/.test(v) || !/[1-9]/.test(v)) throw new ParseError(`not a positive increment: ${JSON.stringify(v)}`, field);
  const dot = v.indexOf('.');
  return dot < 0 ? 0 : v.replace(/0+$/, '').length - dot - 1;
}

export function parseProducts(text: string): RestParse<ProductPrecision[]> {
  return guard(() =>
    arr(JSON.parse(text) as unknown, 'products').map((row, i) => {
      const p = obj(row, `products[${i}]`);
      instrumentOf(p.id, `products[${i}].id`);
      return {
        productId: p.id as string,
        pricePrecision: incrementPrecision(p.quote_increment, `products[${i}].quote_increment`),
        sizePrecision: incrementPrecision(p.base_increment, `products[${i}].base_increment`),
      };
    }),
  );
}
