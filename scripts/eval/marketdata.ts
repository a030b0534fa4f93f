/**
 * `npm run eval -- marketdata`: the Binance parsers on every real Binance message in ws_samples, and the
 * local order book procedure on the real sync fixtures (REST snapshot + the diff events that followed it),
 * checked against an independent reference (a plain Map of decimal strings, sorted by value).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BinanceBookSync } from '../../src/adapters/binance/book-sync.js';
import { BinanceParser } from '../../src/adapters/binance/parse.js';
import { FastFrameScanner } from '../../src/adapters/binance/parse-fast.js';
import { parseSlow } from '../../src/adapters/binance/parse-slow.js';
import { toInstrument } from '../../src/adapters/binance/instruments.js';
import { parseAggTrades, parseDepthSnapshot, parseExchangeInfo, parseKlines, parseTrades } from '../../src/adapters/binance/parse-rest.js';
import type { BinanceMessage, InstrumentLookup, InstrumentPrecision } from '../../src/adapters/binance/types.js';
import { parseCapture } from '../../src/adapters/common/capture.js';
import { replayBook } from '../../src/cli/commands/book.js';
import { L2OrderBook } from '../../src/compute/orderbook/l2-book.js';
import { BarSpec } from '../../src/core/bar-spec.js';
import { BookSide } from '../../src/core/data.js';
import { InstrumentId } from '../../src/core/identifiers.js';
import type { UnixMicros } from '../../src/core/time.js';

// Binance sends at most 8 decimals (spot always exactly 8), so precision 8 holds every real value exactly.
const P = 8;
const lookup: InstrumentLookup = (s) => (/^[A-Z0-9]{2,20}$/.test(s) ? { instrumentId: InstrumentId.of(s, 'BINANCE'), pricePrecision: P, sizePrecision: P } : undefined);

/** Why a real message may correctly be rejected: stream types the adapter does not subscribe to. */
const EXPECTED_REJECTIONS: Record<string, string> = {
  'ws_spot_ticker_24hr.json': '24hrTicker is not one of the streams the adapter handles (trade, aggTrade, bookTicker, depth, kline)',
  'ws_futures_ticker_24hr.json': '24hrTicker is not one of the streams the adapter handles (trade, aggTrade, bookTicker, depth, kline)',
};

/** Trailing zeros off: "0.35130000" -> "0.3513", "813" -> "813", "10.0" -> "10". */
function norm(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** The price/size strings of a wire event that the domain event must reproduce exactly. */
function wireValues(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ['p', 'q', 'b', 'B', 'a', 'A']) if (typeof d[k] === 'string') out.push(norm(d[k] as string));
  for (const k of ['b', 'a']) if (Array.isArray(d[k])) for (const l of d[k] as string[][]) out.push(norm(l[0]), norm(l[1]));
  return out;
}

function domainValues(m: BinanceMessage): string[] {
  switch (m.type) {
    case 'trade':
      return [m.price, m.size].map((x) => norm(x.toString()));
    case 'quote':
      return [m.bidPrice, m.bidSize, m.askPrice, m.askSize].map((x) => norm(x.toString()));
    case 'depth_diff':
      return m.deltas.deltas.map((d) => [norm(d.price.toString()), norm(d.size.toString())]).flat();
    default:
      return [];
  }
}

interface Tally {
  frames: number;
  ok: number;
  fast: number;
  expectedRejected: number;
  failures: string[];
  types: Record<string, number>;
}

function checkFrame(frame: string, origin: string, tally: Tally, parser: BinanceParser, scanner: FastFrameScanner): void {
  tally.frames++;
  const m = parser.parse(frame, 0 as UnixMicros);
  const slow = parseSlow(frame, lookup, 0 as UnixMicros);
  const fast = scanner.parse(frame, 0 as UnixMicros);
  if (fast !== undefined) tally.fast++;
  if (JSON.stringify(slow) !== JSON.stringify(m) || (fast !== undefined && JSON.stringify(fast) !== JSON.stringify(slow))) {
    tally.failures.push(`${origin}: fast and JSON.parse paths disagree`);
  }
  tally.types[m.type] = (tally.types[m.type] ?? 0) + 1;
  if (m.type === 'rejection') {
    const why = EXPECTED_REJECTIONS[origin.split(' ')[0]];
    if (why !== undefined && m.reason === 'unknown_type') {
      tally.expectedRejected++;
      console.log(`    expected rejection ${origin}: ${m.reason} (${why})`);
    } else tally.failures.push(`${origin}: rejected ${m.reason} ${m.field ?? ''} ${m.detail}`);
    return;
  }
  const v = JSON.parse(frame) as Record<string, unknown>;
  const data = (typeof v.data === 'object' && v.data !== null ? v.data : v) as Record<string, unknown>;
  const want = m.type === 'kline' ? [] : wireValues(data);
  const got = domainValues(m);
  if (JSON.stringify(want) !== JSON.stringify(got)) tally.failures.push(`${origin}: values ${JSON.stringify(got)} differ from the wire ${JSON.stringify(want)}`);
  else tally.ok++;
}

function checkStreams(dir: string): Tally {
  const tally: Tally = { frames: 0, ok: 0, fast: 0, expectedRejected: 0, failures: [], types: {} };
  const parser = new BinanceParser(lookup);
  const scanner = new FastFrameScanner(lookup);
  const bin = join(dir, 'ws_samples/binance');
  for (const f of readdirSync(bin).filter((n) => /combined_stream_.*\.json$/.test(n)).sort()) {
    const list = JSON.parse(readFileSync(join(bin, f), 'utf8')) as unknown[];
    list.forEach((env, k) => checkFrame(JSON.stringify(env), `${f} #${k}`, tally, parser, scanner));
  }
  const nws = join(bin, 'nautilus/ws');
  for (const f of readdirSync(nws).sort()) {
    const text = readFileSync(join(nws, f), 'utf8');
    // As stored (pretty-printed: the JSON.parse path) and as sent on the wire (compact: the scanner).
    checkFrame(text, `${f} (as stored)`, tally, parser, scanner);
    checkFrame(JSON.stringify(JSON.parse(text)), `${f} (compact)`, tally, parser, scanner);
  }
  const capture = join(dir, 'ws_samples/raw_captures_cryptofeed/BINANCE.ws.1.0');
  for (const r of parseCapture(readFileSync(capture, 'utf8')).records) {
    if (r.kind === 'received') checkFrame(r.text, `BINANCE.ws.1.0:${r.line}`, tally, parser, scanner);
  }
  return tally;
}

function checkRest(dir: string): string[] {
  const failures: string[] = [];
  const http = join(dir, 'ws_samples/binance/nautilus/http');
  const read = (f: string) => readFileSync(join(http, f), 'utf8');
  const btc: InstrumentPrecision = { instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'), pricePrecision: P, sizePrecision: P };
  for (const [file, market] of [['http_spot_market_exchange_info.json', 'spot'], ['http_futures_market_exchange_info.json', 'futures']] as const) {
    const r = parseExchangeInfo(read(file), market);
    if (!r.ok) failures.push(`${file}: ${r.rejection.reason} ${r.rejection.field}`);
    else {
      if (r.value.rejected.length > 0) failures.push(`${file}: symbols rejected ${JSON.stringify(r.value.rejected)}`);
      for (const s of r.value.symbols) {
        try {
          toInstrument(s);
        } catch (err) {
          failures.push(`${file}: ${s.symbol} is not a valid core Instrument: ${(err as Error).message}`);
        }
      }
      console.log(`  ${file}: ${r.value.symbols.length} instruments, e.g. ${r.value.symbols.slice(0, 2).map((s) => `${s.instrumentId} tick ${s.tickSize} (p${s.pricePrecision}) lot ${s.lotSize} (p${s.sizePrecision}) minNotional ${s.minNotional}`).join('; ')}`);
    }
  }
  const depth = parseDepthSnapshot(read('http_spot_market_depth.json'), btc);
  if (!depth.ok) failures.push(`http_spot_market_depth.json: ${depth.rejection.reason} ${depth.rejection.field}`);
  const klines = parseKlines(read('http_spot_market_klines.json'), btc, BarSpec.parse('1m'), 0 as UnixMicros);
  if (!klines.ok) failures.push(`http_spot_market_klines.json: ${klines.rejection.reason} ${klines.rejection.field}`);
  const agg = parseAggTrades(read('http_spot_market_agg_trades.json'), btc, 0 as UnixMicros);
  if (!agg.ok) failures.push(`http_spot_market_agg_trades.json: ${agg.rejection.reason} ${agg.rejection.field}`);
  // bodies of the two endpoints the @trade backfill uses (recent trades, and trades by id with fromId)
  const tradeBodies = ['http_spot_market_trades.json', 'http_spot_market_historical_trades.json'].map((file) => {
    const r = parseTrades(read(file), btc, 0 as UnixMicros);
    if (!r.ok) failures.push(`${file}: ${r.rejection.reason} ${r.rejection.field}`);
    return r.ok ? r.value.length : 'FAILED';
  });
  const snaps = parseCapture(readFileSync(join(dir, 'ws_samples/raw_captures_cryptofeed/BINANCE.http.0.0'), 'utf8')).records;
  for (const r of snaps) {
    const s = parseDepthSnapshot(r.kind === 'http' ? r.text : '', btc);
    if (!s.ok) failures.push(`BINANCE.http.0.0:${r.line}: ${s.rejection.reason} ${s.rejection.field}`);
  }
  console.log(
    `  REST: depth ${depth.ok ? `${depth.value.bidPrices.length}+${depth.value.askPrices.length} levels` : 'FAILED'}, klines ${klines.ok ? klines.value.length : 'FAILED'}, aggTrades ${agg.ok ? agg.value.length : 'FAILED'}, trades ${tradeBodies[0]}, historicalTrades ${tradeBodies[1]}, capture snapshots ${snaps.length}`,
  );
  return failures;
}

interface SyncFixture {
  snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
  events: { U: number; u: number; b: [string, string][]; a: [string, string][] }[];
}

/** Independent reference: Binance's rule applied with plain maps of decimal strings. */
function referenceBook(fx: SyncFixture): { bids: [string, string][]; asks: [string, string][]; applied: number; chainOk: boolean } {
  const bids = new Map(fx.snapshot.bids.map(([p, q]) => [norm(p), norm(q)]));
  const asks = new Map(fx.snapshot.asks.map(([p, q]) => [norm(p), norm(q)]));
  const id = fx.snapshot.lastUpdateId;
  const events = fx.events.filter((e) => e.u > id);
  let chainOk = events.length === 0 || (events[0].U <= id + 1 && events[0].u >= id + 1);
  for (let k = 1; k < events.length; k++) if (events[k].U !== events[k - 1].u + 1) chainOk = false;
  for (const e of events) {
    for (const [side, levels] of [[bids, e.b], [asks, e.a]] as const) {
      for (const [p, q] of levels) {
        if (Number(q) === 0) side.delete(norm(p));
        else side.set(norm(p), norm(q));
      }
    }
  }
  const sorted = (m: Map<string, string>, desc: boolean) => [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
  return { bids: sorted(bids, true), asks: sorted(asks, false), applied: events.length, chainOk };
}

async function checkSync(dir: string): Promise<string[]> {
  const failures: string[] = [];
  const bin = join(dir, 'ws_samples/binance');
  const files = readdirSync(bin).filter((f) => /^spot_depth_sync_.*\.json$/.test(f)).sort();
  if (files.length === 0) failures.push('no spot_depth_sync_*.json fixtures found');
  for (const f of files) {
    const symbol = f.slice('spot_depth_sync_'.length, -'.json'.length);
    const fx = JSON.parse(readFileSync(join(bin, f), 'utf8')) as SyncFixture;
    const info: InstrumentPrecision = { instrumentId: InstrumentId.of(symbol, 'BINANCE'), pricePrecision: P, sizePrecision: P };
    const book = new L2OrderBook(info.instrumentId, P, P);
    const sync = new BinanceBookSync('spot', book);
    const parser = new BinanceParser((s) => (s === symbol ? info : undefined));
    const snap = parseDepthSnapshot(fx.snapshot, info);
    let rejected = 0;
    for (const e of fx.events) {
      const m = parser.parse(JSON.stringify(e), 0 as UnixMicros);
      if (m.type === 'depth_diff') sync.onDiff(m);
      else rejected++;
    }
    const outcome = snap.ok ? sync.onSnapshot(snap.value) : 'snapshot rejected';
    const ref = referenceBook(fx);
    const ours = (side: BookSide) => book.topLevels(side, 1e9).map(([p, q]): [string, string] => [norm(p.toString()), norm(q.toString())]);
    const same = JSON.stringify(ours(BookSide.Bid)) === JSON.stringify(ref.bids) && JSON.stringify(ours(BookSide.Ask)) === JSON.stringify(ref.asks);
    const bb = book.bestBid();
    const ba = book.bestAsk();
    console.log(
      `  ${symbol}: ${fx.events.length} events, ${sync.dropped} dropped (u <= lastUpdateId ${fx.snapshot.lastUpdateId}), ${sync.applied} applied, gaps ${sync.gaps}, ` +
        `outcome ${outcome}; levels ${book.bids.length} bids / ${book.asks.length} asks; top ${bb?.[0]} x ${bb?.[1]} | ${ba?.[0]} x ${ba?.[1]}; crossed ${book.isCrossed()}; ` +
        `reference ${same ? 'identical' : 'DIFFERENT'} (chain ${ref.chainOk ? 'ok' : 'broken'})`,
    );
    if (rejected > 0) failures.push(`${f}: ${rejected} events rejected`);
    if (outcome !== 'synced' || sync.gaps > 0) failures.push(`${f}: not synced (${outcome}, gaps ${sync.gaps})`);
    if (!ref.chainOk) failures.push(`${f}: the fixture's ids do not chain by the reference rule`);
    if (!same) failures.push(`${f}: book differs from the reference`);
    if (sync.applied !== ref.applied) failures.push(`${f}: applied ${sync.applied} events, reference ${ref.applied}`);
    if (book.isCrossed() || sync.crossed > 0) failures.push(`${f}: crossed book`);
    // The same book from the raw capture (stream file + its REST capture, merged by receive time).
    const capture = join(dir, 'ws_samples/raw_captures_cryptofeed/BINANCE.ws.1.0');
    if (existsSync(capture)) {
      const r = await replayBook('binance', capture, symbol, 1e9);
      const fromCapture = JSON.stringify([r.bids.map(([p, q]) => [norm(p), norm(q)]), r.asks.map(([p, q]) => [norm(p), norm(q)])]);
      const ok = fromCapture === JSON.stringify([ref.bids, ref.asks]);
      console.log(`    from the raw capture (tradewind book): messages ${r.messages}, gaps ${r.gaps}, resyncs ${r.resyncs}, book ${ok ? 'identical' : 'DIFFERENT'}`);
      if (!ok || !r.synced) failures.push(`${symbol}: tradewind book on the raw capture gives another book`);
    }
  }
  return failures;
}

export async function run(dataDir: string): Promise<boolean> {
  console.log('marketdata: Binance parsers on every real message in ws_samples');
  const t = checkStreams(dataDir);
  console.log(
    `  stream frames: ${t.frames} parsed, ${t.ok} with every price/size reproduced exactly, ${t.expectedRejected} expected rejections, ` +
      `${t.fast} through the scanner; types ${JSON.stringify(t.types)}`,
  );
  const rest = checkRest(dataDir);
  console.log('marketdata: local order book sync on spot_depth_sync_*.json (vs an independent Map reference)');
  const sync = await checkSync(dataDir);
  const failures = [...t.failures, ...rest, ...sync];
  for (const f of failures) console.log(`  FAIL ${f}`);
  console.log(failures.length === 0 ? 'marketdata: all checks passed' : `marketdata: ${failures.length} failure(s)`);
  return failures.length === 0;
}
