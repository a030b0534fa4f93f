import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram } from 'prom-client';
import { BinanceDataClient, type DataClientStatus } from '../adapters/binance/data-client.js';
import { startSimulator, type SimHandle } from '../adapters/sim/launch.js';
import { TimeBarAggregator } from '../compute/bars/time-bars.js';
import { IndicatorRow } from '../compute/indicators/registry.js';
import { BarSpec } from '../core/bar-spec.js';
import type { Bar, MarketData, TradeTick } from '../core/data.js';
import { InstrumentId } from '../core/identifiers.js';
import { UnixMicros } from '../core/time.js';
import { InProcessBus } from '../kernel/bus/in-process-bus.js';
import { Cache } from '../kernel/cache.js';
import { LiveClock } from '../kernel/clock/live-clock.js';
import { DataEngine, type DataProcessor } from '../kernel/data-engine.js';
import type { HotCache } from '../kernel/ports/hot-cache.js';
import type { MarketDataStore } from '../kernel/ports/market-store.js';
import { topics } from '../kernel/topics.js';
import { MemoryHotCache } from '../infra/cache/memory-hot-cache.js';
import { RedisHotCache } from '../infra/cache/redis-hot-cache.js';
import type { Config } from '../infra/config/config.js';
import { describeDatabase, openDatabase } from '../infra/db/open.js';
import type { Logger } from '../infra/logging/logger.js';
import { createMetricsRegistry, type Registry } from '../infra/metrics/registry.js';
import { BufferedWriter } from '../infra/store/buffered-writer.js';
import { SqlMarketStore } from '../infra/store/sql-market-store.js';
import { isTransientDbError } from '../infra/db/driver.js';

/**
 * The embedded platform that `tradewind start` (and `npm start`) runs in one process:
 *   exchange simulator (Binance protocol, default) or the real venue
 *   -> Binance data client (parse, validate, sequence, local books, reconnect + backfill)
 *   -> DataEngine (cache, then publish on the bus) -> time-bar aggregators per symbol and spec
 *   -> indicators on every closed bar -> hot cache (memory or Redis) and the store (PGlite or PostgreSQL,
 *      batched and idempotent) -> HTTP: /health, /metrics, /api/status, /api/bars.
 * Later issues add strategies, risk, execution and the dashboard to the same kernel.
 */
export interface PlatformOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface LatestBar {
  readonly instrumentId: string;
  readonly spec: string;
  readonly bar: Bar;
  readonly indicators: Readonly<Record<string, number | null>>;
}

export interface Platform {
  readonly httpUrl: string;
  readonly sim: SimHandle | undefined;
  readonly metrics: Registry;
  readonly engine: DataEngine;
  readonly store: MarketDataStore;
  readonly hotCache: HotCache;
  /** The latest closed bar of every instrument and spec, with its indicator values. */
  latest(): LatestBar[];
  status(): Record<string, unknown>;
  stop(): Promise<void>;
}

/** How long after a bar's end the clock closes it; trades later than that are late (counted, dropped). */
const BAR_CLOSE_DELAY_MICROS = 250_000;

/** Feeds trades of one instrument to one time-bar aggregator per configured spec. */
class BarProcessor implements DataProcessor {
  constructor(readonly aggregators: readonly TimeBarAggregator[]) {}

  handle(data: MarketData): void {
    if (data.type !== 'trade') return;
    for (const a of this.aggregators) a.handleTrade(data);
  }

  onTime(now: UnixMicros): void {
    for (const a of this.aggregators) a.onTime(now);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(text);
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { config, logger } = options;
  const log = logger.child({ component: 'platform' });
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        log.error({ err }, 'error while stopping');
      }
    }
    cleanup.length = 0;
  };

  try {
    // Metrics first, so every component can register.
    const metrics = createMetricsRegistry({ service: 'all-in-one' });
    const events = new Counter({ name: 'tradewind_market_events_total', help: 'Market data events into the kernel', labelNames: ['type'], registers: [metrics] });
    // Children bound once: a labels object hashed on every message would cost more than the increment.
    const tradeEvents = events.labels('trade');
    const quoteEvents = events.labels('quote');
    const deltaEvents = events.labels('book_deltas');
    const snapshotEvents = events.labels('book_snapshot');
    const barsClosed = new Counter({ name: 'tradewind_bars_closed_total', help: 'Bars closed by the aggregators', labelNames: ['spec'], registers: [metrics] });
    const rejected = new Counter({ name: 'tradewind_feed_rejections_total', help: 'Venue frames rejected', labelNames: ['venue', 'reason'], registers: [metrics] });
    const connected = new Gauge({ name: 'tradewind_feed_connected', help: 'Open venue connections', registers: [metrics] });
    const ingestLag = new Histogram({
      name: 'tradewind_trade_ingest_lag_seconds',
      help: 'Venue event time to kernel time of trades (includes clock offset)',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [metrics],
    });
    const processors: BarProcessor[] = [];
    new Gauge({
      name: 'tradewind_bar_late_trades',
      help: 'Trades that arrived after their bar had closed (dropped by the late-trade policy)',
      registers: [metrics],
      collect() {
        this.set(processors.reduce((n, p) => n + p.aggregators.reduce((m, a) => m + a.lateTrades, 0), 0));
      },
    });
    const storeBuffered = new Gauge({ name: 'tradewind_store_buffered_rows', help: 'Rows waiting to be written', labelNames: ['table'], registers: [metrics] });

    // The kernel: clock, bus, cache, data engine.
    const clock = new LiveClock();
    const bus = new InProcessBus({ clock, onHandlerError: (f) => log.error({ err: f.error, topic: f.topic, subscriber: f.subscriber, count: f.errorCount }, 'bus handler failed') });
    const cache = new Cache({ barCapacity: 2_000, tickCapacity: 1_000 });
    const engine = new DataEngine({ clock, bus, cache }, { timeCheckIntervalMicros: 1_000_000 });
    cleanup.push(async () => {
      if (engine.state === 'RUNNING') engine.stop();
      await bus.close();
      clock.cancelTimers();
    });

    // Storage: the embedded PGlite database, or PostgreSQL when configured.
    const env = { ...options.env, TRADEWIND_HOME: config.home, ...(config.database.url === undefined ? {} : { TRADEWIND_DATABASE_URL: config.database.url }) };
    const db = await openDatabase({ env, cwd: options.cwd });
    const store = new SqlMarketStore(db);
    cleanup.push(() => store.close());
    log.info({ database: describeDatabase(env, options.cwd) }, 'store open');
    const writerOptions = { isTransient: isTransientDbError, batchSize: 5_000, flushIntervalMs: 1_000, capacity: 200_000 };
    const tradeWriter = new BufferedWriter<TradeTick>({
      ...writerOptions,
      sink: (batch) => store.insertTrades(batch),
      onRetry: (err, attempt) => log.warn({ err, attempt }, 'trade write failed, retrying'),
    });
    const barWriter = new BufferedWriter<Bar>({
      ...writerOptions,
      sink: (batch) => store.insertBars(batch),
      onRetry: (err, attempt) => log.warn({ err, attempt }, 'bar write failed, retrying'),
    });
    cleanup.push(async () => {
      await tradeWriter.close();
      await barWriter.close();
    });

    const hotCache: HotCache =
      config.redis.url === undefined ? new MemoryHotCache() : await RedisHotCache.open({ url: config.redis.url, prefix: 'tw:' });
    cleanup.push(() => hotCache.close());

    // Market data source: the simulator by default (offline), or the real venue.
    let sim: SimHandle | undefined;
    let wsUrl = config.marketData.binance.wsUrl;
    let restUrl = config.marketData.binance.restUrl;
    if (config.marketData.source === 'sim') {
      sim = await startSimulator({
        venue: 'binance',
        port: config.marketData.sim.port,
        seed: config.marketData.sim.seed,
        speed: config.marketData.sim.speed,
        symbols: config.marketData.symbols,
      });
      cleanup.push(() => (sim as SimHandle).close());
      wsUrl = sim.wsUrl;
      restUrl = sim.restUrl;
      log.info({ rest: sim.restUrl, ws: sim.wsUrl }, 'exchange simulator running');
    }

    const specs = config.bars.map((s) => BarSpec.parse(s));
    const latest = new Map<string, LatestBar>();
    const rows = new Map<string, IndicatorRow>();
    IndicatorRow.fromSpec(config.indicators); // validate the spec before anything connects

    // Every bar: indicators, hot cache, store, log.
    bus.subscribe(topics.allBars(), (bar: Bar) => {
      const specText = BarSpec.toString(bar.spec);
      const key = `${bar.instrumentId}|${specText}`;
      let row = rows.get(key);
      if (row === undefined) rows.set(key, (row = IndicatorRow.fromSpec(config.indicators)));
      const values = row.update({ open: bar.open.toNumber(), high: bar.high.toNumber(), low: bar.low.toNumber(), close: bar.close.toNumber(), volume: bar.volume.toNumber() });
      const indicators: Record<string, number | null> = {};
      row.columns.forEach((c, i) => (indicators[c] = Number.isNaN(values[i]) ? null : values[i]));
      latest.set(key, { instrumentId: bar.instrumentId, spec: specText, bar, indicators });
      barsClosed.inc({ spec: specText });
      void barWriter.put(bar).catch((err: unknown) => log.error({ err }, 'bar not stored'));
      const ready = Object.fromEntries(Object.entries(indicators).filter(([, v]) => v !== null)) as Record<string, number>;
      void hotCache
        .put([{ kind: 'bar', bar }, { kind: 'features', features: { instrumentId: bar.instrumentId, name: `indicators.${specText}`, values: ready, tsEvent: bar.tsEvent } }])
        .catch((err: unknown) => log.warn({ err }, 'hot cache write failed'));
      log.info({ instrument: bar.instrumentId, spec: specText, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, trades: bar.tradeCount, indicators }, 'bar');
    });

    // The venue client pushes into the data engine.
    let lastStatus: DataClientStatus | undefined;
    const client = new BinanceDataClient(
      { market: 'spot', wsUrl, restUrl },
      {
        clock: () => clock.now(),
        log: logger.child({ component: 'binance' }),
        // trades lost in a gap are backfilled by id with a key, else from the recent trades only
        ...(options.env.BINANCE_API_KEY === undefined || options.env.BINANCE_API_KEY === '' ? {} : { apiKey: options.env.BINANCE_API_KEY }),
        handlers: {
          onTrade: (t) => {
            tradeEvents.inc();
            ingestLag.observe(Math.max(0, t.tsInit - t.tsEvent) / 1e6);
            if (!tradeWriter.write(t)) log.warn('trade buffer full: store is behind');
            engine.process(t);
          },
          onQuote: (q) => {
            quoteEvents.inc();
            engine.process(q);
          },
          onBookDeltas: (d) => {
            deltaEvents.inc();
            engine.process(d);
          },
          onBookSnapshot: (s) => {
            snapshotEvents.inc();
            engine.process(s);
          },
          onStatus: (s) => {
            lastStatus = s;
            if (s.type === 'connected') connected.inc();
            if (s.type === 'disconnected') connected.dec();
            const level = s.type === 'error' || s.type === 'book_gap' || s.type === 'stale' ? 'warn' : 'info';
            log[level]({ status: s }, `feed ${s.type}`);
          },
        },
      },
    );
    client.rejections.onReject = (venue, reason) => rejected.inc({ venue, reason });
    cleanup.push(() => client.stop());

    const info = await client.loadInstruments();
    const wanted = new Set(config.marketData.symbols);
    const instruments = info.symbols.filter((s) => wanted.has(s.symbol));
    const missing = [...wanted].filter((s) => !instruments.some((i) => i.symbol === s));
    if (missing.length > 0) throw new Error(`the venue does not list ${missing.join(', ')}`);
    for (const s of instruments) {
      const aggregators = specs.map(
        (spec) =>
          new TimeBarAggregator({
            instrumentId: s.instrumentId,
            spec,
            pricePrecision: s.pricePrecision,
            sizePrecision: s.sizePrecision,
            // Trades reach us a little after their venue time: close a bar by the clock only once the
            // trades stamped before its end have had time to arrive (NautilusTrader's bar build delay).
            closeDelayMicros: BAR_CLOSE_DELAY_MICROS,
            onBar: (bar) => engine.process(bar),
          }),
      );
      const processor = new BarProcessor(aggregators);
      processors.push(processor);
      engine.addProcessor(s.instrumentId, processor);
    }
    engine.initialize();
    engine.start();
    await client.subscribe(instruments.flatMap((s) => [
      { symbol: s.symbol, kind: 'trade' as const },
      { symbol: s.symbol, kind: 'bookTicker' as const },
      { symbol: s.symbol, kind: 'depth' as const },
    ]));
    void client.measureTimeOffset().catch((err: unknown) => log.warn({ err }, 'time offset not measured'));

    // HTTP: health, metrics, status and bars.
    const startedAt = clock.now();
    const status = (): Record<string, unknown> => ({
      startedAt: UnixMicros.toIso(startedAt),
      now: UnixMicros.toIso(clock.now()),
      source: config.marketData.source,
      symbols: config.marketData.symbols,
      feed: lastStatus ?? null,
      eventsProcessed: engine.processed,
      rejections: client.rejections.snapshot(),
      venueClockOffsetMicros: client.timeOffset.offsetMicros ?? null,
      store: { trades: tradeWriter.stats, bars: barWriter.stats },
    });
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' });
        if (url.pathname === '/health') return json(res, 200, { status: 'ok' });
        if (url.pathname === '/metrics') {
          storeBuffered.set({ table: 'trades' }, tradeWriter.stats.buffered);
          storeBuffered.set({ table: 'bars' }, barWriter.stats.buffered);
          res.writeHead(200, { 'content-type': metrics.contentType });
          return res.end(await metrics.metrics());
        }
        if (url.pathname === '/api/status') return json(res, 200, { ...status(), latest: [...latest.values()] });
        if (url.pathname === '/api/bars') {
          let instrumentId: InstrumentId;
          let spec: BarSpec;
          const limit = Number(url.searchParams.get('limit') ?? '100');
          try {
            instrumentId = InstrumentId.parse(url.searchParams.get('instrument') ?? '');
            spec = BarSpec.parse(url.searchParams.get('spec') ?? '1m');
            if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new Error('limit must be an integer 1..10000');
          } catch (err) {
            return json(res, 400, { error: (err as Error).message });
          }
          await barWriter.flush();
          return json(res, 200, { instrument: instrumentId, spec: BarSpec.toString(spec), bars: await store.lastBars(instrumentId, spec, limit) });
        }
        return json(res, 404, { error: 'not found' });
      })().catch((err: unknown) => {
        log.error({ err }, 'http handler failed');
        if (!res.headersSent) json(res, 500, { error: 'internal error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address() as AddressInfo;
    const httpUrl = `http://${config.http.host}:${address.port}`;
    log.info({ http: httpUrl, symbols: config.marketData.symbols, bars: config.bars, indicators: config.indicators }, 'tradewind running');

    return {
      httpUrl,
      sim,
      metrics,
      engine,
      store,
      hotCache,
      latest: () => [...latest.values()],
      status,
      async stop() {
        log.info('stopping: flushing buffers');
        await stopAll();
        log.info('stopped');
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
