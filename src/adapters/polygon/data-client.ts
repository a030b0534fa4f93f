import { z } from 'zod';
import type { Bar, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { UnixMicros } from '../../core/time.js';
import { Backoff } from '../common/backoff.js';
import { IdDeduplicator } from '../common/dedup.js';
import { ReconnectingWebSocket } from '../common/reconnecting-ws.js';
import { RejectReason } from '../common/reject-reason.js';
import { RejectionCounter, type RejectionLog } from '../common/rejection-counter.js';
import { StalenessMonitor } from '../common/staleness.js';
import { TimeOffsetEstimator } from '../common/time-offset.js';
import { parsePolygonAggs, polygonInterval } from '../historical/polygon-aggs.js';
import { parsePolygonFrame, POLYGON_VENUE } from './parse.js';

/**
 * Polygon.io real-time client. The flow on every connection (Polygon's documented one):
 *   1. the server sends `[{"ev":"status","status":"connected"}]`;
 *   2. we send `{"action":"auth","params":"<API key>"}` and wait for `auth_success` (`auth_failed` stops the
 *      client: retrying a bad key only gets the account locked out);
 *   3. we send `{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL"}` (all our channels, comma-joined).
 * After a reconnect, minute aggregates missed while disconnected are fetched from the REST aggregates
 * endpoint and delivered before live ones (each bar once, by open time), so the bars after an outage equal
 * those of a run without it. The API key comes from the environment (`POLYGON_API_KEY`) and is sent to REST
 * as a bearer header, never in a URL, so it cannot appear in a logged URL.
 */
export const PolygonConfigSchema = z
  .object({
    /** `wss://socket.polygon.io/stocks`, `.../crypto`; or the simulator's URL. */
    wsUrl: z.string().url().default('wss://socket.polygon.io/stocks'),
    restUrl: z.string().url().default('https://api.polygon.io'),
    /** Channel subscriptions in Polygon's form: `T.AAPL`, `Q.AAPL`, `AM.AAPL`, `XT.BTC-USD`, `XA.BTC-USD`. */
    subscriptions: z.array(z.string().regex(/^(T|Q|A|AM|XT|XQ|XA|XAS|XL2)\.[A-Za-z0-9.:/-]+$/, 'a channel like T.AAPL or XT.BTC-USD')).min(1),
    backoffBaseMs: z.number().positive().default(500),
    backoffCapMs: z.number().positive().default(30_000),
    /** A channel with no message for this long is reported stale (markets close: no reconnect on that alone). */
    staleAfterMs: z.number().int().positive().default(60_000),
    backfill: z.boolean().default(true),
    requestTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();
export type PolygonConfig = z.infer<typeof PolygonConfigSchema>;

export type PolygonClientStatus =
  | { readonly type: 'connected'; readonly reconnect: boolean }
  | { readonly type: 'authenticated' }
  | { readonly type: 'auth_failed'; readonly message: string }
  | { readonly type: 'disconnected'; readonly code: number; readonly retryInMs: number | undefined }
  | { readonly type: 'stale'; readonly channel: string }
  | { readonly type: 'backfill'; readonly instrumentId: InstrumentId; readonly bars: number }
  | { readonly type: 'error'; readonly message: string };

export interface PolygonHandlers {
  onTrade?(t: TradeTick): void;
  onQuote?(q: QuoteTick): void;
  onBar?(b: Bar): void;
  onBook?(b: BookSnapshot): void;
  onStatus?(s: PolygonClientStatus): void;
}

export interface PolygonDeps {
  readonly apiKey: string;
  readonly handlers: PolygonHandlers;
  /** Local time in µs (tsInit of events, staleness). */
  readonly clock?: () => number;
  readonly fetch?: typeof fetch;
  readonly log?: RejectionLog;
  readonly random?: () => number;
}

export class PolygonDataClient {
  readonly config: PolygonConfig;
  readonly rejections: RejectionCounter;
  readonly timeOffset = new TimeOffsetEstimator();
  private readonly ws: ReconnectingWebSocket;
  private readonly dedup = new IdDeduplicator();
  private readonly staleness: StalenessMonitor;
  private readonly clock: () => number;
  private readonly fetchFn: typeof fetch;
  /** Open time of the newest minute bar delivered per instrument: bars at or before it are duplicates. */
  private readonly lastMinuteBar = new Map<InstrumentId, number>();
  private staleTimer: NodeJS.Timeout | undefined;
  private authenticated = false;
  private stopped = false;
  private opens = 0;
  /** Live minute bars held while a backfill for their instrument runs, so bars stay in order. */
  private readonly held = new Map<InstrumentId, Bar[]>();

  constructor(config: z.input<typeof PolygonConfigSchema>, private readonly deps: PolygonDeps) {
    this.config = PolygonConfigSchema.parse(config);
    if (deps.apiKey === '') throw new Error('POLYGON_API_KEY is empty');
    this.clock = deps.clock ?? (() => Date.now() * 1000);
    this.fetchFn = deps.fetch ?? fetch;
    this.rejections = new RejectionCounter(deps.log);
    this.staleness = new StalenessMonitor(this.config.staleAfterMs * 1000);
    this.ws = new ReconnectingWebSocket({
      url: () => this.config.wsUrl,
      backoff: new Backoff(this.config.backoffBaseMs, this.config.backoffCapMs, deps.random),
      onOpen: () => {
        this.authenticated = false;
        this.opens++;
        this.status({ type: 'connected', reconnect: this.opens > 1 });
      },
      onMessage: (text) => this.onFrame(text),
      onClose: (code, _reason, retryInMs) => {
        this.authenticated = false;
        this.status({ type: 'disconnected', code, retryInMs });
      },
      onError: (err) => this.status({ type: 'error', message: err.message }),
      connectTimeoutMs: this.config.requestTimeoutMs,
    });
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  start(): void {
    this.stopped = false;
    this.ws.start();
    const now = this.clock();
    for (const channel of this.config.subscriptions) this.staleness.watch(channel, now);
    this.staleTimer = setInterval(() => {
      for (const channel of this.staleness.check(this.clock())) this.status({ type: 'stale', channel });
    }, Math.min(5_000, this.config.staleAfterMs));
    this.staleTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.staleTimer);
    await this.ws.stop();
  }

  /** Handles one frame; public so that a replay can drive the same code path. */
  onFrame(text: string): void {
    const now = this.clock();
    const tsInit = UnixMicros.unsafe(now);
    const { events, rejections } = parsePolygonFrame(text, tsInit);
    for (const r of rejections) {
      this.rejections.record({ venue: POLYGON_VENUE, reason: r.reason, field: r.field, detail: r.ev === undefined ? r.detail : `${r.ev}: ${r.detail}`, frame: text }, now);
    }
    for (const e of events) {
      switch (e.type) {
        case 'status':
          this.onStatusMessage(e.status, e.message);
          break;
        case 'trade':
          this.touch(e.instrumentId, now, e.tsEvent);
          if (this.dedup.firstTime(e.instrumentId, e.tradeId)) this.deps.handlers.onTrade?.(e);
          break;
        case 'quote':
          this.touch(e.instrumentId, now, e.tsEvent);
          this.deps.handlers.onQuote?.(e);
          break;
        case 'bar':
          this.touch(e.instrumentId, now, e.tsEvent);
          this.deliverBar(e);
          break;
        case 'book_snapshot':
          this.touch(e.instrumentId, now, e.tsEvent);
          this.deps.handlers.onBook?.(e);
          break;
      }
    }
  }

  private touch(instrumentId: InstrumentId, now: number, tsEvent: number): void {
    this.timeOffset.addEvent(tsEvent, now);
    const symbol = instrumentId.slice(0, instrumentId.lastIndexOf('.'));
    for (const channel of this.config.subscriptions) if (channel.endsWith(`.${symbol}`)) this.staleness.touch(channel, now);
  }

  private onStatusMessage(status: string, message: string): void {
    if (status === 'connected') {
      this.ws.send(JSON.stringify({ action: 'auth', params: this.deps.apiKey }));
    } else if (status === 'auth_success') {
      this.authenticated = true;
      this.status({ type: 'authenticated' });
      this.ws.send(JSON.stringify({ action: 'subscribe', params: this.config.subscriptions.join(',') }));
      if (this.opens > 1 && this.config.backfill) void this.backfill();
    } else if (status === 'auth_failed') {
      this.status({ type: 'auth_failed', message });
      void this.stop();
    }
  }

  private deliverBar(bar: Bar): void {
    if (bar.spec.unit === 'minute') {
      const held = this.held.get(bar.instrumentId);
      if (held !== undefined) {
        held.push(bar);
        return;
      }
      const last = this.lastMinuteBar.get(bar.instrumentId);
      if (last !== undefined && bar.tsOpen <= last) return;
      this.lastMinuteBar.set(bar.instrumentId, bar.tsOpen);
    }
    this.deps.handlers.onBar?.(bar);
  }

  /** Minute bars missed while disconnected, per instrument that had delivered any, from REST. */
  private async backfill(): Promise<void> {
    const minuteChannels = this.config.subscriptions.filter((c) => c.startsWith('AM.') || c.startsWith('XA.'));
    await Promise.all(
      minuteChannels.map(async (channel) => {
        const ticker = channel.slice(channel.indexOf('.') + 1);
        const restTicker = channel.startsWith('XA.') ? `X:${ticker.replace('-', '')}` : ticker;
        const instrumentId = `${ticker.replace(/\//g, '-')}.${POLYGON_VENUE}` as InstrumentId;
        const last = this.lastMinuteBar.get(instrumentId);
        if (last === undefined) return;
        this.held.set(instrumentId, []);
        let count = 0;
        try {
          const from = Math.floor(last / 1000) + 60_000;
          const to = Math.floor(this.clock() / 1000);
          if (to <= from) return;
          const url = `${this.config.restUrl}/v2/aggs/ticker/${encodeURIComponent(restTicker)}/range/1/minute/${from}/${to}?adjusted=true&sort=asc&limit=50000`;
          const res = await this.fetchFn(url, { headers: { Authorization: `Bearer ${this.deps.apiKey}` }, signal: AbortSignal.timeout(this.config.requestTimeoutMs) });
          if (!res.ok) throw new Error(`aggregates request failed with HTTP ${res.status}`);
          const { events, rejected } = parsePolygonAggs(await res.json(), { instrumentId, interval: polygonInterval(1, 'minute'), tsInit: UnixMicros.unsafe(this.clock()) });
          for (const r of rejected) this.rejections.record({ venue: POLYGON_VENUE, reason: RejectReason.BadField, field: 'results', detail: r.reason }, this.clock());
          const live = this.held.get(instrumentId) ?? [];
          this.held.delete(instrumentId);
          for (const bar of events) {
            if (bar.tsEvent > this.clock()) continue; // the bar still forming
            const before = this.lastMinuteBar.get(instrumentId);
            this.deliverBar(bar);
            if (this.lastMinuteBar.get(instrumentId) !== before) count++;
          }
          for (const bar of live) this.deliverBar(bar);
        } catch (err) {
          const live = this.held.get(instrumentId) ?? [];
          this.held.delete(instrumentId);
          for (const bar of live) this.deliverBar(bar);
          this.status({ type: 'error', message: `backfill of ${ticker}: ${(err as Error).message}` });
        } finally {
          this.held.delete(instrumentId);
          this.status({ type: 'backfill', instrumentId, bars: count });
        }
      }),
    );
  }

  private status(s: PolygonClientStatus): void {
    if (this.stopped && s.type !== 'disconnected') return;
    this.deps.handlers.onStatus?.(s);
  }
}
