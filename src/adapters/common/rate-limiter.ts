/**
 * At most `limit` sends per sliding second (Binance: 5 incoming messages per second per connection, counting
 * SUBSCRIBE/UNSUBSCRIBE/pong; going over disconnects). `delayMs(now)` says how long to wait before the next
 * send may go; `record(now)` counts a send. Time is passed in (ms).
 */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {
    if (!(limit >= 1)) throw new RangeError(`limit must be >= 1: ${limit}`);
  }

  delayMs(nowMs: number): number {
    while (this.times.length > 0 && nowMs - this.times[0] >= this.windowMs) this.times.shift();
    return this.times.length < this.limit ? 0 : this.times[0] + this.windowMs - nowMs;
  }

  record(nowMs: number): void {
    this.times.push(nowMs);
  }
}
