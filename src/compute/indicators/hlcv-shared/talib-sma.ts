/**
 * Simple moving average with TA-Lib's summation order (TA_INT_SMA: add the newest, divide, then subtract the
 * oldest), used to smooth the stochastic so that its lines agree with TA-Lib's to the last bit.
 * `step` returns false until `period` values have arrived; the mean is then in `mean` (a field, not a return
 * value, so that V8 need not box it).
 */
export class TalibOrderSma {
  // Its own ring rather than Float64Ring, whose push returns the evicted double (boxed when not inlined).
  private readonly window: Float64Array;
  private slot = 0;
  private count = 0;
  private partial = 0;
  mean = Number.NaN;

  constructor(readonly period: number) {
    this.window = new Float64Array(period);
  }

  step(x: number): boolean {
    const p = this.period;
    const w = this.window;
    const slot = this.slot;
    w[slot] = x;
    this.slot = slot + 1 === p ? 0 : slot + 1;
    if (this.count < p) this.count++;
    if (this.count < p) {
      this.partial += x;
      return false;
    }
    const total = this.partial + x;
    // The oldest value of the window is the one in the next slot to write.
    this.partial = total - w[this.slot];
    this.mean = total / this.period;
    return true;
  }

  clear(): void {
    this.slot = 0;
    this.count = 0;
    this.partial = 0;
    this.mean = Number.NaN;
  }
}
