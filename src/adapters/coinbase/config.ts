import { z } from 'zod';

/** The two public Coinbase market data WebSockets. */
export const CoinbaseFeed = { Exchange: 'exchange', Advanced: 'advanced' } as const;
export type CoinbaseFeed = (typeof CoinbaseFeed)[keyof typeof CoinbaseFeed];

/** What a client subscribes per product, in venue-neutral terms (mapped to each feed's channel names). */
export const CoinbaseData = { Trades: 'trades', Quotes: 'quotes', Book: 'book' } as const;
export type CoinbaseData = (typeof CoinbaseData)[keyof typeof CoinbaseData];

const DEFAULT_URLS: Readonly<Record<CoinbaseFeed, { readonly ws: string; readonly rest: string }>> = {
  exchange: { ws: 'wss://ws-feed.exchange.coinbase.com', rest: 'https://api.exchange.coinbase.com' },
  advanced: { ws: 'wss://advanced-trade-ws.coinbase.com', rest: 'https://api.coinbase.com' },
};

const url = z.string().refine((s) => {
  try {
    return ['ws:', 'wss:', 'http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}, 'must be an absolute ws(s):// or http(s):// URL');

/** Options of the Coinbase data client; every one but the products has a default that talks to the venue. */
export const CoinbaseDataConfigSchema = z
  .object({
    feed: z.enum(['exchange', 'advanced']).default('exchange'),
    /** Point these at the simulator for tests and offline runs. */
    wsUrl: url.optional(),
    restUrl: url.optional(),
    productIds: z.array(z.string().regex(/^[A-Z0-9]{1,15}-[A-Z0-9]{1,15}$/, 'a product id like BTC-USD')).min(1),
    data: z.array(z.enum(['trades', 'quotes', 'book'])).min(1).default(['trades', 'quotes', 'book']),
    /** Exchange feed: `level2_batch` (updates batched every 50 ms, no auth) rather than `level2` (auth required). */
    level2Batch: z.boolean().default(true),
    backoffBaseMs: z.number().positive().default(500),
    backoffCapMs: z.number().positive().default(30_000),
    /** A stream (channel and product) silent this long is reported stale; all stale at once: reconnect. */
    staleAfterMs: z.number().int().positive().default(30_000),
    staleCheckEveryMs: z.number().int().positive().default(1_000),
    /** Exchange feed: fetch trades missed (trade id gaps, heartbeat `last_trade_id`) over REST. */
    backfill: z.boolean().default(true),
    /** Most REST pages (of 1000 trades) fetched for one gap. */
    backfillMaxPages: z.number().int().positive().default(20),
    requestTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.backoffCapMs < c.backoffBaseMs) ctx.addIssue({ code: 'custom', path: ['backoffCapMs'], message: 'must be >= backoffBaseMs' });
  });

export type CoinbaseDataConfigInput = z.input<typeof CoinbaseDataConfigSchema>;

export interface CoinbaseDataConfig extends Omit<z.output<typeof CoinbaseDataConfigSchema>, 'wsUrl' | 'restUrl'> {
  readonly wsUrl: string;
  readonly restUrl: string;
}

export class CoinbaseConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CoinbaseConfigError';
  }
}

/** Validates options and fills the feed's default URLs; the error names every bad option. */
export function resolveCoinbaseDataConfig(input: CoinbaseDataConfigInput): CoinbaseDataConfig {
  const r = CoinbaseDataConfigSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CoinbaseConfigError(`invalid Coinbase data client config: ${msg}`, { cause: r.error });
  }
  const c = r.data;
  return {
    ...c,
    productIds: [...new Set(c.productIds)],
    wsUrl: (c.wsUrl ?? DEFAULT_URLS[c.feed].ws).replace(/\/+$/, ''),
    restUrl: (c.restUrl ?? DEFAULT_URLS[c.feed].rest).replace(/\/+$/, ''),
  };
}
