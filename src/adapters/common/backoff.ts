/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the n-th retry waits a uniformly random time in [0, min(cap, base * 2^n)]. Full jitter spreads the
 * reconnects of many clients after a venue outage instead of having them all return at the same instants.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    readonly baseMs: number,
    readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(baseMs > 0) || !(capMs >= baseMs)) throw new RangeError(`backoff needs 0 < base <= cap, got ${baseMs}, ${capMs}`);
  }

  /** Retries so far since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The upper bound of the next delay: min(cap, base * 2^attempt). */
  ceilingMs(): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 52));
  }

  /** The next delay (ms) and one more attempt counted. */
  next(): number {
    const delay = this.random() * this.ceilingMs();
    this.attempt++;
    return delay;
  }

  /** After a connection has proved healthy. */
  reset(): void {
    this.attempt = 0;
  }
}
