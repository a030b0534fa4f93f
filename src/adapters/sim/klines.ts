/** Kline intervals as Binance names them, their bucket arithmetic, and an OHLCV accumulator over trades. */

export const KLINE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

const fixedMs: Readonly<Record<Exclude<KlineInterval, '1M'>, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};

export function isKlineInterval(s: string): s is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(s);
}

// 1970-01-01 was a Thursday; Binance weeks start on Monday 00:00 UTC.
const MONDAY_OFFSET_MS = 4 * 86_400_000;

/** Open time (ms) of the bucket of `interval` that contains `ms`. */
export function bucketStart(ms: number, interval: KlineInterval): number {
  if (interval === '1M') {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const len = fixedMs[interval];
  if (interval === '1w') return Math.floor((ms - MONDAY_OFFSET_MS) / len) * len + MONDAY_OFFSET_MS;
  return Math.floor(ms / len) * len;
}

/** Open time (ms) of the bucket after the one opening at `open`. */
export function bucketNext(open: number, interval: KlineInterval): number {
  if (interval === '1M') {
    const d = new Date(open);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return open + fixedMs[interval];
}

// Below 2^52 a sum of two such values stays exact.
const SPILL = 2 ** 52;

/** One kline being built or closed. Prices in ticks, volumes in lots, quote volumes at tick*lot scale. */
export class Kline {
  o = 0;
  h = 0;
  l = 0;
  c = 0;
  v = 0;
  n = 0;
  f = -1;
  L = -1;
  V = 0;
  // Quote volumes (tick x lot units) as a safe-integer part plus a bigint overflow: exact without a
  // bigint allocation per trade.
  private qn = 0;
  private qb = 0n;
  private Qn = 0;
  private Qb = 0n;

  constructor(
    public openMs: number,
    /** Open time of the next bucket (exclusive end); the wire's close time is this minus one. */
    public endMs: number,
    prevClose: number,
  ) {
    this.o = this.h = this.l = this.c = prevClose;
  }

  /** Quote volume, at tick x lot scale. */
  get q(): bigint {
    return this.qb + BigInt(this.qn);
  }

  /** Taker-buy quote volume, at tick x lot scale. */
  get Q(): bigint {
    return this.Qb + BigInt(this.Qn);
  }

  private addQuote(quote: number, takerBuy: boolean): void {
    this.qn += quote;
    if (this.qn > SPILL) {
      this.qb += BigInt(this.qn);
      this.qn = 0;
    }
    if (takerBuy) {
      this.Qn += quote;
      if (this.Qn > SPILL) {
        this.Qb += BigInt(this.Qn);
        this.Qn = 0;
      }
    }
  }

  add(id: number, price: number, qty: number, buyerMaker: boolean): void {
    if (this.n === 0) {
      this.o = this.h = this.l = price;
      this.f = id;
    } else {
      if (price > this.h) this.h = price;
      if (price < this.l) this.l = price;
    }
    this.c = price;
    this.L = id;
    this.n++;
    this.v += qty;
    if (!buyerMaker) this.V += qty;
    const quote = price * qty;
    if (quote <= SPILL) this.addQuote(quote, !buyerMaker);
    else {
      const big = BigInt(price) * BigInt(qty);
      this.qb += big;
      if (!buyerMaker) this.Qb += big;
    }
  }

  /** Folds a later kline (of a finer interval) into this one. */
  merge(k: Kline): void {
    if (k.n === 0) {
      if (this.n === 0) this.o = this.h = this.l = this.c = k.c;
      return;
    }
    if (this.n === 0) {
      this.o = k.o;
      this.h = k.h;
      this.l = k.l;
      this.f = k.f;
    } else {
      if (k.h > this.h) this.h = k.h;
      if (k.l < this.l) this.l = k.l;
    }
    this.c = k.c;
    this.L = k.L;
    this.n += k.n;
    this.v += k.v;
    this.V += k.V;
    this.qb += k.qb;
    this.Qb += k.Qb;
    this.addQuote(k.qn, false);
    this.Qn += k.Qn;
    if (this.Qn > SPILL) {
      this.Qb += BigInt(this.Qn);
      this.Qn = 0;
    }
  }
}
