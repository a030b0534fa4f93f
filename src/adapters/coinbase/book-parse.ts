/**
 * Coinbase Exchange `level2` book messages (docs.cdp.coinbase.com, Exchange WebSocket "Level2 channel"):
 *   {"type":"snapshot","product_id":"BTC-USD","bids":[["10101.10","0.45054140"]],"asks":[...]}
 *   {"type":"l2update","product_id":"BTC-USD","changes":[["buy","10101.80000000","0.162567"]],"time":"..."}
 * Sizes are absolute; "0" removes the level. These messages carry no sequence number, so a book built from
 * them cannot detect a gap: it is only as good as the connection, and a reconnect must start from a new snapshot.
 *
 * Self-contained on purpose (only core imports): the full Coinbase adapter may replace it.
 */

export interface CoinbaseLevel {
  readonly price: string;
  readonly size: string;
}

export type CoinbaseBookMessage =
  | { readonly type: 'snapshot'; readonly productId: string; readonly bids: readonly CoinbaseLevel[]; readonly asks: readonly CoinbaseLevel[] }
  | {
      readonly type: 'l2update';
      readonly productId: string;
      readonly changes: readonly (CoinbaseLevel & { readonly side: 'buy' | 'sell' })[];
      readonly time: string | undefined;
    }
  /** Any other message type (subscriptions, heartbeat, ticker ...): not a book message. */
  | { readonly type: 'other'; readonly messageType: string }
  | { readonly type: 'rejection'; readonly reason: string; readonly field: string | undefined; readonly detail: string };

const DECIMAL = /^\d+(?:\.\d+)?$/;

class Bad {
  constructor(
    readonly reason: string,
    readonly field: string | undefined,
    readonly detail: string,
  ) {}
}

function level(v: unknown, at: string, withSide: boolean): CoinbaseLevel & { side?: 'buy' | 'sell' } {
  if (!Array.isArray(v) || v.length < (withSide ? 3 : 2)) throw new Bad('bad_field', at, 'not a level array');
  const [side, price, size] = withSide ? v : [undefined, v[0], v[1]];
  if (withSide && side !== 'buy' && side !== 'sell') throw new Bad('bad_field', `${at}[0]`, `side is not buy or sell: ${JSON.stringify(side)}`);
  const pi = withSide ? 1 : 0;
  if (typeof price !== 'string' || !DECIMAL.test(price) || !/[1-9]/.test(price)) throw new Bad('bad_price', `${at}[${pi}]`, `not a positive decimal: ${JSON.stringify(price)}`);
  if (typeof size !== 'string' || !DECIMAL.test(size)) throw new Bad(typeof size === 'string' && size.startsWith('-') ? 'negative_size' : 'bad_size', `${at}[${pi + 1}]`, `not a decimal size: ${JSON.stringify(size)}`);
  return withSide ? { side: side as 'buy' | 'sell', price, size } : { price, size };
}

function levels(o: Record<string, unknown>, key: string, withSide: boolean) {
  const v = o[key];
  if (v === undefined) throw new Bad('missing_field', key, `missing field ${key}`);
  if (!Array.isArray(v)) throw new Bad('bad_field', key, `${key} is not an array`);
  return v.map((x, k) => level(x, `${key}[${k}]`, withSide));
}

/** Parses one Coinbase Exchange message (text or parsed JSON) as a book message. Never throws. */
export function parseCoinbaseBookMessage(input: unknown): CoinbaseBookMessage {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch (err) {
      return { type: 'rejection', reason: 'invalid_json', field: undefined, detail: err instanceof Error ? err.message : 'invalid JSON' };
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { type: 'rejection', reason: 'not_object', field: undefined, detail: 'message is not an object' };
  const o = v as Record<string, unknown>;
  try {
    if (typeof o.type !== 'string') throw new Bad('missing_field', 'type', 'missing message type');
    if (o.type !== 'snapshot' && o.type !== 'l2update') return { type: 'other', messageType: o.type };
    if (typeof o.product_id !== 'string' || o.product_id === '') throw new Bad('missing_field', 'product_id', 'missing product_id');
    if (o.type === 'snapshot') {
      return { type: 'snapshot', productId: o.product_id, bids: levels(o, 'bids', false), asks: levels(o, 'asks', false) };
    }
    const changes = levels(o, 'changes', true) as (CoinbaseLevel & { side: 'buy' | 'sell' })[];
    return { type: 'l2update', productId: o.product_id, changes, time: typeof o.time === 'string' ? o.time : undefined };
  } catch (err) {
    if (err instanceof Bad) return { type: 'rejection', reason: err.reason, field: err.field, detail: err.detail };
    return { type: 'rejection', reason: 'bad_field', field: undefined, detail: `unexpected parser error: ${String(err)}` };
  }
}
