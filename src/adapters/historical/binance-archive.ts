import { unzipSync } from 'fflate';
import { BarSpec } from '../../core/bar-spec.js';
import type { Bar, TradeTick } from '../../core/data.js';
import { AggressorSide } from '../../core/data.js';
import { ParseError } from '../../core/errors.js';
import { TradeId, type InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import type { LoadResult, RowRejection } from './rejection.js';
import { epochToMicros } from './timestamps.js';

/**
 * Loaders for the Binance public data archive (data.binance.vision): klines, trades and aggTrades CSV,
 * inside zip files or bare, with or without a header row (spot files have none, futures files do), with
 * millisecond or microsecond timestamps.
 *
 * Column orders (Binance's archive documentation):
 *   klines:    open_time, open, high, low, close, volume, close_time, quote_volume, count,
 *              taker_buy_volume, taker_buy_quote_volume, ignore
 *   trades:    id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]
 *   aggTrades: agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
 *              is_buyer_maker[, is_best_match]
 */
export const BinanceArchiveKind = { Klines: 'klines', Trades: 'trades', AggTrades: 'aggTrades' } as const;
export type BinanceArchiveKind = (typeof BinanceArchiveKind)[keyof typeof BinanceArchiveKind];

export interface ArchiveOptions {
  readonly instrumentId: InstrumentId;
  /** Parse prices and sizes at these precisions (the instrument's); when absent, each value's own decimals. */
  readonly pricePrecision?: number;
  readonly sizePrecision?: number;
  /** For klines: the interval of the file (`1m`, `1h`, `1d`); required because rows do not carry it. */
  readonly interval?: string;
  /** tsInit for the events made; a loader has no clock, so the caller says (default: the event time). */
  readonly tsInit?: UnixMicros;
}

/** Returns the text of the single CSV inside a zip archive, or the bytes as text when they are not a zip. */
export function archiveText(bytes: Uint8Array, name = 'archive'): string {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) return new TextDecoder().decode(bytes);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new ParseError(`${name} is not a readable zip file: ${(err as Error).message}`, 'file', { cause: err });
  }
  const csvs = Object.keys(files).filter((f) => f.toLowerCase().endsWith('.csv'));
  if (csvs.length !== 1) throw new ParseError(`${name} must hold exactly one .csv file, found ${csvs.length}`, 'file');
  return new TextDecoder().decode(files[csvs[0]]);
}

const COLUMNS: Record<BinanceArchiveKind, number> = { klines: 11, trades: 6, aggTrades: 7 };

function isHeader(fields: readonly string[]): boolean {
  return fields.length > 0 && !/^\d/.test(fields[0].trim());
}

function parseBool(s: string, field: string): boolean {
  const v = s.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ParseError(`expected true or false: ${JSON.stringify(s)}`, field);
}

function price(s: string, options: ArchiveOptions, field: string): Price {
  const p = Price.parse(s, options.pricePrecision);
  if (p.raw <= 0) throw new ParseError(`must be positive: ${s}`, field);
  return p;
}

function qty(s: string, options: ArchiveOptions): Quantity {
  return Quantity.parse(s, options.sizePrecision);
}

/** Parses one archive CSV text into trade ticks (trades, aggTrades) or bars (klines). */
export function parseBinanceArchive(kind: 'klines', text: string, options: ArchiveOptions): LoadResult<Bar>;
export function parseBinanceArchive(kind: 'trades' | 'aggTrades', text: string, options: ArchiveOptions): LoadResult<TradeTick>;
export function parseBinanceArchive(kind: BinanceArchiveKind, text: string, options: ArchiveOptions): LoadResult<Bar | TradeTick>;
export function parseBinanceArchive(kind: BinanceArchiveKind, text: string, options: ArchiveOptions): LoadResult<Bar | TradeTick> {
  const events: (Bar | TradeTick)[] = [];
  const rejected: RowRejection[] = [];
  let spec: BarSpec | undefined;
  let duration = 0;
  if (kind === 'klines') {
    if (options.interval === undefined) throw new ParseError('klines need the file interval (e.g. 1m)', 'interval');
    spec = BarSpec.parse(options.interval);
    const d = BarSpec.durationMicros(spec);
    if (d === undefined) throw new ParseError(`klines interval must be a time interval: ${options.interval}`, 'interval');
    duration = d;
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const f = line.split(',');
    if (i === 0 && isHeader(f)) continue;
    try {
      if (f.length < COLUMNS[kind]) throw new ParseError(`expected at least ${COLUMNS[kind]} columns, found ${f.length}`, 'row');
      if (kind === 'klines') {
        const tsOpen = epochToMicros(f[0], 'open_time');
        const open = price(f[1], options, 'open');
        const high = price(f[2], options, 'high');
        const low = price(f[3], options, 'low');
        const close = price(f[4], options, 'close');
        if (high.lt(low) || high.lt(open) || high.lt(close) || low.gt(open) || low.gt(close)) {
          throw new ParseError('high/low do not bound open and close', 'high');
        }
        const trades = Number(f[8]);
        if (!Number.isSafeInteger(trades) || trades < 0) throw new ParseError(`not a trade count: ${f[8]}`, 'count');
        const tsEvent = (tsOpen + duration) as UnixMicros;
        events.push({
          type: 'bar',
          instrumentId: options.instrumentId,
          spec: spec as BarSpec,
          open,
          high,
          low,
          close,
          volume: qty(f[5], options),
          tradeCount: trades,
          tsOpen,
          tsEvent,
          tsInit: options.tsInit ?? tsEvent,
        });
      } else {
        const agg = kind === 'aggTrades';
        const ts = epochToMicros(agg ? f[5] : f[4], agg ? 'transact_time' : 'time');
        const buyerMaker = parseBool(agg ? f[6] : f[5], 'is_buyer_maker');
        const size = qty(f[2], options);
        if (size.raw <= 0) throw new ParseError(`must be positive: ${f[2]}`, 'quantity');
        events.push({
          type: 'trade',
          instrumentId: options.instrumentId,
          price: price(f[1], options, 'price'),
          size,
          // The buyer being the maker means the seller took liquidity.
          aggressorSide: buyerMaker ? AggressorSide.Seller : AggressorSide.Buyer,
          tradeId: TradeId.parse(f[0].trim()),
          tsEvent: ts,
          tsInit: options.tsInit ?? ts,
        });
      }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      rejected.push({ line: i + 1, reason: err.message });
    }
  }
  return { events, rejected };
}
