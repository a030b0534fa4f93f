import type { Bar, BookLevelDelta } from '../../core/data.js';
import { BookSide } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { Price, Quantity } from '../../core/price.js';
import type { UnixMicros } from '../../core/time.js';
import { parseDecimalSlice } from '../common/decimal-slice.js';
import { MAX_MS, buildDepthDiff, buildQuote, buildTrade, checkPrice, checkSize, msToMicros, reject } from './parse-build.js';
import type { BinanceMessage, InstrumentLookup, InstrumentPrecision, KlineUpdate, Rejection } from './types.js';
import { RejectReason } from './types.js';

/** Internal: unwinds a field check to the top of the parse, where it becomes the returned Rejection. */
export class Rejected {
  constructor(readonly rejection: Rejection) {}
}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function fail(reason: RejectReason, field: string, detail: string): never {
  throw new Rejected(reject(reason, field, detail));
}

export function field(o: Obj, key: string, path: string): unknown {
  const v = o[key];
  if (v === undefined) fail(RejectReason.MissingField, path + key, `missing field ${path + key}`);
  return v;
}

/** A non-negative safe integer (ids, millisecond times). `min` -1 admits Binance's "none" marker. */
export function int(o: Obj, key: string, path: string, min = 0): number {
  const v = field(o, key, path);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(RejectReason.BadField, path + key, `not an integer >= ${min}: ${JSON.stringify(v)}`);
  return v;
}

export function time(o: Obj, key: string, path: string): number {
  const v = int(o, key, path);
  if (v > MAX_MS) fail(RejectReason.BadField, path + key, `time out of range: ${v}`);
  return v;
}

export function str(o: Obj, key: string, path: string): string {
  const v = field(o, key, path);
  if (typeof v !== 'string') fail(RejectReason.BadField, path + key, `not a string: ${JSON.stringify(v)}`);
  return v;
}

export function bool(o: Obj, key: string, path: string): boolean {
  const v = field(o, key, path);
  if (typeof v !== 'boolean') fail(RejectReason.BadField, path + key, `not a boolean: ${JSON.stringify(v)}`);
  return v;
}

export function priceOf(text: unknown, path: string, precision: number): number {
  if (typeof text !== 'string') fail(RejectReason.BadPrice, path, `price is not a decimal string: ${JSON.stringify(text)}`);
  const raw = parseDecimalSlice(text, 0, text.length, precision);
  const bad = checkPrice(raw, path, text);
  if (bad) throw new Rejected(bad);
  return raw;
}

export function sizeOf(text: unknown, path: string, precision: number, allowZero: boolean): number {
  if (typeof text !== 'string') fail(RejectReason.BadSize, path, `size is not a decimal string: ${JSON.stringify(text)}`);
  const raw = parseDecimalSlice(text, 0, text.length, precision);
  const bad = checkSize(raw, path, text, allowZero);
  if (bad) throw new Rejected(bad);
  return raw;
}

function instrument(o: Obj, key: string, path: string, lookup: InstrumentLookup): InstrumentPrecision {
  const symbol = str(o, key, path);
  const info = lookup(symbol);
  if (info === undefined) fail(RejectReason.UnknownInstrument, path + key, `unknown symbol ${JSON.stringify(symbol)}`);
  return info;
}

function levels(o: Obj, key: string, path: string, side: BookSide, info: InstrumentPrecision, out: BookLevelDelta[]): void {
  const v = field(o, key, path);
  if (!Array.isArray(v)) fail(RejectReason.BadField, path + key, 'levels are not an array');
  for (let k = 0; k < v.length; k++) {
    const level: unknown = v[k];
    const at = `${path}${key}[${k}]`;
    if (!Array.isArray(level) || level.length < 2) fail(RejectReason.BadField, at, 'level is not a [price, size] pair');
    const p = priceOf(level[0], `${at}[0]`, info.pricePrecision);
    const q = sizeOf(level[1], `${at}[1]`, info.sizePrecision, true);
    out.push({ side, price: Price.fromRaw(p, info.pricePrecision), size: Quantity.fromRaw(q, info.sizePrecision) });
  }
}

/** Optional millisecond time: -1 when absent. */
function optTime(o: Obj, key: string, path: string): number {
  return o[key] === undefined ? -1 : time(o, key, path);
}

/** Binance kline intervals that are a fixed duration, in Tradewind bar-spec form. */
function intervalSpec(interval: string, path: string): BarSpec {
  // A week is a fixed 7 days; a month is not a fixed duration, so `1M` has no time-bar equivalent.
  const text = interval === '1w' ? '7d' : interval;
  if (!/^\d+[smhd]$/.test(text)) fail(RejectReason.BadField, path, `unsupported kline interval ${JSON.stringify(interval)}`);
  return BarSpec.parse(text);
}

function parseKline(d: Obj, path: string, lookup: InstrumentLookup, tsInit: UnixMicros): KlineUpdate {
  const kRaw = field(d, 'k', path);
  if (!isObj(kRaw)) fail(RejectReason.BadField, `${path}k`, 'kline is not an object');
  const k = kRaw;
  const kp = `${path}k.`;
  const info = instrument(k, 's', kp, lookup);
  const interval = str(k, 'i', kp);
  const spec = intervalSpec(interval, `${kp}i`);
  const openMs = time(k, 't', kp);
  const closeMs = time(k, 'T', kp);
  if (closeMs < openMs) fail(RejectReason.BadField, `${kp}T`, 'kline closes before it opens');
  const pp = info.pricePrecision;
  const open = priceOf(k.o, `${kp}o`, pp);
  const high = priceOf(k.h, `${kp}h`, pp);
  const low = priceOf(k.l, `${kp}l`, pp);
  const close = priceOf(k.c, `${kp}c`, pp);
  if (high < Math.max(open, close, low) || low > Math.min(open, close)) fail(RejectReason.BadPrice, `${kp}h`, 'high/low do not bound open and close');
  const volume = sizeOf(k.v, `${kp}v`, info.sizePrecision, true);
  const bar: Bar = {
    type: 'bar',
    instrumentId: info.instrumentId,
    spec,
    open: Price.fromRaw(open, pp),
    high: Price.fromRaw(high, pp),
    low: Price.fromRaw(low, pp),
    close: Price.fromRaw(close, pp),
    volume: Quantity.fromRaw(volume, info.sizePrecision),
    tradeCount: int(k, 'n', kp),
    tsOpen: msToMicros(openMs),
    // Binance's close time is the last millisecond of the interval; Tradewind's is the exclusive end.
    tsEvent: msToMicros(closeMs + 1),
    tsInit,
  };
  return {
    type: 'kline',
    symbol: str(k, 's', kp),
    interval,
    closed: bool(k, 'x', kp),
    firstTradeId: int(k, 'f', kp, -1),
    lastTradeId: int(k, 'L', kp, -1),
    bar,
  };
}

function parseEvent(d: Obj, path: string, lookup: InstrumentLookup, tsInit: UnixMicros): BinanceMessage {
  const e = d.e;
  // Spot bookTicker frames have no `e`; they are recognised by their fields.
  const type = e === undefined && d.u !== undefined && d.b !== undefined && d.a !== undefined ? 'bookTicker' : e;
  switch (type) {
    case 'trade':
    case 'aggTrade': {
      const info = instrument(d, 's', path, lookup);
      const idKey = type === 'trade' ? 't' : 'a';
      const id = int(d, idKey, path);
      const price = priceOf(field(d, 'p', path), `${path}p`, info.pricePrecision);
      const size = sizeOf(field(d, 'q', path), `${path}q`, info.sizePrecision, false);
      const maker = bool(d, 'm', path);
      const t = time(d, 'T', path);
      return buildTrade(info, price, size, String(id), maker, t, tsInit);
    }
    case 'bookTicker': {
      const info = instrument(d, 's', path, lookup);
      int(d, 'u', path);
      const bid = priceOf(field(d, 'b', path), `${path}b`, info.pricePrecision);
      const bidSize = sizeOf(field(d, 'B', path), `${path}B`, info.sizePrecision, true);
      const ask = priceOf(field(d, 'a', path), `${path}a`, info.pricePrecision);
      const askSize = sizeOf(field(d, 'A', path), `${path}A`, info.sizePrecision, true);
      // Futures and newer spot frames carry the transaction time `T`, else the event time `E`, else none.
      const t = optTime(d, 'T', path);
      const ev = optTime(d, 'E', path);
      return buildQuote(info, bid, bidSize, ask, askSize, t >= 0 ? t : ev, tsInit);
    }
    case 'depthUpdate': {
      const symbol = str(d, 's', path);
      const info = instrument(d, 's', path, lookup);
      const first = int(d, 'U', path);
      const final = int(d, 'u', path);
      if (final < first) fail(RejectReason.BadField, `${path}u`, `final update id ${final} < first ${first}`);
      const prev = d.pu === undefined ? -1 : int(d, 'pu', path);
      const eventMs = time(d, 'E', path);
      const t = optTime(d, 'T', path);
      const deltas: BookLevelDelta[] = [];
      levels(d, 'b', path, BookSide.Bid, info, deltas);
      levels(d, 'a', path, BookSide.Ask, info, deltas);
      return buildDepthDiff(info, symbol, first, final, prev, deltas, t >= 0 ? t : eventMs, tsInit);
    }
    case 'kline':
      return parseKline(d, path, lookup, tsInit);
    default:
      return reject(RejectReason.UnknownType, `${path}e`, `unknown event type ${JSON.stringify(e)}`);
  }
}

/**
 * The reference parser: JSON.parse, then field-by-field validation naming the failing field. Handles raw
 * streams, the combined-stream envelope `{stream, data}` and control replies. Never throws.
 */
export function parseSlow(frame: string, lookup: InstrumentLookup, tsInit: UnixMicros): BinanceMessage {
  let v: unknown;
  try {
    v = JSON.parse(frame);
  } catch (err) {
    return reject(RejectReason.InvalidJson, undefined, err instanceof Error ? err.message : 'invalid JSON');
  }
  if (!isObj(v)) return reject(RejectReason.NotObject, undefined, `frame is not a JSON object: ${typeof v}`);
  try {
    if (v.id !== undefined && (v.result !== undefined || v.error !== undefined)) return control(v);
    if (v.stream !== undefined || v.data !== undefined) {
      str(v, 'stream', '');
      const data = field(v, 'data', '');
      if (!isObj(data)) return reject(RejectReason.NotObject, 'data', 'data is not an object');
      return parseEvent(data, 'data.', lookup, tsInit);
    }
    return parseEvent(v, '', lookup, tsInit);
  } catch (err) {
    if (err instanceof Rejected) return err.rejection;
    // A validation bug must not take the stream down: report it as a rejection of this frame.
    return reject(RejectReason.BadField, undefined, `unexpected parser error: ${String(err)}`);
  }
}

function control(v: Obj): BinanceMessage {
  const id = v.id;
  if (!(id === null || typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) fail(RejectReason.BadField, 'id', 'bad request id');
  let error: { code: number; msg: string } | undefined;
  if (v.error !== undefined) {
    const e = v.error;
    if (!isObj(e)) fail(RejectReason.BadField, 'error', 'error is not an object');
    error = { code: typeof e.code === 'number' ? e.code : -1, msg: typeof e.msg === 'string' ? e.msg : '' };
  }
  return { type: 'control', id, result: v.result ?? null, error };
}
