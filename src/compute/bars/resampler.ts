import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { ParseError } from '../../core/errors.js';
import type { BarHandler } from './bar-builder.js';
import { BarBuilder, toScale } from './bar-builder.js';
import { intervalStart } from './time-bars.js';

export interface ResamplerOptions {
  readonly instrumentId: InstrumentId;
  /** The larger bars to build; time-based. */
  readonly spec: BarSpec;
  readonly pricePrecision: number;
  readonly sizePrecision: number;
  readonly onBar: BarHandler;
  /** When given, the input bars' spec; the target must be a whole multiple of it. */
  readonly inputSpec?: BarSpec;
}

/** The target interval is not a whole multiple of the input bars' interval, or an input bar straddles two. */
export class ResampleError extends ParseError {}

/**
 * Builds larger time bars from smaller ones (1m -> 5m, 1h -> 1d), aligned to the UTC epoch: open of the
 * first bar, close of the last, highest high, lowest low, volume and trade count summed. A bar is emitted
 * when an input bar of a later interval arrives, when `onTime` passes its end, or on `flush`.
 * Input bars must come in time order; one that starts before the bar being built is counted in `lateBars`
 * and dropped, so an emitted bar never changes.
 */
export class BarResampler {
  private readonly builder: BarBuilder;
  private readonly duration: number;
  private readonly opts: ResamplerOptions;
  private watermark = 0;
  private late = 0;

  constructor(opts: ResamplerOptions) {
    const d = BarSpec.durationMicros(opts.spec);
    if (d === undefined) throw new ResampleError(`can only resample into time bars, not ${BarSpec.toString(opts.spec)}`, 'interval');
    if (opts.inputSpec !== undefined) checkMultiple(opts.inputSpec, opts.spec);
    this.duration = d;
    this.opts = opts;
    this.builder = new BarBuilder(opts.pricePrecision, opts.sizePrecision);
  }

  get lateBars(): number {
    return this.late;
  }

  handleBar(bar: Bar): void {
    const d = this.duration;
    const b = this.builder;
    if (bar.tsOpen < this.watermark) {
      this.late += 1;
      return;
    }
    const start = intervalStart(bar.tsOpen, d);
    // A time bar's tsEvent is its exclusive end; it must end inside the same target interval.
    if (bar.tsEvent > start + d) {
      throw new ResampleError(`input bar ${bar.tsOpen}..${bar.tsEvent} straddles the ${BarSpec.toString(this.opts.spec)} boundary at ${start + d}`, 'interval');
    }
    const pp = b.pricePrecision;
    const open = toScale(bar.open.raw, bar.open.precision, pp, 'open');
    const high = toScale(bar.high.raw, bar.high.precision, pp, 'high');
    const low = toScale(bar.low.raw, bar.low.precision, pp, 'low');
    const close = toScale(bar.close.raw, bar.close.precision, pp, 'close');
    const volume = toScale(bar.volume.raw, bar.volume.precision, b.sizePrecision, 'volume');
    if (b.active && start !== b.tsOpen) this.emit(bar.tsInit);
    if (!b.active) {
      b.start(start, open);
      this.watermark = start;
    }
    b.update(high, volume, bar.tsEvent, bar.tradeCount);
    b.update(low, 0, bar.tsEvent, 0);
    b.closeRaw = close;
  }

  onTime(now: number, tsInit: number = now): void {
    if (this.builder.active && now >= this.builder.tsOpen + this.duration) this.emit(tsInit);
  }

  flush(tsInit?: number): void {
    if (this.builder.active) this.emit(tsInit ?? this.builder.tsOpen + this.duration);
  }

  private emit(tsInit: number): void {
    const end = this.builder.tsOpen + this.duration;
    const bar = this.builder.build(this.opts.instrumentId, this.opts.spec, end, tsInit);
    this.watermark = end;
    this.opts.onBar(bar);
  }
}

/** Checks that `target` is a whole multiple of `input` (both time-based). */
export function checkMultiple(input: BarSpec, target: BarSpec): void {
  const di = BarSpec.durationMicros(input);
  const dt = BarSpec.durationMicros(target);
  if (di === undefined || dt === undefined) {
    throw new ResampleError(`resampling needs time bars: ${BarSpec.toString(input)} -> ${BarSpec.toString(target)}`, 'interval');
  }
  if (dt % di !== 0) {
    throw new ResampleError(`${BarSpec.toString(target)} is not a whole multiple of ${BarSpec.toString(input)}`, 'interval');
  }
}
