import { L2OrderBook } from '../../compute/orderbook/l2-book.js';
import { BarSpec } from '../../core/bar-spec.js';
import type { Bar, BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import type { UnixMicros } from '../../core/time.js';
import { Backoff } from '../common/backoff.js';
import { IdDeduplicator } from '../common/dedup.js';
import { SlidingWindowLimiter } from '../common/rate-limiter.js';
import { ReconnectingWebSocket } from '../common/reconnecting-ws.js';
import type { RejectionLog } from '../common/rejection-counter.js';
import { RejectionCounter } from '../common/rejection-counter.js';
import { StalenessMonitor } from '../common/staleness.js';
import { TimeOffsetEstimator } from '../common/time-offset.js';
import { BinanceBookSync, DiffOutcome, SnapshotOutcome } from './book-sync.js';
import type { BinanceDataConfig, BinanceDataConfigInput } from './config.js';
import { resolveBinanceDataConfig } from './config.js';
import { BinanceParser } from './parse.js';
import type { ExchangeInfo, RestResult } from './parse-rest.js';
import { parseAggTrades, parseDepthSnapshot, parseExchangeInfo, parseKlines, parseServerTime, parseTrades } from './parse-rest.js';
import type { DepthDiff, InstrumentLookup, InstrumentPrecision, KlineUpdate } from './types.js';
import { BINANCE_VENUE } from './types.js';

export const StreamKind = { Trade: 'trade', AggTrade: 'aggTrade', BookTicker: 'bookTicker', Depth: 'depth', Kline: 'kline' } as const;
export type StreamKind = (typeof StreamKind)[keyof typeof StreamKind];

/** One market data stream of one symbol. `interval` (Binance form: 1m, 1h...) for klines. */
export interface StreamSpec {
  readonly symbol: string;
  readonly kind: StreamKind;
  readonly interval?: string;
}

/** The Binance stream name: `btcusdt@trade`, `btcusdt@depth@100ms`, `btcusdt@kline_1m`. */
export function streamName(spec: StreamSpec): string {
  const s = spec.symbol.toLowerCase();
  switch (spec.kind) {
    case 'trade':
    case 'aggTrade':
    case 'bookTicker':
      return `${s}@${spec.kind}`;
    case 'depth':
      return `${s}@depth@100ms`;
    case 'kline':
      return `${s}@kline_${spec.interval ?? '1m'}`;
  }
}

export type DataClientStatus =
  | { readonly type: 'connected'; readonly connection: number; readonly reconnect: boolean }
  | { readonly type: 'disconnected'; readonly connection: number; readonly code: number; readonly retryInMs: number | undefined }
  | { readonly type: 'stale'; readonly stream: string }
  | { readonly type: 'book_gap'; readonly symbol: string }
  | { readonly type: 'book_synced'; readonly symbol: string; readonly updateId: number }
  /**
   * A held stream was filled over REST and released: `count` trades or bars recovered, `lost` trades the venue
   * could not give back (a `@trade` stream without an API key whose hole reaches past the recent trades, a
   * page limit reached, a failed request); always 0 for klines.
   */
  | { readonly type: 'backfill'; readonly symbol: string; readonly stream: string; readonly count: number; readonly lost: number }
  | { readonly type: 'rotated'; readonly connection: number; readonly replacement: number }
  | { readonly type: 'error'; readonly message: string };

export interface BinanceDataHandlers {
  onTrade?(t: TradeTick): void;
  onQuote?(q: QuoteTick): void;
  /** Book changes, only once they are in sequence on a synchronised book. */
  onBookDeltas?(d: BookDeltas): void;
  /** The whole book after each (re)synchronisation. */
  onBookSnapshot?(s: BookSnapshot): void;
  /** Closed klines only (live or backfilled), each open time once, in order. */
  onBar?(b: Bar): void;
  onStatus?(s: DataClientStatus): void;
}

export interface BinanceDataDeps {
  readonly handlers: BinanceDataHandlers;
  /** Instruments by venue symbol; when absent, `loadInstruments()` must run before `subscribe`. */
  readonly lookup?: InstrumentLookup;
  /** Local time in µs (tsInit of events). */
  readonly clock?: () => number;
  readonly fetch?: typeof fetch;
  readonly log?: RejectionLog;
  readonly random?: () => number;
  /**
   * Binance API key (from `BINANCE_API_KEY`, never from the config), sent as `X-MBX-APIKEY` to
   * `historicalTrades` only, so that `@trade` streams are backfilled by id. Without one they are backfilled from
   * the recent trades, and what lies beyond them is reported as lost.
   */
  readonly apiKey?: string;
}

export class BinanceRequestError extends Error {
  /** The HTTP status of a REST request the venue answered with an error. */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = 'BinanceRequestError';
    this.status = options?.status;
  }
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** One WebSocket connection with its streams, control-message pacing and request ids. */
class Connection {
  readonly streams = new Set<string>();
  readonly ws: ReconnectingWebSocket;
  private readonly limiter: SlidingWindowLimiter;
  private readonly queue: { text: string; id: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private drainTimer: NodeJS.Timeout | undefined;
  rotateTimer: NodeJS.Timeout | undefined;
  retired = false;

  constructor(
    readonly id: number,
    private readonly client: BinanceDataClient,
    cfg: BinanceDataConfig,
    random: () => number,
  ) {
    this.limiter = new SlidingWindowLimiter(cfg.controlMessagesPerSecond);
    this.ws = new ReconnectingWebSocket({
      url: () => `${cfg.wsUrl}/stream`,
      backoff: new Backoff(cfg.backoffBaseMs, cfg.backoffCapMs, random),
      onOpen: () => this.client.onOpen(this),
      onMessage: (text) => this.client.onFrame(text),
      onClose: (code, _reason, retryInMs) => {
        this.failPending(new BinanceRequestError(`connection ${this.id} closed (${code})`));
        this.queue.length = 0;
        this.client.status({ type: 'disconnected', connection: this.id, code, retryInMs });
      },
      onError: (err) => this.client.status({ type: 'error', message: `connection ${this.id}: ${err.message}` }),
      connectTimeoutMs: cfg.requestTimeoutMs,
    });
  }

  /** Sends `{method, params, id}` paced by the venue's incoming-message limit; resolves with `result`. */
  request(method: string, params: unknown[] | undefined, id: number, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BinanceRequestError(`${method} ${id} timed out`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.queue.push({ text: JSON.stringify(params === undefined ? { method, id } : { method, params, id }), id });
      this.drain();
    });
  }

  reply(id: number, result: unknown, error: { code: number; msg: string } | undefined): boolean {
    const p = this.pending.get(id);
    if (p === undefined) return false;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (error !== undefined) p.reject(new BinanceRequestError(`request ${id} failed: ${error.code} ${error.msg}`));
    else p.resolve(result);
    return true;
  }

  private drain(): void {
    if (this.drainTimer !== undefined) return;
    while (this.queue.length > 0) {
      const wait = this.limiter.delayMs(Date.now());
      if (wait > 0) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = undefined;
          this.drain();
        }, wait);
        return;
      }
      const next = this.queue.shift()!;
      this.limiter.record(Date.now());
      if (!this.ws.send(next.text)) this.reply(next.id, undefined, { code: -1, msg: 'not connected' });
    }
  }

  failPending(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.drainTimer);
    clearTimeout(this.rotateTimer);
    this.retired = true;
    this.failPending(new BinanceRequestError(`connection ${this.id} stopped`));
    await this.ws.stop();
  }
}

interface BookState {
  readonly sync: BinanceBookSync;
  fetching: boolean;
  attempts: number;
}

/** Per (stream) recovery after a reconnect: live events wait while REST fills the hole, then follow. */
interface Hold {
  readonly trades: TradeTick[];
  readonly bars: KlineUpdate[];
  /** A backfill is fetching for this hold. */
  running: boolean;
  /** Another hole appeared (e.g. a reconnect) while it ran: fetch once more before releasing. */
  again: boolean;
}

const MAX_SNAPSHOT_ATTEMPTS = 10;
/** Rows per REST page of trades, aggTrades and klines: the venue's maximum. */
const PAGE = 1000;

/** Where the missed trades of a trade stream come from over REST. */
interface TradeSource {
  readonly endpoint: 'aggTrades' | 'historicalTrades' | 'trades';
  readonly parse: typeof parseTrades;
  /** Pages from an id (`fromId`); otherwise only the most recent page exists. */
  readonly byId: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

const AGG_TRADES: TradeSource = { endpoint: 'aggTrades', parse: parseAggTrades, byId: true, headers: {} };
const RECENT_TRADES: TradeSource = { endpoint: 'trades', parse: parseTrades, byId: false, headers: {} };

interface Filled {
  count: number;
  lost: number;
}

/**
 * Binance spot / USD-M futures market data over WebSocket (combined streams) and REST:
 *  - streams placed on connections of at most the venue's stream limit, subscribed with the JSON method
 *    protocol (ids, replies matched), control messages paced under the venue's per-second limit;
 *  - reconnect with capped exponential backoff and full jitter, then resubscribe; every connection is
 *    replaced before Binance's 24 h cut with an overlap (duplicates are dropped by trade id / update id);
 *  - local order books by Binance's procedure (book-sync.ts), resynchronised from a REST snapshot on a gap;
 *  - after a reconnect, trades and aggTrades (from the last id) and klines (from the last closed bar) are
 *    fetched over REST while the live events wait, so the bars built after an outage equal those of a run
 *    without it; trades by id need an API key (`historicalTrades`), without one only the recent ones come back;
 *  - per-stream staleness; venue-vs-local time offset from event times and /time;
 *  - bad frames counted by reason with rate-limited samples (`rejections`).
 */
export class BinanceDataClient {
  readonly config: BinanceDataConfig;
  readonly rejections: RejectionCounter;
  readonly timeOffset = new TimeOffsetEstimator();
  readonly staleness: StalenessMonitor;
  /** Frames received, over all connections. */
  frames = 0;
  private readonly handlers: BinanceDataHandlers;
  private readonly clock: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;
  private readonly apiKey: string | undefined;
  /** The venue refused the key: `@trade` backfills use the recent trades from then on. */
  private keyRefused = false;
  private lookupFn: InstrumentLookup | undefined;
  private parser: BinanceParser | undefined;
  private readonly connections: Connection[] = [];
  private readonly specs = new Map<string, StreamSpec>();
  private readonly books = new Map<string, BookState>();
  private readonly dedup = new IdDeduplicator(20_000);
  private readonly lastTradeId = new Map<string, number>();
  private readonly lastBarOpen = new Map<string, number>();
  private readonly holds = new Map<string, Hold>();
  /** Venue symbol of each subscribed instrument id (the lookup may name instruments its own way). */
  private readonly symbolById = new Map<string, string>();
  private nextConnId = 1;
  private nextRequestId = 1;
  private staleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(config: BinanceDataConfigInput, deps: BinanceDataDeps) {
    this.config = resolveBinanceDataConfig(config);
    this.handlers = deps.handlers;
    this.clock = deps.clock ?? (() => Date.now() * 1000);
    this.fetchFn = deps.fetch ?? fetch;
    this.random = deps.random ?? Math.random;
    if (deps.apiKey === '') throw new BinanceRequestError('the Binance API key is empty (unset BINANCE_API_KEY or give one)');
    this.apiKey = deps.apiKey;
    this.rejections = new RejectionCounter(deps.log);
    this.staleness = new StalenessMonitor(this.config.staleAfterMs * 1000);
    if (deps.lookup !== undefined) this.setLookup(deps.lookup);
  }

  get venue(): string {
    return BINANCE_VENUE[this.config.market];
  }

  private get api(): string {
    return this.config.market === 'spot' ? '/api/v3' : '/fapi/v1';
  }

  private setLookup(lookup: InstrumentLookup): void {
    this.lookupFn = lookup;
    this.parser = new BinanceParser(lookup);
  }

  /** Reads exchangeInfo and uses its instruments (precisions from tick and step sizes) for parsing. */
  async loadInstruments(): Promise<ExchangeInfo> {
    const r = parseExchangeInfo(await this.get('exchangeInfo', {}), this.config.market);
    if (!r.ok) throw new BinanceRequestError(`exchangeInfo: ${r.rejection.reason} ${r.rejection.field ?? ''} ${r.rejection.detail}`);
    const map = new Map<string, InstrumentPrecision>(r.value.symbols.map((s) => [s.symbol, s]));
    this.setLookup((s) => map.get(s));
    return r.value;
  }

  /** Measures the venue clock against ours with GET /time; returns venue minus local (µs). */
  async measureTimeOffset(): Promise<number | undefined> {
    const sent = this.clock();
    const body = await this.get('time', {});
    const received = this.clock();
    const r = parseServerTime(body);
    if (!r.ok) throw new BinanceRequestError(`time: ${r.rejection.detail}`);
    this.timeOffset.addRest(sent, r.value * 1000, received);
    return this.timeOffset.offsetMicros;
  }

  /** The local book of a symbol with a depth stream (synchronised when `sync.state` is 'synced'). */
  book(symbol: string): L2OrderBook | undefined {
    return this.books.get(symbol.toUpperCase())?.sync.book;
  }

  bookSync(symbol: string): BinanceBookSync | undefined {
    return this.books.get(symbol.toUpperCase())?.sync;
  }

  /** Connections currently in use (for tests and metrics). */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** Subscribes streams, placing them on connections with room (opening new ones as needed). */
  async subscribe(specs: readonly StreamSpec[]): Promise<void> {
    if (this.parser === undefined) throw new BinanceRequestError('no instruments: pass `lookup` or call loadInstruments() first');
    if (this.staleTimer === undefined) {
      this.staleTimer = setInterval(() => this.checkStale(), this.config.staleCheckEveryMs);
      this.staleTimer.unref();
    }
    const byConn = new Map<Connection, string[]>();
    for (const spec of specs) {
      const norm = { ...spec, symbol: spec.symbol.toUpperCase() };
      const name = streamName(norm);
      if (this.specs.has(name)) continue;
      const info = this.lookupFn?.(norm.symbol);
      if (info === undefined) throw new BinanceRequestError(`unknown symbol ${norm.symbol}`);
      if (norm.kind === 'kline') BarSpec.parse(norm.interval === '1w' ? '7d' : (norm.interval ?? '1m'));
      this.specs.set(name, norm);
      this.symbolById.set(info.instrumentId, norm.symbol.toLowerCase());
      if (norm.kind === 'depth' && !this.books.has(norm.symbol)) {
        const book = new L2OrderBook(info.instrumentId, info.pricePrecision, info.sizePrecision);
        this.books.set(norm.symbol, { sync: new BinanceBookSync(this.config.market, book), fetching: false, attempts: 0 });
      }
      let conn = this.connections.find((c) => !c.retired && c.streams.size < this.config.maxStreamsPerConnection);
      if (conn === undefined) {
        conn = this.openConnection();
      }
      conn.streams.add(name);
      this.staleness.watch(name, this.clock());
      byConn.set(conn, [...(byConn.get(conn) ?? []), name]);
    }
    await Promise.all([...byConn].map(([conn, names]) => (conn.ws.isOpen ? this.sendSubscribe(conn, 'SUBSCRIBE', names) : Promise.resolve())));
  }

  async unsubscribe(specs: readonly StreamSpec[]): Promise<void> {
    const byConn = new Map<Connection, string[]>();
    for (const spec of specs) {
      const name = streamName({ ...spec, symbol: spec.symbol.toUpperCase() });
      if (!this.specs.delete(name)) continue;
      this.staleness.unwatch(name);
      if (spec.kind === 'depth') this.books.delete(spec.symbol.toUpperCase());
      for (const c of this.connections) {
        if (c.streams.delete(name)) byConn.set(c, [...(byConn.get(c) ?? []), name]);
      }
    }
    await Promise.all([...byConn].map(([conn, names]) => (conn.ws.isOpen ? this.sendSubscribe(conn, 'UNSUBSCRIBE', names) : Promise.resolve())));
  }

  /** Asks the venue which streams a connection carries (LIST_SUBSCRIPTIONS). */
  async listSubscriptions(connectionIndex = 0): Promise<string[]> {
    const conn = this.connections[connectionIndex];
    if (conn === undefined) return [];
    const r = await conn.request('LIST_SUBSCRIPTIONS', undefined, this.nextRequestId++, this.config.requestTimeoutMs);
    return Array.isArray(r) ? r.map(String) : [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.staleTimer);
    await Promise.all(this.connections.splice(0).map((c) => c.stop()));
  }

  // ---- connections ----

  private openConnection(): Connection {
    const conn = new Connection(this.nextConnId++, this, this.config, this.random);
    this.connections.push(conn);
    conn.ws.start();
    conn.rotateTimer = setTimeout(() => void this.rotate(conn), this.config.rotateAfterMs);
    conn.rotateTimer.unref();
    return conn;
  }

  /** Replaces a connection before the venue's 24 h cut: the new one subscribes, then the old one closes. */
  private async rotate(old: Connection): Promise<void> {
    if (this.stopped || old.retired) return;
    old.retired = true;
    const fresh = new Connection(this.nextConnId++, this, this.config, this.random);
    for (const s of old.streams) fresh.streams.add(s);
    this.connections.push(fresh);
    fresh.ws.start();
    fresh.rotateTimer = setTimeout(() => void this.rotate(fresh), this.config.rotateAfterMs);
    fresh.rotateTimer.unref();
    // Overlap: both deliver until the old one goes; duplicates are dropped by trade id and update id.
    setTimeout(() => {
      const i = this.connections.indexOf(old);
      if (i >= 0) this.connections.splice(i, 1);
      void old.stop();
      this.status({ type: 'rotated', connection: old.id, replacement: fresh.id });
    }, this.config.rotationOverlapMs).unref();
  }

  private async sendSubscribe(conn: Connection, method: 'SUBSCRIBE' | 'UNSUBSCRIBE', names: string[]): Promise<void> {
    // Keep each request small: Binance rejects overly long messages.
    for (let k = 0; k < names.length; k += 100) {
      await conn.request(method, names.slice(k, k + 100), this.nextRequestId++, this.config.requestTimeoutMs);
    }
  }

  /** @internal A connection opened (first time or after a reconnect): resubscribe and recover. */
  onOpen(conn: Connection): void {
    const reconnect = conn.ws.opens > 1;
    this.status({ type: 'connected', connection: conn.id, reconnect });
    const names = [...conn.streams];
    const now = this.clock();
    for (const n of names) this.staleness.watch(n, now);
    if (reconnect) {
      // The stream restarts: books must go through the whole procedure again; trades and bars are backfilled.
      for (const n of names) {
        const spec = this.specs.get(n);
        if (spec === undefined) continue;
        if (spec.kind === 'depth') {
          const b = this.books.get(spec.symbol);
          b?.sync.reset();
        } else if (this.config.backfill && (spec.kind === 'trade' || spec.kind === 'aggTrade' || spec.kind === 'kline')) {
          this.holdFor(n);
        }
      }
    }
    this.sendSubscribe(conn, 'SUBSCRIBE', names)
      .catch((err: Error) => this.status({ type: 'error', message: `resubscribe on connection ${conn.id}: ${err.message}` }))
      // Even when resubscribing failed (the socket will come back and try again), held events must not wait forever.
      .finally(() => {
        if (reconnect) for (const n of names) this.runBackfill(n);
      });
  }

  /** @internal */
  status(s: DataClientStatus): void {
    this.handlers.onStatus?.(s);
  }

  private checkStale(): void {
    const now = this.clock();
    for (const stream of this.staleness.check(now)) this.status({ type: 'stale', stream });
    // A connection whose every stream is silent has lost its heartbeat: replace the socket.
    for (const c of this.connections) {
      if (c.streams.size > 0 && c.ws.isOpen && [...c.streams].every((s) => this.staleness.isStale(s))) {
        for (const s of c.streams) this.staleness.watch(s, now);
        c.ws.reconnect();
      }
    }
  }

  // ---- frames ----

  /** @internal One text frame from any connection. */
  onFrame(text: string): void {
    this.frames++;
    const tsInit = this.clock() as UnixMicros;
    const parser = this.parser;
    if (parser === undefined) return;
    const m = parser.parse(text, tsInit);
    switch (m.type) {
      case 'trade': {
        const kind = text.includes('"aggTrade"') ? 'aggTrade' : 'trade';
        const stream = `${this.symbolById.get(m.instrumentId) ?? symbolOf(m.instrumentId).toLowerCase()}@${kind}`;
        this.staleness.touch(stream, tsInit);
        this.timeOffset.addEvent(m.tsEvent, tsInit);
        const hold = this.holds.get(stream);
        if (hold !== undefined) hold.trades.push(m);
        else if (this.missedTrades(stream, m)) {
          this.holdFor(stream).trades.push(m);
          this.runBackfill(stream);
        } else this.emitTrade(stream, m);
        return;
      }
      case 'quote':
        this.staleness.touch(`${this.symbolById.get(m.instrumentId) ?? symbolOf(m.instrumentId).toLowerCase()}@bookTicker`, tsInit);
        if (m.tsEvent !== tsInit) this.timeOffset.addEvent(m.tsEvent, tsInit);
        this.handlers.onQuote?.(m);
        return;
      case 'depth_diff':
        this.staleness.touch(`${m.symbol.toLowerCase()}@depth@100ms`, tsInit);
        this.timeOffset.addEvent(m.deltas.tsEvent, tsInit);
        this.onDepth(m);
        return;
      case 'kline': {
        const stream = `${m.symbol.toLowerCase()}@kline_${m.interval}`;
        this.staleness.touch(stream, tsInit);
        if (!m.closed) return;
        const hold = this.holds.get(stream);
        if (hold !== undefined) hold.bars.push(m);
        else if (this.missedBars(stream, m.bar)) {
          this.holdFor(stream).bars.push(m);
          this.runBackfill(stream);
        } else this.emitBar(stream, m.bar);
        return;
      }
      case 'control': {
        const id = typeof m.id === 'number' ? m.id : -1;
        for (const c of this.connections) if (c.reply(id, m.result, m.error)) return;
        return;
      }
      case 'rejection':
        this.rejections.record({ venue: this.venue, reason: m.reason, field: m.field, detail: m.detail, frame: text }, tsInit);
        return;
    }
  }

  /** Trade ids and aggregate trade ids are consecutive per symbol: a jump means trades were lost on the way. */
  private missedTrades(stream: string, t: TradeTick): boolean {
    const last = this.lastTradeId.get(stream);
    return this.config.backfill && last !== undefined && Number(t.tradeId) > last + 1;
  }

  /** A closed bar that does not follow the last one means closed bars were lost on the way. */
  private missedBars(stream: string, bar: Bar): boolean {
    const last = this.lastBarOpen.get(stream);
    const step = BarSpec.durationMicros(bar.spec);
    return this.config.backfill && last !== undefined && step !== undefined && bar.tsOpen > last + step;
  }

  /** The hold of `stream` (created if needed): its live events wait there while REST fills the hole. */
  private holdFor(stream: string): Hold {
    let h = this.holds.get(stream);
    if (h === undefined) {
      h = { trades: [], bars: [], running: false, again: false };
      this.holds.set(stream, h);
    }
    return h;
  }

  /** Starts the backfill of a held stream, or asks the running one for another round. */
  private runBackfill(stream: string): void {
    const h = this.holds.get(stream);
    if (h === undefined) return;
    if (h.running) h.again = true;
    else void this.backfill(stream, h);
  }

  /** Publishes a trade seen for the first time; returns how many ids it skips after the last one (-1: a duplicate). */
  private emitTrade(stream: string, t: TradeTick): number {
    if (!this.dedup.firstTime(stream, t.tradeId)) return -1;
    const id = Number(t.tradeId);
    const last = this.lastTradeId.get(stream);
    if (last === undefined || id > last) this.lastTradeId.set(stream, id);
    this.handlers.onTrade?.(t);
    return last !== undefined && id > last + 1 ? id - last - 1 : 0;
  }

  private emitBar(stream: string, bar: Bar): void {
    // Closed bars go out once each and in order, whether they came live, twice over a rotation, or from REST.
    if (bar.tsOpen <= (this.lastBarOpen.get(stream) ?? -1)) return;
    this.lastBarOpen.set(stream, bar.tsOpen);
    this.handlers.onBar?.(bar);
  }

  private onDepth(d: DepthDiff): void {
    const state = this.books.get(d.symbol);
    if (state === undefined) return;
    const outcome = state.sync.onDiff(d);
    switch (outcome) {
      case DiffOutcome.Applied:
        this.handlers.onBookDeltas?.(d.deltas);
        return;
      case DiffOutcome.Gap:
        this.status({ type: 'book_gap', symbol: d.symbol });
        void this.fetchSnapshot(d.symbol, state);
        return;
      case DiffOutcome.Buffered:
        // Step 3 starts once the stream is buffering (step 2 has its first event).
        void this.fetchSnapshot(d.symbol, state);
        return;
      case DiffOutcome.Dropped:
        return;
    }
  }

  private async fetchSnapshot(symbol: string, state: BookState): Promise<void> {
    if (state.fetching || this.stopped) return;
    state.fetching = true;
    try {
      const body = await this.get('depth', { symbol, limit: String(this.config.depthLimit) });
      if (!this.books.has(symbol)) return;
      const info = { instrumentId: state.sync.book.instrumentId, pricePrecision: state.sync.book.pricePrecision, sizePrecision: state.sync.book.sizePrecision };
      const snap = parseDepthSnapshot(body, info);
      if (!snap.ok) throw new BinanceRequestError(`depth ${symbol}: ${snap.rejection.reason} ${snap.rejection.field ?? ''}`);
      const outcome = state.sync.onSnapshot(snap.value);
      if (outcome === SnapshotOutcome.Synced) {
        state.attempts = 0;
        const book = state.sync.book;
        const top = book.top(Number.MAX_SAFE_INTEGER);
        const now = this.clock() as UnixMicros;
        this.status({ type: 'book_synced', symbol, updateId: state.sync.updateId });
        this.handlers.onBookSnapshot?.({ type: 'book_snapshot', instrumentId: book.instrumentId, bids: top.bids, asks: top.asks, sequence: book.sequence, tsEvent: now, tsInit: now });
        return;
      }
      state.attempts++;
    } catch (err) {
      state.attempts++;
      this.status({ type: 'error', message: `snapshot ${symbol}: ${(err as Error).message}` });
    } finally {
      state.fetching = false;
    }
    // Stale or failed: fetch again after a pause that grows with the attempts, within the venue's weight limits.
    if (!this.stopped && state.attempts < MAX_SNAPSHOT_ATTEMPTS && this.books.get(symbol) === state) {
      setTimeout(() => void this.fetchSnapshot(symbol, state), Math.min(5000, 100 * 2 ** state.attempts)).unref();
    }
  }

  // ---- backfill ----

  private async backfill(stream: string, hold: Hold): Promise<void> {
    const spec = this.specs.get(stream);
    if (spec === undefined) {
      this.holds.delete(stream);
      return;
    }
    hold.running = true;
    const info = this.lookupFn?.(spec.symbol);
    const filled: Filled = { count: 0, lost: 0 };
    try {
      do {
        hold.again = false;
        if (info !== undefined && (spec.kind === 'aggTrade' || spec.kind === 'trade')) await this.backfillTrades(stream, spec.symbol, spec.kind, info, hold, filled);
        if (info !== undefined && spec.kind === 'kline') filled.count += await this.backfillKlines(stream, spec, info);
      } while (hold.again && !this.stopped);
    } catch (err) {
      this.status({ type: 'error', message: `backfill ${stream}: ${(err as Error).message}` });
    } finally {
      // Live events that waited follow the backfill; duplicates of what REST returned are dropped, and the ids
      // the live ones still skip were not recovered.
      if (this.holds.get(stream) === hold) this.holds.delete(stream);
      for (const t of hold.trades) filled.lost += Math.max(0, this.emitTrade(stream, t));
      for (const k of hold.bars) this.emitBar(stream, k.bar);
      this.status({ type: 'backfill', symbol: spec.symbol, stream, count: filled.count, lost: filled.lost });
    }
  }

  /** aggTrades page by aggregate id; trades by id need the API key (`historicalTrades`), else only the recent ones. */
  private tradeSource(kind: 'trade' | 'aggTrade'): TradeSource {
    if (kind === 'aggTrade') return AGG_TRADES;
    if (this.apiKey === undefined || this.keyRefused) return RECENT_TRADES;
    return { endpoint: 'historicalTrades', parse: parseTrades, byId: true, headers: { 'X-MBX-APIKEY': this.apiKey } };
  }

  /** Fetches the trades after the last one published, page by page from its id (or the one recent page). */
  private async backfillTrades(stream: string, symbol: string, kind: 'trade' | 'aggTrade', info: InstrumentPrecision, hold: Hold, filled: Filled): Promise<void> {
    for (let page = 0; page < this.config.backfillMaxPages; page++) {
      const last = this.lastTradeId.get(stream);
      if (last === undefined) return;
      const { rows, byId } = await this.tradePage(stream, symbol, kind, last, info);
      // A page from an id runs on from the hole without a break. The recent page may not reach back to the
      // hole: what it holds past the first held live trade would go out ahead of trades still on the way.
      const upTo = byId || hold.trades.length === 0 ? Infinity : Number(hold.trades[0].tradeId);
      for (const t of rows) {
        const id = Number(t.tradeId);
        // The recent page may reach back before the hole: those trades went out already (or predate the stream).
        if (id <= (this.lastTradeId.get(stream) ?? -1) || id >= upTo) continue;
        const skipped = this.emitTrade(stream, t);
        if (skipped < 0) continue;
        filled.count++;
        filled.lost += skipped;
      }
      if (!byId || rows.length < PAGE) return;
    }
  }

  private async tradePage(stream: string, symbol: string, kind: 'trade' | 'aggTrade', last: number, info: InstrumentPrecision): Promise<{ rows: TradeTick[]; byId: boolean }> {
    const src = this.tradeSource(kind);
    const params: Record<string, string> = src.byId ? { symbol, fromId: String(last + 1), limit: String(PAGE) } : { symbol, limit: String(PAGE) };
    let body: unknown;
    try {
      body = await this.get(src.endpoint, params, src.headers);
    } catch (err) {
      if (src.endpoint !== 'historicalTrades' || !(err instanceof BinanceRequestError) || err.status !== 401) throw err;
      // The venue does not take the key (-2014/-2015): go on with what needs none, and say so once.
      this.keyRefused = true;
      this.status({ type: 'error', message: `backfill ${stream}: API key refused, recent trades only from now on: ${err.message}` });
      return this.tradePage(stream, symbol, kind, last, info);
    }
    return { rows: unwrap(src.parse(body, info, this.clock() as UnixMicros), src.endpoint), byId: src.byId };
  }

  private async backfillKlines(stream: string, spec: StreamSpec, info: InstrumentPrecision): Promise<number> {
    const last = this.lastBarOpen.get(stream);
    if (last === undefined) return 0;
    const interval = spec.interval ?? '1m';
    const barSpec = BarSpec.parse(interval === '1w' ? '7d' : interval);
    let count = 0;
    let start = Math.floor(last / 1000) + 1;
    for (let page = 0; page < this.config.backfillMaxPages; page++) {
      const bars = unwrap(parseKlines(await this.get('klines', { symbol: spec.symbol, interval, startTime: String(start), limit: String(PAGE) }), info, barSpec, this.clock() as UnixMicros), 'klines');
      // Every row but the last is closed (a later one exists); the last may still be open: it counts only
      // if its close time has passed on the venue's clock.
      const venueNow = this.clock() + (this.timeOffset.offsetMicros ?? 0);
      for (let k = 0; k < bars.length; k++) {
        const b = bars[k];
        if (k === bars.length - 1 && b.tsEvent > venueNow) continue;
        const before = this.lastBarOpen.get(stream);
        this.emitBar(stream, b);
        if (this.lastBarOpen.get(stream) !== before) count++;
      }
      if (bars.length < PAGE) break;
      start = Math.floor(bars[bars.length - 1].tsOpen / 1000) + 1;
    }
    return count;
  }

  // ---- REST ----

  private async get(endpoint: string, params: Record<string, string>, headers: Readonly<Record<string, string>> = {}): Promise<unknown> {
    const url = `${this.config.restUrl}${this.api}/${endpoint}${Object.keys(params).length > 0 ? `?${new URLSearchParams(params)}` : ''}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.config.requestTimeoutMs) });
    } catch (err) {
      throw new BinanceRequestError(`GET ${url}: ${(err as Error).message}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new BinanceRequestError(`GET ${url}: HTTP ${res.status} ${text.slice(0, 200)}`, { status: res.status });
    return text;
  }
}

function symbolOf(id: string): string {
  return id.slice(0, id.lastIndexOf('.'));
}

function unwrap<T>(r: RestResult<T>, what: string): T {
  if (!r.ok) throw new BinanceRequestError(`${what}: ${r.rejection.reason} ${r.rejection.field ?? ''} ${r.rejection.detail}`);
  return r.value;
}
