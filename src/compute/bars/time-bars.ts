import type { TradeTick } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { ParseError } from '../../core/errors.js';
import type { Price, Quantity } from '../../core/price.js';
import type { AggregatorOptions, BarHandler } from './bar-builder.js';
import { BarBuilder, LatePolicy, toScale } from './bar-builder.js';

export interface TimeBarOptions extends AggregatorOptions {
  /** Emit a flat bar (open = high = low = close = previous close, volume 0) for each interval without prints. */
  readonly emitFlat?: boolean;
  /**
   * How long after its end the clock closes a bar (microseconds, default 0), so that trades the venue
   * stamped just before the end but that arrive a little later still count (NautilusTrader's
   * `time_bars_build_delay`). A trade of a later interval still closes the bar at once.
   */
  readonly closeDelayMicros?: number;
}

/** Start of the epoch-aligned interval of length `d` that contains `ts` (ts >= 0). */
export function intervalStart(ts: number, d: number): number {
  return ts - (ts % d);
}

/**
 * Time bars on raw prints, shared by trade and quote bars. Intervals are aligned to the UTC epoch, open at
 * the start (inclusive) and close at the end (exclusive). A bar is emitted when a print of a later interval
 * arrives or when `onTime` passes its end.
 */
export class TimeBarCore {
  private readonly builder: BarBuilder;
  private readonly duration: number;
  private readonly instrumentId: InstrumentId;
  private readonly spec: BarSpec;
  private readonly onBar: BarHandler;
  private readonly latePolicy: LatePolicy;
  private readonly emitFlat: boolean;
  private readonly closeDelay: number;
  /** Prints before this time are late: the open bar's start, or the end of the last emitted bar. */
  private watermark = 0;
  /** End of the open bar's interval; 0 when no bar is open, so the fast path below never matches. */
  private openEnd = 0;
  private lastCloseRaw = 0;
  private hasLastClose = false;
  private late = 0;

  constructor(opts: TimeBarOptions) {
    const d = BarSpec.durationMicros(opts.spec);
    if (d === undefined) throw new ParseError(`not a time bar spec: ${BarSpec.toString(opts.spec)}`, 'spec');
    this.duration = d;
    this.builder = new BarBuilder(opts.pricePrecision, opts.sizePrecision);
    this.instrumentId = opts.instrumentId;
    this.spec = opts.spec;
    this.onBar = opts.onBar;
    this.latePolicy = opts.latePolicy ?? LatePolicy.Drop;
    this.emitFlat = opts.emitFlat ?? false;
    this.closeDelay = opts.closeDelayMicros ?? 0;
    if (!Number.isSafeInteger(this.closeDelay) || this.closeDelay < 0) throw new ParseError(`close delay must be a non-negative whole number of microseconds: ${this.closeDelay}`, 'closeDelayMicros');
  }

  get lateCount(): number {
    return this.late;
  }

  /** One print at the aggregator's precisions; `count` is 1 for a trade, 0 for a quote. */
  updateRaw(priceRaw: number, sizeRaw: number, ts: number, tsInit: number, count: number): void {
    const b = this.builder;
    // Most prints fall in the open bar: no division, no branch on the policy.
    if (ts < this.openEnd && ts >= this.watermark) {
      b.update(priceRaw, sizeRaw, ts, count);
      return;
    }
    if (ts < this.watermark) {
      this.late += 1;
      if (this.latePolicy === LatePolicy.Drop) return;
      if (!b.active) b.start(this.watermark, priceRaw);
      b.fold(priceRaw, sizeRaw);
      return;
    }
    const start = intervalStart(ts, this.duration);
    if (b.active) {
      if (start === b.tsOpen) {
        b.update(priceRaw, sizeRaw, ts, count);
        return;
      }
      this.emit(tsInit);
    }
    if (this.emitFlat) this.emitFlatUntil(start, tsInit);
    b.start(start, priceRaw);
    b.update(priceRaw, sizeRaw, ts, count);
    this.watermark = start;
    this.openEnd = start + this.duration;
  }

  /** The clock has reached `now`: closes the open bar if its interval has ended, and emits due flat bars. */
  onTime(now: number, tsInit: number = now): void {
    const due = now - this.closeDelay;
    if (this.builder.active && due >= this.builder.tsOpen + this.duration) this.emit(tsInit);
    if (this.emitFlat && !this.builder.active) this.emitFlatUntil(due, tsInit);
  }

  /** Emits the open bar even though its interval has not ended (end of a file or of a session). */
  flush(tsInit?: number): void {
    if (this.builder.active) this.emit(tsInit ?? this.builder.tsOpen + this.duration);
  }

  private emit(tsInit: number): void {
    const end = this.builder.tsOpen + this.duration;
    const bar = this.builder.build(this.instrumentId, this.spec, end, tsInit);
    this.watermark = end;
    this.openEnd = 0;
    this.lastCloseRaw = this.builder.closeRaw;
    this.hasLastClose = true;
    this.onBar(bar);
  }

  /**
   * Flat bars for the empty intervals from the watermark on that end at or before `limit` (the start of the
   * interval a print falls in, or the clock's time).
   */
  private emitFlatUntil(limit: number, tsInit: number): void {
    if (!this.hasLastClose) return;
    const d = this.duration;
    const b = this.builder;
    while (this.watermark + d <= limit) {
      b.start(this.watermark, this.lastCloseRaw);
      this.emit(tsInit);
    }
  }
}

/** Time bars from trades (`1s` to `Nd`, priced from the last trade). */
export class TimeBarAggregator {
  private readonly core: TimeBarCore;
  private readonly pp: number;
  private readonly sp: number;

  constructor(opts: TimeBarOptions) {
    if (opts.spec.source !== 'last') throw new ParseError(`trade bars are priced from the last trade, not ${opts.spec.source}`, 'spec');
    this.core = new TimeBarCore(opts);
    this.pp = opts.pricePrecision;
    this.sp = opts.sizePrecision;
  }

  /** Trades that arrived after their interval had closed (see LatePolicy). */
  get lateTrades(): number {
    return this.core.lateCount;
  }

  handleTrade(trade: TradeTick): void {
    this.update(trade.price, trade.size, trade.tsEvent, trade.tsInit);
  }

  update(price: Price, size: Quantity, tsEvent: number, tsInit: number = tsEvent): void {
    this.core.updateRaw(
      price.precision === this.pp ? price.raw : toScale(price.raw, price.precision, this.pp, 'price'),
      size.precision === this.sp ? size.raw : toScale(size.raw, size.precision, this.sp, 'size'),
      tsEvent,
      tsInit,
      1,
    );
  }

  onTime(now: number, tsInit: number = now): void {
    this.core.onTime(now, tsInit);
  }

  flush(tsInit?: number): void {
    this.core.flush(tsInit);
  }
}
