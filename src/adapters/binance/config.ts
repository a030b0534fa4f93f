import { z } from 'zod';
import type { BinanceMarket } from './types.js';

/** Venue limits (developers.binance.com, "WebSocket Limits"): streams per connection and connection lifetime. */
export const BINANCE_LIMITS: Readonly<Record<BinanceMarket, { readonly maxStreams: number; readonly maxControlPerSecond: number }>> = {
  spot: { maxStreams: 1024, maxControlPerSecond: 5 },
  futures: { maxStreams: 200, maxControlPerSecond: 10 },
};

/** Binance closes every connection after 24 hours. */
export const MAX_CONNECTION_AGE_MS = 24 * 60 * 60 * 1000;

const DEFAULT_URLS: Readonly<Record<BinanceMarket, { readonly ws: string; readonly rest: string }>> = {
  spot: { ws: 'wss://stream.binance.com:9443', rest: 'https://api.binance.com' },
  futures: { ws: 'wss://fstream.binance.com', rest: 'https://fapi.binance.com' },
};

const url = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return ['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol);
  } catch {
    return false;
  }
}, 'must be an absolute ws(s):// or http(s):// URL');

/** Options of the Binance data client; every one has a default that talks to the real venue. */
export const BinanceDataConfigSchema = z
  .object({
    market: z.enum(['spot', 'futures']).default('spot'),
    /** WebSocket base (without /stream); point it at the simulator for tests and offline runs. */
    wsUrl: url.optional(),
    /** REST base (without /api/v3 or /fapi/v1). */
    restUrl: url.optional(),
    /** Streams per connection; at most the venue's limit (1024 spot, 200 futures). */
    maxStreamsPerConnection: z.number().int().positive().optional(),
    /** Control messages (SUBSCRIBE, UNSUBSCRIBE...) sent per second per connection; Binance allows 5 (spot). */
    controlMessagesPerSecond: z.number().int().positive().default(4),
    /** A connection is replaced after this long, before Binance's 24 h cut, with an overlap so nothing is lost. */
    rotateAfterMs: z.number().int().positive().max(MAX_CONNECTION_AGE_MS).default(MAX_CONNECTION_AGE_MS - 30 * 60 * 1000),
    rotationOverlapMs: z.number().int().nonnegative().default(10_000),
    backoffBaseMs: z.number().positive().default(500),
    backoffCapMs: z.number().positive().default(30_000),
    /** A stream with no message for this long is reported stale; a connection whose streams all are is replaced. */
    staleAfterMs: z.number().int().positive().default(30_000),
    staleCheckEveryMs: z.number().int().positive().default(1_000),
    /** Depth snapshot size (spot up to 5000, futures up to 1000). */
    depthLimit: z.number().int().positive().max(5000).default(1000),
    /** After a reconnect, fetch the aggTrades and klines missed over REST. */
    backfill: z.boolean().default(true),
    /** Most REST pages (of 1000) fetched per backfill. */
    backfillMaxPages: z.number().int().positive().default(20),
    requestTimeoutMs: z.number().int().positive().default(10_000),
  })
  .superRefine((c, ctx) => {
    const lim = BINANCE_LIMITS[c.market];
    if (c.maxStreamsPerConnection !== undefined && c.maxStreamsPerConnection > lim.maxStreams) {
      ctx.addIssue({ code: 'custom', path: ['maxStreamsPerConnection'], message: `Binance ${c.market} allows at most ${lim.maxStreams} streams per connection` });
    }
    if (c.controlMessagesPerSecond > lim.maxControlPerSecond) {
      ctx.addIssue({ code: 'custom', path: ['controlMessagesPerSecond'], message: `Binance ${c.market} allows at most ${lim.maxControlPerSecond} incoming messages per second` });
    }
    if (c.backoffCapMs < c.backoffBaseMs) ctx.addIssue({ code: 'custom', path: ['backoffCapMs'], message: 'must be >= backoffBaseMs' });
  });

export type BinanceDataConfigInput = z.input<typeof BinanceDataConfigSchema>;

export interface BinanceDataConfig extends Omit<z.output<typeof BinanceDataConfigSchema>, 'wsUrl' | 'restUrl' | 'maxStreamsPerConnection'> {
  readonly wsUrl: string;
  readonly restUrl: string;
  readonly maxStreamsPerConnection: number;
}

export class BinanceConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BinanceConfigError';
  }
}

/** Validates options and fills the market's defaults; the error names every bad option. */
export function resolveBinanceDataConfig(input: BinanceDataConfigInput = {}): BinanceDataConfig {
  const r = BinanceDataConfigSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BinanceConfigError(`invalid Binance data client config: ${msg}`, { cause: r.error });
  }
  const c = r.data;
  const urls = DEFAULT_URLS[c.market];
  return {
    ...c,
    wsUrl: (c.wsUrl ?? urls.ws).replace(/\/+$/, ''),
    restUrl: (c.restUrl ?? urls.rest).replace(/\/+$/, ''),
    maxStreamsPerConnection: c.maxStreamsPerConnection ?? BINANCE_LIMITS[c.market].maxStreams,
  };
}
