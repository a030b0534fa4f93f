/** Contract of TradingStore against every SQL backend (PGlite always, PostgreSQL when configured). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountId,
  Balance,
  ClientOrderId,
  Currency,
  InstrumentId,
  LiquiditySide,
  Money,
  OrderSide,
  OrderStatus,
  PositionId,
  PositionSide,
  Price,
  Quantity,
  StrategyId,
  TradeId,
  UnixMicros,
  VenueOrderId,
  encodeOrderEvent,
} from '../../src/core/index.js';
import type { Fill, Order, OrderEvent, OrderEventType } from '../../src/core/index.js';
import * as orderFx from '../../src/core/order/testing/fixtures.js';
import { orderEventRecords } from '../../src/kernel/ports/trading-store.js';
import type { OrderEventRecord, PositionSnapshot } from '../../src/kernel/ports/trading-store.js';
import { OrderReplayError, SqlTradingStore } from '../../src/infra/store/sql-trading-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
const ETH = InstrumentId.parse('ETHUSDT.BINANCE');
const USDT = Currency.parse('USDT');
const ACC = AccountId.parse('BINANCE-001');

function fill(i: number, order: string, extra: Partial<Fill> = {}): Fill {
  return {
    tradeId: TradeId.parse(`T${i}`),
    clientOrderId: ClientOrderId.parse(order),
    venueOrderId: VenueOrderId.parse(`V-${order}`),
    instrumentId: BTC,
    strategyId: StrategyId.parse('EMA-CROSS-1'),
    accountId: ACC,
    positionId: PositionId.parse('P-1'),
    side: i % 2 === 0 ? OrderSide.Buy : OrderSide.Sell,
    price: Price.parse(`4200${i}.10`),
    quantity: Quantity.parse('0.00150'),
    commission: Money.parse('0.00000123', USDT),
    liquiditySide: LiquiditySide.Taker,
    tsEvent: UnixMicros.of(1_700_000_000_000_000 + i * 1000),
    tsInit: UnixMicros.of(1_700_000_000_000_000 + i * 1000 + 5),
    ...extra,
  };
}

const plain = (f: Fill) => ({ ...f, price: f.price.toString(), quantity: f.quantity.toString(), commission: f.commission.toString() });

for (const backend of sqlBackends()) {
  describe(`TradingStore contract: ${backend.name}`, () => {
    let opened: OpenedDb;
    let store: SqlTradingStore;
    beforeAll(async () => {
      opened = await backend.open();
      store = new SqlTradingStore(opened.driver);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('stores fills exactly and idempotently, and finds them by order, instrument, position and time', async () => {
      const fills = [fill(1, 'O-1'), fill(2, 'O-1'), fill(3, 'O-2'), fill(4, 'O-3', { positionId: undefined })];
      expect(await store.insertFills(fills)).toEqual({ received: 4, inserted: 4 });
      expect(await store.insertFills([fills[1], fill(5, 'O-3')])).toEqual({ received: 2, inserted: 1 });
      // the same venue execution id on the other side of a self-trade is a fill of its own
      expect((await store.insertFills([fill(3, 'O-9', { side: OrderSide.Buy })])).inserted).toBe(1);
      const byOrder = await store.fills({ clientOrderId: ClientOrderId.parse('O-1') });
      expect(byOrder.map(plain)).toEqual([fills[0], fills[1]].map(plain));
      expect(byOrder[0].commission.precision).toBe(8);
      expect((await store.fills({ instrumentId: BTC })).length).toBe(6);
      expect((await store.fills({ positionId: PositionId.parse('P-1') })).map((f) => f.tradeId)).toEqual(['T1', 'T2', 'T3', 'T3', 'T5']);
      const o3 = await store.fills({ clientOrderId: ClientOrderId.parse('O-3') });
      expect(o3[0].positionId).toBeUndefined();
      const range = await store.fills({ range: { from: fills[1].tsEvent, to: fills[3].tsEvent } });
      expect(range.map((f) => f.tradeId)).toEqual(['T2', 'T3', 'T3']);
      expect(await store.insertFills([])).toEqual({ received: 0, inserted: 0 });
    });

    it('keeps the newest balance per account and currency, exactly', async () => {
      const btc = Currency.parse('BTC');
      const b1 = Balance.fromParts(Money.parse('1000.50', USDT), Money.parse('200.25', USDT), Money.parse('800.25', USDT));
      const b2 = Balance.of(Money.parse('0.12345678', btc));
      await store.saveBalances(ACC, [b1, b2], UnixMicros.of(100));
      const older = Balance.of(Money.parse('5.00', USDT));
      await store.saveBalances(ACC, [older], UnixMicros.of(50));
      const got = await store.balances(ACC);
      expect(got.map((b) => [b.currency, b.total.toString(), b.locked.toString(), b.free.toString()])).toEqual([
        ['BTC', '0.12345678 BTC', '0.00000000 BTC', '0.12345678 BTC'],
        ['USDT', '1000.50 USDT', '200.25 USDT', '800.25 USDT'],
      ]);
      await store.saveBalances(ACC, [older], UnixMicros.of(150));
      expect((await store.balances(ACC)).find((b) => b.currency === USDT)?.total.toString()).toBe('5.00 USDT');
      expect(await store.balances(AccountId.parse('OTHER'))).toEqual([]);
      await store.saveBalances(ACC, [], UnixMicros.of(200));
    });

    it('appends to the audit log and reads it newest first', async () => {
      await store.appendAudit([
        { tsEvent: UnixMicros.of(10), actor: 'api:key1', action: 'order.submit', subject: 'O-1', details: { qty: '0.1' } },
        { tsEvent: UnixMicros.of(20), actor: 'risk', action: 'kill_switch.on' },
      ]);
      await store.appendAudit([{ tsEvent: UnixMicros.of(30), actor: 'api:key1', action: 'order.cancel', subject: 'O-1' }]);
      await store.appendAudit([]);
      const all = await store.audit({ limit: 10 });
      expect(all.map((e) => e.action)).toEqual(['order.cancel', 'kill_switch.on', 'order.submit']);
      expect(all[2]).toMatchObject({ actor: 'api:key1', subject: 'O-1', details: { qty: '0.1' }, tsEvent: 10 });
      expect(all[1].subject).toBeUndefined();
      expect(all[0].id).toBeGreaterThan(all[1].id);
      expect((await store.audit({ limit: 10, actor: 'api:key1' })).length).toBe(2);
      expect((await store.audit({ limit: 10, since: UnixMicros.of(15) })).map((e) => e.tsEvent)).toEqual([30, 20]);
      expect((await store.audit({ limit: 1 })).length).toBe(1);
    });
    describe('orders', () => {
      const cid = (s: string) => ClientOrderId.parse(s);
      /** A valid event of `type` for order `id`, with a fresh event id. */
      const ev = (type: OrderEventType, id: string, over: Record<string, unknown> = {}): OrderEvent =>
        ({ ...orderFx.event(type), clientOrderId: cid(id), ...over }) as OrderEvent;
      const encoded = (records: readonly OrderEventRecord[]) => records.map((r) => [r.seq, encodeOrderEvent(r.event)]);

      it('appends events idempotently and rebuilds the order by replaying them', async () => {
        const order = orderFx.makeOrder({ clientOrderId: cid('OA-1') });
        order.apply(ev('OrderSubmitted', 'OA-1'));
        order.apply(ev('OrderAccepted', 'OA-1'));
        order.apply(orderFx.fill('4', '100.25', { clientOrderId: cid('OA-1') }));
        expect(await store.appendOrderEvents(orderEventRecords(order).slice(0, 2))).toEqual({ received: 2, inserted: 2 });
        // replaying everything stores only what is new
        expect(await store.appendOrderEvents(orderEventRecords(order))).toEqual({ received: 4, inserted: 2 });
        expect(await store.appendOrderEvents(orderEventRecords(order))).toEqual({ received: 4, inserted: 0 });
        // a redelivered event under another seq is dropped by its event id
        expect(await store.appendOrderEvents([{ seq: 4, event: order.events[3] }])).toEqual({ received: 1, inserted: 0 });
        expect(await store.appendOrderEvents([])).toEqual({ received: 0, inserted: 0 });

        expect(encoded(await store.orderEvents(cid('OA-1')))).toEqual(encoded(orderEventRecords(order)));
        const loaded = await store.loadOrder(cid('OA-1'));
        expect(loaded?.status).toBe(OrderStatus.PartiallyFilled);
        expect(loaded?.filledQty.toString()).toBe('4');
        expect(loaded?.leavesQty.toString()).toBe('6');
        expect(loaded?.venueOrderId).toBe(orderFx.ids.venueOrderId);
        expect(loaded?.avgPx()?.toString()).toBe(order.avgPx()?.toString());
        expect(loaded?.events.length).toBe(4);
        expect(await store.loadOrder(cid('NOPE'))).toBeUndefined();
        expect(await store.orderEvents(cid('NOPE'))).toEqual([]);
      });

      it('loads every order not yet closed, filtered by instrument and strategy', async () => {
        const s2 = { strategyId: StrategyId.parse('S-2') };
        const open1 = orderFx.makeOrder({ clientOrderId: cid('OB-1'), tsInit: UnixMicros.of(10) }); // only initialized
        const open2 = orderFx.makeOrder({ clientOrderId: cid('OB-2'), tsInit: UnixMicros.of(20), ...s2 });
        open2.apply(ev('OrderSubmitted', 'OB-2', s2));
        open2.apply(ev('OrderAccepted', 'OB-2', s2));
        open2.apply(ev('OrderPendingCancel', 'OB-2', s2));
        const rejected = orderFx.makeOrder({ clientOrderId: cid('OB-3'), tsInit: UnixMicros.of(30) });
        rejected.apply(ev('OrderSubmitted', 'OB-3'));
        rejected.apply(ev('OrderRejected', 'OB-3'));
        const filled = orderFx.makeOrder({ clientOrderId: cid('OB-4'), tsInit: UnixMicros.of(40) });
        filled.apply(ev('OrderSubmitted', 'OB-4'));
        filled.apply(ev('OrderAccepted', 'OB-4'));
        filled.apply(orderFx.fill('10', '99.50', { clientOrderId: cid('OB-4') }));
        expect(filled.isClosed).toBe(true);
        const eth = orderFx.makeOrder({ clientOrderId: cid('OB-5'), tsInit: UnixMicros.of(50), instrumentId: ETH });
        await store.appendOrderEvents([open1, open2, rejected, filled, eth].flatMap((o) => orderEventRecords(o)));

        const open = (await store.loadOpenOrders()).filter((o) => o.clientOrderId.startsWith('OB-'));
        expect(open.map((o) => [o.clientOrderId, o.status])).toEqual([
          ['OB-1', OrderStatus.Initialized],
          ['OB-2', OrderStatus.PendingCancel],
          ['OB-5', OrderStatus.Initialized],
        ]);
        expect((await store.loadOpenOrders({ instrumentId: ETH })).map((o) => o.clientOrderId)).toEqual(['OB-5']);
        expect((await store.loadOpenOrders({ strategyId: StrategyId.parse('S-2') })).map((o) => o.clientOrderId)).toEqual(['OB-2']);
        // the recovered order goes on from where it was
        const recovered = open.find((o) => o.clientOrderId === 'OB-2') as Order;
        recovered.apply(ev('OrderCanceled', 'OB-2', s2));
        await store.appendOrderEvents(orderEventRecords(recovered, 4));
        expect((await store.loadOpenOrders()).map((o) => o.clientOrderId)).not.toContain('OB-2');
        expect((await store.loadOrder(cid('OB-2')))?.status).toBe(OrderStatus.Canceled);
      });

      it('replays only up to the first missing seq, and catches up when the gap is filled', async () => {
        const order = orderFx.makeOrder({ clientOrderId: cid('OC-1') });
        order.apply(ev('OrderSubmitted', 'OC-1'));
        order.apply(ev('OrderAccepted', 'OC-1'));
        order.apply(ev('OrderCanceled', 'OC-1'));
        const rec = orderEventRecords(order);
        await store.appendOrderEvents([rec[0], rec[1], rec[3]]);
        expect((await store.loadOrder(cid('OC-1')))?.status).toBe(OrderStatus.Submitted);
        expect((await store.loadOpenOrders()).map((o) => o.clientOrderId)).toContain('OC-1');
        await store.appendOrderEvents([rec[2]]);
        expect((await store.loadOrder(cid('OC-1')))?.status).toBe(OrderStatus.Canceled);
        expect((await store.loadOpenOrders()).map((o) => o.clientOrderId)).not.toContain('OC-1');
        // without its OrderInitialized an order cannot be rebuilt
        await store.appendOrderEvents([{ seq: 1, event: ev('OrderSubmitted', 'OC-2') }]);
        expect(await store.loadOrder(cid('OC-2'))).toBeUndefined();
        expect((await store.orderEvents(cid('OC-2'))).length).toBe(1);
      });

      it('refuses a sequence the state machine refuses, storing none of the call', async () => {
        const order = orderFx.makeOrder({ clientOrderId: cid('OD-1') });
        const good = orderFx.makeOrder({ clientOrderId: cid('OD-2') });
        const bad = [
          ...orderEventRecords(good),
          { seq: 0, event: order.init },
          { seq: 1, event: orderFx.fill('1', '100.00', { clientOrderId: cid('OD-1') }) },
        ];
        await expect(store.appendOrderEvents(bad)).rejects.toBeInstanceOf(OrderReplayError);
        expect(await store.orderEvents(cid('OD-1'))).toEqual([]);
        expect(await store.orderEvents(cid('OD-2'))).toEqual([]);
        await expect(store.appendOrderEvents([{ seq: -1, event: order.init }])).rejects.toThrow(/seq/);
      });

      it('names the order whose stored payload no longer decodes', async () => {
        const init = encodeOrderEvent(orderFx.makeOrder({ clientOrderId: cid('OE-1') }).init);
        await opened.driver.query(
          `INSERT INTO order_events (client_order_id, seq, event_type, payload, ts_event) VALUES ('OE-1', 0, 'OrderInitialized', $1::text::jsonb, 1)`,
          [JSON.stringify({ ...init, quantity: 'ten' })],
        );
        await expect(store.loadOrder(cid('OE-1'))).rejects.toThrow(/OE-1.*quantity/);
        await expect(store.orderEvents(cid('OE-1'))).rejects.toBeInstanceOf(OrderReplayError);
      });
    });

    it('keeps the newest snapshot per position and finds the latest per account and instrument', async () => {
      const snap = (id: string, ts: number, over: Partial<PositionSnapshot> = {}): PositionSnapshot => ({
        positionId: PositionId.parse(id),
        accountId: ACC,
        strategyId: StrategyId.parse('EMA-CROSS-1'),
        instrumentId: BTC,
        side: PositionSide.Long,
        quantity: Quantity.parse('0.00150'),
        avgPxOpen: Price.parse('42000.123456'),
        realizedPnl: Money.parse('-0.00000123', USDT),
        lastFillTs: UnixMicros.of(ts),
        tsOpened: UnixMicros.of(100),
        ...over,
      });
      const plainSnap = (p: PositionSnapshot | undefined) =>
        p && { ...p, quantity: p.quantity.toString(), avgPxOpen: p.avgPxOpen?.toString(), realizedPnl: p.realizedPnl.toString() };
      await store.savePositions([snap('PP-1', 200)]);
      expect(plainSnap(await store.latestPosition(ACC, BTC))).toEqual(plainSnap(snap('PP-1', 200)));
      // an older snapshot changes nothing; a newer one replaces it
      await store.savePositions([snap('PP-1', 150, { quantity: Quantity.parse('9.00000') })]);
      expect((await store.latestPosition(ACC, BTC))?.quantity.toString()).toBe('0.00150');
      const closed = snap('PP-1', 300, { side: PositionSide.Flat, quantity: Quantity.parse('0.00000'), avgPxOpen: undefined, strategyId: undefined, realizedPnl: Money.parse('12.50', USDT), tsClosed: UnixMicros.of(300) });
      await store.savePositions([closed, snap('PP-2', 250, { instrumentId: ETH, side: PositionSide.Short })]);
      expect(plainSnap(await store.latestPosition(ACC, BTC))).toEqual(plainSnap(closed));
      expect((await store.openPositions()).map((p) => p.positionId)).toEqual(['PP-2']);
      // a new position in the same instrument becomes the latest
      await store.savePositions([snap('PP-3', 400)]);
      expect((await store.latestPosition(ACC, BTC))?.positionId).toBe('PP-3');
      expect((await store.openPositions(ACC)).map((p) => p.positionId)).toEqual(['PP-3', 'PP-2']);
      expect(await store.openPositions(AccountId.parse('OTHER'))).toEqual([]);
      expect(await store.latestPosition(AccountId.parse('OTHER'), BTC)).toBeUndefined();
      await store.savePositions([]);
    });
  });
}
