import type { Bar, BarSpec, Instrument, InstrumentId, TradeTick, UnixMicros, Venue } from '../../core/index.js';

/** A half-open time range [from, to) in microseconds. */
export interface TimeRange {
  readonly from: UnixMicros;
  readonly to: UnixMicros;
}

export interface WriteResult {
  /** Rows given. */
  readonly received: number;
  /** Rows that were new; the rest were already stored (a replay) and changed nothing. */
  readonly inserted: number;
}

/**
 * Market history: trades and bars. Every write is idempotent by natural key, so a batch replayed after a
 * crash or a reconnect changes nothing. Newly inserted one-minute bars are rolled up by the store into the
 * larger bars it is configured for (5m, 15m, 1h, 1d by default).
 */
export interface MarketDataStore {
  /** Inserts or replaces instrument definitions (the newest `tsUpdated` wins). */
  saveInstruments(instruments: readonly Instrument[], tsUpdated: UnixMicros): Promise<void>;
  /** Stored instruments, of one venue or all, by id. */
  instruments(venue?: Venue): Promise<Instrument[]>;
  insertTrades(trades: readonly TradeTick[]): Promise<WriteResult>;
  insertBars(bars: readonly Bar[]): Promise<WriteResult>;
  /** Trades of one instrument with tsEvent in the range, oldest first (then by trade id). */
  trades(instrumentId: InstrumentId, range: TimeRange, limit?: number): Promise<TradeTick[]>;
  /** Bars of one instrument and spec with tsOpen in the range, oldest first. */
  bars(instrumentId: InstrumentId, spec: BarSpec, range: TimeRange, limit?: number): Promise<Bar[]>;
  /** The newest `count` bars (oldest first), optionally only those opening before `before`. */
  lastBars(instrumentId: InstrumentId, spec: BarSpec, count: number, before?: UnixMicros): Promise<Bar[]>;
  countTrades(instrumentId?: InstrumentId): Promise<number>;
  /** Creates partitions ahead of `now` and drops those past their table's retention. */
  maintain(now: UnixMicros): Promise<PartitionMaintenance[]>;
  close(): Promise<void>;
}

export interface PartitionMaintenance {
  readonly table: string;
  readonly created: number;
  readonly dropped: readonly string[];
}
