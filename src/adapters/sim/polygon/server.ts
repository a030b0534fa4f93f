import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import { formatFixed } from '../fixed.js';
import { sendJson } from '../http-util.js';
import type { Kline } from '../klines.js';
import type { SymbolMarket } from '../market.js';
import { hashString, Rng } from '../rng.js';
import type { SymbolSpec } from '../symbols.js';
import { VenueConn, VenueSimulator, type VenueSimOptions } from '../venue-base.js';
import type { Outbox } from '../ws-out.js';

/**
 * Polygon.io WebSocket clusters `/stocks` (T, Q, A, AM) and `/crypto` (XT, XQ, XA, XAS): a `connected`
 * status on open, `auth` with the API key (auth_success / auth_failed), `subscribe`/`unsubscribe` with
 * comma-separated `EV.SYMBOL` params (`*` for all), and frames that are JSON arrays of events. REST:
 * `/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}` with the key as `apiKey` or a Bearer
 * token. Stock symbols trade in whole shares; crypto pairs are `BASE-QUOTE` (REST ticker `X:BASEQUOTE`).
 */
export interface PolygonSimOptions extends VenueSimOptions {
  readonly cluster: 'stocks' | 'crypto';
  /** The accepted key; when unset any non-empty key is accepted. */
  readonly apiKey?: string;
}

const STOCK_EVENTS = ['T', 'Q', 'A', 'AM'] as const;
const CRYPTO_EVENTS = ['XT', 'XQ', 'XA', 'XAS'] as const;

class PolygonConn extends VenueConn {
  authed = false;
  readonly params = new Set<string>();
  events: string[] = [];
}

/** Stocks: two-decimal prices (four below a dollar) and whole shares. */
export function stockSpecs(names: readonly string[], seed: number): SymbolSpec[] {
  return names.map((raw) => {
    const symbol = raw.trim().toUpperCase();
    const rng = new Rng(seed, hashString(symbol));
    const price = 10 ** (rng.next() * 2.7);
    const pricePrecision = price >= 1 ? 2 : 4;
    return { symbol, baseAsset: symbol, quoteAsset: 'USD', pricePrecision, qtyPrecision: 0, initialPrice: Math.round(price * 10 ** pricePrecision) / 10 ** pricePrecision };
  });
}

export class PolygonSimulator extends VenueSimulator<PolygonConn> {
  private readonly cluster: 'stocks' | 'crypto';
  private readonly evNames: readonly string[];
  /** Subscribers per event and symbol index, plus wildcard subscribers per event. */
  private readonly subs = new Map<string, PolygonConn[][]>();
  private readonly all = new Map<string, PolygonConn[]>();
  private readonly day: { open: number; volume: number; quote: number }[];
  private readonly scratch: PolygonConn[] = [];

  private constructor(opts: PolygonSimOptions) {
    super({ ...opts, ...(opts.specs === undefined && opts.cluster === 'stocks' ? { specs: stockSpecs } : {}) });
    this.cluster = opts.cluster;
    this.evNames = opts.cluster === 'stocks' ? STOCK_EVENTS : CRYPTO_EVENTS;
    for (const ev of this.evNames) {
      this.subs.set(ev, this.market.symbols.map(() => []));
      this.all.set(ev, []);
    }
    this.day = this.market.symbols.map((m) => ({ open: m.lastPrice, volume: 0, quote: 0 }));
  }

  static async start(opts: PolygonSimOptions): Promise<PolygonSimulator> {
    const sim = new PolygonSimulator(opts);
    await sim.listenAndRun();
    return sim;
  }

  protected get venueName(): string {
    return `polygon-${this.cluster}`;
  }

  private targets(ev: string, m: SymbolMarket): PolygonConn[] {
    const one = this.subs.get(ev)![m.index];
    const star = this.all.get(ev)!;
    if (star.length === 0) return one;
    if (one.length === 0) return star;
    const out = this.scratch;
    out.length = 0;
    for (const c of star) out.push(c);
    for (const c of one) if (!star.includes(c)) out.push(c);
    return out;
  }

  private px(m: SymbolMarket, ticks: number): string {
    return formatFixed(ticks, m.spec.pricePrecision);
  }

  private sz(m: SymbolMarket, lots: number): string {
    return formatFixed(lots, m.spec.qtyPrecision);
  }

  trade(m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void {
    const d = this.day[m.index];
    d.volume += qty;
    d.quote += (price / 10 ** m.spec.pricePrecision) * (qty / 10 ** m.spec.qtyPrecision);
    const ms = Math.floor(timeUs / 1000);
    if (this.cluster === 'stocks') {
      const conns = this.targets('T', m);
      if (conns.length > 0) this.send(`T.${m.symbol}`, `{"ev":"T","sym":"${m.symbol}","x":4,"i":"${id}","z":3,"p":${this.px(m, price)},"s":${this.sz(m, qty)},"c":[${buyerMaker ? 0 : 12}],"t":${ms},"q":${m.updateId}}`, conns);
    } else {
      const conns = this.targets('XT', m);
      if (conns.length > 0) this.send(`XT.${m.symbol}`, `{"ev":"XT","pair":"${m.symbol}","p":${this.px(m, price)},"t":${ms},"s":${this.sz(m, qty)},"c":[${buyerMaker ? 2 : 1}],"i":${id},"x":1,"r":${ms}}`, conns);
    }
  }

  aggTrade(): void {}

  bookTicker(m: SymbolMarket, timeUs: number): void {
    const ev = this.cluster === 'stocks' ? 'Q' : 'XQ';
    const conns = this.targets(ev, m);
    if (conns.length === 0 || m.bestBid < 0 || m.bestAsk < 0) return;
    const ms = Math.floor(timeUs / 1000);
    const bp = this.px(m, m.bestBid);
    const bs = this.sz(m, m.bidAt(m.bestBid));
    const ap = this.px(m, m.bestAsk);
    const as = this.sz(m, m.askAt(m.bestAsk));
    const frame =
      this.cluster === 'stocks'
        ? `{"ev":"Q","sym":"${m.symbol}","bx":4,"bp":${bp},"bs":${bs},"ax":7,"ap":${ap},"as":${as},"c":0,"i":[604],"t":${ms},"q":${m.updateId},"z":3}`
        : `{"ev":"XQ","pair":"${m.symbol}","bp":${bp},"bs":${bs},"ap":${ap},"as":${as},"t":${ms},"x":1,"r":${ms}}`;
    this.send(`${ev}.${m.symbol}`, frame, conns);
  }

  depthDiff(): void {}

  boundary(timeUs: number): void {
    if (timeUs % 1_000_000 !== 0) return;
    const ms = timeUs / 1000;
    const minute = ms % 60_000 === 0;
    const [sec, min] = this.cluster === 'stocks' ? ['A', 'AM'] : ['XAS', 'XA'];
    for (const m of this.market.symbols) {
      const secConns = this.targets(sec, m);
      if (secConns.length > 0) {
        const k = m.kline('1s', ms - 1000);
        if (k.n > 0) this.send(`${sec}.${m.symbol}`, this.aggEvent(sec, m, k), secConns);
      }
      if (!minute) continue;
      const minConns = this.targets(min, m);
      if (minConns.length > 0) {
        const k = m.kline('1m', ms - 60_000);
        if (k.n > 0) this.send(`${min}.${m.symbol}`, this.aggEvent(min, m, k), minConns);
      }
    }
  }

  private num(x: number, places: number): string {
    return String(Number(x.toFixed(places)));
  }

  private aggEvent(ev: string, m: SymbolMarket, k: Kline): string {
    const ps = 10 ** m.spec.pricePrecision;
    const qs = 10 ** m.spec.qtyPrecision;
    const v = k.v / qs;
    const vw = Number(k.q) / ps / qs / v;
    const head = this.cluster === 'stocks' ? `"sym":"${m.symbol}"` : `"pair":"${m.symbol}"`;
    const ohlc = `"o":${this.px(m, k.o)},"c":${this.px(m, k.c)},"h":${this.px(m, k.h)},"l":${this.px(m, k.l)}`;
    if (this.cluster === 'crypto') return `{"ev":"${ev}",${head},"v":${this.sz(m, k.v)},"vw":${this.num(vw, 4)},"z":${this.num(v / k.n, 4)},${ohlc},"s":${k.openMs},"e":${k.endMs}}`;
    const d = this.day[m.index];
    const dayV = d.volume / qs;
    return `{"ev":"${ev}",${head},"v":${this.sz(m, k.v)},"av":${this.num(dayV, 4)},"op":${this.px(m, d.open)},"vw":${this.num(vw, 4)},${ohlc},"a":${this.num(dayV > 0 ? d.quote / dayV : 0, 4)},"z":${Math.round(v / k.n)},"s":${k.openMs},"e":${k.endMs}}`;
  }

  protected override deliverTo(conn: PolygonConn, data: string): void {
    conn.events.push(data);
  }

  /** Polygon frames carry arrays of events: everything a connection got this tick goes in one frame. */
  protected override beforeFlush(): void {
    for (const c of this.conns) {
      if (c.events.length === 0) continue;
      c.outbox.push(`[${c.events.join(',')}]`);
      c.events = [];
    }
  }

  protected acceptsPath(path: string): boolean {
    return path === `/${this.cluster}`;
  }

  protected newConn(ws: WebSocket, outbox: Outbox, path: string): PolygonConn {
    return new PolygonConn(ws, outbox, path, this.wallNowMs());
  }

  protected onOpen(conn: PolygonConn): void {
    this.reply(conn, '[{"ev":"status","status":"connected","message":"Connected Successfully"}]');
  }

  protected onClosed(conn: PolygonConn): void {
    for (const p of conn.params) this.unlink(conn, p);
  }

  private status(conn: PolygonConn, statuses: [string, string][]): void {
    this.reply(conn, JSON.stringify(statuses.map(([status, message]) => ({ ev: 'status', status, message }))));
  }

  private keyOk(key: unknown): boolean {
    const want = (this.opts as PolygonSimOptions).apiKey;
    return typeof key === 'string' && key.length > 0 && (want === undefined || key === want);
  }

  protected onText(conn: PolygonConn, text: string): void {
    let msg: { action?: unknown; params?: unknown };
    try {
      msg = JSON.parse(text) as { action?: unknown; params?: unknown };
      if (typeof msg !== 'object' || msg === null) throw new TypeError('not an object');
    } catch {
      return this.status(conn, [['error', 'Could not parse message']]);
    }
    if (msg.action === 'auth') {
      if (this.keyOk(msg.params)) {
        conn.authed = true;
        return this.status(conn, [['auth_success', 'authenticated']]);
      }
      this.status(conn, [['auth_failed', 'authentication failed']]);
      conn.ws.close(1008, 'authentication failed');
      return;
    }
    if (msg.action !== 'subscribe' && msg.action !== 'unsubscribe') return this.status(conn, [['error', `unknown action: ${String(msg.action)}`]]);
    if (!conn.authed) return this.status(conn, [['error', 'not authorized']]);
    if (typeof msg.params !== 'string') return this.status(conn, [['error', 'params must be a string']]);
    const out: [string, string][] = [];
    for (const raw of msg.params.split(',')) {
      const p = raw.trim();
      const dot = p.indexOf('.');
      const ev = p.slice(0, dot);
      let sym = p.slice(dot + 1);
      if (this.cluster === 'crypto' && sym.startsWith('X:')) sym = sym.slice(2);
      if (dot <= 0 || !this.evNames.includes(ev) || sym === '') {
        out.push(['error', `invalid subscription: ${p}`]);
        continue;
      }
      const key = `${ev}.${sym}`;
      if (msg.action === 'subscribe') {
        if (!conn.params.has(key)) {
          conn.params.add(key);
          if (sym === '*') this.all.get(ev)!.push(conn);
          else {
            // Unknown tickers are accepted, as by the venue; they just never carry data.
            const m = this.symbolOf(sym);
            if (m !== undefined) this.subs.get(ev)![m.index].push(conn);
          }
        }
        out.push(['success', `subscribed to: ${p}`]);
      } else {
        if (conn.params.delete(key)) this.unlink(conn, key);
        out.push(['success', `unsubscribed to: ${p}`]);
      }
    }
    this.status(conn, out);
  }

  private unlink(conn: PolygonConn, key: string): void {
    const dot = key.indexOf('.');
    const ev = key.slice(0, dot);
    const sym = key.slice(dot + 1);
    const list = sym === '*' ? this.all.get(ev) : this.subs.get(ev)?.[this.symbolOf(sym)?.index ?? -1];
    const k = list?.indexOf(conn) ?? -1;
    if (list !== undefined && k >= 0) list.splice(k, 1);
  }

  protected onRest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const requestId = (hashString(url.pathname + url.search) >>> 0).toString(16).padStart(8, '0').repeat(4);
    const auth = req.headers.authorization;
    const key = url.searchParams.get('apiKey') ?? (auth?.startsWith('Bearer ') === true ? auth.slice(7) : undefined);
    if (key === undefined || key === '') return sendJson(res, 401, JSON.stringify({ status: 'ERROR', request_id: requestId, error: 'API Key was not provided' }));
    if (!this.keyOk(key)) return sendJson(res, 401, JSON.stringify({ status: 'ERROR', request_id: requestId, error: 'Unknown API Key' }));
    const m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(second|minute|hour|day)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (m === null) return sendJson(res, 404, JSON.stringify({ status: 'NOT_FOUND', request_id: requestId, message: 'Not found' }));
    const [, ticker, multText, timespan, fromText, toText] = m;
    const mult = Number(multText);
    const unit = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 }[timespan as 'second'];
    const time = (s: string, end: boolean): number => (/^\d+$/.test(s) ? Number(s) : Date.parse(`${s}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0));
    const from = time(decodeURIComponent(fromText), false);
    const to = time(decodeURIComponent(toText), true);
    if (!(mult >= 1) || Number.isNaN(from) || Number.isNaN(to) || (timespan === 'second' && mult !== 1)) {
      return sendJson(res, 400, JSON.stringify({ status: 'ERROR', request_id: requestId, error: 'Could not parse the range' }));
    }
    const name = this.cluster === 'crypto' ? ticker.replace(/^X:/, '') : ticker;
    const sym = this.market.symbols.find((s) => s.symbol === name || s.symbol.replace('-', '') === name);
    const limit = Math.min(50_000, Number(url.searchParams.get('limit') ?? '5000') || 5000);
    const results: unknown[] = [];
    if (sym !== undefined) {
      const len = mult * unit;
      const nowMs = Math.floor(this.market.nowUs / 1000);
      const first = Math.max(Math.floor(from / len) * len, Math.floor(sym.historyStartMs() / len) * len);
      for (let o = first; o <= Math.min(to, nowMs) && results.length < limit; o += len) {
        const k = timespan === 'second' ? sym.kline('1s', o) : sym.rangeKline(o, o + len);
        if (k.n === 0) continue;
        const ps = 10 ** sym.spec.pricePrecision;
        const qs = 10 ** sym.spec.qtyPrecision;
        results.push({ v: k.v / qs, vw: Number((Number(k.q) / ps / qs / (k.v / qs)).toFixed(4)), o: k.o / ps, c: k.c / ps, h: k.h / ps, l: k.l / ps, t: o, n: k.n });
      }
    }
    if (url.searchParams.get('sort') === 'desc') results.reverse();
    const body: Record<string, unknown> = { ticker, queryCount: results.length, resultsCount: results.length, adjusted: url.searchParams.get('adjusted') !== 'false' };
    if (results.length > 0) body.results = results;
    Object.assign(body, { status: 'OK', request_id: requestId, count: results.length });
    sendJson(res, 200, JSON.stringify(body));
  }
}
