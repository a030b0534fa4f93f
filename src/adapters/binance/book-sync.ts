import type { L2OrderBook } from '../../compute/orderbook/l2-book.js';
import type { BinanceMarket, DepthDiff } from './types.js';

/** A REST depth snapshot (`GET /api/v3/depth`, `GET /fapi/v1/depth`) as raw integers at the book's precisions. */
export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bidPrices: readonly number[];
  readonly bidSizes: readonly number[];
  readonly askPrices: readonly number[];
  readonly askSizes: readonly number[];
}

/** What happened to one diff event. */
export const DiffOutcome = {
  /** Held until a snapshot arrives. */
  Buffered: 'buffered',
  /** Older than the book (u at or below the last applied id): ignored. */
  Dropped: 'dropped',
  Applied: 'applied',
  /** Ids do not chain: the book was discarded; fetch a new snapshot (the event is kept in the buffer). */
  Gap: 'gap',
} as const;
export type DiffOutcome = (typeof DiffOutcome)[keyof typeof DiffOutcome];

/** What happened to a snapshot. */
export const SnapshotOutcome = {
  /** The book is live: the snapshot and every buffered event that follows it are applied. */
  Synced: 'synced',
  /** The snapshot is older than the first buffered event (events between are missing): fetch again. */
  Stale: 'stale',
  /** The buffered events do not chain onto the snapshot: fetch again. */
  Gap: 'gap',
} as const;
export type SnapshotOutcome = (typeof SnapshotOutcome)[keyof typeof SnapshotOutcome];

export const SyncState = { AwaitingSnapshot: 'awaiting_snapshot', Synced: 'synced' } as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];

/**
 * Maintains a local order book from Binance diff-depth events exactly as Binance documents it
 * ("How to manage a local order book correctly", spot and USD-M futures):
 *
 *  1. Open the stream `<symbol>@depth@100ms` and buffer its events (`onDiff` while awaiting a snapshot).
 *  2. Note the first buffered event's `U`.
 *  3. Fetch a snapshot: GET /api/v3/depth?symbol=...&limit=5000 (futures: /fapi/v1/depth?...&limit=1000).
 *  4. Spot: if the snapshot's lastUpdateId + 1 is below the first buffered `U`, the snapshot is too old:
 *     go back to 3 (`Stale`).
 *  5. Drop buffered events with u <= lastUpdateId (spot) or u < lastUpdateId (futures).
 *  6. The first remaining event must straddle the snapshot:
 *     spot    U <= lastUpdateId + 1 <= u;
 *     futures U <= lastUpdateId AND u >= lastUpdateId.
 *     Otherwise go back to 3 (`Gap`). With no event left yet, the first one to arrive is checked instead.
 *  7. Set the local book to the snapshot; the local update id is lastUpdateId.
 *  8. Apply the remaining buffered events, then every new one. Sizes are absolute; size 0 removes a level.
 *     Before each: if u is at or below the local update id, ignore it (a duplicate or an old event);
 *     spot:    it must satisfy U <= local id + 1 (normally U == previous u + 1);
 *     futures: its `pu` must equal the previous event's u.
 *     Otherwise the book is out of sync: discard it and go back to 1 (`Gap`; the event is kept in the buffer).
 *     Then the local update id becomes u.
 *
 * The caller does the fetching: it calls `onSnapshot` with what it got and fetches again on `Stale`/`Gap`.
 */
export class BinanceBookSync {
  state: SyncState = SyncState.AwaitingSnapshot;
  /** Times the ids did not chain (after a sync or when the buffer did not chain onto a snapshot). */
  gaps = 0;
  /** Snapshots that had to be fetched again (stale or gap). */
  resyncs = 0;
  /** Diff events applied to the book. */
  applied = 0;
  /** Events ignored as older than the book. */
  dropped = 0;
  /** Diff events seen. */
  messages = 0;
  /** Times the book was crossed (best bid >= best ask) after an applied event. */
  crossed = 0;
  private buffer: DepthDiff[] = [];
  /** u of the last applied event, or the snapshot's lastUpdateId. */
  private lastUpdateId = -1;
  /** True between a snapshot and the first event applied on it (step 6 still to check). */
  private firstPending = false;
  private snapshotId = -1;

  constructor(
    readonly market: BinanceMarket,
    readonly book: L2OrderBook,
    /** Most events held while awaiting a snapshot; the oldest are dropped beyond it (then step 4 asks for a newer snapshot). */
    readonly maxBuffer = 10_000,
  ) {}

  get bufferedCount(): number {
    return this.buffer.length;
  }

  /** The book's update id (u of the last applied event), -1 while not synced. */
  get updateId(): number {
    return this.state === SyncState.Synced ? this.lastUpdateId : -1;
  }

  /** Steps 1, 2 and 8 for one diff event. */
  onDiff(diff: DepthDiff): DiffOutcome {
    this.messages++;
    if (this.state === SyncState.AwaitingSnapshot) {
      this.buffer.push(diff);
      if (this.buffer.length > this.maxBuffer) this.buffer.shift();
      return DiffOutcome.Buffered;
    }
    return this.applyInSequence(diff);
  }

  /** Steps 3 to 8 with a fetched snapshot. */
  onSnapshot(snapshot: DepthSnapshot): SnapshotOutcome {
    const last = snapshot.lastUpdateId;
    const spot = this.market === 'spot';
    // Step 4.
    const first = this.buffer[0];
    if (spot && first !== undefined && last + 1 < first.firstUpdateId) {
      this.resyncs++;
      return SnapshotOutcome.Stale;
    }
    // Step 5.
    const pending = this.buffer.filter((d) => (spot ? d.finalUpdateId > last : d.finalUpdateId >= last));
    this.dropped += this.buffer.length - pending.length;
    // Step 7 (step 6 is checked by applyInSequence on the first event).
    this.book.loadRaw(snapshot.bidPrices, snapshot.bidSizes, snapshot.askPrices, snapshot.askSizes, last);
    this.state = SyncState.Synced;
    this.lastUpdateId = last;
    this.snapshotId = last;
    this.firstPending = true;
    this.buffer = [];
    // Step 8 for the buffered events.
    for (let k = 0; k < pending.length; k++) {
      const outcome = this.applyInSequence(pending[k]);
      if (outcome === DiffOutcome.Gap) {
        // The rest stays buffered behind the event that broke the chain.
        this.buffer.push(...pending.slice(k + 1));
        this.resyncs++;
        return SnapshotOutcome.Gap;
      }
    }
    return SnapshotOutcome.Synced;
  }

  /** Forgets the book and buffers again (after a reconnect: the stream restarts, so must the procedure). */
  reset(): void {
    this.state = SyncState.AwaitingSnapshot;
    this.buffer = [];
    this.lastUpdateId = -1;
    this.firstPending = false;
    this.book.clear();
  }

  private applyInSequence(d: DepthDiff): DiffOutcome {
    const spot = this.market === 'spot';
    const U = d.firstUpdateId;
    const u = d.finalUpdateId;
    let inSequence: boolean;
    if (this.firstPending) {
      const last = this.snapshotId;
      // Step 5 again for events that arrive after the snapshot, then step 6.
      if (spot ? u <= last : u < last) {
        this.dropped++;
        return DiffOutcome.Dropped;
      }
      inSequence = spot ? U <= last + 1 && last + 1 <= u : U <= last && u >= last;
    } else {
      if (u <= this.lastUpdateId) {
        this.dropped++;
        return DiffOutcome.Dropped;
      }
      inSequence = spot ? U <= this.lastUpdateId + 1 : d.prevFinalUpdateId === this.lastUpdateId;
    }
    if (!inSequence) {
      this.gaps++;
      this.state = SyncState.AwaitingSnapshot;
      this.firstPending = false;
      this.lastUpdateId = -1;
      this.book.clear();
      this.buffer = [d];
      return DiffOutcome.Gap;
    }
    const book = this.book;
    for (const level of d.deltas.deltas) book.applyDelta(level);
    book.sequence = u;
    this.lastUpdateId = u;
    this.firstPending = false;
    this.applied++;
    if (book.isCrossed()) this.crossed++;
    return DiffOutcome.Applied;
  }
}
