import type { Bar, TradeTick } from '../../core/data.js';
import type { BarSpec } from '../../core/bar-spec.js';
import { formatDecimalRaw } from '../../core/decimal.js';
import { InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import type { DepthSnapshot } from './book-sync.js';
import { buildTrade, msToMicros, reject } from './parse-build.js';
import { Rejected, bool, fail, field, int, isObj, priceOf, sizeOf, str, time } from './parse-slow.js';
import type { Obj } from './parse-slow.js';
import { BINANCE_VENUE, RejectReason } from './types.js';
import type { BinanceMarket, InstrumentPrecision, Rejection } from './types.js';

/** Result of parsing a REST body: the value, or the rejection naming the field. */
export type RestResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejection: Rejection };

function run<T>(f: () => T): RestResult<T> {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, rejection: err.rejection };
    return { ok: false, rejection: reject(RejectReason.BadField, undefined, `unexpected parser error: ${String(err)}`) };
  }
}

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(RejectReason.NotObject, path, `${path || 'body'} is not an object`);
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(RejectReason.BadField, path, `${path || 'body'} is not an array`);
  return v;
}

/** Parses a JSON body text, or passes through an already parsed value. */
function body(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (err) {
    throw new Rejected(reject(RejectReason.InvalidJson, undefined, err instanceof Error ? err.message : 'invalid JSON'));
  }
}

/** `GET /api/v3/depth` or `/fapi/v1/depth`: `{lastUpdateId, bids: [[p, q]...], asks}`. */
export function parseDepthSnapshot(input: unknown, info: InstrumentPrecision): RestResult<DepthSnapshot> {
  return run(() => {
    const o = obj(body(input), '');
    const lastUpdateId = int(o, 'lastUpdateId', '');
    const side = (key: string) => {
      const levels = arr(field(o, key, ''), key);
      const prices: number[] = [];
      const sizes: number[] = [];
      levels.forEach((level, k) => {
        const at = `${key}[${k}]`;
        if (!Array.isArray(level) || level.length < 2) fail(RejectReason.BadField, at, 'level is not a [price, size] pair');
        prices.push(priceOf(level[0], `${at}[0]`, info.pricePrecision));
        sizes.push(sizeOf(level[1], `${at}[1]`, info.sizePrecision, true));
      });
      return [prices, sizes] as const;
    };
    const [bidPrices, bidSizes] = side('bids');
    const [askPrices, askSizes] = side('asks');
    return { lastUpdateId, bidPrices, bidSizes, askPrices, askSizes };
  });
}

/** `GET /api/v3/time` or `/fapi/v1/time`: `{serverTime}` in milliseconds. */
export function parseServerTime(input: unknown): RestResult<number> {
  return run(() => time(obj(body(input), ''), 'serverTime', ''));
}

/**
 * `GET /api/v3/klines` rows: `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades,
 * takerBuyBase, takerBuyQuote, ignore]`. Every row becomes a Bar; the last one may still be open
 * (closeTime in the future): the caller keeps only bars that have closed.
 */
export function parseKlines(input: unknown, info: InstrumentPrecision, spec: BarSpec, tsInit: UnixMicros): RestResult<Bar[]> {
  return run(() =>
    arr(body(input), '').map((row, k): Bar => {
      const at = `[${k}]`;
      const r = arr(row, at);
      if (r.length < 9) fail(RejectReason.MissingField, at, 'kline row has fewer than 9 fields');
      const o: Obj = { t: r[0], o: r[1], h: r[2], l: r[3], c: r[4], v: r[5], T: r[6], n: r[8] };
      const pp = info.pricePrecision;
      const openMs = time(o, 't', `${at}.`);
      const closeMs = time(o, 'T', `${at}.`);
      if (closeMs < openMs) fail(RejectReason.BadField, `${at}[6]`, 'kline closes before it opens');
      return {
        type: 'bar',
        instrumentId: info.instrumentId,
        spec,
        open: Price.fromRaw(priceOf(o.o, `${at}[1]`, pp), pp),
        high: Price.fromRaw(priceOf(o.h, `${at}[2]`, pp), pp),
        low: Price.fromRaw(priceOf(o.l, `${at}[3]`, pp), pp),
        close: Price.fromRaw(priceOf(o.c, `${at}[4]`, pp), pp),
        volume: Quantity.fromRaw(sizeOf(o.v, `${at}[5]`, info.sizePrecision, true), info.sizePrecision),
        tradeCount: int(o, 'n', `${at}.`),
        tsOpen: msToMicros(openMs),
        tsEvent: msToMicros(closeMs + 1),
        tsInit,
      };
    }),
  );
}

/** `GET /api/v3/aggTrades` rows `{a, p, q, f, l, T, m, M}` as trade ticks with the aggregate id `a`. */
export function parseAggTrades(input: unknown, info: InstrumentPrecision, tsInit: UnixMicros): RestResult<TradeTick[]> {
  return run(() =>
    arr(body(input), '').map((row, k) => {
      const at = `[${k}].`;
      const o = obj(row, `[${k}]`);
      const id = int(o, 'a', at);
      const price = priceOf(field(o, 'p', at), `${at}p`, info.pricePrecision);
      const size = sizeOf(field(o, 'q', at), `${at}q`, info.sizePrecision, false);
      return buildTrade(info, price, size, String(id), bool(o, 'm', at), time(o, 'T', at), tsInit);
    }),
  );
}

/**
 * `GET /api/v3/trades` and `/historicalTrades` (and their `/fapi/v1` twins) rows
 * `{id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch?}` as trade ticks with the trade id, the same
 * ticks the `@trade` stream gives.
 */
export function parseTrades(input: unknown, info: InstrumentPrecision, tsInit: UnixMicros): RestResult<TradeTick[]> {
  return run(() =>
    arr(body(input), '').map((row, k) => {
      const at = `[${k}].`;
      const o = obj(row, `[${k}]`);
      const id = int(o, 'id', at);
      const price = priceOf(field(o, 'price', at), `${at}price`, info.pricePrecision);
      const size = sizeOf(field(o, 'qty', at), `${at}qty`, info.sizePrecision, false);
      return buildTrade(info, price, size, String(id), bool(o, 'isBuyerMaker', at), time(o, 'time', at), tsInit);
    }),
  );
}

/** Trading rules of one symbol from exchangeInfo, in the terms of core's InstrumentSpec. */
export interface BinanceSymbolRules {
  readonly symbol: string;
  readonly instrumentId: InstrumentId;
  readonly status: string;
  readonly kind: 'spot' | 'perpetual';
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  readonly settlementCurrency: string;
  /** Decimals of the tick size (`0.01000000` -> 2). */
  readonly pricePrecision: number;
  /** Decimals of the step size (`0.00001000` -> 5). */
  readonly sizePrecision: number;
  /** Tick and lot size, min/max quantity and min notional as decimal strings at their precisions. */
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly maxQuantity: string | undefined;
  readonly minNotional: string | undefined;
}

/** Significant decimals of a positive step like "0.01000000" -> 2, "1.00000000" -> 0. */
function stepPrecision(s: string, path: string): number {
  const m = /^(\d+)(?:\.(\d*?)0*)?$/.exec(s);
  if (m === null) fail(RejectReason.BadField, path, `not a decimal step: ${JSON.stringify(s)}`);
  const decimals = (m[2] ?? '').length;
  if (decimals > 12) fail(RejectReason.BadField, path, `step has more than 12 decimals: ${s}`);
  if (!/[1-9]/.test(s)) fail(RejectReason.BadField, path, `step is zero: ${s}`);
  return decimals;
}

/** Re-expresses a decimal string at `precision` decimals exactly (`"0.01000000"` at 2 -> `"0.01"`). */
function atPrecision(s: string, precision: number, path: string, isPrice: boolean): string {
  return formatDecimalRaw(isPrice ? priceOf(s, path, precision) : sizeOf(s, path, precision, true), precision);
}

function filterOf(filters: unknown[], type: string): Obj | undefined {
  return filters.find((f): f is Obj => isObj(f) && f.filterType === type);
}

function symbolRules(s: Obj, path: string, market: BinanceMarket): BinanceSymbolRules | undefined {
  const symbol = str(s, 'symbol', path);
  if (market === 'futures' && s.contractType !== undefined && s.contractType !== 'PERPETUAL') return undefined;
  const filters = arr(field(s, 'filters', path), `${path}filters`);
  const priceFilter = filterOf(filters, 'PRICE_FILTER');
  const lot = filterOf(filters, 'LOT_SIZE');
  if (priceFilter === undefined) fail(RejectReason.MissingField, `${path}filters.PRICE_FILTER`, `${symbol} has no PRICE_FILTER`);
  if (lot === undefined) fail(RejectReason.MissingField, `${path}filters.LOT_SIZE`, `${symbol} has no LOT_SIZE`);
  const fp = `${path}filters.`;
  const tick = str(priceFilter, 'tickSize', `${fp}PRICE_FILTER.`);
  const step = str(lot, 'stepSize', `${fp}LOT_SIZE.`);
  const pricePrecision = stepPrecision(tick, `${fp}PRICE_FILTER.tickSize`);
  const sizePrecision = stepPrecision(step, `${fp}LOT_SIZE.stepSize`);
  // Spot has NOTIONAL (current) or MIN_NOTIONAL (older); futures has MIN_NOTIONAL with `notional`.
  const notional = filterOf(filters, 'NOTIONAL') ?? filterOf(filters, 'MIN_NOTIONAL');
  const minNotionalText = notional === undefined ? undefined : (notional.minNotional ?? notional.notional);
  const minQty = str(lot, 'minQty', `${fp}LOT_SIZE.`);
  const maxQty = lot.maxQty === undefined ? undefined : str(lot, 'maxQty', `${fp}LOT_SIZE.`);
  const quote = str(s, 'quoteAsset', path);
  const venue = BINANCE_VENUE[market];
  return {
    symbol,
    instrumentId: InstrumentId.of(symbol, venue),
    status: str(s, 'status', path),
    kind: market === 'spot' ? 'spot' : 'perpetual',
    baseCurrency: str(s, 'baseAsset', path),
    quoteCurrency: quote,
    settlementCurrency: market === 'futures' && typeof s.marginAsset === 'string' ? s.marginAsset : quote,
    pricePrecision,
    sizePrecision,
    tickSize: atPrecision(tick, pricePrecision, `${fp}PRICE_FILTER.tickSize`, true),
    lotSize: atPrecision(step, sizePrecision, `${fp}LOT_SIZE.stepSize`, false),
    minQuantity: atPrecision(minQty, sizePrecision, `${fp}LOT_SIZE.minQty`, false),
    maxQuantity: maxQty === undefined ? undefined : atPrecision(maxQty, sizePrecision, `${fp}LOT_SIZE.maxQty`, false),
    minNotional: typeof minNotionalText === 'string' ? minNotionalText : undefined,
  };
}

export interface ExchangeInfo {
  readonly serverTimeMs: number;
  readonly symbols: readonly BinanceSymbolRules[];
  /** Symbols that could not be read, with why (the others are still usable). */
  readonly rejected: readonly { readonly symbol: string; readonly rejection: Rejection }[];
}

/**
 * `GET /api/v3/exchangeInfo` or `/fapi/v1/exchangeInfo`. Price precision comes from PRICE_FILTER.tickSize,
 * size precision from LOT_SIZE.stepSize, min notional from NOTIONAL or MIN_NOTIONAL. Futures contracts other
 * than perpetuals are skipped. A malformed symbol is listed in `rejected` and does not fail the others.
 */
export function parseExchangeInfo(input: unknown, market: BinanceMarket): RestResult<ExchangeInfo> {
  return run(() => {
    const o = obj(body(input), '');
    const list = arr(field(o, 'symbols', ''), 'symbols');
    const symbols: BinanceSymbolRules[] = [];
    const rejected: { symbol: string; rejection: Rejection }[] = [];
    list.forEach((s, k) => {
      const path = `symbols[${k}].`;
      const r = run(() => symbolRules(obj(s, `symbols[${k}]`), path, market));
      if (r.ok) {
        if (r.value !== undefined) symbols.push(r.value);
      } else rejected.push({ symbol: isObj(s) && typeof s.symbol === 'string' ? s.symbol : `#${k}`, rejection: r.rejection });
    });
    return { serverTimeMs: o.serverTime === undefined ? -1 : time(o, 'serverTime', ''), symbols, rejected };
  });
}
