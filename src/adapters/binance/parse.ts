import type { UnixMicros } from '../../core/time.js';
import { FastFrameScanner } from './parse-fast.js';
import { parseSlow } from './parse-slow.js';
import type { BinanceMessage, InstrumentLookup } from './types.js';

/**
 * Parses Binance market data frames (spot and USD-M futures; raw or combined streams) into domain events,
 * depth diffs for the local book, kline updates, control replies or rejections. Never throws.
 *
 * Trades, aggregated trades, book tickers and depth diffs take the specialised scanner; anything it does not
 * recognise (klines, control replies, malformed frames) goes through JSON.parse and field validation, which
 * also produces every rejection. Keep one parser per connection: it reuses its scan buffers.
 */
export class BinanceParser {
  private readonly fast: FastFrameScanner;
  /** Frames handled by the scanner and by the JSON.parse path (for metrics and the benchmark). */
  fastCount = 0;
  slowCount = 0;

  constructor(private readonly lookup: InstrumentLookup) {
    this.fast = new FastFrameScanner(lookup);
  }

  parse(frame: string, tsInit: UnixMicros): BinanceMessage {
    const m = this.fast.parse(frame, tsInit);
    if (m !== undefined) {
      this.fastCount++;
      return m;
    }
    this.slowCount++;
    return parseSlow(frame, this.lookup, tsInit);
  }
}

/** One-shot form of BinanceParser.parse: `parse(frameText, lookup, tsInit) -> event | rejection`. */
export function parseBinanceFrame(frame: string, lookup: InstrumentLookup, tsInit: UnixMicros): BinanceMessage {
  return new BinanceParser(lookup).parse(frame, tsInit);
}
