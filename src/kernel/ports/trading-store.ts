import type { AccountId, Balance, ClientOrderId, InstrumentId, PositionId, UnixMicros } from '../../core/index.js';
import type { Fill } from '../../core/fill.js';
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
  /** Newest first. */
  audit(query: { readonly limit: number; readonly actor?: string; readonly since?: UnixMicros }): Promise<StoredAuditEntry[]>;
}
