/**
 * Contract of MarketDataStore, run against every SQL backend (PGlite always, PostgreSQL when
 * TRADEWIND_TEST_PG_URL is set). Each run starts from an empty, freshly migrated database or schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarSpec, Instrument, InstrumentId, MICROS_PER_DAY, UnixMicros, Venue } from '../../src/core/index.js';
import type { Bar } from '../../src/core/index.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { BufferedWriter } from '../../src/infra/store/buffered-writer.js';
import { SqlMarketStore } from '../../src/infra/store/sql-market-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';
import { MICROS_PER_MINUTE, ONE_MINUTE, makeTrades, plainBar, plainTrade, referenceBars, shuffled } from './fixtures.js';

const T0 = Date.UTC(2024, 0, 30, 22, 0) * 1000; // crosses a day and a month boundary within hours
const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
const ETH = InstrumentId.parse('ETHUSDT.BINANCE');
const ALL = { from: UnixMicros.of(0), to: UnixMicros.of(Number.MAX_SAFE_INTEGER) };

for (const backend of sqlBackends()) {
  describe(`MarketDataStore contract: ${backend.name}`, () => {
    let opened: OpenedDb;
    let store: SqlMarketStore;

    beforeAll(async () => {
      opened = await backend.open();
      store = new SqlMarketStore(opened.driver);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('re-running migrations applies nothing', async () => {
      const again = await migrate(opened.driver);
      expect(again.applied).toEqual([]);
      expect(again.current).toBeGreaterThanOrEqual(4);
    });

    it('saves instrument definitions, newest wins, and reads them back by venue', async () => {
      const spec = {
        id: 'BTCUSDT.BINANCE',
        kind: 'spot',
        baseCurrency: 'BTC',
        quoteCurrency: 'USDT',
        pricePrecision: 2,
        sizePrecision: 5,
        tickSize: '0.01',
        lotSize: '0.00001',
        minNotional: '5',
        takerFee: '0.001',
      } as const;
      const btc = Instrument.create(spec);
      const aapl = Instrument.create({ id: 'AAPL.XNAS', kind: 'equity', baseCurrency: 'AAPL', quoteCurrency: 'USD', pricePrecision: 2, sizePrecision: 0, tickSize: '0.01', lotSize: '1' });
      await store.saveInstruments([btc, aapl], UnixMicros.of(100));
      await store.saveInstruments([Instrument.create({ ...spec, takerFee: '0.002' })], UnixMicros.of(50)); // older: ignored
      expect((await store.instruments()).map((i) => i.toJSON())).toEqual([aapl.toJSON(), btc.toJSON()]);
      await store.saveInstruments([Instrument.create({ ...spec, takerFee: '0.00075' })], UnixMicros.of(200));
      const binance = await store.instruments(Venue.parse('BINANCE'));
      expect(binance.map((i) => [i.id, i.takerFee.toString(), i.tickSize.toString()])).toEqual([['BTCUSDT.BINANCE', '0.00075', '0.01']]);
      await store.saveInstruments([], UnixMicros.of(300));
    });

    it('stores trades exactly and reads them back in time order', async () => {
      const trades = makeTrades(BTC, T0, 500, { seed: 3, meanGapMicros: 30_000_000 });
      const r = await store.insertTrades(shuffled(trades, 9));
      expect(r).toEqual({ received: 500, inserted: 500 });
      const back = await store.trades(BTC, ALL);
      const expected = [...trades].sort((a, b) => a.tsEvent - b.tsEvent || (a.tradeId < b.tradeId ? -1 : 1));
      expect(back.map(plainTrade)).toEqual(expected.map(plainTrade));
      // the fixture crosses midnight, so more than one daily partition was created on the fly
      expect(Math.floor(trades[trades.length - 1].tsEvent / MICROS_PER_DAY)).toBeGreaterThan(Math.floor(trades[0].tsEvent / MICROS_PER_DAY));
    });

    it('a replayed or overlapping batch changes nothing already stored', async () => {
      const trades = makeTrades(ETH, T0, 300, { seed: 4 });
      expect((await store.insertTrades(trades.slice(0, 200))).inserted).toBe(200);
      expect((await store.insertTrades(trades.slice(0, 200))).inserted).toBe(0);
      // overlap plus a duplicate inside the batch itself
      const r = await store.insertTrades([...trades.slice(150, 300), trades[299]]);
      expect(r).toEqual({ received: 151, inserted: 100 });
      expect(await store.countTrades(ETH)).toBe(300);
      const back = await store.trades(ETH, ALL);
      expect(back.map(plainTrade)).toEqual(trades.map(plainTrade));
    });

    it('reads a time range half-open and honours the limit', async () => {
      const all = await store.trades(ETH, ALL);
      const from = all[10].tsEvent;
      const to = all[20].tsEvent;
      const range = await store.trades(ETH, { from, to });
      expect(range.map((t) => t.tradeId)).toEqual(all.filter((t) => t.tsEvent >= from && t.tsEvent < to).map((t) => t.tradeId));
      expect(await store.trades(ETH, ALL, 5)).toHaveLength(5);
    });

    it('queries bars by range and the last N, with precision intact', async () => {
      const inst = InstrumentId.parse('SOLUSDT.BINANCE');
      const spec = BarSpec.parse('4h');
      const trades = makeTrades(inst, T0, 400, { seed: 5, meanGapMicros: 300_000_000 });
      const bars = referenceBars(trades, spec);
      expect((await store.insertBars(bars)).inserted).toBe(bars.length);
      expect((await store.insertBars(bars)).inserted).toBe(0);
      const back = await store.bars(inst, spec, ALL);
      expect(back.map(plainBar)).toEqual(bars.map(plainBar));
      expect(back[0].open.precision).toBe(2);
      expect(back[0].volume.precision).toBe(3);
      const last3 = await store.lastBars(inst, spec, 3);
      expect(last3.map(plainBar)).toEqual(bars.slice(-3).map(plainBar));
      const before = await store.lastBars(inst, spec, 2, bars[5].tsOpen);
      expect(before.map(plainBar)).toEqual(bars.slice(3, 5).map(plainBar));
      const mid = await store.bars(inst, spec, { from: bars[2].tsOpen, to: bars[4].tsOpen });
      expect(mid.map((b) => b.tsOpen)).toEqual([bars[2].tsOpen, bars[3].tsOpen]);
      expect(await store.bars(inst, BarSpec.parse('1m-bid'), ALL)).toEqual([]);
      expect(await store.lastBars(inst, BarSpec.parse('1m-bid'), 10)).toEqual([]);
      expect(await store.lastBars(inst, spec, 0)).toEqual([]);
      expect(await store.bars(inst, spec, ALL, 0)).toEqual([]);
    });

    it('pages long bar reads through the index with the same result as one query', async () => {
      const inst = InstrumentId.parse('DOTUSDT.BINANCE');
      const spec = BarSpec.parse('1m');
      const bars = referenceBars(makeTrades(inst, T0, 300, { seed: 9, meanGapMicros: 50_000_000 }), spec);
      expect(bars.length).toBeGreaterThan(20);
      await store.insertBars(bars);
      const paged = new SqlMarketStore(store.db, { barPage: 3 });
      const whole = await store.bars(inst, spec, ALL);
      expect(whole.map(plainBar)).toEqual(bars.map(plainBar));
      for (const n of [1, 3, 7, 9, bars.length, bars.length + 5]) {
        expect((await paged.bars(inst, spec, ALL, n)).map(plainBar)).toEqual(bars.slice(0, n).map(plainBar));
        expect((await paged.lastBars(inst, spec, n)).map(plainBar)).toEqual(bars.slice(-n).map(plainBar));
        expect((await paged.lastBars(inst, spec, n, bars[15].tsOpen)).map(plainBar)).toEqual(bars.slice(Math.max(0, 15 - n), 15).map(plainBar));
      }
      const from = bars[4].tsOpen;
      const to = bars[17].tsOpen;
      expect((await paged.bars(inst, spec, { from, to })).map(plainBar)).toEqual(bars.slice(4, 17).map(plainBar));
      expect(() => new SqlMarketStore(store.db, { barPage: 0 })).toThrow(/barPage/);
    });

    it('a failing bar read is an error, and reads go on working after it', async () => {
      await expect(store.db.copyOutBinary('SELECT no_such_column FROM bars', (b) => b.length)).rejects.toThrow(/no_such_column/);
      // quotes in an id are data, not SQL (ids that reach the store are parsed, but the quoting must not rely on it)
      expect(await store.lastBars("O'NEIL'); DROP TABLE bars; --.X" as InstrumentId, BarSpec.parse('1m'), 10)).toEqual([]);
      await expect(store.lastBars(InstrumentId.parse('DOTUSDT.BINANCE'), BarSpec.parse('1m'), 5, 1.5 as UnixMicros)).rejects.toThrow(/before must be a safe integer/);
      expect(await store.lastBars(InstrumentId.parse('DOTUSDT.BINANCE'), BarSpec.parse('1m'), 5)).toHaveLength(5);
    });

    it('rolls 1-minute bars up to 5m, 15m, 1h and 1d equal to bars built straight from the trades', async () => {
      const insts = [InstrumentId.parse('ADAUSDT.BINANCE'), InstrumentId.parse('XRPUSDT.BINANCE')];
      const trades = insts.flatMap((inst, i) => makeTrades(inst, T0, 3000, { seed: 20 + i, meanGapMicros: 40_000_000 }));
      const minute = referenceBars(trades, ONE_MINUTE);
      // out-of-order arrival in uneven batches, with one batch replayed
      const order = shuffled(minute, 77);
      const cuts = [0, 1, 7, 100, 101, 900, order.length];
      for (let i = 0; i + 1 < cuts.length; i++) await store.insertBars(order.slice(cuts[i], cuts[i + 1]));
      expect((await store.insertBars(order.slice(100, 900))).inserted).toBe(0);
      for (const specText of ['1m', '5m', '15m', '1h', '1d']) {
        const spec = BarSpec.parse(specText);
        const expected = referenceBars(trades, spec);
        const got: Bar[] = [];
        for (const inst of insts) got.push(...(await store.bars(inst, spec, ALL)));
        expect(got.map(plainBar), specText).toEqual(expected.map(plainBar));
      }
    });

    it('writes through a bounded BufferedWriter with back-pressure, losing nothing', async () => {
      const inst = InstrumentId.parse('DOGEUSDT.BINANCE');
      const trades = makeTrades(inst, T0, 5000, { seed: 6, meanGapMicros: 100_000 });
      const writer = new BufferedWriter({ sink: (b: readonly (typeof trades)[number][]) => store.insertTrades(b), batchSize: 700, capacity: 1500 });
      let refused = 0;
      for (const t of trades) {
        if (!writer.write(t)) {
          refused++;
          expect(writer.buffered).toBe(1500);
          await writer.put(t);
        }
      }
      await writer.close();
      expect(refused).toBeGreaterThan(0);
      expect(writer.stats.written).toBe(5000);
      expect(await store.countTrades(inst)).toBe(5000);
    });

    it('creates partitions ahead and drops those past retention', async () => {
      const now = UnixMicros.of(Date.UTC(2024, 5, 15, 12) * 1000);
      const res = await store.maintain(now);
      const trades = res.find((r) => r.table === 'trades');
      expect(trades?.created).toBe(3); // today and two days ahead
      expect(res.find((r) => r.table === 'bars')?.created).toBe(2); // this month and the next
      const names = await opened.driver.query<{ partition_name: string }>(`SELECT partition_name FROM tw_partitions('trades')`);
      expect(names.map((n) => n.partition_name)).toEqual(expect.arrayContaining(['trades_p20240615', 'trades_p20240617', 'trades_p20240130', 'trades_p20240131']));
      // keep 30 days of trades: January's partitions go, June's stay, and their rows with them
      await opened.driver.query(`UPDATE tw_partition_policy SET retention_micros = $1 WHERE table_name = 'trades'`, [30 * MICROS_PER_DAY]);
      const after = await store.maintain(now);
      const dropped = after.find((r) => r.table === 'trades')?.dropped ?? [];
      expect(dropped).toEqual(expect.arrayContaining(['trades_p20240130', 'trades_p20240131']));
      expect(dropped).not.toContain('trades_p20240615');
      expect(await store.countTrades()).toBe(0);
      // the store notices the dropped partitions and recreates them for a late write
      const late = makeTrades(BTC, T0, 3, { seed: 8 });
      expect((await store.insertTrades(late)).inserted).toBe(3);
      await opened.driver.query(`UPDATE tw_partition_policy SET retention_micros = NULL WHERE table_name = 'trades'`);
    });

    it('recreates a partition that another process dropped after this store had seen it', async () => {
      const inst = InstrumentId.parse('AVAXUSDT.BINANCE');
      const day = Date.UTC(2023, 6, 4) * 1000;
      const first = makeTrades(inst, day, 5, { seed: 11 });
      expect((await store.insertTrades(first)).inserted).toBe(5);
      await opened.driver.exec('DROP TABLE trades_p20230704');
      const again = makeTrades(inst, day, 8, { seed: 12 }).slice(5);
      expect((await store.insertTrades(again)).inserted).toBe(3);
      expect(await store.countTrades(inst)).toBe(3);
    });

    it('rejects a write for which no partition can exist as a permanent error', async () => {
      const bad = makeTrades(BTC, T0, 1, { seed: 9 });
      await expect(
        store.insertTrades([{ ...bad[0], tsEvent: UnixMicros.unsafe(-5) }]),
      ).rejects.toThrow();
    });

    it('minute bars that arrive late fix open/close of their rollup by time, not arrival', async () => {
      const inst = InstrumentId.parse('LTCUSDT.BINANCE');
      const all = referenceBars(makeTrades(inst, T0, 50, { seed: 10, meanGapMicros: 60_000_000 }), ONE_MINUTE).slice(0, 6);
      await store.insertBars([all[3]]);
      await store.insertBars([all[5], all[4]]);
      await store.insertBars([all[0]]);
      await store.insertBars([all[2], all[1]]);
      const hour = await store.bars(inst, BarSpec.parse('1h'), ALL);
      const first = all[0];
      const last = all[5];
      expect(hour.length).toBeGreaterThan(0);
      const bucket = first.tsOpen - (first.tsOpen % (60 * MICROS_PER_MINUTE));
      const h = hour.find((b) => b.tsOpen === bucket);
      if (last.tsOpen - (last.tsOpen % (60 * MICROS_PER_MINUTE)) === bucket) {
        expect(h?.open.toString()).toBe(first.open.toString());
        expect(h?.close.toString()).toBe(last.close.toString());
      } else {
        expect(h?.open.toString()).toBe(first.open.toString());
      }
    });
  });
}
