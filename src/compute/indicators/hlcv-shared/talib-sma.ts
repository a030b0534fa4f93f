import { Float64Ring } from '../../util/ring-buffer.js';

/**
 * Simple moving average with TA-Lib's summation order (TA_INT_SMA: add the newest, divide, then subtract the
 * oldest), used to smooth the stochastic so that its lines agree with TA-Lib's to the last bit.
 * `update` returns NaN until `period` values have arrived.
 */
export class TalibOrderSma {
  private readonly ring: Float64Ring;
  private partial = 0;

  constructor(readonly period: number) {
    this.ring = new Float64Ring(period);
  }

  update(x: number): number {
    const ring = this.ring;
    ring.push(x);
    if (!ring.isFull) {
      this.partial += x;
      return Number.NaN;
    }
    const total = this.partial + x;
    this.partial = total - ring.at(0);
    return total / this.period;
  }

  clear(): void {
    this.ring.clear();
    this.partial = 0;
  }
}
