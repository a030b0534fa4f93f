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
  PositionId,
  Price,
  Quantity,
  StrategyId,
  TradeId,
  UnixMicros,
  VenueOrderId,
} from '../../src/core/index.js';
import type { Fill } from '../../src/core/index.js';
import { SqlTradingStore } from '../../src/infra/store/sql-trading-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
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
  });
}
