import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClockDriver } from './driver.js';
import { corruptFrame, FaultCommandError, parseFaultCommand, type FaultCommand, type MalformedKind } from './faults.js';
import { closeServer, listen, readBody, sendJson, urlHost } from './http-util.js';
import { Market, type MarketListener, type SymbolMarket, type SyntheticParams } from './market.js';
import { specsFor, type SymbolSpec } from './symbols.js';
import { Outbox } from './ws-out.js';

/**
 * What the Coinbase and Polygon simulators share: the HTTP and WebSocket servers, the clock, batched
 * output, server pings, and fault injection keyed by a channel name. A venue subclass turns market events
 * into its frames and answers its own requests.
 */
export interface VenueSimOptions {
  readonly host?: string;
  readonly port?: number;
  readonly symbols: readonly string[];
  readonly seed?: number;
  readonly startUs?: number;
  readonly clock?: 'realtime' | 'manual';
  readonly speed?: number;
  readonly params?: Partial<SyntheticParams>;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly sendBufferBytes?: number;
  readonly wallNowMs?: () => number;
  /** Symbol precisions to use instead of the generated ones (e.g. whole shares for stocks). */
  readonly specs?: (names: readonly string[], seed: number) => SymbolSpec[];
}

export class VenueConn {
  lastPongMs: number;
  constructor(
    readonly ws: WebSocket,
    readonly outbox: Outbox,
    readonly path: string,
    openedMs: number,
  ) {
    this.lastPongMs = openedMs;
  }
}

interface Held {
  readonly key: string;
  readonly data: string;
  readonly conns: readonly VenueConn[];
}

export abstract class VenueSimulator<C extends VenueConn> implements MarketListener {
  readonly market: Market;
  protected readonly opts: VenueSimOptions;
  protected readonly conns = new Set<C>();
  protected readonly wallNowMs: () => number;
  protected sendBufferBytes: number;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private driver: ClockDriver | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private lastPingMs = 0;
  private port = 0;
  private faultsActive = false;
  private stallAllUntil = 0;
  private stallAllDrop = false;
  private readonly stallByKey = new Map<string, { until: number; drop: boolean }>();
  private held: Held[] = [];
  private malformed: { kind: MalformedKind; remaining: number; key: string | undefined }[] = [];
  framesOut = 0;

  protected constructor(opts: VenueSimOptions) {
    this.opts = opts;
    this.wallNowMs = opts.wallNowMs ?? Date.now;
    this.sendBufferBytes = opts.sendBufferBytes ?? 8 * 1024 * 1024;
    const seed = opts.seed ?? 1;
    const specs = (opts.specs ?? specsFor)(opts.symbols, seed);
    this.market = new Market(
      { seed, symbols: specs, startUs: opts.startUs ?? this.wallNowMs() * 1000, ...(opts.params === undefined ? {} : { params: opts.params }) },
      this,
    );
    this.http = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  protected async listenAndRun(): Promise<void> {
    this.port = await listen(this.http, this.opts.port ?? 0, this.opts.host ?? '127.0.0.1');
    this.lastPingMs = this.wallNowMs();
    this.housekeeping = setInterval(() => this.keepAlive(), Math.min(1000, this.opts.pingIntervalMs ?? 30_000));
    if ((this.opts.clock ?? 'realtime') === 'realtime') {
      this.driver = new ClockDriver(this, { speed: this.opts.speed ?? 1, wallNowMs: this.wallNowMs });
      this.driver.start();
    }
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

  advanceTo(us: number): void {
    this.market.advanceTo(us);
    this.flush();
  }

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

  // ------------------------------------------------------------ venue hooks
  abstract trade(m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void;
  abstract aggTrade(m: SymbolMarket, aggId: number, price: number, qty: number, first: number, last: number, timeUs: number, buyerMaker: boolean): void;
  abstract bookTicker(m: SymbolMarket, timeUs: number): void;
  abstract depthDiff(m: SymbolMarket, windowMs: 100 | 1000, first: number, last: number, prev: number, timeUs: number, bids: readonly number[], asks: readonly number[]): void;
  abstract boundary(timeUs: number): void;
  /** The WebSocket paths this venue serves. */
  protected abstract acceptsPath(path: string): boolean;
  protected abstract newConn(ws: WebSocket, outbox: Outbox, path: string): C;
  protected abstract onOpen(conn: C): void;
  protected abstract onText(conn: C, text: string): void;
  protected abstract onClosed(conn: C): void;
  protected abstract onRest(req: IncomingMessage, res: ServerResponse, url: URL): void;
  protected abstract get venueName(): string;

  /** Queues `data` for the given connections, through the fault gate keyed by `key` (a channel name). */
  protected send(key: string, data: string, conns: readonly C[]): void {
    if (conns.length === 0) return;
    if (this.faultsActive) {
      const d = this.faulted(key, data, conns);
      if (d === undefined) return;
      data = d;
    }
    for (let i = 0; i < conns.length; i++) this.deliverTo(conns[i], data);
    this.framesOut += conns.length;
  }

  /** Queues one frame (Polygon overrides this to batch events into array frames). */
  protected deliverTo(conn: C, data: string): void {
    conn.outbox.push(data);
  }

  flush(): void {
    if (this.held.length > 0) this.releaseHeld();
    this.beforeFlush();
    for (const c of this.conns) if (c.outbox.pending > 0) c.outbox.flush();
  }

  /** Polygon batches events into one array frame per flush; others need nothing here. */
  protected beforeFlush(): void {}

  symbolOf(name: string): SymbolMarket | undefined {
    return this.market.bySymbol.get(name);
  }

  // ------------------------------------------------------------ faults

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
        } else this.stallByKey.set(cmd.stream, { until: now + cmd.ms, drop: cmd.drop === true });
        this.faultsActive = true;
        return;
      case 'gap': {
        const syms = cmd.symbol === undefined ? this.market.symbols : [this.market.bySymbol.get(cmd.symbol)];
        for (const s of syms) {
          if (s === undefined) throw new FaultCommandError(`unknown symbol ${cmd.symbol ?? ''}`);
          s.skipUpdateIds(cmd.count ?? 10);
        }
        return;
      }
      case 'malformed':
        this.malformed.push({ kind: cmd.kind, remaining: cmd.count ?? 1, key: cmd.stream });
        this.faultsActive = true;
        return;
      case 'send-buffer':
        this.sendBufferBytes = cmd.bytes;
        for (const c of this.conns) c.outbox.maxBufferedBytes = cmd.bytes;
        return;
      case 'clear':
        this.stallAllUntil = 0;
        this.stallByKey.clear();
        this.malformed = [];
        this.releaseHeld();
        this.faultsActive = false;
        return;
    }
  }

  private faulted(key: string, data: string, conns: readonly C[]): string | undefined {
    const now = this.wallNowMs();
    let stall: { until: number; drop: boolean } | undefined;
    if (now < this.stallAllUntil) stall = { until: this.stallAllUntil, drop: this.stallAllDrop };
    else {
      const s = this.stallByKey.get(key);
      if (s !== undefined && now < s.until) stall = s;
    }
    if (stall !== undefined) {
      if (!stall.drop) this.held.push({ key, data, conns: [...conns] });
      return undefined;
    }
    for (let i = 0; i < this.malformed.length; i++) {
      const m = this.malformed[i];
      if (m.key !== undefined && m.key !== key) continue;
      if (--m.remaining <= 0) this.malformed.splice(i, 1);
      return corruptFrame(data, m.kind);
    }
    this.faultsActive = this.malformed.length > 0 || this.held.length > 0 || now < this.stallAllUntil || [...this.stallByKey.values()].some((s) => now < s.until);
    return data;
  }

  private releaseHeld(): void {
    const now = this.wallNowMs();
    if (now < this.stallAllUntil) return;
    const keep: Held[] = [];
    for (const h of this.held) {
      const s = this.stallByKey.get(h.key);
      if (s !== undefined && now < s.until) {
        keep.push(h);
        continue;
      }
      for (const c of h.conns) if (this.conns.has(c as C)) this.deliverTo(c as C, h.data);
    }
    this.held = keep;
  }

  // ------------------------------------------------------------ sockets

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (!this.acceptsPath(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = this.newConn(ws, new Outbox(ws, this.sendBufferBytes), url.pathname);
      this.conns.add(conn);
      ws.on('message', (d, isBinary) => this.onText(conn, isBinary ? '' : String(d)));
      ws.on('pong', () => (conn.lastPongMs = this.wallNowMs()));
      const drop = (): void => {
        if (this.conns.delete(conn)) this.onClosed(conn);
      };
      ws.on('close', drop);
      ws.on('error', drop);
      this.onOpen(conn);
    });
  }

  /** Sends a reply at once (it goes through the queue to keep its place among data frames). */
  protected reply(conn: C, body: string): void {
    conn.outbox.push(body);
    conn.outbox.flush();
  }

  private keepAlive(): void {
    const now = this.wallNowMs();
    const ping = now - this.lastPingMs >= (this.opts.pingIntervalMs ?? 30_000);
    if (ping) this.lastPingMs = now;
    for (const c of this.conns) {
      if (now - c.lastPongMs > (this.opts.pongTimeoutMs ?? 90_000)) {
        c.ws.terminate();
        continue;
      }
      if (ping && c.ws.readyState === 1) c.ws.ping();
    }
    if (this.held.length > 0) this.flush();
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sim');
      if (url.pathname === '/_sim/status' && req.method === 'GET') {
        return sendJson(res, 200, JSON.stringify({ venue: this.venueName, nowUs: this.market.nowUs, connections: this.conns.size, framesOut: this.framesOut, symbols: this.market.symbols.length }));
      }
      if (url.pathname === '/_sim/faults' && req.method === 'POST') {
        try {
          const cmd = parseFaultCommand(JSON.parse(await readBody(req)));
          this.applyFault(cmd);
          return sendJson(res, 200, JSON.stringify({ ok: true, applied: cmd }));
        } catch (e) {
          return sendJson(res, 400, JSON.stringify({ error: (e as Error).message }));
        }
      }
      this.onRest(req, res, url);
    } catch (e) {
      sendJson(res, 500, JSON.stringify({ message: (e as Error).message }));
    }
  }
}
