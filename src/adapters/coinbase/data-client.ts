import { L2OrderBook } from '../../compute/orderbook/l2-book.js';
import type { BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import type { UnixMicros } from '../../core/time.js';
import { Backoff } from '../common/backoff.js';
import { IdDeduplicator } from '../common/dedup.js';
import { ReconnectingWebSocket } from '../common/reconnecting-ws.js';
import { RejectReason } from '../common/reject-reason.js';
import type { RejectionLog } from '../common/rejection-counter.js';
import { RejectionCounter } from '../common/rejection-counter.js';
import { StalenessMonitor } from '../common/staleness.js';
import { TimeOffsetEstimator } from '../common/time-offset.js';
import { COINBASE_VENUE } from './common.js';
import type { CoinbaseDataConfig, CoinbaseDataConfigInput } from './config.js';
import { CoinbaseConfigError, resolveCoinbaseDataConfig } from './config.js';
import type { CdpCredentials } from './jwt.js';
import { buildCdpJwt, loadCdpCredentials } from './jwt.js';
import { AdvancedSequence, parseAdvancedMessage } from './parse-advanced.js';
import { ExchangeTradeSequencer, parseExchangeMessage } from './parse-exchange.js';
import type { ProductPrecision, RestTrade } from './parse-rest.js';
import { parseProducts, parseRestTrades } from './parse-rest.js';

export type CoinbaseClientStatus =
  | { readonly type: 'connected'; readonly reconnect: boolean }
  | { readonly type: 'subscribed'; readonly channels: Readonly<Record<string, readonly string[]>> }
  | { readonly type: 'disconnected'; readonly code: number; readonly retryInMs: number | undefined }
  | { readonly type: 'stale'; readonly stream: string }
  /** Exchange feed: trade ids [from, to] were not received. */
  | { readonly type: 'trade_gap'; readonly productId: string; readonly from: number; readonly to: number }
  | { readonly type: 'backfill'; readonly productId: string; readonly from: number; readonly to: number; readonly count: number }
  /** Advanced Trade: `missed` messages were lost; the client resubscribes. */
  | { readonly type: 'sequence_gap'; readonly missed: number }
  | { readonly type: 'book_reset'; readonly productId: string }
  /** The venue sent an `error` message (e.g. a refused subscription). */
  | { readonly type: 'venue_error'; readonly message: string; readonly reason: string }
  | { readonly type: 'error'; readonly message: string };

export interface CoinbaseDataHandlers {
  onTrade?(t: TradeTick): void;
  onQuote?(q: QuoteTick): void;
  /** Book changes, only on a book that has its snapshot. */
  onBookDeltas?(d: BookDeltas): void;
  /** The whole book on every (re)subscription: it replaces what the book held. */
  onBookSnapshot?(s: BookSnapshot): void;
  onStatus?(s: CoinbaseClientStatus): void;
}

export interface CoinbaseDataDeps {
  readonly handlers: CoinbaseDataHandlers;
  /** Local time in µs (tsInit, staleness, JWT times). */
  readonly clock?: () => number;
  readonly fetch?: typeof fetch;
  readonly log?: RejectionLog;
  readonly random?: () => number;
  /**
   * Advanced Trade credentials. When absent they are read from COINBASE_API_KEY_NAME and
   * COINBASE_API_PRIVATE_KEY in `env` (default process.env); neither is ever logged.
   */
  readonly credentials?: CdpCredentials;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Book precisions by product; otherwise from `loadProducts()` or inferred from each snapshot. */
  readonly precisions?: (productId: string) => ProductPrecision | undefined;
}

export class CoinbaseRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoinbaseRequestError';
  }
}

/** Channel names of each feed for what the client wants. */
const EXCHANGE_CHANNEL = { trades: 'matches', quotes: 'ticker', book: 'level2_batch' } as const;
const ADVANCED_CHANNEL = { trades: 'market_trades', quotes: 'ticker', book: 'level2' } as const;

interface BookState {
  book: L2OrderBook | undefined;
  /** Updates wait for (are dropped until) the snapshot of the current subscription. */
  awaitingSnapshot: boolean;
}

/** Live trades of one product held while REST fills a hole before them. */
interface Backfill {
  readonly held: TradeTick[];
  readonly ranges: (readonly [number, number])[];
}

/**
 * Coinbase market data over either public WebSocket:
 *  - Exchange feed (ws-feed.exchange.coinbase.com): one subscribe message for `matches`, `ticker`,
 *    `level2_batch` (or `level2`) and `heartbeat`. Trade ids are consecutive per product: a match that skips
 *    ids, or a heartbeat whose `last_trade_id` is ahead of the last match seen (after a reconnect, the
 *    `last_match` does the same), starts a REST backfill from `GET /products/{id}/trades`, paginated with the
 *    `after` cursor; live trades of the product wait meanwhile, so every trade is delivered once and in
 *    id order.
 *  - Advanced Trade (advanced-trade-ws.coinbase.com): one subscribe message per channel (`market_trades`,
 *    `ticker`, `level2`, `heartbeats`), each with a fresh CDP JWT when credentials exist (required for
 *    level2). `sequence_num` counts every message of the connection: a jump resubscribes everything, and the
 *    books restart from the new snapshot.
 *  - Both: reconnect with capped exponential backoff and full jitter, then resubscribe; a book is replaced
 *    by the snapshot of each subscription; staleness per channel and product; duplicates dropped by trade
 *    id; bad frames counted by reason with rate-limited samples; venue time offset from event times.
 */
export class CoinbaseDataClient {
  readonly config: CoinbaseDataConfig;
  readonly rejections: RejectionCounter;
  readonly timeOffset = new TimeOffsetEstimator();
  readonly staleness: StalenessMonitor;
  /** Frames received. */
  frames = 0;
  /** Trades dropped as already delivered (reconnect overlap, backfill meeting the live stream). */
  duplicates = 0;
  private readonly handlers: CoinbaseDataHandlers;
  private readonly clock: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly ws: ReconnectingWebSocket;
  private readonly credentials: CdpCredentials | undefined;
  private precisionOf: (productId: string) => ProductPrecision | undefined;
  private readonly books = new Map<string, BookState>();
  private readonly dedup = new IdDeduplicator(20_000);
  private readonly tradeSeq = new ExchangeTradeSequencer();
  private readonly advSeq = new AdvancedSequence();
  private readonly backfills = new Map<string, Backfill>();
  private readonly streams: string[] = [];
  private staleTimer: NodeJS.Timeout | undefined;
  private started = false;
  /** Set by stop(): backfills in flight end. (Frames fed without start(), as in a replay, still backfill.) */
  private stopped = false;

  constructor(config: CoinbaseDataConfigInput, deps: CoinbaseDataDeps) {
    this.config = resolveCoinbaseDataConfig(config);
    this.handlers = deps.handlers;
    this.clock = deps.clock ?? (() => Date.now() * 1000);
    this.fetchFn = deps.fetch ?? fetch;
    this.rejections = new RejectionCounter(deps.log);
    this.staleness = new StalenessMonitor(this.config.staleAfterMs * 1000);
    this.precisionOf = deps.precisions ?? (() => undefined);
    const env = deps.env ?? process.env;
    const keyName = env.COINBASE_API_KEY_NAME;
    const pem = env.COINBASE_API_PRIVATE_KEY;
    this.credentials = deps.credentials ?? (keyName || pem ? loadCdpCredentials(keyName, pem) : undefined);
    if (this.config.feed === 'advanced' && this.config.data.includes('book') && this.credentials === undefined) {
      throw new CoinbaseConfigError('Advanced Trade level2 needs credentials: set COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY, or leave out "book"');
    }
    for (const p of this.config.productIds) {
      if (this.config.data.includes('book')) this.books.set(p, { book: undefined, awaitingSnapshot: true });
      for (const d of this.config.data) this.streams.push(`${this.channelOf(d)}:${p}`);
      if (this.config.feed === 'exchange') this.streams.push(`heartbeat:${p}`);
    }
    if (this.config.feed === 'advanced') this.streams.push('heartbeats');
    this.ws = new ReconnectingWebSocket({
      url: () => this.config.wsUrl,
      backoff: new Backoff(this.config.backoffBaseMs, this.config.backoffCapMs, deps.random),
      onOpen: () => this.onOpen(),
      onMessage: (text) => this.onFrame(text),
      onClose: (code, _reason, retryInMs) => this.status({ type: 'disconnected', code, retryInMs }),
      onError: (err) => this.status({ type: 'error', message: err.message }),
      connectTimeoutMs: this.config.requestTimeoutMs,
    });
  }

  get venue(): string {
    return COINBASE_VENUE;
  }

  get isOpen(): boolean {
    return this.ws.isOpen;
  }

  /** Successful connections so far. */
  get connections(): number {
    return this.ws.opens;
  }

  /** The local book of a product (undefined before its first snapshot or without "book"). */
  book(productId: string): L2OrderBook | undefined {
    return this.books.get(productId)?.book;
  }

  /** Exchange feed: reads `GET /products` and uses quote and base increments as book precisions. */
  async loadProducts(): Promise<ProductPrecision[]> {
    const r = parseProducts(await this.get('/products'));
    if (!r.ok) throw new CoinbaseRequestError(`products: ${r.field ?? ''} ${r.detail}`);
    const map = new Map(r.value.map((p) => [p.productId, p]));
    const before = this.precisionOf;
    this.precisionOf = (id) => map.get(id) ?? before(id);
    return r.value;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    const now = this.clock();
    for (const s of this.streams) this.staleness.watch(s, now);
    this.staleTimer = setInterval(() => this.checkStale(), this.config.staleCheckEveryMs);
    this.staleTimer.unref();
    this.ws.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    clearInterval(this.staleTimer);
    await this.ws.stop();
  }

  /** Drops the socket (it comes back after the backoff and resubscribes). */
  reconnect(): void {
    this.ws.reconnect();
  }

  private channelOf(d: 'trades' | 'quotes' | 'book'): string {
    if (this.config.feed === 'advanced') return ADVANCED_CHANNEL[d];
    return d === 'book' && !this.config.level2Batch ? 'level2' : EXCHANGE_CHANNEL[d];
  }

  private status(s: CoinbaseClientStatus): void {
    this.handlers.onStatus?.(s);
  }

  private onOpen(): void {
    this.status({ type: 'connected', reconnect: this.ws.opens > 1 });
    const now = this.clock();
    for (const s of this.streams) this.staleness.watch(s, now);
    this.resetBooks();
    if (this.config.feed === 'exchange') {
      const channels = this.config.data.map((d) => this.channelOf(d));
      channels.push('heartbeat');
      this.ws.send(JSON.stringify({ type: 'subscribe', product_ids: this.config.productIds, channels }));
    } else {
      this.advSeq.reset();
      this.sendAdvanced('subscribe');
    }
  }

  /** Every subscription starts the books again from the snapshot it sends. */
  private resetBooks(): void {
    for (const [productId, b] of this.books) {
      if (!b.awaitingSnapshot) this.status({ type: 'book_reset', productId });
      b.awaitingSnapshot = true;
    }
  }

  private sendAdvanced(type: 'subscribe' | 'unsubscribe'): void {
    const channels = [...this.config.data.map((d) => this.channelOf(d)), 'heartbeats'];
    for (const channel of channels) {
      // A JWT lives two minutes: each message gets a fresh one.
      const jwt = this.credentials === undefined ? undefined : buildCdpJwt(this.credentials, Math.floor(this.clock() / 1_000_000));
      this.ws.send(JSON.stringify({ type, product_ids: this.config.productIds, channel, ...(jwt === undefined ? {} : { jwt }) }));
    }
  }

  private checkStale(): void {
    const now = this.clock();
    for (const stream of this.staleness.check(now)) this.status({ type: 'stale', stream });
    // Everything silent (heartbeats included) means the connection is dead even if TCP has not noticed.
    if (this.ws.isOpen && this.streams.every((s) => this.staleness.isStale(s))) {
      for (const s of this.streams) this.staleness.watch(s, now);
      this.ws.reconnect();
    }
  }

  private reject(reason: RejectReason, field: string | undefined, detail: string, frame: string, now: number): void {
    this.rejections.record({ venue: COINBASE_VENUE, reason, field, detail, frame }, now);
  }

  // ---- frames ----

  /** One text frame (public so that a recorder or a benchmark can wrap it). */
  onFrame(text: string): void {
    this.frames++;
    const tsInit = this.clock() as UnixMicros;
    if (this.config.feed === 'exchange') this.onExchangeFrame(text, tsInit);
    else this.onAdvancedFrame(text, tsInit);
  }

  private onExchangeFrame(text: string, tsInit: UnixMicros): void {
    const m = parseExchangeMessage(text, tsInit);
    switch (m.kind) {
      case 'trade': {
        const productId = productOf(m.event.instrumentId);
        this.staleness.touch(`matches:${productId}`, tsInit);
        this.timeOffset.addEvent(m.event.tsEvent, tsInit);
        const seq = this.tradeSeq.onTrade(productId, m.tradeId);
        const bf = this.backfills.get(productId);
        if (seq === 'duplicate') {
          // Not newer than the newest id seen: a late trade of a hole being filled (it waits, so the order
          // holds), a trade a backfill already delivered, or a replayed last_match (dropped by id).
          if (bf !== undefined) bf.held.push(m.event);
          else this.emitTrade(productId, m.event);
          return;
        }
        if (seq !== 'ok') this.startBackfill(productId, seq, m.event);
        else if (bf !== undefined) bf.held.push(m.event);
        else this.emitTrade(productId, m.event);
        return;
      }
      case 'quote':
        this.staleness.touch(`ticker:${m.productId}`, tsInit);
        if (m.event === undefined) return;
        this.timeOffset.addEvent(m.event.tsEvent, tsInit);
        if (!this.checkOrder(m.event, text, tsInit)) return;
        this.handlers.onQuote?.(m.event);
        return;
      case 'book_snapshot':
        this.staleness.touch(`${this.channelOf('book')}:${productOf(m.event.instrumentId)}`, tsInit);
        this.onSnapshot(m.event, text, tsInit);
        return;
      case 'book_deltas':
        this.staleness.touch(`${this.channelOf('book')}:${productOf(m.event.instrumentId)}`, tsInit);
        this.timeOffset.addEvent(m.event.tsEvent, tsInit);
        this.onDeltas(m.event, text, tsInit);
        return;
      case 'heartbeat': {
        this.staleness.touch(`heartbeat:${m.productId}`, tsInit);
        this.timeOffset.addEvent(m.time, tsInit);
        if (!this.config.data.includes('trades')) return;
        const gap = this.tradeSeq.onHeartbeat(m.productId, m.lastTradeId);
        if (gap !== undefined) {
          this.tradeSeq.onTrade(m.productId, gap[1]);
          this.startBackfill(m.productId, gap, undefined);
        }
        return;
      }
      case 'subscriptions':
        this.status({ type: 'subscribed', channels: Object.fromEntries(m.channels.map((c) => [c.name, c.productIds])) });
        return;
      case 'error':
        this.status({ type: 'venue_error', message: m.message, reason: m.reason });
        return;
      case 'rejection':
        this.reject(m.reason, m.field, m.messageType ?? '', text, tsInit);
        return;
    }
  }

  private onAdvancedFrame(text: string, tsInit: UnixMicros): void {
    const r = parseAdvancedMessage(text, tsInit);
    if (r.kind === 'rejection') return this.reject(r.reason, r.field, r.channel ?? '', text, tsInit);
    if (r.kind === 'error') return this.status({ type: 'venue_error', message: r.message, reason: '' });
    const m = r.message;
    const missed = this.advSeq.next(m.sequence);
    if (missed > 0) {
      this.status({ type: 'sequence_gap', missed });
      // Whatever was lost cannot be told apart: start every channel again, books from a new snapshot.
      this.resetBooks();
      this.sendAdvanced('unsubscribe');
      this.sendAdvanced('subscribe');
    }
    if (m.channel === 'heartbeats') {
      this.staleness.touch('heartbeats', tsInit);
      return;
    }
    if (m.subscriptions !== undefined) {
      this.status({ type: 'subscribed', channels: m.subscriptions });
      return;
    }
    for (const e of m.events) {
      const productId = productOf(e.instrumentId);
      switch (e.type) {
        case 'trade':
          this.staleness.touch(`market_trades:${productId}`, tsInit);
          this.timeOffset.addEvent(e.tsEvent, tsInit);
          this.emitTrade(productId, e);
          break;
        case 'quote':
          this.staleness.touch(`ticker:${productId}`, tsInit);
          if (this.checkOrder(e, text, tsInit)) this.handlers.onQuote?.(e);
          break;
        case 'book_snapshot':
          this.staleness.touch(`level2:${productId}`, tsInit);
          this.onSnapshot(e, text, tsInit);
          break;
        case 'book_deltas':
          this.staleness.touch(`level2:${productId}`, tsInit);
          this.onDeltas(e, text, tsInit);
          break;
      }
    }
  }

  /** A crossed top of book is a venue or transport error, not a market: counted and dropped. */
  private checkOrder(q: QuoteTick, text: string, now: number): boolean {
    if (q.bidPrice.compare(q.askPrice) < 0) return true;
    this.reject(RejectReason.CrossedQuote, 'best_bid', `${q.bidPrice.toString()} >= ${q.askPrice.toString()}`, text, now);
    return false;
  }

  // ---- books ----

  private onSnapshot(s: BookSnapshot, text: string, now: number): void {
    const state = this.books.get(productOf(s.instrumentId));
    if (state === undefined) return;
    const known = this.precisionOf(productOf(s.instrumentId));
    let pp = known?.pricePrecision ?? 0;
    let sp = known?.sizePrecision ?? 0;
    for (const side of [s.bids, s.asks]) {
      for (const [p, q] of side) {
        if (p.precision > pp) pp = p.precision;
        if (q.precision > sp) sp = q.precision;
      }
    }
    const book = state.book !== undefined && state.book.pricePrecision >= pp && state.book.sizePrecision >= sp ? state.book : new L2OrderBook(s.instrumentId, pp, sp);
    try {
      book.applySnapshot(s);
    } catch (err) {
      this.reject(RejectReason.BadSnapshot, undefined, (err as Error).message, text, now);
      return;
    }
    state.book = book;
    state.awaitingSnapshot = false;
    this.handlers.onBookSnapshot?.(s);
  }

  private onDeltas(d: BookDeltas, text: string, now: number): void {
    const state = this.books.get(productOf(d.instrumentId));
    if (state === undefined || state.awaitingSnapshot || state.book === undefined) return;
    const wider = d.deltas.some((x) => x.price.precision > state.book!.pricePrecision || x.size.precision > state.book!.sizePrecision);
    if (wider) state.book = widen(state.book, d);
    try {
      state.book.applyDeltas(d);
    } catch (err) {
      this.reject(RejectReason.BadUpdate, undefined, (err as Error).message, text, now);
      return;
    }
    this.handlers.onBookDeltas?.(d);
  }

  // ---- trades ----

  private emitTrade(productId: string, t: TradeTick): void {
    if (!this.dedup.firstTime(productId, t.tradeId)) {
      this.duplicates++;
      return;
    }
    this.handlers.onTrade?.(t);
  }

  /** Holds the product's live trades (from `live` on) while the missing ids are fetched. */
  private startBackfill(productId: string, range: readonly [number, number], live: TradeTick | undefined): void {
    this.status({ type: 'trade_gap', productId, from: range[0], to: range[1] });
    if (!this.config.backfill) {
      if (live !== undefined) this.emitTrade(productId, live);
      return;
    }
    const running = this.backfills.get(productId);
    if (running !== undefined) {
      running.ranges.push(range);
      if (live !== undefined) running.held.push(live);
      return;
    }
    const bf: Backfill = { held: live === undefined ? [] : [live], ranges: [range] };
    this.backfills.set(productId, bf);
    void this.runBackfill(productId, bf);
  }

  private async runBackfill(productId: string, bf: Backfill): Promise<void> {
    while (bf.ranges.length > 0 && !this.stopped) {
      const [from, to] = bf.ranges.shift()!;
      let count = 0;
      try {
        const trades = await this.fetchTrades(productId, from, to);
        for (const t of trades) {
          const before = this.duplicates;
          this.emitTrade(productId, t.event);
          if (this.duplicates === before) count++;
        }
      } catch (err) {
        this.status({ type: 'error', message: `backfill ${productId} ${from}..${to}: ${(err as Error).message}` });
      }
      this.status({ type: 'backfill', productId, from, to, count });
    }
    // Live trades that waited follow, in the order they came.
    this.backfills.delete(productId);
    for (const t of bf.held) this.emitTrade(productId, t);
  }

  /**
   * Trades with ids in [from, to], oldest first. The endpoint returns newest first; `after=<id>` asks for
   * trades older than `id`, so pages walk back from `to + 1` until `from` is reached.
   */
  private async fetchTrades(productId: string, from: number, to: number): Promise<RestTrade[]> {
    const out = new Map<number, RestTrade>();
    let after = to + 1;
    for (let page = 0; page < this.config.backfillMaxPages; page++) {
      const text = await this.get(`/products/${productId}/trades`, { limit: '1000', after: String(after) });
      const r = parseRestTrades(text, productId, this.clock() as UnixMicros);
      if (!r.ok) throw new CoinbaseRequestError(`trades ${productId}: ${r.field ?? ''} ${r.detail}`);
      let oldest = Infinity;
      for (const t of r.value) {
        if (t.tradeId < oldest) oldest = t.tradeId;
        if (t.tradeId >= from && t.tradeId <= to) out.set(t.tradeId, t);
      }
      // Stop at the start of the hole, on a short page, or when the server ignored the cursor.
      if (oldest <= from || r.value.length < 1000 || oldest >= after) break;
      after = oldest;
    }
    return [...out.values()].sort((a, b) => a.tradeId - b.tradeId);
  }

  private async get(path: string, params: Record<string, string> = {}): Promise<string> {
    const q = new URLSearchParams(params).toString();
    const url = `${this.config.restUrl}${path}${q === '' ? '' : `?${q}`}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { signal: AbortSignal.timeout(this.config.requestTimeoutMs), headers: { accept: 'application/json' } });
    } catch (err) {
      throw new CoinbaseRequestError(`GET ${url}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new CoinbaseRequestError(`GET ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return text;
  }
}

function productOf(instrumentId: string): string {
  return instrumentId.slice(0, instrumentId.lastIndexOf('.'));
}

/** A copy of `book` at precisions wide enough for `d` (levels rescaled exactly). */
function widen(book: L2OrderBook, d: BookDeltas): L2OrderBook {
  let pp = book.pricePrecision;
  let sp = book.sizePrecision;
  for (const x of d.deltas) {
    if (x.price.precision > pp) pp = x.price.precision;
    if (x.size.precision > sp) sp = x.size.precision;
  }
  const wide = new L2OrderBook(book.instrumentId, pp, sp);
  const top = book.top(Number.MAX_SAFE_INTEGER);
  wide.applySnapshot({ type: 'book_snapshot', instrumentId: book.instrumentId, bids: top.bids, asks: top.asks, sequence: book.sequence, tsEvent: d.tsEvent, tsInit: d.tsInit });
  return wide;
}
