import type { TradeTick } from '../../core/data.js';
import type { BarSpec } from '../../core/bar-spec.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { pow10, rawFromNumber } from '../../core/decimal.js';
import { ParseError, assertNever } from '../../core/errors.js';
import type { Price, Quantity } from '../../core/price.js';
import type { AggregatorOptions, BarHandler } from './bar-builder.js';
import { BarBuilder, LatePolicy, toScale } from './bar-builder.js';

/** Largest exact integer: volume and value thresholds in raw units must stay below it. */
const MAX_RAW = Number.MAX_SAFE_INTEGER;

/** Smallest q with q * d >= n, for positive safe integers, exact (float division can be one off). */
function ceilDiv(n: number, d: number): number {
  let q = Math.ceil(n / d);
  while (q * d < n) q += 1;
  while (q > 0 && (q - 1) * d >= n) q -= 1;
  return q;
}

/**
 * Tick, volume and value bars from trades.
 * - `Ntick`: a bar every N trades.
 * - `Nvolume`: a bar every N units of size. A trade that would overflow the bar is split: the part that
 *   fills the bar goes into it, the rest opens the next bar(s) at the same price and time (NautilusTrader's
 *   policy), so every bar has exactly N units and no volume is lost. A split trade counts in the
 *   `tradeCount` of every bar it contributes to.
 * - `Nvalue`: a bar every N of notional (|price| × size, in the quote currency). A trade is split at the
 *   smallest size (at the size precision) that brings the bar to N or more; the bar may overshoot N by
 *   less than one size unit's worth, and that overshoot is not carried over (as in NautilusTrader).
 *   Notional is exact integer arithmetic at price decimals + size decimals, so N × 10^(price decimals +
 *   size decimals) must be below 2^53.
 * The bar's `tsOpen` is the time of its first trade and `tsEvent` the time of its last.
 */
export class ThresholdBarAggregator {
  private readonly builder: BarBuilder;
  private readonly instrumentId: InstrumentId;
  private readonly spec: BarSpec;
  private readonly onBar: BarHandler;
  private readonly latePolicy: LatePolicy;
  private readonly kind: 'tick' | 'volume' | 'value';
  /** Trades per bar, size raw per bar, or notional raw per bar (at price + size precision). */
  private readonly threshold: number;
  private cumValue = 0;
  private watermark = 0;
  private late = 0;

  constructor(opts: AggregatorOptions) {
    const { spec } = opts;
    if (spec.source !== 'last') throw new ParseError(`trade bars are priced from the last trade, not ${spec.source}`, 'spec');
    this.builder = new BarBuilder(opts.pricePrecision, opts.sizePrecision);
    this.instrumentId = opts.instrumentId;
    this.spec = spec;
    this.onBar = opts.onBar;
    this.latePolicy = opts.latePolicy ?? LatePolicy.Drop;
    switch (spec.unit) {
      case 'tick':
        if (!Number.isSafeInteger(spec.step)) throw new ParseError(`tick bars need a whole number of trades: ${spec.step}`, 'spec');
        this.kind = 'tick';
        this.threshold = spec.step;
        break;
      case 'volume':
        this.kind = 'volume';
        this.threshold = exactThreshold(spec.step, opts.sizePrecision, 'volume');
        break;
      case 'value':
        this.kind = 'value';
        this.threshold = exactThreshold(spec.step, opts.pricePrecision + opts.sizePrecision, 'value');
        break;
      case 'second':
      case 'minute':
      case 'hour':
      case 'day':
        throw new ParseError(`time bar spec given to a threshold aggregator: ${spec.step} ${spec.unit}`, 'spec');
      default:
        assertNever(spec.unit, 'bar unit');
    }
  }

  /** Trades older than the open bar (see LatePolicy). */
  get lateTrades(): number {
    return this.late;
  }

  handleTrade(trade: TradeTick): void {
    this.update(trade.price, trade.size, trade.tsEvent, trade.tsInit);
  }

  update(price: Price, size: Quantity, tsEvent: number, tsInit: number = tsEvent): void {
    const b = this.builder;
    const priceRaw = price.precision === b.pricePrecision ? price.raw : toScale(price.raw, price.precision, b.pricePrecision, 'price');
    const sizeRaw = size.precision === b.sizePrecision ? size.raw : toScale(size.raw, size.precision, b.sizePrecision, 'size');
    let ts = tsEvent;
    if (ts < this.watermark) {
      this.late += 1;
      if (this.latePolicy === LatePolicy.Drop) return;
      // Folded into the open bar as if it had arrived now: threshold bars have no interval to keep it in.
      ts = this.watermark;
    }
    switch (this.kind) {
      case 'tick':
        this.add(priceRaw, sizeRaw, ts, 1);
        if (b.tradeCount >= this.threshold) this.emit(ts, tsInit);
        return;
      case 'volume':
        this.splitByVolume(priceRaw, sizeRaw, ts, tsInit);
        return;
      case 'value':
        this.splitByValue(priceRaw, sizeRaw, ts, tsInit);
        return;
      default:
        assertNever(this.kind, 'threshold kind');
    }
  }

  /** Emits the open, incomplete bar (end of input). */
  flush(tsInit?: number): void {
    const b = this.builder;
    if (b.active) this.emit(b.tsLast, tsInit ?? b.tsLast);
  }

  private add(priceRaw: number, sizeRaw: number, ts: number, count: number): void {
    const b = this.builder;
    if (!b.active) {
      b.start(ts, priceRaw);
      this.watermark = ts;
    }
    b.update(priceRaw, sizeRaw, ts, count);
  }

  private splitByVolume(priceRaw: number, sizeRaw: number, ts: number, tsInit: number): void {
    const b = this.builder;
    let left = sizeRaw;
    for (;;) {
      const room = this.threshold - (b.active ? b.volumeRaw : 0);
      const take = left < room ? left : room;
      this.add(priceRaw, take, ts, 1);
      left -= take;
      if (take === room) this.emit(ts, tsInit);
      if (left === 0) return;
    }
  }

  private splitByValue(priceRaw: number, sizeRaw: number, ts: number, tsInit: number): void {
    const unitValue = Math.abs(priceRaw);
    if (unitValue === 0) {
      this.add(priceRaw, sizeRaw, ts, 1);
      return;
    }
    let left = sizeRaw;
    for (;;) {
      const need = ceilDiv(this.threshold - this.cumValue, unitValue);
      if (left < need) {
        this.add(priceRaw, left, ts, 1);
        this.cumValue += left * unitValue;
        return;
      }
      this.add(priceRaw, need, ts, 1);
      this.cumValue = 0;
      this.emit(ts, tsInit);
      left -= need;
      if (left === 0) return;
    }
  }

  private emit(ts: number, tsInit: number): void {
    const bar = this.builder.build(this.instrumentId, this.spec, ts, tsInit);
    this.watermark = ts;
    this.onBar(bar);
  }
}

function exactThreshold(step: number, precision: number, what: string): number {
  const raw = rawFromNumber(step, precision, what);
  if (raw / pow10(precision) !== step || raw <= 0) {
    throw new ParseError(`${what} bar size ${step} is not a positive multiple of 10^-${precision}`, 'spec');
  }
  if (raw > MAX_RAW) {
    throw new ParseError(`${what} bar size ${step} is too large to count exactly at ${precision} decimals (limit 2^53 raw units)`, 'spec');
  }
  return raw;
}
