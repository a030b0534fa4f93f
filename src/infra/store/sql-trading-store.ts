import { Balance, Currency, InstrumentId, Money, Price, Quantity, UnixMicros } from '../../core/index.js';
import type { AccountId, ClientOrderId, Fill, LiquiditySide, OrderSide, PositionId, StrategyId, TradeId, VenueOrderId } from '../../core/index.js';
import type { WriteResult } from '../../kernel/ports/market-store.js';
import type { AuditEntry, FillQuery, StoredAuditEntry, TradingStore } from '../../kernel/ports/trading-store.js';
import type { SqlDriver } from '../db/driver.js';

interface FillRow {
  trade_id: string;
  client_order_id: string;
  venue_order_id: string;
  account_id: string;
  strategy_id: string;
  position_id: string | null;
  instrument_id: string;
  side: string;
  last_qty: string;
  last_px: string;
  commission: string;
  commission_ccy: string;
  liquidity: string;
  ts_event: number;
  ts_init: number;
}

function fillFromRow(r: FillRow): Fill {
  return {
    tradeId: r.trade_id as TradeId,
    clientOrderId: r.client_order_id as ClientOrderId,
    venueOrderId: r.venue_order_id as VenueOrderId,
    instrumentId: r.instrument_id as InstrumentId,
    strategyId: r.strategy_id as StrategyId,
    accountId: r.account_id as AccountId,
    ...(r.position_id === null ? {} : { positionId: r.position_id as PositionId }),
    side: r.side as OrderSide,
    price: Price.parse(r.last_px),
    quantity: Quantity.parse(r.last_qty),
    commission: Money.parse(r.commission, Currency.parse(r.commission_ccy)),
    liquiditySide: r.liquidity as LiquiditySide,
    tsEvent: UnixMicros.unsafe(r.ts_event),
    tsInit: UnixMicros.unsafe(r.ts_init),
  };
}

const FILL_COLUMNS =
  'venue, trade_id, client_order_id, venue_order_id, account_id, strategy_id, position_id, instrument_id, side, last_qty, last_px, commission, commission_ccy, liquidity, ts_event, ts_init';

/** TradingStore over any SqlDriver (PostgreSQL or PGlite). Money goes in and out as exact decimal strings. */
export class SqlTradingStore implements TradingStore {
  constructor(readonly db: SqlDriver) {}

  async insertFills(fills: readonly Fill[]): Promise<WriteResult> {
    if (fills.length === 0) return { received: 0, inserted: 0 };
    const params: unknown[] = [];
    const values = fills.map((f, i) => {
      params.push(
        InstrumentId.venue(f.instrumentId),
        f.tradeId,
        f.clientOrderId,
        f.venueOrderId,
        f.accountId,
        f.strategyId,
        f.positionId ?? null,
        f.instrumentId,
        f.side,
        f.quantity.toString(),
        f.price.toString(),
        f.commission.toDecimalString(),
        f.commission.currency,
        f.liquiditySide,
        f.tsEvent,
        f.tsInit,
      );
      return `(${Array.from({ length: 16 }, (_, k) => `$${i * 16 + k + 1}`).join(', ')})`;
    });
    const rows = await this.db.query<{ n: number }>(
      `WITH ins AS (INSERT INTO fills (${FILL_COLUMNS}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      params,
    );
    return { received: fills.length, inserted: rows[0].n };
  }

  async fills(query: FillQuery): Promise<Fill[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.clientOrderId !== undefined) add('client_order_id = ?', query.clientOrderId);
    if (query.instrumentId !== undefined) add('instrument_id = ?', query.instrumentId);
    if (query.positionId !== undefined) add('position_id = ?', query.positionId);
    if (query.range !== undefined) {
      add('ts_event >= ?', query.range.from);
      add('ts_event < ?', query.range.to);
    }
    const rows = await this.db.query<FillRow>(
      `SELECT trade_id, client_order_id, venue_order_id, account_id, strategy_id, position_id, instrument_id, side,
              last_qty::text, last_px::text, commission::text, commission_ccy, liquidity, ts_event, ts_init
         FROM fills ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ts_event, trade_id, client_order_id`,
      params,
    );
    return rows.map(fillFromRow);
  }

  async saveBalances(accountId: AccountId, balances: readonly Balance[], tsEvent: UnixMicros): Promise<void> {
    if (balances.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const b of balances) {
        await tx.query(
          `INSERT INTO balances AS cur (account_id, currency, total, locked, free, ts_event) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id, currency) DO UPDATE SET total = excluded.total, locked = excluded.locked,
             free = excluded.free, ts_event = excluded.ts_event
           WHERE cur.ts_event <= excluded.ts_event`,
          [accountId, b.currency, b.total.toDecimalString(), b.locked.toDecimalString(), b.free.toDecimalString(), tsEvent],
        );
      }
    });
  }

  async balances(accountId: AccountId): Promise<Balance[]> {
    const rows = await this.db.query<{ currency: string; total: string; locked: string; free: string }>(
      'SELECT currency, total::text, locked::text, free::text FROM balances WHERE account_id = $1 ORDER BY currency',
      [accountId],
    );
    return rows.map((r) => {
      const ccy = Currency.parse(r.currency);
      return Balance.fromParts(Money.parse(r.total, ccy), Money.parse(r.locked, ccy), Money.parse(r.free, ccy));
    });
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const params: unknown[] = [];
    const values = entries.map((e, i) => {
      params.push(e.tsEvent, e.actor, e.action, e.subject ?? null, JSON.stringify(e.details ?? {}));
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::text::jsonb)`;
    });
    await this.db.query(`INSERT INTO audit_log (ts_event, actor, action, subject, details) VALUES ${values.join(', ')}`, params);
  }

  async audit(query: { readonly limit: number; readonly actor?: string; readonly since?: UnixMicros }): Promise<StoredAuditEntry[]> {
    const rows = await this.db.query<{ id: number; ts_event: number; actor: string; action: string; subject: string | null; details: string }>(
      `SELECT id, ts_event, actor, action, subject, details::text AS details FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::bigint IS NULL OR ts_event >= $2)
        ORDER BY id DESC LIMIT $3`,
      [query.actor ?? null, query.since ?? null, query.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      tsEvent: UnixMicros.unsafe(r.ts_event),
      actor: r.actor,
      action: r.action,
      ...(r.subject === null ? {} : { subject: r.subject }),
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
