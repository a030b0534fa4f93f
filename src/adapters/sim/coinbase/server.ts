import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { UnixMicros } from '../../../core/time.js';
import { formatFixed } from '../fixed.js';
import { sendJson } from '../http-util.js';
import type { SymbolMarket } from '../market.js';
import { VenueConn, VenueSimulator, type VenueSimOptions } from '../venue-base.js';
import type { Outbox } from '../ws-out.js';

/**
 * The Coinbase Exchange market-data feed (ws-feed): `subscribe`/`unsubscribe` with product_ids and
 * channels, a `subscriptions` reply, and the channels heartbeat, ticker, matches (with `last_match`),
 * level2 and level2_batch (a snapshot, then `l2update`). Sequence numbers are the product's book sequence,
 * so a gap fault shows on ticker, match and heartbeat messages. REST: /products, /products/<id>/book,
 * /trades (paged with the `after`/`before` cursors), /candles and /time.
 */
export const COINBASE_CHANNELS = ['heartbeat', 'ticker', 'matches', 'level2', 'level2_batch'] as const;
type Channel = (typeof COINBASE_CHANNELS)[number];

export interface CoinbaseSimOptions extends VenueSimOptions {
  /** A connection that has not subscribed within this time is closed, as by the venue (0 = never). */
  readonly subscribeTimeoutMs?: number;
}

class CoinbaseConn extends VenueConn {
  readonly subs = new Map<Channel, Set<number>>();
  subscribed = false;
}

function isChannel(s: unknown): s is Channel {
  return typeof s === 'string' && (COINBASE_CHANNELS as readonly string[]).includes(s);
}

/** A deterministic UUID-shaped order id (the simulator has no real orders behind its trades). */
function orderId(a: number, b: number): string {
  const h = (x: number, n: number): string => (x >>> 0).toString(16).padStart(8, '0').slice(0, n);
  const x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  const y = Math.imul(b ^ 0xc2b2ae35, 0x27d4eb2f) ^ a;
  return `${h(x, 8)}-${h(y, 4)}-4${h(x ^ y, 3)}-a${h(y >>> 3, 3)}-${h(a, 8)}${h(b, 4)}`;
}

export class CoinbaseSimulator extends VenueSimulator<CoinbaseConn> {
  private readonly subs = new Map<Channel, CoinbaseConn[][]>();
  private readonly stats: { open: number; high: number; low: number; volume: number; lastTradeId: number }[];
  /** Per product, the last match not yet reported on the ticker channel (id -1: none). */
  private readonly lastMatch: { id: number; price: number; qty: number; timeUs: number; buyerMaker: boolean }[];

  private constructor(opts: CoinbaseSimOptions) {
    super(opts);
    for (const ch of COINBASE_CHANNELS) this.subs.set(ch, this.market.symbols.map(() => []));
    this.stats = this.market.symbols.map((m) => ({ open: m.lastPrice, high: m.lastPrice, low: m.lastPrice, volume: 0, lastTradeId: m.nextTradeId - 1 }));
    this.lastMatch = this.market.symbols.map(() => ({ id: -1, price: 0, qty: 0, timeUs: 0, buyerMaker: false }));
  }

  static async start(opts: CoinbaseSimOptions): Promise<CoinbaseSimulator> {
    const sim = new CoinbaseSimulator(opts);
    await sim.listenAndRun();
    return sim;
  }

  protected get venueName(): string {
    return 'coinbase-exchange';
  }

  private price(m: SymbolMarket, ticks: number): string {
    return formatFixed(ticks, m.spec.pricePrecision);
  }

  private size(m: SymbolMarket, lots: number): string {
    return formatFixed(lots, m.spec.qtyPrecision);
  }

  private matchFrame(type: 'match' | 'last_match', m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): string {
    // Coinbase's match side is the maker's: "sell" means a buyer took the offer.
    const side = buyerMaker ? 'buy' : 'sell';
    return `{"type":"${type}","trade_id":${id},"maker_order_id":"${orderId(id, m.index)}","taker_order_id":"${orderId(m.index, id)}","side":"${side}","size":"${this.size(m, qty)}","price":"${this.price(m, price)}","product_id":"${m.symbol}","sequence":${m.updateId},"time":"${UnixMicros.toIso(UnixMicros.unsafe(timeUs))}"}`;
  }

  /**
   * The ticker's `best_bid`/`best_bid_size` (or ask) pair. An empty side has no price: both are null, not
   * a "0" that a client would take for a quote (the venue's messages never carry a zero price).
   */
  private touch(m: SymbolMarket, side: 'bid' | 'ask'): string {
    const tick = side === 'bid' ? m.bestBid : m.bestAsk;
    if (tick < 0) return `"best_${side}":null,"best_${side}_size":null`;
    return `"best_${side}":"${this.price(m, tick)}","best_${side}_size":"${this.size(m, side === 'bid' ? m.bidAt(tick) : m.askAt(tick))}"`;
  }

  trade(m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void {
    const st = this.stats[m.index];
    if (price > st.high) st.high = price;
    if (price < st.low) st.low = price;
    st.volume += qty;
    st.lastTradeId = id;
    const matches = this.subs.get('matches')![m.index];
    if (matches.length > 0) this.send(`matches.${m.symbol}`, this.matchFrame('match', m, id, price, qty, timeUs, buyerMaker), matches);
    // The ticker waits for the book to take the match (the market reports it right after the taker order):
    // its best bid/ask are those after the match, and cascading matches make one ticker, as at the venue.
    const last = this.lastMatch[m.index];
    last.id = id;
    last.price = price;
    last.qty = qty;
    last.timeUs = timeUs;
    last.buyerMaker = buyerMaker;
  }

  private flushTicker(m: SymbolMarket): void {
    const last = this.lastMatch[m.index];
    if (last.id < 0) return;
    const ticker = this.subs.get('ticker')![m.index];
    if (ticker.length > 0) {
      const st = this.stats[m.index];
      const vol = this.size(m, st.volume);
      this.send(
        `ticker.${m.symbol}`,
        `{"type":"ticker","sequence":${m.updateId},"product_id":"${m.symbol}","price":"${this.price(m, last.price)}","open_24h":"${this.price(m, st.open)}","volume_24h":"${vol}","low_24h":"${this.price(m, st.low)}","high_24h":"${this.price(m, st.high)}","volume_30d":"${vol}",${this.touch(m, 'bid')},${this.touch(m, 'ask')},"side":"${last.buyerMaker ? 'sell' : 'buy'}","time":"${UnixMicros.toIso(UnixMicros.unsafe(last.timeUs))}","trade_id":${last.id},"last_size":"${this.size(m, last.qty)}"}`,
        ticker,
      );
    }
    last.id = -1;
  }

  aggTrade(): void {}

  bookTicker(m: SymbolMarket): void {
    this.flushTicker(m);
  }

  depthDiff(m: SymbolMarket, windowMs: 100 | 1000, _first: number, _last: number, _prev: number, timeUs: number, bids: readonly number[], asks: readonly number[]): void {
    if (windowMs !== 100) return;
    const l2 = this.subs.get('level2')![m.index];
    const batch = this.subs.get('level2_batch')![m.index];
    if (l2.length === 0 && batch.length === 0) return;
    let changes = '';
    for (let i = 0; i < bids.length; i += 2) changes += `${changes === '' ? '' : ','}["buy","${this.price(m, bids[i])}","${this.size(m, bids[i + 1])}"]`;
    for (let i = 0; i < asks.length; i += 2) changes += `${changes === '' ? '' : ','}["sell","${this.price(m, asks[i])}","${this.size(m, asks[i + 1])}"]`;
    const frame = `{"type":"l2update","product_id":"${m.symbol}","changes":[${changes}],"time":"${UnixMicros.toIso(UnixMicros.unsafe(timeUs))}"}`;
    this.send(`level2.${m.symbol}`, frame, l2);
    this.send(`level2_batch.${m.symbol}`, frame, batch);
  }

  boundary(timeUs: number): void {
    // A match the book did not report on (none in synthetic markets) still gets its ticker.
    for (const m of this.market.symbols) this.flushTicker(m);
    if (timeUs % 1_000_000 !== 0) return;
    const hb = this.subs.get('heartbeat')!;
    const time = UnixMicros.toIso(UnixMicros.unsafe(timeUs));
    for (const m of this.market.symbols) {
      const conns = hb[m.index];
      if (conns.length === 0) continue;
      this.send(`heartbeat.${m.symbol}`, `{"type":"heartbeat","sequence":${m.updateId},"last_trade_id":${this.stats[m.index].lastTradeId},"product_id":"${m.symbol}","time":"${time}"}`, conns);
    }
  }

  protected acceptsPath(path: string): boolean {
    return path === '/' || path === '';
  }

  protected newConn(ws: WebSocket, outbox: Outbox, path: string): CoinbaseConn {
    return new CoinbaseConn(ws, outbox, path, this.wallNowMs());
  }

  protected onOpen(conn: CoinbaseConn): void {
    const t = (this.opts as CoinbaseSimOptions).subscribeTimeoutMs ?? 5000;
    if (t > 0) {
      setTimeout(() => {
        if (!conn.subscribed && conn.ws.readyState === 1) conn.ws.close(1000, 'no subscribe message received');
      }, t).unref();
    }
  }

  protected onClosed(conn: CoinbaseConn): void {
    for (const [ch, set] of conn.subs) for (const i of set) this.unlink(ch, i, conn);
  }

  private unlink(ch: Channel, i: number, conn: CoinbaseConn): void {
    const list = this.subs.get(ch)![i];
    const k = list.indexOf(conn);
    if (k >= 0) list.splice(k, 1);
  }

  private error(conn: CoinbaseConn, message: string, reason: string): void {
    this.reply(conn, JSON.stringify({ type: 'error', message, reason }));
  }

  protected onText(conn: CoinbaseConn, text: string): void {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
      msg = parsed as Record<string, unknown>;
    } catch {
      return this.error(conn, 'Malformed JSON', 'request is not a JSON object');
    }
    if (msg.type !== 'subscribe' && msg.type !== 'unsubscribe') return this.error(conn, 'Failed to subscribe', `${String(msg.type)} is not a valid type`);
    const top = msg.product_ids ?? [];
    if (!Array.isArray(top) || !Array.isArray(msg.channels) || msg.channels.length === 0) return this.error(conn, 'Failed to subscribe', 'channels and product_ids must be arrays');
    const wanted: [Channel, number][] = [];
    for (const c of msg.channels as unknown[]) {
      const name = typeof c === 'string' ? c : (c as { name?: unknown } | null)?.name;
      const ids = typeof c === 'string' ? top : ((c as { product_ids?: unknown }).product_ids ?? top);
      if (!isChannel(name)) return this.error(conn, 'Failed to subscribe', `${String(name)} is not a valid channel`);
      if (!Array.isArray(ids) || (ids.length === 0 && msg.type === 'subscribe')) return this.error(conn, 'Failed to subscribe', `No product ids provided for ${name}`);
      for (const id of ids as unknown[]) {
        const m = typeof id === 'string' ? this.symbolOf(id) : undefined;
        if (m === undefined) return this.error(conn, 'Failed to subscribe', `${String(id)} is not a valid product`);
        wanted.push([name, m.index]);
      }
    }
    const fresh: [Channel, number][] = [];
    for (const [ch, i] of wanted) {
      let set = conn.subs.get(ch);
      if (msg.type === 'subscribe') {
        if (set === undefined) conn.subs.set(ch, (set = new Set()));
        if (set.has(i)) continue;
        set.add(i);
        this.subs.get(ch)![i].push(conn);
        fresh.push([ch, i]);
      } else if (set?.delete(i) === true) this.unlink(ch, i, conn);
    }
    conn.subscribed = true;
    const channels = [...conn.subs].filter(([, set]) => set.size > 0).map(([name, set]) => ({ name, product_ids: [...set].map((i) => this.market.symbols[i].symbol) }));
    this.reply(conn, JSON.stringify({ type: 'subscriptions', channels }));
    for (const [ch, i] of fresh) {
      const m = this.market.symbols[i];
      if (ch === 'level2' || ch === 'level2_batch') this.reply(conn, this.snapshot(m));
      if (ch === 'matches') {
        const t = m.trades;
        if (t.count > 0) {
          const s = t.slot(t.count - 1);
          this.reply(conn, this.matchFrame('last_match', m, t.id[s], t.price[s], t.qty[s], t.timeUs[s], t.buyerMaker[s] === 1));
        }
      }
    }
  }

  private snapshot(m: SymbolMarket): string {
    const { bids, asks } = m.levels(100_000);
    const side = (flat: number[]): string => {
      const out: string[] = [];
      for (let i = 0; i < flat.length; i += 2) out.push(`["${this.price(m, flat[i])}","${this.size(m, flat[i + 1])}"]`);
      return `[${out.join(',')}]`;
    };
    return `{"type":"snapshot","product_id":"${m.symbol}","asks":${side(asks)},"bids":${side(bids)}}`;
  }

  protected onRest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const notFound = (): void => sendJson(res, 404, '{"message":"NotFound"}');
    if (req.method !== 'GET') return notFound();
    const iso = UnixMicros.toIso(UnixMicros.unsafe(this.market.nowUs));
    if (parts.length === 1 && parts[0] === 'time') return sendJson(res, 200, JSON.stringify({ iso, epoch: this.market.nowUs / 1e6 }));
    if (parts[0] !== 'products') return notFound();
    if (parts.length === 1) return sendJson(res, 200, JSON.stringify(this.market.symbols.map((m) => this.product(m))));
    const m = this.symbolOf(parts[1]);
    if (m === undefined) return notFound();
    if (parts.length === 2) return sendJson(res, 200, JSON.stringify(this.product(m)));
    switch (parts[2]) {
      case 'book': {
        const level = Number(url.searchParams.get('level') ?? '1');
        if (![1, 2].includes(level)) return sendJson(res, 400, '{"message":"Invalid level"}');
        const { bids, asks } = m.levels(level === 1 ? 1 : 100_000);
        const side = (flat: number[]): string[][] => {
          const out: string[][] = [];
          for (let i = 0; i < flat.length; i += 2) out.push([this.price(m, flat[i]), this.size(m, flat[i + 1]), '1']);
          return out;
        };
        return sendJson(res, 200, JSON.stringify({ bids: side(bids), asks: side(asks), sequence: m.updateId, auction_mode: false, auction: null, time: iso }));
      }
      case 'trades':
        return this.restTrades(res, m, url.searchParams);
      case 'candles': {
        const g = Number(url.searchParams.get('granularity') ?? '60');
        if (![60, 300, 900, 3600, 21600, 86400].includes(g)) return sendJson(res, 400, '{"message":"Unsupported granularity"}');
        const len = g * 1000;
        const nowMs = Math.floor(this.market.nowUs / 1000);
        const start = url.searchParams.get('start');
        const end = url.searchParams.get('end');
        const endMs = end === null ? nowMs : Date.parse(end);
        const startMs = start === null ? endMs - 300 * len : Date.parse(start);
        if (Number.isNaN(startMs) || Number.isNaN(endMs)) return sendJson(res, 400, '{"message":"Invalid start or end"}');
        const from = Math.max(Math.floor(startMs / len) * len, Math.floor(m.historyStartMs() / len) * len);
        const rows: number[][] = [];
        const scale = 10 ** m.spec.pricePrecision;
        for (let o = Math.min(Math.floor(endMs / len) * len, Math.floor(nowMs / len) * len); o >= from && rows.length < 300; o -= len) {
          const k = m.rangeKline(o, o + len);
          if (k.n === 0) continue;
          rows.push([o / 1000, k.l / scale, k.h / scale, k.o / scale, k.c / scale, k.v / 10 ** m.spec.qtyPrecision]);
        }
        return sendJson(res, 200, JSON.stringify(rows));
      }
      default:
        return notFound();
    }
  }

  /**
   * `GET /products/<id>/trades`, newest first, paginated by trade id as Coinbase documents it: `after=<id>`
   * is the page of older trades (ids below it), `before=<id>` the page of newer ones (the `limit` trades just
   * above it, still newest first); both at once bound the page on both sides. `CB-BEFORE` carries the first
   * (newest) id of the page and `CB-AFTER` the last (oldest); an empty page has neither, so a client keeps
   * its cursor. Bad values answer 400 with a `message`, as the venue does.
   */
  private restTrades(res: ServerResponse, m: SymbolMarket, q: URLSearchParams): void {
    const limitText = q.get('limit');
    const limit = limitText === null ? 1000 : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 1000)) return sendJson(res, 400, '{"message":"Invalid parameter range - limit"}');
    const cursor = (name: 'before' | 'after'): number | undefined | null => {
      const v = q.get(name);
      if (v === null) return undefined;
      const n = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
      return Number.isSafeInteger(n) ? n : null;
    };
    const before = cursor('before');
    if (before === null) return sendJson(res, 400, '{"message":"before cursor value is not valid"}');
    const after = cursor('after');
    if (after === null) return sendJson(res, 400, '{"message":"after cursor value is not valid"}');
    const t = m.trades;
    // Kept trades with before < id < after are [lo, hi) in the ring (oldest first).
    const lo = before === undefined ? 0 : t.lowerBoundId(before + 1);
    const hi = after === undefined ? t.count : t.lowerBoundId(after);
    const fromBefore = before !== undefined && after === undefined;
    const first = fromBefore ? lo : Math.max(lo, hi - limit);
    const end = fromBefore ? Math.min(hi, lo + limit) : hi;
    const out: unknown[] = [];
    for (let k = end - 1; k >= first; k--) {
      const s = t.slot(k);
      out.push({ time: UnixMicros.toIso(UnixMicros.unsafe(t.timeUs[s])), trade_id: t.id[s], price: this.price(m, t.price[s]), size: this.size(m, t.qty[s]), side: t.buyerMaker[s] === 1 ? 'buy' : 'sell' });
    }
    const headers: Record<string, string> = end > first ? { 'cb-before': String(t.id[t.slot(end - 1)]), 'cb-after': String(t.id[t.slot(first)]) } : {};
    return sendJson(res, 200, JSON.stringify(out), headers);
  }

  private product(m: SymbolMarket): unknown {
    return {
      id: m.symbol,
      base_currency: m.spec.baseAsset,
      quote_currency: m.spec.quoteAsset,
      quote_increment: formatFixed(1, m.spec.pricePrecision),
      base_increment: formatFixed(1, m.spec.qtyPrecision),
      display_name: `${m.spec.baseAsset}/${m.spec.quoteAsset}`,
      min_market_funds: '1',
      margin_enabled: false,
      post_only: false,
      limit_only: false,
      cancel_only: false,
      status: 'online',
      status_message: '',
      trading_disabled: false,
      fx_stablecoin: false,
      max_slippage_percentage: '0.03000000',
      auction_mode: false,
      high_bid_limit_percentage: '',
    };
  }
}
