/**
 * Moves a simulator's clock. `realtime` ties simulated time to the wall clock at `speed` times real speed;
 * `speed: Infinity` runs as fast as possible, yielding to I/O between slices. Simulated events do not depend
 * on when the timer fires (the market advances in fixed steps), so runs with the same seed agree.
 */
export interface ClockTarget {
  /** Runs everything up to simulated time `us` and sends what it produced. */
  advanceTo(us: number): void;
  readonly nowUs: number;
}

export interface DriverOptions {
  /** Real-time multiple; Infinity for as fast as possible. */
  readonly speed: number;
  /** Timer period in real time (ms). */
  readonly tickMs?: number;
  /** Simulated time advanced per slice when running as fast as possible (µs). */
  readonly sliceUs?: number;
  readonly wallNowMs?: () => number;
  /**
   * Most simulated time one real-time tick may advance (µs; default 100 ms x speed). A simulator that cannot
   * keep up then falls behind real time instead of catching up in ever longer bursts, which would starve its
   * sockets (clients see stalls and disconnects, and the overload feeds itself).
   */
  readonly maxStepUs?: number;
  /** Stops the driver when simulated time reaches this (replay end). */
  readonly untilUs?: number;
  readonly onEnd?: () => void;
}

export class ClockDriver {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;

  constructor(
    private readonly target: ClockTarget,
    private readonly opts: DriverOptions,
  ) {
    if (!(opts.speed > 0)) throw new RangeError(`speed must be > 0, got ${opts.speed}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const wall = this.opts.wallNowMs ?? Date.now;
    const until = this.opts.untilUs ?? Number.POSITIVE_INFINITY;
    if (this.opts.speed === Number.POSITIVE_INFINITY) {
      const slice = this.opts.sliceUs ?? 100_000;
      const run = (): void => {
        if (!this.running) return;
        const next = Math.min(until, this.target.nowUs + slice);
        this.target.advanceTo(next);
        if (next >= until) {
          this.stop();
          this.opts.onEnd?.();
          return;
        }
        this.immediate = setImmediate(run);
      };
      this.immediate = setImmediate(run);
      return;
    }
    const wall0 = wall();
    const sim0 = this.target.nowUs;
    const speed = this.opts.speed;
    const maxStep = this.opts.maxStepUs ?? Math.max(1, Math.floor(100_000 * speed));
    this.timer = setInterval(() => {
      const t = Math.min(until, sim0 + Math.floor((wall() - wall0) * 1000 * speed), this.target.nowUs + maxStep);
      this.target.advanceTo(t);
      if (t >= until) {
        this.stop();
        this.opts.onEnd?.();
      }
    }, this.opts.tickMs ?? 10);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}
