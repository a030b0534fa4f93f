import type { RejectReason } from './reject-reason.js';
/** Where rejection samples are logged (pino's `logger.warn(obj, msg)` fits). */
export interface RejectionLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface RejectionSample {
  readonly venue: string;
  /** One of the shared codes, so that a reason means the same thing for every venue. */
  readonly reason: RejectReason;
  readonly field: string | undefined;
  readonly detail: string;
  /** The start of the offending frame, for the log only. */
  readonly frame?: string;
}

/**
 * Counts dropped frames by venue and reason, and logs a sample of each (venue, reason) at most once per
 * interval with the number suppressed since the last sample: a venue that starts sending garbage at 10,000
 * frames/s must not turn the log into the bottleneck, yet the first occurrence is always seen.
 */
export class RejectionCounter {
  private readonly counts = new Map<string, number>();
  private readonly lastLogged = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  /** Called on every rejection, e.g. to increment a prom-client counter labelled venue and reason. */
  onReject: ((venue: string, reason: RejectReason) => void) | undefined;

  constructor(
    private readonly log: RejectionLog | undefined,
    readonly logIntervalMicros = 10_000_000,
    /** Longest frame excerpt logged. */
    readonly maxSample = 200,
  ) {}

  record(sample: RejectionSample, nowMicros: number): void {
    const key = `${sample.venue}\u0000${sample.reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.onReject?.(sample.venue, sample.reason);
    const last = this.lastLogged.get(key);
    if (last !== undefined && nowMicros - last < this.logIntervalMicros) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
      return;
    }
    this.lastLogged.set(key, nowMicros);
    const suppressed = this.suppressed.get(key) ?? 0;
    this.suppressed.set(key, 0);
    this.log?.warn(
      {
        venue: sample.venue,
        reason: sample.reason,
        field: sample.field,
        detail: sample.detail,
        frame: sample.frame === undefined ? undefined : sample.frame.slice(0, this.maxSample),
        suppressed,
        total: this.counts.get(key),
      },
      'market data frame rejected',
    );
  }

  count(venue: string, reason?: string): number {
    if (reason !== undefined) return this.counts.get(`${venue}\u0000${reason}`) ?? 0;
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(`${venue}\u0000`)) n += v;
    return n;
  }

  /** Every (venue, reason) count. */
  snapshot(): { venue: string; reason: string; count: number }[] {
    return [...this.counts].map(([k, count]) => {
      const [venue, reason] = k.split('\u0000');
      return { venue, reason, count };
    });
  }
}
