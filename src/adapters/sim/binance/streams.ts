import { isKlineInterval, type KlineInterval } from '../klines.js';
import type { BinanceMarketKind } from './wire.js';

/** A Binance market stream name, parsed: `<symbol>@<kind>[...]`, the symbol in lower case. */
export type StreamSpec =
  | { readonly kind: 'trade' | 'aggTrade' | 'bookTicker'; readonly symbol: string }
  | { readonly kind: 'depth'; readonly symbol: string; readonly speedMs: 100 | 1000 }
  | { readonly kind: 'partial'; readonly symbol: string; readonly levels: 5 | 10 | 20; readonly speedMs: 100 | 1000 }
  | { readonly kind: 'kline'; readonly symbol: string; readonly interval: KlineInterval };

const speeds = (kind: BinanceMarketKind): Readonly<Record<string, 100 | 1000>> =>
  // Spot offers 1000 ms and 100 ms; futures 250 ms (default), 500 ms and 100 ms, served here from the
  // simulator's 1 s window (documented in docs/simulator.md).
  kind === 'spot' ? { '': 1000, '@100ms': 100, '@1000ms': 1000 } : { '': 1000, '@100ms': 100, '@250ms': 1000, '@500ms': 1000 };

/** Parses a stream name or returns undefined when the venue would reject it. */
export function parseStream(name: string, kind: BinanceMarketKind): StreamSpec | undefined {
  const at = name.indexOf('@');
  if (at <= 0) return undefined;
  const symbol = name.slice(0, at);
  if (!/^[a-z0-9-]+$/.test(symbol)) return undefined;
  const rest = name.slice(at + 1);
  if (rest === 'trade' || rest === 'aggTrade' || rest === 'bookTicker') return { kind: rest, symbol };
  if (rest.startsWith('kline_')) {
    const interval = rest.slice(6);
    return isKlineInterval(interval) ? { kind: 'kline', symbol, interval } : undefined;
  }
  const m = /^depth(5|10|20)?((?:@\d+ms)?)$/.exec(rest);
  if (m === null) return undefined;
  const speedMs = speeds(kind)[m[2]];
  if (speedMs === undefined) return undefined;
  if (m[1] === undefined) return { kind: 'depth', symbol, speedMs };
  return { kind: 'partial', symbol, levels: Number(m[1]) as 5 | 10 | 20, speedMs };
}
