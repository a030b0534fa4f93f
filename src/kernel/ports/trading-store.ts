import type { AccountId, Balance, ClientOrderId, InstrumentId, Money, PositionId, PositionSide, Price, Quantity, StrategyId, UnixMicros } from '../../core/index.js';
import type { Fill } from '../../core/fill.js';
import type { Order, OrderEvent } from '../../core/order/index.js';
import type { TimeRange, WriteResult } from './market-store.js';

/** One line of the audit log: who did what to what, when. Append only. */
export interface AuditEntry {
  readonly tsEvent: UnixMicros;
  readonly actor: string;
  readonly action: string;
  readonly subject?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEntry extends AuditEntry {
  /** Increasing in insertion order. */
  readonly id: number;
}

export interface FillQuery {
  readonly clientOrderId?: ClientOrderId;
  readonly instrumentId?: InstrumentId;
  readonly positionId?: PositionId;
  readonly range?: TimeRange;
}

/**
 * One stored order event. `seq` is the event's index in its order's event list (0 is the OrderInitialized),
 * as in `Order.events`; see `orderEventRecords`.
 */
export interface OrderEventRecord {
  readonly seq: number;
  readonly event: OrderEvent;
}

/** The records of an order's events from `fromSeq` on (to append what was applied since the last save). */
export function orderEventRecords(order: Order, fromSeq = 0): OrderEventRecord[] {
  return order.events.slice(fromSeq).map((event, i) => ({ seq: fromSeq + i, event }));
}

/**
 * A position's state after a fill, as stored: the newest snapshot (by `lastFillTs`) of a position id wins.
 * `avgPxOpen` is undefined when flat.
 */
export interface PositionSnapshot {
  readonly positionId: PositionId;
  readonly accountId: AccountId;
  readonly strategyId?: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly side: PositionSide;
  readonly quantity: Quantity;
  readonly avgPxOpen?: Price;
  readonly realizedPnl: Money;
  readonly lastFillTs: UnixMicros;
  readonly tsOpened: UnixMicros;
  readonly tsClosed?: UnixMicros;
}

/**
 * Trading state that a restarted service recovers from: fills (positions are rebuilt by replaying them),
 * balances per account, and the audit log. Writes are idempotent by natural key.
 */
export interface TradingStore {
  /** Idempotent by (venue, trade id, client order id). */
  insertFills(fills: readonly Fill[]): Promise<WriteResult>;
  /** Matching fills, oldest first. */
  fills(query: FillQuery): Promise<Fill[]>;
  /** Replaces the account's balance of each currency unless the stored one is newer than `tsEvent`. */
  saveBalances(accountId: AccountId, balances: readonly Balance[], tsEvent: UnixMicros): Promise<void>;
  balances(accountId: AccountId): Promise<Balance[]>;
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /**
   * Appends order events. Idempotent: an event whose (client order id, seq) or event id is already stored
   * is skipped. The order's summary row (status, filled quantity, open or not) is rebuilt by replaying its
   * stored events from seq 0 up to the first gap through `Order.apply`; an event sequence the state machine
   * refuses fails the whole call (`OrderReplayError`) and stores nothing.
   */
  appendOrderEvents(records: readonly OrderEventRecord[]): Promise<WriteResult>;
  /** Stored events of one order, by seq. */
  orderEvents(clientOrderId: ClientOrderId): Promise<OrderEventRecord[]>;
  /** The order rebuilt from its stored events (up to the first gap in seq); undefined when it has no OrderInitialized. */
  loadOrder(clientOrderId: ClientOrderId): Promise<Order | undefined>;
  /** Every order not yet closed (initialized, submitted, working, pending), rebuilt from its events; oldest first. */
  loadOpenOrders(filter?: { readonly instrumentId?: InstrumentId; readonly strategyId?: StrategyId }): Promise<Order[]>;
  /** Upserts position snapshots; a snapshot older (by lastFillTs) than the stored one is ignored. */
  savePositions(snapshots: readonly PositionSnapshot[]): Promise<void>;
  /** The most recently changed position of the account in the instrument. */
  latestPosition(accountId: AccountId, instrumentId: InstrumentId): Promise<PositionSnapshot | undefined>;
  /** Positions that are not flat, optionally of one account; by instrument, then position id. */
  openPositions(accountId?: AccountId): Promise<PositionSnapshot[]>;
  /** Newest first. */
  audit(query: { readonly limit: number; readonly actor?: string; readonly since?: UnixMicros }): Promise<StoredAuditEntry[]>;
}
