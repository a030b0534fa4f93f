import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decimalsOf } from '../fixed.js';
import type { Market } from '../market.js';
import type { SymbolSpec } from '../symbols.js';
import { parseCapture } from './capture.js';
import { parseTradesCsv } from './trades-csv.js';

/**
 * A replay the simulator serves instead of synthetic markets: recorded venue frames published as they were
 * received, or historical trades fed into the market (which then renders them in the venue's protocol and
 * keeps klines and trade history for REST). Events come out in time order as the clock passes them.
 */
export interface ReplayTarget {
  readonly market: Market;
  /** Sends a recorded frame (the venue's data JSON as text) to the subscribers of `stream`. */
  publish(stream: string, data: string): void;
}

export interface ReplayFeed {
  /** `frames`: recorded frames, the simulator adds none of its own; `trades`: the market renders them. */
  readonly kind: 'frames' | 'trades';
  readonly symbols: readonly SymbolSpec[];
  readonly startUs: number;
  readonly endUs: number;
  /** Emits every event up to simulated time `us` (and moves the market clock there). */
  runTo(us: number, target: ReplayTarget): void;
  /** The recorded REST depth snapshot for `symbol` in force at `us` (Binance captures with an http file). */
  depthSnapshot?(symbol: string, us: number): string | undefined;
  readonly events: number;
}

export class ReplayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayError';
  }
}

interface Frame {
  readonly timeUs: number;
  readonly stream: string;
  readonly data: string;
}

const priceFields = /"(?:p|b|a|o|c|h|l)":"(\d+\.\d+)"|\[\["(\d+\.\d+)"/g;

function specOf(symbol: string, pricePrecision: number, qtyPrecision: number, price: number): SymbolSpec {
  const quotes = ['USDT', 'BUSD', 'USDC', 'BTC', 'ETH', 'BNB', 'EUR', 'USD', 'TRY'];
  const q = quotes.find((x) => symbol.endsWith(x) && symbol.length > x.length) ?? symbol.slice(-3);
  return { symbol, baseAsset: symbol.slice(0, -q.length), quoteAsset: q, pricePrecision, qtyPrecision, initialPrice: price };
}

/** Binance combined-stream frames from a capture, plus the REST depth snapshots of its `.http.` sibling. */
export class BinanceCaptureFeed implements ReplayFeed {
  readonly kind = 'frames';
  readonly symbols: SymbolSpec[];
  readonly startUs: number;
  readonly endUs: number;
  private readonly frames: Frame[] = [];
  private readonly snapshots = new Map<string, { timeUs: number; body: string }[]>();
  private next = 0;

  constructor(text: string, httpTexts: readonly string[] = []) {
    const precision = new Map<string, { p: number; price: number }>();
    for (const r of parseCapture(text)) {
      if (r.kind !== 'received' || !r.text.startsWith('{"stream":"')) continue;
      const end = r.text.indexOf('"', 11);
      const stream = r.text.slice(11, end);
      const dataAt = r.text.indexOf('"data":', end);
      if (dataAt < 0 || !r.text.endsWith('}')) continue;
      const data = r.text.slice(dataAt + 7, -1);
      this.frames.push({ timeUs: r.timeUs, stream, data });
      const symbol = stream.slice(0, stream.indexOf('@')).toUpperCase();
      const seen = precision.get(symbol) ?? { p: 0, price: 0 };
      for (const m of data.matchAll(priceFields)) {
        const v = m[1] ?? m[2];
        seen.p = Math.max(seen.p, decimalsOf(v));
        if (seen.price === 0) seen.price = Number(v);
      }
      precision.set(symbol, seen);
    }
    if (this.frames.length === 0) throw new ReplayError('the capture holds no Binance combined-stream frames');
    this.frames.sort((a, b) => a.timeUs - b.timeUs);
    for (const t of httpTexts) {
      for (const r of parseCapture(t)) {
        if (r.kind !== 'http' || !r.url.includes('/depth?')) continue;
        const symbol = new URL(r.url).searchParams.get('symbol');
        if (symbol === null) continue;
        const list = this.snapshots.get(symbol) ?? [];
        list.push({ timeUs: r.timeUs, body: r.text });
        this.snapshots.set(symbol, list);
      }
    }
    this.symbols = [...precision].map(([s, v]) => specOf(s, v.p, 8 - v.p, v.price || 1));
    this.startUs = this.frames[0].timeUs;
    this.endUs = this.frames[this.frames.length - 1].timeUs;
  }

  get events(): number {
    return this.frames.length;
  }

  runTo(us: number, target: ReplayTarget): void {
    const f = this.frames;
    while (this.next < f.length && f[this.next].timeUs <= us) {
      const fr = f[this.next++];
      target.market.advanceTo(fr.timeUs);
      target.publish(fr.stream, fr.data);
    }
    target.market.advanceTo(us);
  }

  depthSnapshot(symbol: string, us: number): string | undefined {
    const list = this.snapshots.get(symbol);
    if (list === undefined) return undefined;
    let best = list[0];
    for (const s of list) if (s.timeUs <= us) best = s;
    return best.body;
  }
}

/** Historical trades of one symbol fed into the market as they fall due. */
export class TradesCsvFeed implements ReplayFeed {
  readonly kind = 'trades';
  readonly symbols: SymbolSpec[];
  readonly startUs: number;
  readonly endUs: number;
  private readonly trades;
  private next = 0;

  constructor(text: string, symbol: string) {
    const parsed = parseTradesCsv(text);
    if (parsed.trades.length === 0) throw new ReplayError('the trade file holds no trades');
    this.trades = parsed.trades;
    const first = this.trades[0];
    this.symbols = [specOf(symbol, parsed.pricePrecision, parsed.qtyPrecision, first.price / 10 ** parsed.pricePrecision)];
    this.startUs = first.timeUs;
    this.endUs = this.trades[this.trades.length - 1].timeUs;
  }

  get events(): number {
    return this.trades.length;
  }

  runTo(us: number, target: ReplayTarget): void {
    const m = target.market.symbols[0];
    const t = this.trades;
    while (this.next < t.length && t[this.next].timeUs <= us) {
      const tr = t[this.next++];
      target.market.advanceTo(tr.timeUs);
      m.externalTrade(tr.price, tr.qty, tr.timeUs, tr.buyerMaker, tr.id);
    }
    target.market.advanceTo(us);
  }
}

/**
 * Opens a replay file: a capture (lines `ts: json`, with REST snapshots read from `*.http.*` files beside a
 * `*.ws.*` file) or a trade CSV (by extension `.csv`). `symbol` names the CSV's instrument (default: the
 * file name if it looks like a symbol, else REPLAYUSDT).
 */
export function openReplay(path: string, symbol?: string): ReplayFeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ReplayError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const name = basename(path);
  if (name.toLowerCase().endsWith('.csv')) {
    const stem = name.slice(0, -4).toUpperCase();
    return new TradesCsvFeed(text, symbol ?? (/^[A-Z0-9]{4,20}$/.test(stem) ? stem : 'REPLAYUSDT'));
  }
  const http: string[] = [];
  const m = /^(.*)\.ws\./.exec(name);
  if (m !== null) {
    const dir = dirname(path);
    for (const f of readdirSync(dir)) if (f.startsWith(`${m[1]}.http.`)) http.push(readFileSync(join(dir, f), 'utf8'));
  }
  return new BinanceCaptureFeed(text, http);
}
