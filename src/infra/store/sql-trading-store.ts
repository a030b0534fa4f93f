import { Balance, Currency, InstrumentId, Money, Order, PositionSide, Price, Quantity, TradewindError, UnixMicros, decodeOrderEvent, encodeOrderEvent } from '../../core/index.js';
import type { AccountId, ClientOrderId, Fill, LiquiditySide, OrderSide, PositionId, StrategyId, TradeId, VenueOrderId } from '../../core/index.js';
import type { WriteResult } from '../../kernel/ports/market-store.js';
import type { AuditEntry, FillQuery, OrderEventRecord, PositionSnapshot, StoredAuditEntry, TradingStore } from '../../kernel/ports/trading-store.js';
import type { SqlExecutor, SqlDriver } from '../db/driver.js';

/** Stored events of an order that the state machine refuses to replay (or that no longer decode). */
export class OrderReplayError extends TradewindError {
  constructor(
    readonly clientOrderId: string,
    cause: unknown,
  ) {
    super(`cannot replay the stored events of order ${clientOrderId}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

interface EventRow {
  client_order_id: string;
  seq: number;
  payload: string;
}

/** Decodes rows (ordered by seq) through the validating codec. */
function recordsFromRows(rows: readonly EventRow[]): OrderEventRecord[] {
  return rows.map((r) => {
    try {
      return { seq: r.seq, event: decodeOrderEvent(JSON.parse(r.payload)) };
    } catch (err) {
      throw new OrderReplayError(r.client_order_id, err);
    }
  });
}

/** Replays seq 0, 1, 2, ... up to the first gap; undefined without an OrderInitialized at seq 0. */
function replay(clientOrderId: string, records: readonly OrderEventRecord[]): Order | undefined {
  const prefix: OrderEventRecord[] = [];
  for (const r of records) {
    if (r.seq !== prefix.length) break;
    prefix.push(r);
  }
  if (prefix.length === 0) return undefined;
  try {
    return Order.fromEvents(prefix.map((r) => r.event));
  } catch (err) {
    throw new OrderReplayError(clientOrderId, err);
  }
}

function groupRows(rows: readonly EventRow[]): Map<string, EventRow[]> {
  const out = new Map<string, EventRow[]>();
  for (const r of rows) {
    const list = out.get(r.client_order_id);
    if (list === undefined) out.set(r.client_order_id, [r]);
    else list.push(r);
  }
  return out;
}

interface PositionRow {
  position_id: string;
  account_id: string;
  strategy_id: string | null;
  instrument_id: string;
  side: string;
  quantity: string;
  avg_px_open: string;
  realized_pnl: string;
  pnl_currency: string;
  last_fill_ts: number;
  ts_opened: number;
  ts_closed: number | null;
}

const POSITION_COLUMNS =
  'position_id, account_id, strategy_id, instrument_id, side, quantity::text, avg_px_open::text, realized_pnl::text, pnl_currency, last_fill_ts, ts_opened, ts_closed';

function positionFromRow(r: PositionRow): PositionSnapshot {
  const side = r.side as PositionSide;
  return {
    positionId: r.position_id as PositionId,
    accountId: r.account_id as AccountId,
    ...(r.strategy_id === null ? {} : { strategyId: r.strategy_id as StrategyId }),
    instrumentId: r.instrument_id as InstrumentId,
    side,
    quantity: Quantity.parse(r.quantity),
    ...(side === PositionSide.Flat ? {} : { avgPxOpen: Price.parse(r.avg_px_open) }),
    realizedPnl: Money.parse(r.realized_pnl, Currency.parse(r.pnl_currency)),
    lastFillTs: UnixMicros.unsafe(r.last_fill_ts),
    tsOpened: UnixMicros.unsafe(r.ts_opened),
    ...(r.ts_closed === null ? {} : { tsClosed: UnixMicros.unsafe(r.ts_closed) }),
  };
}

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

  async appendOrderEvents(records: readonly OrderEventRecord[]): Promise<WriteResult> {
    if (records.length === 0) return { received: 0, inserted: 0 };
    const byOrder = new Map<string, OrderEventRecord[]>();
    for (const r of records) {
      if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw new RangeError(`order event seq must be a non-negative integer: ${r.seq}`);
      const list = byOrder.get(r.event.clientOrderId);
      if (list === undefined) byOrder.set(r.event.clientOrderId, [r]);
      else list.push(r);
    }
    // Sorted, so that two writers lock the same orders in the same order and cannot deadlock.
    const ids = [...byOrder.keys()].sort();
    return this.db.transaction(async (tx) => {
      let inserted = 0;
      for (const id of ids) {
        // Serialises writers of one order: the event-id check and the summary replay see every committed event.
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tw_order:${id}`]);
        let added = 0;
        for (const r of byOrder.get(id) ?? []) {
          const rows = await tx.query(
            `INSERT INTO order_events (client_order_id, seq, event_type, payload, ts_event)
             SELECT $1, $2, $3, $4::text::jsonb, $5
              WHERE NOT EXISTS (SELECT 1 FROM order_events WHERE client_order_id = $1 AND payload->>'eventId' = $6)
             ON CONFLICT DO NOTHING RETURNING 1`,
            [id, r.seq, r.event.type, JSON.stringify(encodeOrderEvent(r.event)), r.event.tsEvent, r.event.eventId],
          );
          added += rows.length;
        }
        if (added > 0) await this.refreshOrderRow(tx, id);
        inserted += added;
      }
      return { received: records.length, inserted };
    });
  }

  private async refreshOrderRow(tx: SqlExecutor, clientOrderId: string): Promise<void> {
    const rows = await tx.query<EventRow>(
      'SELECT client_order_id, seq, payload::text AS payload FROM order_events WHERE client_order_id = $1 ORDER BY seq',
      [clientOrderId],
    );
    const order = replay(clientOrderId, recordsFromRows(rows));
    if (order === undefined) return;
    const seq = rows.findIndex((r, i) => r.seq !== i);
    const lastSeq = (seq === -1 ? rows.length : seq) - 1;
    const avg = order.avgPx();
    const flags = {
      postOnly: order.postOnly,
      reduceOnly: order.reduceOnly,
      ...(order.expireTime === undefined ? {} : { expireTime: order.expireTime }),
      ...(order.init.trailingOffset === undefined ? {} : { trailingOffset: order.init.trailingOffset.toString() }),
      ...(order.init.trailingOffsetType === undefined ? {} : { trailingOffsetType: order.init.trailingOffsetType }),
      ...(order.init.limitOffset === undefined ? {} : { limitOffset: order.init.limitOffset.toString() }),
    };
    await tx.query(
      `INSERT INTO orders (client_order_id, venue_order_id, trader_id, strategy_id, account_id, instrument_id, side, order_type,
                           time_in_force, quantity, price, trigger_price, filled_qty, avg_px, status, is_open, flags,
                           last_event_seq, ts_init, ts_last)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::text::jsonb, $18, $19, $20)
       ON CONFLICT (client_order_id) DO UPDATE SET venue_order_id = excluded.venue_order_id, account_id = excluded.account_id,
         quantity = excluded.quantity, price = excluded.price, trigger_price = excluded.trigger_price,
         filled_qty = excluded.filled_qty, avg_px = excluded.avg_px, status = excluded.status, is_open = excluded.is_open,
         last_event_seq = excluded.last_event_seq, ts_last = excluded.ts_last`,
      [
        clientOrderId,
        order.venueOrderId ?? null,
        order.traderId,
        order.strategyId,
        order.accountId ?? null,
        order.instrumentId,
        order.side,
        order.orderType,
        order.timeInForce,
        order.quantity.toString(),
        order.price?.toString() ?? null,
        order.triggerPrice?.toString() ?? null,
        order.filledQty.toString(),
        avg?.toString() ?? null,
        order.status,
        !order.isClosed,
        JSON.stringify(flags),
        lastSeq,
        order.init.tsInit,
        order.tsLast,
      ],
    );
  }

  async orderEvents(clientOrderId: ClientOrderId): Promise<OrderEventRecord[]> {
    const rows = await this.db.query<EventRow>(
      'SELECT client_order_id, seq, payload::text AS payload FROM order_events WHERE client_order_id = $1 ORDER BY seq',
      [clientOrderId],
    );
    return recordsFromRows(rows);
  }

  async loadOrder(clientOrderId: ClientOrderId): Promise<Order | undefined> {
    return replay(clientOrderId, await this.orderEvents(clientOrderId));
  }

  async loadOpenOrders(filter: { readonly instrumentId?: InstrumentId; readonly strategyId?: StrategyId } = {}): Promise<Order[]> {
    const rows = await this.db.query<EventRow>(
      `SELECT e.client_order_id, e.seq, e.payload::text AS payload
         FROM orders o JOIN order_events e ON e.client_order_id = o.client_order_id
        WHERE o.is_open AND ($1::text IS NULL OR o.instrument_id = $1) AND ($2::text IS NULL OR o.strategy_id = $2)
        ORDER BY o.ts_init, o.client_order_id, e.seq`,
      [filter.instrumentId ?? null, filter.strategyId ?? null],
    );
    const out: Order[] = [];
    for (const [id, list] of groupRows(rows)) {
      const order = replay(id, recordsFromRows(list));
      if (order !== undefined) out.push(order);
    }
    return out;
  }

  async savePositions(snapshots: readonly PositionSnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const p of snapshots) {
        await tx.query(
          `INSERT INTO positions AS cur (position_id, account_id, strategy_id, instrument_id, side, quantity, avg_px_open,
                                         realized_pnl, pnl_currency, is_open, last_fill_ts, ts_opened, ts_closed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (position_id) DO UPDATE SET account_id = excluded.account_id, strategy_id = excluded.strategy_id,
             instrument_id = excluded.instrument_id, side = excluded.side, quantity = excluded.quantity,
             avg_px_open = excluded.avg_px_open, realized_pnl = excluded.realized_pnl, pnl_currency = excluded.pnl_currency,
             is_open = excluded.is_open, last_fill_ts = excluded.last_fill_ts, ts_opened = excluded.ts_opened,
             ts_closed = excluded.ts_closed
           WHERE cur.last_fill_ts <= excluded.last_fill_ts`,
          [
            p.positionId,
            p.accountId,
            p.strategyId ?? null,
            p.instrumentId,
            p.side,
            p.quantity.toString(),
            // the column is NOT NULL; a flat position reads back without an average price
            p.avgPxOpen?.toString() ?? '0',
            p.realizedPnl.toDecimalString(),
            p.realizedPnl.currency,
            p.side !== PositionSide.Flat,
            p.lastFillTs,
            p.tsOpened,
            p.tsClosed ?? null,
          ],
        );
      }
    });
  }

  async latestPosition(accountId: AccountId, instrumentId: InstrumentId): Promise<PositionSnapshot | undefined> {
    const rows = await this.db.query<PositionRow>(
      `SELECT ${POSITION_COLUMNS} FROM positions WHERE account_id = $1 AND instrument_id = $2
        ORDER BY last_fill_ts DESC, position_id DESC LIMIT 1`,
      [accountId, instrumentId],
    );
    return rows.length === 0 ? undefined : positionFromRow(rows[0]);
  }

  async openPositions(accountId?: AccountId): Promise<PositionSnapshot[]> {
    const rows = await this.db.query<PositionRow>(
      `SELECT ${POSITION_COLUMNS} FROM positions WHERE is_open AND ($1::text IS NULL OR account_id = $1)
        ORDER BY instrument_id, position_id`,
      [accountId ?? null],
    );
    return rows.map(positionFromRow);
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
