/**
 * Per-stream staleness: a stream is stale when nothing arrived on it for longer than its limit. Time is
 * passed in (microseconds), so the monitor is deterministic and testable; the client calls `check` from a timer.
 */
export class StalenessMonitor {
  private readonly last = new Map<string, number>();
  private readonly limit = new Map<string, number>();
  private readonly staleNow = new Set<string>();

  constructor(readonly defaultLimitMicros: number) {}

  /** Starts watching a stream (from `nowMicros`, so a fresh subscription has its full limit). */
  watch(stream: string, nowMicros: number, limitMicros = this.defaultLimitMicros): void {
    this.last.set(stream, nowMicros);
    this.limit.set(stream, limitMicros);
    this.staleNow.delete(stream);
  }

  unwatch(stream: string): void {
    this.last.delete(stream);
    this.limit.delete(stream);
    this.staleNow.delete(stream);
  }

  /** A message arrived on `stream`. */
  touch(stream: string, nowMicros: number): void {
    if (this.last.has(stream)) {
      this.last.set(stream, nowMicros);
      this.staleNow.delete(stream);
    }
  }

  /** Streams that have newly become stale since the last check (each reported once until it recovers). */
  check(nowMicros: number): string[] {
    const out: string[] = [];
    for (const [stream, t] of this.last) {
      if (nowMicros - t > (this.limit.get(stream) ?? this.defaultLimitMicros) && !this.staleNow.has(stream)) {
        this.staleNow.add(stream);
        out.push(stream);
      }
    }
    return out;
  }

  isStale(stream: string): boolean {
    return this.staleNow.has(stream);
  }

  /** Microseconds since the last message of `stream`, or undefined when it is not watched. */
  ageMicros(stream: string, nowMicros: number): number | undefined {
    const t = this.last.get(stream);
    return t === undefined ? undefined : nowMicros - t;
  }
}
