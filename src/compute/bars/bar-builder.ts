import type { Bar } from '../../core/data.js';
import type { BarSpec } from '../../core/bar-spec.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { pow10 } from '../../core/decimal.js';
import { InvariantError, ParseError } from '../../core/errors.js';
import { Price, Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';

/** Receives every bar an aggregator completes. Called synchronously, in time order. */
export type BarHandler = (bar: Bar) => void;

/**
 * What to do with a trade older than the bar being built (its `tsEvent` is before the open bar's start,
 * or before the end of the last emitted bar when none is open):
 * - `drop`: count it in `lateTrades` and ignore it (default). Emitted bars never change.
 * - `fold`: count it and add it to the open bar's volume, trade count, high and low. It does not move the
 *   open or the close, which stay the first and last prices in time. A closed bar is never touched.
 */
export const LatePolicy = { Drop: 'drop', Fold: 'fold' } as const;
export type LatePolicy = (typeof LatePolicy)[keyof typeof LatePolicy];

/** Options every aggregator shares. Precisions are the instrument's: inputs with fewer decimals are scaled up. */
export interface AggregatorOptions {
  readonly instrumentId: InstrumentId;
  readonly spec: BarSpec;
  /** Decimals of the bars' prices; a price with more decimals is an error. */
  readonly pricePrecision: number;
  /** Decimals of the bars' volume; a size with more decimals is an error. */
  readonly sizePrecision: number;
  readonly onBar: BarHandler;
  readonly latePolicy?: LatePolicy;
}

/** A trade or quote carries more decimals than the aggregator was built for. */
export class PrecisionError extends ParseError {}

/**
 * Brings a raw fixed-point value to the aggregator's precision without allocating. Scaling down is refused:
 * it would round, and bars are exact.
 */
export function toScale(raw: number, from: number, to: number, what: string): number {
  if (from === to) return raw;
  if (from > to) throw new PrecisionError(`${what} has ${from} decimals, more than the bar precision ${to}`, what);
  const r = raw * pow10(to - from);
  if (!Number.isSafeInteger(r)) throw new InvariantError(`${what} overflows at precision ${to}`);
  return r;
}

/**
 * The bar being built, as raw integers at fixed precisions, so that an update allocates nothing.
 * Price and Quantity objects are made only when the bar is emitted.
 */
export class BarBuilder {
  openRaw = 0;
  highRaw = 0;
  lowRaw = 0;
  closeRaw = 0;
  volumeRaw = 0;
  tradeCount = 0;
  tsOpen = 0;
  tsLast = 0;
  active = false;

  constructor(
    readonly pricePrecision: number,
    readonly sizePrecision: number,
  ) {
    pow10(pricePrecision);
    pow10(sizePrecision);
  }

  start(tsOpen: number, priceRaw: number): void {
    this.openRaw = priceRaw;
    this.highRaw = priceRaw;
    this.lowRaw = priceRaw;
    this.closeRaw = priceRaw;
    this.volumeRaw = 0;
    this.tradeCount = 0;
    this.tsOpen = tsOpen;
    this.tsLast = tsOpen;
    this.active = true;
  }

  /** Adds one print; `count` is 1 for a trade and 0 for a quote. */
  update(priceRaw: number, sizeRaw: number, ts: number, count: number): void {
    if (priceRaw > this.highRaw) this.highRaw = priceRaw;
    if (priceRaw < this.lowRaw) this.lowRaw = priceRaw;
    this.closeRaw = priceRaw;
    this.addVolume(sizeRaw);
    this.tradeCount += count;
    if (ts > this.tsLast) this.tsLast = ts;
  }

  /** A late trade under the `fold` policy: it widens the range and adds volume, but open and close keep time order. */
  fold(priceRaw: number, sizeRaw: number): void {
    if (priceRaw > this.highRaw) this.highRaw = priceRaw;
    if (priceRaw < this.lowRaw) this.lowRaw = priceRaw;
    this.addVolume(sizeRaw);
    this.tradeCount += 1;
  }

  private addVolume(sizeRaw: number): void {
    const v = this.volumeRaw + sizeRaw;
    if (!Number.isSafeInteger(v)) throw new InvariantError(`bar volume overflows 2^53 at precision ${this.sizePrecision}`);
    this.volumeRaw = v;
  }

  /** Makes the immutable bar and marks the builder idle. */
  build(instrumentId: InstrumentId, spec: BarSpec, tsEvent: number, tsInit: number): Bar {
    this.active = false;
    const p = this.pricePrecision;
    return Object.freeze({
      type: 'bar',
      instrumentId,
      spec,
      open: Price.fromRaw(this.openRaw, p),
      high: Price.fromRaw(this.highRaw, p),
      low: Price.fromRaw(this.lowRaw, p),
      close: Price.fromRaw(this.closeRaw, p),
      volume: Quantity.fromRaw(this.volumeRaw, this.sizePrecision),
      tradeCount: this.tradeCount,
      tsOpen: UnixMicros.unsafe(this.tsOpen),
      tsEvent: UnixMicros.unsafe(tsEvent),
      tsInit: UnixMicros.unsafe(tsInit),
    } satisfies Bar);
  }
}
