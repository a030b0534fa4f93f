/**
 * Estimates the offset between a venue's clock and ours.
 *
 * From streams: every event carries the venue's event time; `receive - event` is clock offset plus one-way
 * latency. Its minimum over a window is the best estimate (the least delayed message), and its median
 * says how late data typically is. From REST (`GET /api/v3/time`): `serverTime - (sent + received) / 2`,
 * the NTP-style estimate, which cancels the latency when both directions are alike.
 * Sign convention: `offsetMicros` is venue clock minus local clock (positive: the venue is ahead).
 */
export class TimeOffsetEstimator {
  private readonly window: Float64Array;
  private n = 0;
  private head = 0;
  private restOffset: number | undefined;
  private restRtt: number | undefined;

  constructor(readonly windowSize = 1024) {
    this.window = new Float64Array(windowSize);
  }

  /** A stream event: venue event time and local receive time, both µs. */
  addEvent(venueMicros: number, localMicros: number): void {
    this.window[this.head] = localMicros - venueMicros;
    this.head = (this.head + 1) % this.windowSize;
    if (this.n < this.windowSize) this.n++;
  }

  /** A REST time request: local send and receive times and the server's time, all µs. */
  addRest(sentMicros: number, serverMicros: number, receivedMicros: number): void {
    const rtt = receivedMicros - sentMicros;
    // Keep the estimate from the fastest round trip: its midpoint is the least uncertain.
    if (this.restRtt === undefined || rtt <= this.restRtt) {
      this.restRtt = rtt;
      this.restOffset = serverMicros - (sentMicros + receivedMicros) / 2;
    }
  }

  get samples(): number {
    return this.n;
  }

  /** Venue minus local clock (µs): from REST when measured, else from the least delayed stream event. */
  get offsetMicros(): number | undefined {
    if (this.restOffset !== undefined) return Math.round(this.restOffset);
    const min = this.minDelay();
    return min === undefined ? undefined : -min;
  }

  /** Round trip of the REST measurement in use (µs): the uncertainty of `offsetMicros` is half of it. */
  get restRoundTripMicros(): number | undefined {
    return this.restRtt;
  }

  /** Median of receive - event time over the window (µs): typical lateness of data, offset included. */
  get medianDelayMicros(): number | undefined {
    if (this.n === 0) return undefined;
    const xs = Array.from(this.window.subarray(0, this.n)).sort((a, b) => a - b);
    return xs[this.n >> 1];
  }

  /** Smallest receive - event time over the window (µs). */
  minDelay(): number | undefined {
    if (this.n === 0) return undefined;
    let m = Infinity;
    for (let i = 0; i < this.n; i++) if (this.window[i] < m) m = this.window[i];
    return m;
  }
}
