import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { assertNever } from '../../../core/errors.js';
import { ClockDriver } from '../driver.js';
import { corruptFrame, FaultCommandError, parseFaultCommand, type FaultCommand, type MalformedKind } from '../faults.js';
import { closeServer, listen, readBody, sendJson, urlHost } from '../http-util.js';
import { bucketNext, bucketStart, isKlineInterval, type KlineInterval } from '../klines.js';
import { Market, type MarketListener, type SymbolMarket, type SyntheticParams } from '../market.js';
import type { ReplayFeed } from '../replay/feed.js';
import { generatedNames, specsFor, type SymbolSpec } from '../symbols.js';
import { Outbox } from '../ws-out.js';
import { exchangeInfoBody } from './exchange-info.js';
import { parseStream, type StreamSpec } from './streams.js';
import { rollingStats } from './ticker.js';
import { BinanceWire, type BinanceMarketKind } from './wire.js';

/**
 * A Binance spot (or USD-M futures) market-data venue: the WebSocket streams (raw `/ws/<stream>` and
 * combined `/stream?streams=`), live SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/SET_PROPERTY/GET_PROPERTY,
 * server pings, the venue's connection limits, and the public REST endpoints with request weights. It
 * serves a synthetic `Market` (or frames pushed by a replay) and injects faults on command.
 */
export interface BinanceSimOptions {
  readonly kind?: BinanceMarketKind;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Symbol names, or a count of generated ones (SYM0001USDT...). Default 10. */
  readonly symbols?: readonly string[] | number;
  readonly seed?: number;
  /** Simulated start (µs); default now. */
  readonly startUs?: number;
  /** `realtime` runs a timer (at `speed`); `manual` moves only on `advance()` (tests). */
  readonly clock?: 'realtime' | 'manual';
  readonly speed?: number;
  readonly stepUs?: number;
  readonly params?: Partial<SyntheticParams>;
  /** `external`: no synthetic order flow; trades and frames come from a replay. */
  readonly mode?: 'synthetic' | 'external';
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly maxConnectionAgeMs?: number;
  readonly maxStreamsPerConnection?: number;
  readonly maxIncomingPerSecond?: number;
  /** Unsent bytes a client may have before it is dropped as a slow reader. */
  readonly sendBufferBytes?: number;
  readonly weightLimitPerMinute?: number;
  /**
   * The API key `historicalTrades` accepts in `X-MBX-APIKEY`; without one, any non-empty key is accepted. A
   * request without the header is refused either way, as Binance does.
   */
  readonly apiKey?: string;
  readonly tradeHistory?: number;
  readonly klineHistory?: number;
  readonly wallNowMs?: () => number;
  /** Serve this replay instead of synthetic markets (symbols and start time come from it). */
  readonly replay?: ReplayFeed;
}

class Topic {
  readonly conns: Conn[] = [];
  /** `{"stream":"<name>","data":` for combined connections. */
  readonly prefix: Buffer;
  /** Kline topics: what the last push carried, to push only changes. */
  lastOpen = -1;
  lastN = -1;
  /** Futures partial depth: the u of the previous push. */
  prevU = 0;
  constructor(
    readonly name: string,
    readonly spec: StreamSpec,
    readonly sym: SymbolMarket | undefined,
  ) {
    this.prefix = Buffer.from(`{"stream":${JSON.stringify(name)},"data":`);
  }
}

class Conn {
  readonly topics: Topic[] = [];
  combined: boolean;
  lastPongMs: number;
  msgWindowStart = 0;
  msgCount = 0;
  constructor(
    readonly ws: WebSocket,
    readonly outbox: Outbox,
    combined: boolean,
    readonly openedMs: number,
  ) {
    this.combined = combined;
    this.lastPongMs = openedMs;
  }
}

interface SymTopics {
  trade?: Topic;
  aggTrade?: Topic;
  bookTicker?: Topic;
  depth100?: Topic;
  depth1000?: Topic;
}

interface Malformed {
  kind: MalformedKind;
  remaining: number;
  stream: string | undefined;
}

interface Held {
  readonly topic: Topic;
  readonly data: string;
}

const METHODS = '`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`';

/** Which symbols a ticker request names: `symbol`, `symbols` (spot), or neither (all); or the error to send. */
type Selection =
  | { readonly kind: 'one'; readonly m: SymbolMarket }
  | { readonly kind: 'many'; readonly ms: readonly SymbolMarket[] }
  | { readonly kind: 'all' }
  | { readonly kind: 'error'; readonly res: [number, string] };

const INVALID_SYMBOL: [number, string] = [400, '{"code":-1121,"msg":"Invalid symbol."}'];
const SYMBOLS_RE = /^\[("[A-Z0-9\-_.]{1,20}"(,"[A-Z0-9\-_.]{1,20}")*)?\]$/;

export class BinanceSimulator implements MarketListener {
  readonly market: Market;
  readonly kind: BinanceMarketKind;
  readonly wire: BinanceWire;
  private readonly opts: BinanceSimOptions;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly topics = new Map<string, Topic>();
  private readonly symTopics: SymTopics[];
  private readonly periodic = new Set<Topic>();
  private readonly conns = new Set<Conn>();
  private readonly weights = new Map<string, { minute: number; used: number }>();
  private driver: ClockDriver | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private lastPingMs = 0;
  private port = 0;
  private readonly prefix: string;
  private sendBufferBytes: number;
  private readonly wallNowMs: () => number;
  // Faults.
  private faultsActive = false;
  private stallAllUntil = 0;
  private stallAllDrop = false;
  private readonly stallByStream = new Map<string, { until: number; drop: boolean }>();
  private held: Held[] = [];
  private malformed: Malformed[] = [];
  /** Frames delivered to client queues since start (all connections). */
  framesOut = 0;
  private readonly replay: ReplayFeed | undefined;
  /** Simulated start (ms): nothing traded before it. */
  private readonly startMs: number;
  /** True once a replay has emitted its last event. */
  replayFinished = false;

  private constructor(opts: BinanceSimOptions) {
    this.opts = opts;
    this.kind = opts.kind ?? 'spot';
    this.prefix = this.kind === 'spot' ? '/api/v3' : '/fapi/v1';
    this.wire = new BinanceWire(this.kind);
    this.wallNowMs = opts.wallNowMs ?? Date.now;
    this.sendBufferBytes = opts.sendBufferBytes ?? 8 * 1024 * 1024;
    const names = typeof opts.symbols === 'number' ? generatedNames(opts.symbols) : (opts.symbols ?? generatedNames(10));
    const seed = opts.seed ?? 1;
    this.replay = opts.replay;
    const specs: readonly SymbolSpec[] = this.replay?.symbols ?? specsFor(names, seed);
    this.market = new Market(
      {
        seed,
        symbols: specs,
        startUs: this.replay?.startUs ?? opts.startUs ?? this.wallNowMs() * 1000,
        ...(opts.stepUs === undefined ? {} : { stepUs: opts.stepUs }),
        ...(opts.params === undefined ? {} : { params: opts.params }),
        ...(this.replay !== undefined ? { mode: 'external' as const } : opts.mode === undefined ? {} : { mode: opts.mode }),
        ...(opts.tradeHistory === undefined ? {} : { tradeHistory: opts.tradeHistory }),
        ...(opts.klineHistory === undefined ? {} : { klineHistory: opts.klineHistory }),
      },
      this,
    );
    this.symTopics = this.market.symbols.map(() => ({}));
    this.startMs = Math.floor(this.market.nowUs / 1000);
    // 1024 stream names in a /stream URL take about 30 KB, above Node's default 16 KB header limit.
    this.http = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => this.onHttp(req, res));
    this.http.keepAliveTimeout = 5_000;
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  /** Creates the simulator and listens; the clock starts unless it is `manual`. */
  static async start(opts: BinanceSimOptions = {}): Promise<BinanceSimulator> {
    const sim = new BinanceSimulator(opts);
    sim.port = await listen(sim.http, opts.port ?? 0, opts.host ?? '127.0.0.1');
    const tick = Math.min(1000, opts.pingIntervalMs ?? 20_000);
    sim.lastPingMs = sim.wallNowMs();
    sim.housekeeping = setInterval(() => sim.keepAlive(), tick);
    if ((opts.clock ?? 'realtime') === 'realtime') {
      const replay = sim.replay;
      sim.driver = new ClockDriver(sim, {
        speed: opts.speed ?? 1,
        wallNowMs: sim.wallNowMs,
        ...(replay === undefined ? {} : { untilUs: replay.endUs + sim.market.stepUs, onEnd: () => (sim.replayFinished = true) }),
      });
      sim.driver.start();
    }
    return sim;
  }

  get restUrl(): string {
    return `http://${urlHost(this.opts.host ?? '127.0.0.1')}:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://${urlHost(this.opts.host ?? '127.0.0.1')}:${this.port}`;
  }

  get nowUs(): number {
    return this.market.nowUs;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Runs the market up to `us` and writes the frames it produced. */
  advanceTo(us: number): void {
    if (this.replay !== undefined) {
      this.replay.runTo(us, this);
      if (us >= this.replay.endUs) this.replayFinished = true;
    } else this.market.advanceTo(us);
    this.flush();
  }

  /** Manual clock: moves simulated time forward by `ms`. */
  advance(ms: number): void {
    this.advanceTo(this.market.nowUs + ms * 1000);
  }

  async close(): Promise<void> {
    this.driver?.stop();
    if (this.housekeeping !== undefined) clearInterval(this.housekeeping);
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
    await closeServer(this.http);
  }

  // ---------------------------------------------------------------- market events -> frames

  trade(m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void {
    const t = this.symTopics[m.index].trade;
    if (t !== undefined) this.deliver(t, this.wire.trade(m, id, price, qty, Math.floor(timeUs / 1000), buyerMaker));
  }

  aggTrade(m: SymbolMarket, aggId: number, price: number, qty: number, first: number, last: number, timeUs: number, buyerMaker: boolean): void {
    const t = this.symTopics[m.index].aggTrade;
    if (t !== undefined) this.deliver(t, this.wire.aggTrade(m, aggId, price, qty, first, last, Math.floor(timeUs / 1000), buyerMaker));
  }

  bookTicker(m: SymbolMarket, timeUs: number): void {
    const t = this.symTopics[m.index].bookTicker;
    if (t !== undefined) this.deliver(t, this.wire.bookTicker(m, Math.floor(timeUs / 1000)));
  }

  depthDiff(m: SymbolMarket, windowMs: 100 | 1000, first: number, last: number, prev: number, timeUs: number, bids: readonly number[], asks: readonly number[]): void {
    const st = this.symTopics[m.index];
    const t = windowMs === 100 ? st.depth100 : st.depth1000;
    if (t !== undefined) this.deliver(t, this.wire.depthUpdate(m, first, last, prev, Math.floor(timeUs / 1000), bids, asks));
  }

  boundary(timeUs: number): void {
    if (this.periodic.size === 0 || this.replay?.kind === 'frames') return;
    const ms = Math.floor(timeUs / 1000);
    const second = ms % 1000 === 0;
    for (const t of this.periodic) {
      const m = t.sym;
      if (m === undefined) continue;
      const spec = t.spec;
      if (spec.kind === 'partial') {
        if (spec.speedMs === 100 || second) {
          this.deliver(t, this.wire.partialDepth(m, spec.levels, ms, t.prevU));
          t.prevU = m.updateId;
        }
      } else if (spec.kind === 'kline' && second) {
        this.pushKline(t, m, spec.interval, ms);
      }
    }
  }

  private pushKline(t: Topic, m: SymbolMarket, interval: KlineInterval, ms: number): void {
    const open = bucketStart(ms, interval);
    if (open === ms) {
      // The previous bucket just closed: its final state, with x=true.
      const prevOpen = bucketStart(ms - 1, interval);
      if (prevOpen >= bucketStart(m.historyStartMs(), interval) || interval === '1s') {
        this.deliver(t, this.wire.kline(m, m.kline(interval, prevOpen), interval, ms, true));
      }
      t.lastOpen = -1;
      return;
    }
    // Updates at most every 2 s (1 s klines close every second anyway), only when something changed.
    if (interval === '1s' || Math.floor(ms / 1000) % 2 !== 0) return;
    const k = m.kline(interval, open);
    if (t.lastOpen === open && t.lastN === k.n) return;
    t.lastOpen = open;
    t.lastN = k.n;
    this.deliver(t, this.wire.kline(m, k, interval, ms, false));
  }

  /** Replay: sends a frame recorded for `stream` to its subscribers (data is the venue's JSON as text). */
  publish(stream: string, data: string): void {
    const t = this.topics.get(stream);
    if (t !== undefined) this.deliver(t, data);
  }

  private deliver(t: Topic, data: string): void {
    if (this.faultsActive) {
      const d = this.faulted(t, data);
      if (d === undefined) return;
      data = d;
    }
    const conns = t.conns;
    for (let i = 0; i < conns.length; i++) {
      const c = conns[i];
      if (c.combined) c.outbox.pushWrapped(t.prefix, data);
      else c.outbox.push(data);
      this.framesOut++;
    }
  }

  /** Writes every connection's queued frames (one socket write each). */
  flush(): void {
    if (this.held.length > 0) this.releaseHeld();
    for (const c of this.conns) {
      if (c.outbox.pending > 0) c.outbox.flush();
    }
  }

  // ---------------------------------------------------------------- faults

  applyFault(cmd: FaultCommand): void {
    const now = this.wallNowMs();
    switch (cmd.type) {
      case 'disconnect':
        for (const c of this.conns) {
          if (cmd.mode === 'close') c.ws.close(1001, 'going away');
          else c.ws.terminate();
        }
        return;
      case 'stall':
        if (cmd.stream === undefined) {
          this.stallAllUntil = now + cmd.ms;
          this.stallAllDrop = cmd.drop === true;
        } else {
          this.stallByStream.set(cmd.stream, { until: now + cmd.ms, drop: cmd.drop === true });
        }
        this.faultsActive = true;
        return;
      case 'gap': {
        const count = cmd.count ?? 10;
        const syms = cmd.symbol === undefined ? this.market.symbols : [this.market.bySymbol.get(cmd.symbol.toUpperCase())];
        for (const s of syms) {
          if (s === undefined) throw new FaultCommandError(`unknown symbol ${cmd.symbol ?? ''}`);
          s.skipUpdateIds(count);
        }
        return;
      }
      case 'malformed':
        this.malformed.push({ kind: cmd.kind, remaining: cmd.count ?? 1, stream: cmd.stream });
        this.faultsActive = true;
        return;
      case 'send-buffer':
        this.sendBufferBytes = cmd.bytes;
        for (const c of this.conns) c.outbox.maxBufferedBytes = cmd.bytes;
        return;
      case 'clear':
        this.stallAllUntil = 0;
        this.stallByStream.clear();
        this.malformed = [];
        this.faultsActive = false;
        this.releaseHeld();
        return;
    }
  }

  private faulted(t: Topic, data: string): string | undefined {
    const now = this.wallNowMs();
    let stall: { until: number; drop: boolean } | undefined;
    if (now < this.stallAllUntil) stall = { until: this.stallAllUntil, drop: this.stallAllDrop };
    else {
      const s = this.stallByStream.get(t.name);
      if (s !== undefined && now < s.until) stall = s;
    }
    if (stall !== undefined) {
      if (!stall.drop) this.held.push({ topic: t, data });
      return undefined;
    }
    for (let i = 0; i < this.malformed.length; i++) {
      const m = this.malformed[i];
      if (m.stream !== undefined && m.stream !== t.name) continue;
      m.remaining--;
      if (m.remaining <= 0) this.malformed.splice(i, 1);
      this.refreshFaultsActive(now);
      return corruptFrame(data, m.kind);
    }
    this.refreshFaultsActive(now);
    return data;
  }

  private refreshFaultsActive(now: number): void {
    let stalls = now < this.stallAllUntil;
    for (const [k, s] of this.stallByStream) {
      if (now < s.until) stalls = true;
      else this.stallByStream.delete(k);
    }
    this.faultsActive = stalls || this.malformed.length > 0 || this.held.length > 0;
  }

  private releaseHeld(): void {
    const now = this.wallNowMs();
    if (now < this.stallAllUntil) return;
    const keep: Held[] = [];
    const release: Held[] = [];
    for (const h of this.held) {
      const s = this.stallByStream.get(h.topic.name);
      if (s !== undefined && now < s.until) keep.push(h);
      else release.push(h);
    }
    this.held = keep;
    for (const h of release) {
      for (const c of h.topic.conns) {
        if (c.combined) c.outbox.pushWrapped(h.topic.prefix, h.data);
        else c.outbox.push(h.data);
        this.framesOut++;
      }
    }
    this.refreshFaultsActive(now);
  }

  // ---------------------------------------------------------------- WebSocket side

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    let names: string[];
    let combined: boolean;
    if (url.pathname === '/stream') {
      combined = true;
      const s = url.searchParams.get('streams');
      names = s === null || s === '' ? [] : s.split('/');
    } else if (url.pathname === '/ws' || url.pathname.startsWith('/ws/')) {
      combined = false;
      const rest = url.pathname.slice(4);
      names = rest === '' ? [] : rest.split('/');
    } else {
      return reject(socket, 404, 'Not Found');
    }
    const max = this.opts.maxStreamsPerConnection ?? 1024;
    if (names.length > max) return reject(socket, 400, `Too many streams: at most ${max} per connection`);
    // Binance opens the connection even when a path segment is no stream (clients such as ccxt connect to
    // `/ws/0` and SUBSCRIBE afterwards); such names are ignored, not refused.
    const streams = names.filter((n) => parseStream(n, this.kind) !== undefined);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, streams, combined));
  }

  private onConnection(ws: WebSocket, names: readonly string[], combined: boolean): void {
    const conn = new Conn(ws, new Outbox(ws, this.sendBufferBytes), combined, this.wallNowMs());
    this.conns.add(conn);
    for (const n of names) this.subscribe(conn, n);
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on('ping', () => this.countIncoming(conn));
    ws.on('pong', () => {
      conn.lastPongMs = this.wallNowMs();
      this.countIncoming(conn);
    });
    ws.on('close', () => this.dropConn(conn));
    ws.on('error', () => this.dropConn(conn));
  }

  private dropConn(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    for (const t of [...conn.topics]) this.unsubscribeTopic(conn, t);
  }

  /** Binance counts every incoming frame (pings, pongs, requests) against a per-second limit. */
  private countIncoming(conn: Conn): boolean {
    const now = this.wallNowMs();
    if (now - conn.msgWindowStart >= 1000) {
      conn.msgWindowStart = now;
      conn.msgCount = 0;
    }
    conn.msgCount++;
    if (conn.msgCount > (this.opts.maxIncomingPerSecond ?? 5)) {
      conn.ws.close(1008, 'Too many requests');
      return false;
    }
    return true;
  }

  private reply(conn: Conn, body: string): void {
    // Replies go through the same queue as data so that ordering with frames is kept.
    conn.outbox.push(body);
    conn.outbox.flush();
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    if (!this.countIncoming(conn)) return;
    const text = isBinary ? '' : data.toString();
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.reply(conn, `{"error":{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"},"id":null}`);
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.reply(conn, `{"error":{"code":2,"msg":"Invalid request: expected an object"},"id":null}`);
      return;
    }
    const o = msg as Record<string, unknown>;
    const id = o.id;
    const idOk = id === null || (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || (typeof id === 'string' && id.length <= 36);
    const idJson = idOk && id !== undefined ? JSON.stringify(id) : 'null';
    const err = (code: number, m: string): void => this.reply(conn, `{"error":{"code":${code},"msg":${JSON.stringify(m)}},"id":${idJson}}`);
    if (!idOk) return err(2, 'Invalid request: request ID must be an unsigned integer');
    if (o.method === undefined) return err(2, `Invalid request: missing field \`method\` at line 1 column ${text.length}`);
    const params = o.params;
    switch (o.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) return err(2, 'Invalid request: params must be an array of stream names');
        const names = params as string[];
        const bad = names.find((n) => parseStream(n, this.kind) === undefined);
        if (bad !== undefined) return err(2, `Invalid request: invalid stream name \`${bad}\``);
        if (o.method === 'SUBSCRIBE') {
          const max = this.opts.maxStreamsPerConnection ?? 1024;
          const fresh = new Set(names.filter((n) => !conn.topics.some((t) => t.name === n)));
          if (conn.topics.length + fresh.size > max) return err(2, `Invalid request: too many streams; at most ${max} per connection`);
          for (const n of names) this.subscribe(conn, n);
        } else {
          for (const n of names) {
            const t = conn.topics.find((x) => x.name === n);
            if (t !== undefined) this.unsubscribeTopic(conn, t);
          }
        }
        return this.reply(conn, `{"result":null,"id":${idJson}}`);
      }
      case 'LIST_SUBSCRIPTIONS':
        return this.reply(conn, `{"result":${JSON.stringify(conn.topics.map((t) => t.name))},"id":${idJson}}`);
      case 'SET_PROPERTY': {
        if (!Array.isArray(params) || params.length !== 2) return err(2, 'Invalid request: too many parameters');
        if (typeof params[0] !== 'string') return err(2, 'Invalid request: property name must be a string');
        if (params[0] !== 'combined') return err(0, 'Unknown property');
        if (typeof params[1] !== 'boolean') return err(1, 'Invalid value type: expected Boolean');
        conn.combined = params[1];
        return this.reply(conn, `{"result":null,"id":${idJson}}`);
      }
      case 'GET_PROPERTY': {
        if (!Array.isArray(params) || params.length !== 1) return err(2, 'Invalid request: too many parameters');
        if (typeof params[0] !== 'string') return err(2, 'Invalid request: property name must be a string');
        if (params[0] !== 'combined') return err(0, 'Unknown property');
        return this.reply(conn, `{"result":${conn.combined},"id":${idJson}}`);
      }
      default:
        return err(2, `Invalid request: unknown variant \`${String(o.method)}\`, expected one of ${METHODS} at line 1 column ${text.length}`);
    }
  }

  private subscribe(conn: Conn, name: string): void {
    if (conn.topics.some((t) => t.name === name)) return;
    let t = this.topics.get(name);
    if (t === undefined) {
      const spec = parseStream(name, this.kind);
      if (spec === undefined) return;
      // Unknown symbols are accepted, as by the venue, and simply never carry data.
      t = new Topic(name, spec, this.market.bySymbol.get(spec.symbol.toUpperCase()));
      this.topics.set(name, t);
      this.register(t, true);
    }
    t.conns.push(conn);
    conn.topics.push(t);
  }

  private unsubscribeTopic(conn: Conn, t: Topic): void {
    const i = t.conns.indexOf(conn);
    if (i >= 0) t.conns.splice(i, 1);
    const j = conn.topics.indexOf(t);
    if (j >= 0) conn.topics.splice(j, 1);
    if (t.conns.length === 0) {
      this.topics.delete(t.name);
      this.register(t, false);
    }
  }

  /** Hooks a topic into the per-symbol slots the event handlers read (or unhooks it). */
  private register(t: Topic, on: boolean): void {
    const m = t.sym;
    if (m === undefined) return;
    const st = this.symTopics[m.index];
    const v = on ? t : undefined;
    const spec = t.spec;
    switch (spec.kind) {
      case 'trade':
        st.trade = v;
        return;
      case 'aggTrade':
        st.aggTrade = v;
        return;
      case 'bookTicker':
        st.bookTicker = v;
        return;
      case 'depth':
        if (spec.speedMs === 100) st.depth100 = v;
        else st.depth1000 = v;
        return;
      case 'partial':
      case 'kline':
        if (on) {
          t.prevU = m.updateId;
          this.periodic.add(t);
        } else this.periodic.delete(t);
        return;
    }
  }

  private keepAlive(): void {
    const now = this.wallNowMs();
    const pingEvery = this.opts.pingIntervalMs ?? 20_000;
    const pongTimeout = this.opts.pongTimeoutMs ?? 60_000;
    const maxAge = this.opts.maxConnectionAgeMs ?? 24 * 3_600_000;
    const ping = now - this.lastPingMs >= pingEvery;
    if (ping) this.lastPingMs = now;
    for (const c of this.conns) {
      if (now - c.openedMs >= maxAge) {
        c.ws.close(1000, 'connection lifetime reached');
        continue;
      }
      if (now - c.lastPongMs > pongTimeout) {
        c.ws.terminate();
        continue;
      }
      if (ping && c.ws.readyState === 1) c.ws.ping();
    }
    if (this.held.length > 0) this.flush();
  }

  // ---------------------------------------------------------------- REST side

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      if (url.pathname.startsWith('/_sim/')) return await this.onControl(req, res, url);
      if (req.method !== 'GET') return sendJson(res, 405, '{"code":-1000,"msg":"Method not allowed."}');
      this.onRest(req, res, url);
    } catch (e) {
      sendJson(res, 500, JSON.stringify({ code: -1000, msg: `An unknown error occurred while processing the request. ${(e as Error).message}` }));
    }
  }

  private async onControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/_sim/status' && req.method === 'GET') {
      return sendJson(
        res,
        200,
        JSON.stringify({
          venue: `binance-${this.kind}`,
          nowUs: this.market.nowUs,
          connections: this.conns.size,
          topics: this.topics.size,
          framesOut: this.framesOut,
          symbols: this.market.symbols.length,
          ...(this.replay === undefined ? {} : { replay: { events: this.replay.events, endUs: this.replay.endUs, finished: this.replayFinished } }),
        }),
      );
    }
    if (url.pathname === '/_sim/faults' && req.method === 'POST') {
      let cmd: FaultCommand;
      try {
        cmd = parseFaultCommand(JSON.parse(await readBody(req)));
        this.applyFault(cmd);
      } catch (e) {
        return sendJson(res, 400, JSON.stringify({ error: (e as Error).message }));
      }
      return sendJson(res, 200, JSON.stringify({ ok: true, applied: cmd }));
    }
    return sendJson(res, 404, '{"error":"unknown control endpoint"}');
  }

  private weigh(req: IncomingMessage, weight: number): { headers: Record<string, string>; over: boolean } {
    const ip = req.socket.remoteAddress ?? '';
    const minute = Math.floor(this.wallNowMs() / 60_000);
    let w = this.weights.get(ip);
    if (w === undefined || w.minute !== minute) {
      w = { minute, used: 0 };
      this.weights.set(ip, w);
    }
    w.used += weight;
    const limit = this.opts.weightLimitPerMinute ?? (this.kind === 'spot' ? 6000 : 2400);
    const used = String(w.used);
    const headers: Record<string, string> = this.kind === 'spot' ? { 'x-mbx-used-weight': used, 'x-mbx-used-weight-1m': used } : { 'x-mbx-used-weight-1m': used };
    return { headers, over: w.used > limit };
  }

  private onRest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname;
    if (!path.startsWith(`${this.prefix}/`)) return sendJson(res, 404, '{"code":-1000,"msg":"Not found."}');
    const route = path.slice(this.prefix.length + 1);
    const q = url.searchParams;
    const nowMs = Math.floor(this.market.nowUs / 1000);
    const routes: Record<string, () => { weight: number; run: () => [number, string] }> = {
      ping: () => ({ weight: 1, run: () => [200, '{}'] }),
      time: () => ({ weight: 1, run: () => [200, `{"serverTime":${nowMs}}`] }),
      exchangeInfo: () => ({ weight: this.kind === 'spot' ? 20 : 1, run: () => this.restExchangeInfo(q, nowMs) }),
      depth: () => {
        const limit = Number(q.get('limit') ?? (this.kind === 'spot' ? 100 : 500));
        const weight = this.kind === 'spot' ? (limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250) : limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
        return { weight, run: () => this.restDepth(q, nowMs) };
      },
      klines: () => ({ weight: 2, run: () => this.restKlines(q, nowMs) }),
      aggTrades: () => ({ weight: this.kind === 'spot' ? 4 : 20, run: () => this.restAggTrades(q) }),
      trades: () => ({ weight: this.kind === 'spot' ? 25 : 5, run: () => this.restTrades(q, false) }),
      historicalTrades: () => ({ weight: this.kind === 'spot' ? 25 : 20, run: () => this.restTrades(q, true) }),
      'ticker/24hr': () => {
        const sel = this.selection(q);
        const weight = this.kind === 'spot' ? tickerWeight(sel, 2, 80, true) : tickerWeight(sel, 1, 40, false);
        return { weight, run: () => this.restTicker24hr(sel, q) };
      },
      'ticker/bookTicker': () => {
        const sel = this.selection(q);
        return { weight: this.kind === 'spot' ? tickerWeight(sel, 2, 4, false) : tickerWeight(sel, 2, 5, false), run: () => this.restBookTicker(sel, nowMs) };
      },
      'ticker/price': () => {
        const sel = this.selection(q);
        return { weight: this.kind === 'spot' ? tickerWeight(sel, 2, 4, false) : tickerWeight(sel, 1, 2, false), run: () => this.restPrice(sel, nowMs) };
      },
    };
    const r = routes[route];
    if (r === undefined) return sendJson(res, 404, '{"code":-1000,"msg":"Not found."}');
    if (route === 'historicalTrades') {
      const refused = this.checkApiKey(req);
      if (refused !== undefined) return sendJson(res, refused[0], refused[1]);
    }
    const { weight, run } = r();
    const { headers, over } = this.weigh(req, weight);
    if (over) {
      const limit = this.opts.weightLimitPerMinute ?? (this.kind === 'spot' ? 6000 : 2400);
      const wait = 60 - Math.floor((this.wallNowMs() % 60_000) / 1000);
      return sendJson(
        res,
        429,
        `{"code":-1003,"msg":"Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}`,
        { ...headers, 'retry-after': String(wait) },
      );
    }
    const [status, body] = run();
    sendJson(res, status, body, headers);
  }

  /** Endpoints of security type MARKET_DATA need an API key (no signature): 401 -2014 without one, -2015 for a wrong one. */
  private checkApiKey(req: IncomingMessage): [number, string] | undefined {
    const key = req.headers['x-mbx-apikey'];
    if (typeof key !== 'string' || key === '') return [401, '{"code":-2014,"msg":"API-key format invalid."}'];
    if (this.opts.apiKey !== undefined && key !== this.opts.apiKey) {
      return [401, `{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action, request ip: ${req.socket.remoteAddress ?? ''}"}`];
    }
    return undefined;
  }

  private symbolParam(q: URLSearchParams): SymbolMarket | [number, string] {
    const s = q.get('symbol');
    if (s === null || s === '') return [400, `{"code":-1102,"msg":"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."}`];
    if (!/^[A-Z0-9\-_.]{1,20}$/.test(s)) return [400, `{"code":-1100,"msg":"Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."}`];
    const m = this.market.bySymbol.get(s);
    if (m === undefined) return INVALID_SYMBOL;
    return m;
  }

  /** The `symbols` parameter, a JSON array of names as Binance writes it: `["BTCUSDT","ETHUSDT"]`. */
  private symbolsParam(many: string): { readonly ms: SymbolMarket[] } | { readonly res: [number, string] } {
    if (!SYMBOLS_RE.test(many)) {
      return { res: [400, `{"code":-1100,"msg":"Illegal characters found in parameter 'symbols'; legal range is '^\\\\[(\\"[A-Z0-9-_.]{1,20}\\"(,\\"[A-Z0-9-_.]{1,20}\\"){0,}){0,1}\\\\]$'."}`] };
    }
    const ms: SymbolMarket[] = [];
    for (const w of JSON.parse(many) as string[]) {
      const m = this.market.bySymbol.get(w);
      if (m === undefined) return { res: INVALID_SYMBOL };
      ms.push(m);
    }
    return { ms };
  }

  /** Ticker endpoints: spot takes `symbol` or `symbols` (not both); futures only `symbol`. */
  private selection(q: URLSearchParams): Selection {
    const one = q.get('symbol');
    const many = this.kind === 'spot' ? q.get('symbols') : null;
    if (one !== null && many !== null) {
      return { kind: 'error', res: [400, `{"code":-1128,"msg":"Combination of optional parameters invalid. Recommendation: 'symbol' and 'symbols' cannot both be sent."}`] };
    }
    if (one !== null) {
      const m = this.symbolParam(q);
      return Array.isArray(m) ? { kind: 'error', res: m } : { kind: 'one', m };
    }
    if (many !== null) {
      const r = this.symbolsParam(many);
      return 'res' in r ? { kind: 'error', res: r.res } : { kind: 'many', ms: r.ms };
    }
    return { kind: 'all' };
  }

  /** Renders a selection: one object for `symbol`, an array otherwise. */
  private tickers(sel: Selection, one: (m: SymbolMarket) => string): [number, string] {
    switch (sel.kind) {
      case 'error':
        return sel.res;
      case 'one':
        return [200, one(sel.m)];
      case 'many':
        return [200, `[${sel.ms.map(one).join(',')}]`];
      case 'all':
        return [200, `[${this.market.symbols.map(one).join(',')}]`];
      default:
        return assertNever(sel);
    }
  }

  private intParam(q: URLSearchParams, name: string): number | undefined | [number, string] {
    const v = q.get(name);
    if (v === null) return undefined;
    if (!/^[0-9]{1,20}$/.test(v)) return [400, `{"code":-1100,"msg":"Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'."}`];
    return Number(v);
  }

  private restExchangeInfo(q: URLSearchParams, nowMs: number): [number, string] {
    let specs = this.market.symbols.map((m) => m.spec);
    const one = q.get('symbol');
    const many = q.get('symbols');
    if (one !== null) {
      const m = this.market.bySymbol.get(one);
      if (m === undefined) return INVALID_SYMBOL;
      specs = [m.spec];
    } else if (many !== null) {
      const r = this.symbolsParam(many);
      if ('res' in r) return r.res;
      specs = r.ms.map((m) => m.spec);
    }
    return [200, exchangeInfoBody(this.kind, specs, nowMs)];
  }

  private restDepth(q: URLSearchParams, nowMs: number): [number, string] {
    const m = this.symbolParam(q);
    if (Array.isArray(m)) return m;
    const limit = this.intParam(q, 'limit');
    if (Array.isArray(limit)) return limit;
    const n = Math.max(1, Math.min(this.kind === 'spot' ? 5000 : 1000, limit ?? (this.kind === 'spot' ? 100 : 500)));
    const recorded = this.replay?.depthSnapshot?.(m.symbol, this.market.nowUs);
    if (recorded !== undefined) {
      const b = JSON.parse(recorded) as { lastUpdateId: number; bids: unknown[]; asks: unknown[] };
      return [200, JSON.stringify({ ...b, bids: b.bids.slice(0, n), asks: b.asks.slice(0, n) })];
    }
    return [200, this.wire.depthSnapshot(m, n, nowMs)];
  }

  private restKlines(q: URLSearchParams, nowMs: number): [number, string] {
    const m = this.symbolParam(q);
    if (Array.isArray(m)) return m;
    const iv = q.get('interval');
    if (iv === null || iv === '') return [400, `{"code":-1102,"msg":"Mandatory parameter 'interval' was not sent, was empty/null, or malformed."}`];
    if (!isKlineInterval(iv) || (iv === '1s' && this.kind === 'usdm')) return [400, '{"code":-1120,"msg":"Invalid interval."}'];
    const start = this.intParam(q, 'startTime');
    const end = this.intParam(q, 'endTime');
    const lim = this.intParam(q, 'limit');
    for (const p of [start, end, lim]) if (Array.isArray(p)) return p;
    const limit = Math.max(1, Math.min(this.kind === 'spot' ? 1000 : 1500, (lim as number | undefined) ?? 500));
    const cur = bucketStart(nowMs, iv);
    const histMs = iv === '1s' ? this.oldestTradeMs(m) : m.historyStartMs();
    const first = bucketStart(histMs, iv);
    const opens: number[] = [];
    const s = start as number | undefined;
    const e = end as number | undefined;
    if (s !== undefined) {
      let o = bucketStart(s, iv);
      if (o < s) o = bucketNext(o, iv);
      if (o < first) o = first;
      const last = e === undefined ? cur : Math.min(cur, bucketStart(e, iv));
      for (; o <= last && opens.length < limit; o = bucketNext(o, iv)) opens.push(o);
    } else {
      let o = e === undefined ? cur : Math.min(cur, bucketStart(e, iv));
      for (; o >= first && opens.length < limit; o = bucketStart(o - 1, iv)) opens.push(o);
      opens.reverse();
    }
    return [200, `[${opens.map((o) => this.wire.klineRow(m, m.kline(iv, o))).join(',')}]`];
  }

  private oldestTradeMs(m: SymbolMarket): number {
    const t = m.trades;
    const simStart = m.historyStartMs();
    if (t.count < t.capacity || t.count === 0) return simStart;
    return Math.max(simStart, Math.floor(t.timeUs[t.slot(0)] / 1000) + 1000);
  }

  private restAggTrades(q: URLSearchParams): [number, string] {
    const m = this.symbolParam(q);
    if (Array.isArray(m)) return m;
    const fromId = this.intParam(q, 'fromId');
    const start = this.intParam(q, 'startTime');
    const end = this.intParam(q, 'endTime');
    const lim = this.intParam(q, 'limit');
    for (const p of [fromId, start, end, lim]) if (Array.isArray(p)) return p;
    const limit = Math.max(1, Math.min(1000, (lim as number | undefined) ?? 500));
    const r = m.aggTrades;
    let k: number;
    let endUs = Number.POSITIVE_INFINITY;
    if (fromId !== undefined) k = r.lowerBoundId(fromId as number);
    else if (start !== undefined || end !== undefined) {
      if (end !== undefined) endUs = ((end as number) + 1) * 1000;
      if (start !== undefined) k = r.lowerBoundTime((start as number) * 1000);
      else k = Math.max(0, r.lowerBoundTime(endUs) - limit);
    } else k = Math.max(0, r.count - limit);
    const rows: string[] = [];
    for (; k < r.count && rows.length < limit; k++) {
      const s = r.slot(k);
      if (r.timeUs[s] >= endUs) break;
      rows.push(this.wire.aggTradeRow(m, r.id[s], r.price[s], r.qty[s], r.first[s], r.last[s], Math.floor(r.timeUs[s] / 1000), r.buyerMaker[s] === 1));
    }
    return [200, `[${rows.join(',')}]`];
  }

  private restTrades(q: URLSearchParams, historical: boolean): [number, string] {
    const m = this.symbolParam(q);
    if (Array.isArray(m)) return m;
    const lim = this.intParam(q, 'limit');
    const fromId = historical ? this.intParam(q, 'fromId') : undefined;
    for (const p of [lim, fromId]) if (Array.isArray(p)) return p;
    const limit = Math.max(1, Math.min(1000, (lim as number | undefined) ?? 500));
    const r = m.trades;
    let k = fromId === undefined ? Math.max(0, r.count - limit) : r.lowerBoundId(fromId as number);
    const rows: string[] = [];
    for (; k < r.count && rows.length < limit; k++) {
      const s = r.slot(k);
      rows.push(this.wire.tradeRow(m, r.id[s], r.price[s], r.qty[s], Math.floor(r.timeUs[s] / 1000), r.buyerMaker[s] === 1));
    }
    return [200, `[${rows.join(',')}]`];
  }

  private restTicker24hr(sel: Selection, q: URLSearchParams): [number, string] {
    // Futures have no `type` parameter (unknown parameters are ignored).
    const type = this.kind === 'spot' ? (q.get('type') ?? 'FULL') : 'FULL';
    if (type !== 'FULL' && type !== 'MINI') return [400, '{"code":-1139,"msg":"Invalid ticker type."}'];
    const nowUs = this.market.nowUs;
    return this.tickers(sel, (m) => this.wire.ticker24hr(m, rollingStats(m, nowUs, this.startMs), type === 'MINI'));
  }

  private restBookTicker(sel: Selection, nowMs: number): [number, string] {
    return this.tickers(sel, (m) => {
      const b = Math.max(0, m.bestBid);
      const a = Math.max(0, m.bestAsk);
      const base = `"symbol":"${m.symbol}","bidPrice":"${this.wire.price(m, b)}","bidQty":"${this.wire.qty(m, m.bidAt(b))}","askPrice":"${this.wire.price(m, a)}","askQty":"${this.wire.qty(m, m.askAt(a))}"`;
      return this.kind === 'spot' ? `{${base}}` : `{${base},"time":${nowMs},"lastUpdateId":${m.updateId}}`;
    });
  }

  private restPrice(sel: Selection, nowMs: number): [number, string] {
    return this.tickers(sel, (m) =>
      this.kind === 'spot' ? `{"symbol":"${m.symbol}","price":"${this.wire.price(m, m.lastPrice)}"}` : `{"symbol":"${m.symbol}","price":"${this.wire.price(m, m.lastPrice)}","time":${nowMs}}`,
    );
  }
}

/**
 * A ticker endpoint's request weight: `one` for a symbol, `all` without one; spot's `/ticker/24hr` scales with the
 * number of `symbols` (2 up to 20, 40 up to 100, then 80), its other tickers charge `all` for any list.
 */
function tickerWeight(sel: Selection, one: number, all: number, scaled: boolean): number {
  if (sel.kind === 'one' || sel.kind === 'error') return one;
  if (sel.kind === 'all' || !scaled) return all;
  const n = sel.ms.length;
  return n <= 20 ? one : n <= 100 ? 40 : all;
}

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ code: -1, msg: message });
  socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
