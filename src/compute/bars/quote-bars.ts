import type { QuoteTick } from '../../core/data.js';
import { ParseError, assertNever } from '../../core/errors.js';
import { InvariantError } from '../../core/errors.js';
import type { TimeBarOptions } from './time-bars.js';
import { TimeBarCore } from './time-bars.js';
import { toScale } from './bar-builder.js';
import type { Price, Quantity } from '../../core/price.js';

/** A value's raw at precision `p`; the call is skipped when the precision already matches (the usual case). */
function rawAt(x: Price | Quantity, p: number, what: string): number {
  return x.precision === p ? x.raw : toScale(x.raw, x.precision, p, what);
}

/**
 * Time bars from quotes, priced from the bid, the ask or the mid (`1m-bid`, `1m-ask`, `1m-mid`).
 * Volume is the quoted size on that side; for mid bars, the mean of bid and ask sizes. The mid
 * (bid + ask) / 2 is exact with one more decimal than the quotes, so mid bars carry `pricePrecision + 1`
 * and `sizePrecision + 1` decimals. `tradeCount` is 0: quotes are not trades.
 * `pricePrecision` and `sizePrecision` are the quotes' precisions.
 */
export class QuoteBarAggregator {
  private readonly core: TimeBarCore;
  private readonly source: 'bid' | 'ask' | 'mid';
  private readonly pricePrecision: number;
  private readonly sizePrecision: number;

  constructor(opts: TimeBarOptions) {
    const source = opts.spec.source;
    if (source === 'last') throw new ParseError('quote bars are priced from bid, ask or mid, not last', 'spec');
    this.source = source;
    this.pricePrecision = opts.pricePrecision;
    this.sizePrecision = opts.sizePrecision;
    const extra = source === 'mid' ? 1 : 0;
    this.core = new TimeBarCore({ ...opts, pricePrecision: opts.pricePrecision + extra, sizePrecision: opts.sizePrecision + extra });
  }

  /** Quotes older than the open bar (see LatePolicy). */
  get lateQuotes(): number {
    return this.core.lateCount;
  }

  handleQuote(q: QuoteTick): void {
    const pp = this.pricePrecision;
    const sp = this.sizePrecision;
    let priceRaw: number;
    let sizeRaw: number;
    switch (this.source) {
      case 'bid':
        priceRaw = rawAt(q.bidPrice, pp, 'bid price');
        sizeRaw = rawAt(q.bidSize, sp, 'bid size');
        break;
      case 'ask':
        priceRaw = rawAt(q.askPrice, pp, 'ask price');
        sizeRaw = rawAt(q.askSize, sp, 'ask size');
        break;
      case 'mid':
        // (a + b) / 2 at one more decimal is (a + b) * 5: exact for any two raws at the same precision.
        priceRaw = 5 * (rawAt(q.bidPrice, pp, 'bid price') + rawAt(q.askPrice, pp, 'ask price'));
        sizeRaw = 5 * (rawAt(q.bidSize, sp, 'bid size') + rawAt(q.askSize, sp, 'ask size'));
        if (!Number.isSafeInteger(priceRaw) || !Number.isSafeInteger(sizeRaw)) throw new InvariantError('mid overflows 2^53');
        break;
      default:
        assertNever(this.source, 'price source');
    }
    this.core.updateRaw(priceRaw, sizeRaw, q.tsEvent, q.tsInit, 0);
  }

  onTime(now: number, tsInit: number = now): void {
    this.core.onTime(now, tsInit);
  }

  flush(tsInit?: number): void {
    this.core.flush(tsInit);
  }
}
