import type { MarketData } from '../../core/data.js';
import { InstrumentId } from '../../core/identifiers.js';
import type { UnixMicros } from '../../core/time.js';
import { BinanceParser } from '../binance/parse.js';
import { parseExchangeInfo } from '../binance/parse-rest.js';
import { BINANCE_VENUE, type BinanceMarket, type InstrumentPrecision } from '../binance/types.js';
import type { CaptureRecord } from '../common/capture.js';
import { IdDeduplicator } from '../common/dedup.js';
import { parseAdvancedMessage } from '../coinbase/parse-advanced.js';
import { parseExchangeMessage } from '../coinbase/parse-exchange.js';
import { parsePolygonFrame } from '../polygon/parse.js';

/**
 * Replays the received frames of a capture through the venue's own parsers, in capture order, with each
 * frame's receive time as `tsInit`: the same capture always yields the same normalised events, bit for bit.
 * Trades are de-duplicated by id as the live clients do; control replies, statuses and heartbeats produce no
 * event; rejected frames are counted by reason.
 *
 * Binance instruments come from an exchangeInfo response in the capture when there is one; otherwise
 * prices and sizes are read at 8 decimals, the precision Binance spot prints every number with.
 */
export const REPLAY_VENUES = ['binance', 'binance-futures', 'coinbase', 'coinbase-advanced', 'polygon'] as const;
export type ReplayVenue = (typeof REPLAY_VENUES)[number];

export function isReplayVenue(s: string): s is ReplayVenue {
  return (REPLAY_VENUES as readonly string[]).includes(s);
}

export interface ReplayStats {
  readonly frames: number;
  readonly events: number;
  readonly duplicates: number;
  readonly rejections: Readonly<Record<string, number>>;
}

function binanceLookup(market: BinanceMarket, records: readonly CaptureRecord[]): (symbol: string) => InstrumentPrecision {
  const known = new Map<string, InstrumentPrecision>();
  for (const r of records) {
    if (r.kind !== 'http' || !r.url.includes('exchangeInfo')) continue;
    let body: unknown;
    try {
      body = JSON.parse(r.text);
    } catch {
      continue;
    }
    const info = parseExchangeInfo(body, market);
    if (info.ok) for (const s of info.value.symbols) known.set(s.symbol, s);
  }
  const venue = BINANCE_VENUE[market];
  return (symbol) => {
    let p = known.get(symbol);
    if (p === undefined) known.set(symbol, (p = { instrumentId: InstrumentId.of(symbol, venue), pricePrecision: 8, sizePrecision: 8 }));
    return p;
  };
}

/** Replays `records` (from parseCapture or readCaptureFile) and hands every event to `sink`, in order. */
export function replayCapture(venue: ReplayVenue, records: readonly CaptureRecord[], sink: (event: MarketData, tsReceived: UnixMicros) => void): ReplayStats {
  const rejections: Record<string, number> = {};
  const reject = (reason: string) => (rejections[reason] = (rejections[reason] ?? 0) + 1);
  const dedup = new IdDeduplicator(100_000);
  let frames = 0;
  let events = 0;
  let duplicates = 0;
  const emit = (e: MarketData, ts: UnixMicros) => {
    if (e.type === 'trade' && !dedup.firstTime(e.instrumentId, e.tradeId)) {
      duplicates++;
      return;
    }
    events++;
    sink(e, ts);
  };
  const binance = venue === 'binance' || venue === 'binance-futures' ? new BinanceParser(binanceLookup(venue === 'binance' ? 'spot' : 'futures', records)) : undefined;
  for (const r of records) {
    if (r.kind !== 'received') continue;
    frames++;
    const ts = r.ts;
    switch (venue) {
      case 'binance':
      case 'binance-futures': {
        const m = (binance as BinanceParser).parse(r.text, ts);
        if (m.type === 'rejection') reject(m.reason);
        else if (m.type === 'depth_diff') emit(m.deltas, ts);
        else if (m.type === 'kline') {
          if (m.closed) emit(m.bar, ts);
        } else if (m.type !== 'control') emit(m, ts);
        break;
      }
      case 'coinbase': {
        const m = parseExchangeMessage(r.text, ts);
        if (m.kind === 'rejection') reject(m.reason);
        else if (m.kind === 'trade' || m.kind === 'book_snapshot' || m.kind === 'book_deltas') emit(m.event, ts);
        else if (m.kind === 'quote' && m.event !== undefined) emit(m.event, ts);
        break;
      }
      case 'coinbase-advanced': {
        const m = parseAdvancedMessage(r.text, ts);
        if (m.kind === 'rejection') reject(m.reason);
        else if (m.kind === 'message') for (const e of m.message.events) emit(e, ts);
        break;
      }
      case 'polygon': {
        const m = parsePolygonFrame(r.text, ts);
        for (const x of m.rejections) reject(x.reason);
        for (const e of m.events) if (e.type !== 'status') emit(e, ts);
        break;
      }
    }
  }
  return { frames, events, duplicates, rejections };
}
