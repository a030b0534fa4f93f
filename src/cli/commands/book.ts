import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BinanceBookSync } from '../../adapters/binance/book-sync.js';
import { BinanceParser } from '../../adapters/binance/parse.js';
import { parseDepthSnapshot } from '../../adapters/binance/parse-rest.js';
import { BINANCE_VENUE } from '../../adapters/binance/types.js';
import type { BinanceMarket, InstrumentPrecision } from '../../adapters/binance/types.js';
import type { CaptureRecord } from '../../adapters/common/capture.js';
import { parseCapture } from '../../adapters/common/capture.js';
import { decimalPlaces, parseDecimalSlice } from '../../adapters/common/decimal-slice.js';
import { parseCoinbaseBookMessage } from '../../adapters/coinbase/book-parse.js';
import { L2OrderBook } from '../../compute/orderbook/l2-book.js';
import { BookSide } from '../../core/data.js';
import { InstrumentId } from '../../core/identifiers.js';
import type { UnixMicros } from '../../core/time.js';
import { ExitCode, UsageError, type Command, type CommandIo } from '../command.js';

export const BOOK_VENUES = ['binance', 'binance-futures', 'coinbase'] as const;
export type BookVenue = (typeof BOOK_VENUES)[number];

const help = `Usage: tradewind book --venue <binance|binance-futures|coinbase> --input <file> --symbol <S> [--depth <N>]

Builds the local order book of one symbol from recorded messages by the venue's procedure and prints it.

Input (either form):
  - a capture in cryptofeed's line format: "URL <-> ts" (connect), "URL <- ts: json" (sent),
    "ts: json" (received), "URL -> ts: body" (REST response). Binance depth snapshots are the REST
    responses of /api/v3/depth (/fapi/v1/depth); when the file has none for the symbol, the sibling
    REST capture of the same recording (X.ws.N -> X.http.*) in the same folder is read too, and both
    are merged by receive time.
  - a JSON file {"snapshot": <REST depth or Coinbase snapshot>, "events": [<diff events>...]}.

Binance: diff events are buffered until a snapshot, events with u <= lastUpdateId are dropped, the first
applied event must straddle lastUpdateId+1 (futures: U <= lastUpdateId <= u), then U == previous u + 1
(futures: pu == previous u); a break is a gap and the book waits for the next snapshot in the input.
Coinbase (Exchange level2): snapshot, then l2update changes; these carry no sequence, so gaps is 0.

Options:
  --venue <v>     binance | binance-futures | coinbase
  --input <file>  capture or JSON file
  --symbol <S>    venue symbol: NKNUSDT (Binance, any case), BTC-USD (Coinbase)
  --depth <N>     levels per side to print (default 10)

Output: one JSON object {"symbol", "bids": [[price, size], ...], "asks": [...], "messages", "gaps",
"resyncs"}: prices and sizes as decimal strings, best first; messages = book messages of the symbol read
(snapshots and diffs); gaps = sequence breaks; resyncs = books rebuilt from a later snapshot.
Exit codes: 0 book built, 1 no snapshot of the symbol in the input, 2 bad usage or unreadable input.

Example:
  tradewind book --venue binance --input ../shared/data/ws_samples/binance/spot_depth_sync_NKNUSDT.json --symbol NKNUSDT --depth 5
`;

export interface BookResult {
  readonly symbol: string;
  readonly bids: [string, string][];
  readonly asks: [string, string][];
  readonly messages: number;
  readonly gaps: number;
  readonly resyncs: number;
  /** Not printed: whether a snapshot was ever applied, frames rejected, and crossed books seen. */
  readonly synced: boolean;
  readonly rejected: number;
  readonly crossed: number;
}

/** The input as a list of messages in order: REST snapshots and stream frames. */
interface InputMessage {
  readonly kind: 'snapshot' | 'frame';
  readonly value: unknown;
  readonly ts: number;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readInput(path: string, venue: BookVenue, symbol: string): Promise<InputMessage[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --input ${path}: ${(err as Error).message}`);
  }
  if (text.trimStart().startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`--input ${path} is not valid JSON: ${(err as Error).message}`);
    }
    if (!isObj(v) || !isObj(v.snapshot) || !Array.isArray(v.events)) throw new UsageError(`--input ${path}: expected {"snapshot": {...}, "events": [...]}`);
    return [{ kind: 'snapshot', value: v.snapshot, ts: 0 }, ...v.events.map((e): InputMessage => ({ kind: 'frame', value: e, ts: 0 }))];
  }
  const { records, badLines } = parseCapture(text);
  if (records.length === 0) throw new UsageError(`--input ${path}: neither a capture (no "ts: json" lines) nor a {snapshot, events} JSON file${badLines.length > 0 ? ` (line ${badLines[0]} unreadable)` : ''}`);
  let all = records;
  if (venue !== 'coinbase' && !records.some((r) => isDepthSnapshotFor(r, symbol))) all = mergeByTime(records, await siblingHttp(path));
  return all.flatMap((r): InputMessage[] => {
    if (r.kind === 'http') return isDepthSnapshotFor(r, symbol) ? [{ kind: 'snapshot', value: r.text, ts: r.ts }] : [];
    return r.kind === 'received' ? [{ kind: 'frame', value: r.text, ts: r.ts }] : [];
  });
}

function isDepthSnapshotFor(r: CaptureRecord, symbol: string): boolean {
  if (r.kind !== 'http') return false;
  try {
    const u = new URL(r.url);
    return /\/(api\/v3|fapi\/v1)\/depth$/.test(u.pathname) && (u.searchParams.get('symbol') ?? '').toUpperCase() === symbol;
  } catch {
    return false;
  }
}

/** REST records of the sibling capture files `X.http.*` of `X.ws.N`. */
async function siblingHttp(path: string): Promise<CaptureRecord[]> {
  const m = /^(.*)\.ws\.[^/]*$/.exec(basename(path));
  if (m === null) return [];
  const dir = dirname(path);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(`${m[1]}.http.`)).sort();
  const out: CaptureRecord[] = [];
  for (const n of names) {
    const text = await readFile(join(dir, n), 'utf8').catch(() => '');
    out.push(...parseCapture(text).records.filter((r) => r.kind === 'http'));
  }
  return out;
}

/** Stable merge by receive time: within equal times the stream record comes first. */
function mergeByTime(a: CaptureRecord[], b: CaptureRecord[]): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].ts <= b[j].ts)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function asJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** Largest number of decimals among the price and size strings of [price, size, ...] levels. */
function scanDecimals(levels: unknown, offset: number, acc: { price: number; size: number }): void {
  if (!Array.isArray(levels)) return;
  for (const l of levels) {
    if (!Array.isArray(l)) continue;
    if (typeof l[offset] === 'string') acc.price = Math.max(acc.price, decimalPlaces(l[offset]));
    if (typeof l[offset + 1] === 'string') acc.size = Math.max(acc.size, decimalPlaces(l[offset + 1]));
  }
}

/** The precision that holds every price and size of the symbol in the input exactly (at most 12). */
function inputPrecision(messages: readonly InputMessage[], venue: BookVenue, symbol: string): { price: number; size: number } {
  const acc = { price: 0, size: 0 };
  for (const m of messages) {
    const v = asJson(m.value);
    if (!isObj(v)) continue;
    if (venue === 'coinbase') {
      if (v.product_id !== symbol) continue;
      scanDecimals(v.bids, 0, acc);
      scanDecimals(v.asks, 0, acc);
      scanDecimals(v.changes, 1, acc);
    } else {
      const d = m.kind === 'frame' && isObj(v.data) ? v.data : v;
      if (m.kind === 'frame' && d.s !== symbol) continue;
      scanDecimals(m.kind === 'frame' ? d.b : d.bids, 0, acc);
      scanDecimals(m.kind === 'frame' ? d.a : d.asks, 0, acc);
    }
  }
  return { price: Math.min(acc.price, 12), size: Math.min(acc.size, 12) };
}

function levelsOut(book: L2OrderBook, depth: number): { bids: [string, string][]; asks: [string, string][] } {
  const side = (s: BookSide) => book.topLevels(s, depth).map(([p, q]): [string, string] => [p.toString(), q.toString()]);
  return { bids: side(BookSide.Bid), asks: side(BookSide.Ask) };
}

function replayBinance(messages: readonly InputMessage[], market: BinanceMarket, symbol: string, depth: number): BookResult {
  const prec = inputPrecision(messages, market === 'spot' ? 'binance' : 'binance-futures', symbol);
  const info: InstrumentPrecision = { instrumentId: InstrumentId.of(symbol, BINANCE_VENUE[market]), pricePrecision: prec.price, sizePrecision: prec.size };
  const parser = new BinanceParser((s) => (s === symbol ? info : undefined));
  const book = new L2OrderBook(info.instrumentId, info.pricePrecision, info.sizePrecision);
  const sync = new BinanceBookSync(market, book);
  let count = 0;
  let rejected = 0;
  let synced = false;
  let snapshots = 0;
  for (const m of messages) {
    if (m.kind === 'snapshot') {
      const snap = parseDepthSnapshot(m.value, info);
      count++;
      if (!snap.ok) {
        rejected++;
        continue;
      }
      // A snapshot only helps while the book is waiting for one (at the start or after a gap).
      if (sync.state === 'synced') continue;
      snapshots++;
      if (sync.onSnapshot(snap.value) === 'synced') synced = true;
      continue;
    }
    const text = typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
    const msg = parser.parse(text, m.ts as UnixMicros);
    if (msg.type === 'rejection') {
      // Frames of other symbols are not this book's business; only count what concerns it.
      if (msg.reason !== 'unknown_instrument') rejected++;
      continue;
    }
    if (msg.type !== 'depth_diff') continue;
    count++;
    sync.onDiff(msg);
  }
  return {
    symbol,
    ...levelsOut(book, depth),
    messages: count,
    gaps: sync.gaps,
    resyncs: Math.max(0, snapshots - 1),
    synced: synced && sync.state === 'synced',
    rejected,
    crossed: sync.crossed,
  };
}

function replayCoinbase(messages: readonly InputMessage[], symbol: string, depth: number): BookResult {
  const prec = inputPrecision(messages, 'coinbase', symbol);
  const book = new L2OrderBook(InstrumentId.of(symbol, 'COINBASE'), prec.price, prec.size);
  let count = 0;
  let rejected = 0;
  let snapshots = 0;
  let crossed = 0;
  const raw = (s: string, p: number) => parseDecimalSlice(s, 0, s.length, p);
  for (const m of messages) {
    const msg = parseCoinbaseBookMessage(m.value);
    if (msg.type === 'rejection') {
      rejected++;
      continue;
    }
    if (msg.type === 'other' || msg.productId !== symbol) continue;
    count++;
    if (msg.type === 'snapshot') {
      snapshots++;
      book.loadRaw(
        msg.bids.map((l) => raw(l.price, prec.price)),
        msg.bids.map((l) => raw(l.size, prec.size)),
        msg.asks.map((l) => raw(l.price, prec.price)),
        msg.asks.map((l) => raw(l.size, prec.size)),
        0,
      );
      continue;
    }
    // Updates before the first snapshot have nothing to apply to.
    if (snapshots === 0) continue;
    for (const c of msg.changes) book.applyRaw(c.side === 'buy' ? BookSide.Bid : BookSide.Ask, raw(c.price, prec.price), raw(c.size, prec.size));
    if (book.isCrossed()) crossed++;
  }
  return { symbol, ...levelsOut(book, depth), messages: count, gaps: 0, resyncs: Math.max(0, snapshots - 1), synced: snapshots > 0, rejected, crossed };
}

/** Builds the book of `symbol` from an input file (capture or {snapshot, events}) by the venue's procedure. */
export async function replayBook(venue: BookVenue, input: string, symbolArg: string, depth: number): Promise<BookResult> {
  const symbol = venue === 'coinbase' ? symbolArg : symbolArg.toUpperCase();
  const messages = await readInput(input, venue, symbol);
  if (venue === 'coinbase') return replayCoinbase(messages, symbol, depth);
  return replayBinance(messages, venue === 'binance' ? 'spot' : 'futures', symbol, depth);
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { venue: { type: 'string' }, input: { type: 'string' }, symbol: { type: 'string' }, depth: { type: 'string', default: '10' } },
    allowPositionals: false,
  });
  const venue = values.venue;
  if (venue === undefined || !(BOOK_VENUES as readonly string[]).includes(venue)) throw new UsageError(`--venue must be one of ${BOOK_VENUES.join(', ')}`);
  if (values.input === undefined) throw new UsageError('--input <file> is required');
  if (values.symbol === undefined || values.symbol === '') throw new UsageError('--symbol <S> is required');
  const depth = Number(values.depth);
  if (!Number.isSafeInteger(depth) || depth < 1) throw new UsageError(`--depth must be a positive integer, got ${JSON.stringify(values.depth)}`);
  const input = values.input.startsWith('/') ? values.input : join(io.cwd, values.input);
  const r = await replayBook(venue as BookVenue, input, values.symbol, depth);
  io.stdout.write(`${JSON.stringify({ symbol: r.symbol, bids: r.bids, asks: r.asks, messages: r.messages, gaps: r.gaps, resyncs: r.resyncs })}\n`);
  if (r.rejected > 0) io.stderr.write(`tradewind book: ${r.rejected} message(s) of ${r.symbol} rejected\n`);
  if (!r.synced) {
    io.stderr.write(`tradewind book: no usable snapshot of ${r.symbol} in the input: the book is not synchronised\n`);
    return ExitCode.Failure;
  }
  return ExitCode.Ok;
}

export const bookCommand: Command = {
  name: 'book',
  summary: 'Build a local order book from a capture or snapshot+events file and print the top levels',
  help,
  run,
};
