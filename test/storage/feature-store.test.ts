/** Contract of FeatureStore against every SQL backend (PGlite always, PostgreSQL when configured). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentId, UnixMicros } from '../../src/core/index.js';
import type { FeatureRecord, PredictionRecord } from '../../src/kernel/ports/feature-store.js';
import { SqlFeatureStore, decodeFloats, encodeFloats } from '../../src/infra/store/sql-feature-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
const ETH = InstrumentId.parse('ETHUSDT.BINANCE');
const DAY = 86_400_000_000;
const T0 = 1_704_067_200_000_000; // 2024-01-01T00:00:00Z
const ODD = { nan: NaN, inf: Infinity, ninf: -Infinity, negz: -0, tiny: 5e-324, big: 1.7976931348623157e308, third: 1 / 3, tenth: 0.1 };

describe('float encoding', () => {
  it('reads back every float64 exactly, NaN, infinities and -0 included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.double()), (values) => {
        const back = decodeFloats(encodeFloats(values));
        expect(Object.keys(back).sort()).toEqual(Object.keys(values).sort());
        for (const k of Object.keys(values)) expect(Object.is(back[k], values[k])).toBe(true);
      }),
    );
    expect(() => encodeFloats({ a: '1' as unknown as number })).toThrow(/number/);
  });
});

const exactly = (values: Readonly<Record<string, number>>) => Object.entries(values).map(([k, v]) => [k, Object.is(v, -0) ? '-0' : String(v)]).sort();

for (const backend of sqlBackends()) {
  describe(`FeatureStore contract: ${backend.name}`, () => {
    let opened: OpenedDb;
    let store: SqlFeatureStore;
    beforeAll(async () => {
      opened = await backend.open();
      store = new SqlFeatureStore(opened.driver);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('stores feature vectors idempotently across monthly partitions and reads ranges per instrument and set', async () => {
      // 2024-01-01 .. 2024-03-10 every 10 days: three monthly partitions
      const rec = (i: number, over: Partial<FeatureRecord> = {}): FeatureRecord => ({
        instrumentId: BTC,
        featureSet: 'ta-v1',
        tsEvent: UnixMicros.of(T0 + i * 10 * DAY),
        values: { rsi14: 30 + i / 7, ema20: 42000.5 + i },
        ...over,
      });
      const batch = [...Array.from({ length: 8 }, (_, i) => rec(i)), rec(0, { featureSet: 'ta-v2' }), rec(1, { instrumentId: ETH })];
      expect(await store.insertFeatures(batch)).toEqual({ received: 10, inserted: 10 });
      // replay plus one new row; a replayed key with other values changes nothing (first write wins)
      expect(await store.insertFeatures([rec(2, { values: { rsi14: -1 } }), rec(3), rec(8, { values: ODD })])).toEqual({ received: 3, inserted: 1 });
      expect(await store.insertFeatures([])).toEqual({ received: 0, inserted: 0 });

      const all = await store.features(BTC, 'ta-v1', { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) });
      expect(all.map((r) => r.tsEvent)).toEqual(Array.from({ length: 9 }, (_, i) => T0 + i * 10 * DAY));
      expect(all[2].values).toEqual({ rsi14: 30 + 2 / 7, ema20: 42002.5 });
      expect(exactly(all[8].values)).toEqual(exactly(ODD));
      expect(all[0]).toMatchObject({ instrumentId: BTC, featureSet: 'ta-v1' });
      const mid = await store.features(BTC, 'ta-v1', { from: UnixMicros.of(T0 + 10 * DAY), to: UnixMicros.of(T0 + 40 * DAY) });
      expect(mid.map((r) => (r.tsEvent - T0) / DAY)).toEqual([10, 20, 30]);
      expect((await store.features(BTC, 'ta-v1', { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) }, 2)).length).toBe(2);
      expect((await store.features(BTC, 'ta-v2', { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) })).length).toBe(1);
      expect((await store.features(ETH, 'ta-v1', { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) })).map((r) => r.tsEvent)).toEqual([T0 + 10 * DAY]);
      await expect(store.insertFeatures([rec(0, { tsEvent: 1.5 as UnixMicros })])).rejects.toThrow(RangeError);
    });

    it('stores predictions idempotently by model, instrument, time and horizon and reads ranges', async () => {
      const pred = (i: number, over: Partial<PredictionRecord> = {}): PredictionRecord => ({
        modelId: 'gbm-7',
        instrumentId: BTC,
        tsEvent: UnixMicros.of(T0 + i * 20 * DAY),
        horizonMicros: 60_000_000,
        value: 0.1 * i - 0.05,
        values: { up: 0.25 + i / 100, down: 0.75 - i / 100 },
        ...over,
      });
      const batch = [pred(0), pred(1), pred(1, { horizonMicros: 300_000_000, value: undefined, values: {} }), pred(2, { value: NaN }), pred(3, { value: -Infinity }), pred(0, { modelId: 'gbm-8' })];
      expect(await store.insertPredictions(batch)).toEqual({ received: 6, inserted: 6 });
      expect(await store.insertPredictions([pred(1, { value: 9 }), pred(4, { value: -0 })])).toEqual({ received: 2, inserted: 1 });
      expect(await store.insertPredictions([])).toEqual({ received: 0, inserted: 0 });

      const got = await store.predictions('gbm-7', BTC, { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) });
      expect(got.map((p) => [(p.tsEvent - T0) / (20 * DAY), p.horizonMicros])).toEqual([
        [0, 60_000_000],
        [1, 60_000_000],
        [1, 300_000_000],
        [2, 60_000_000],
        [3, 60_000_000],
        [4, 60_000_000],
      ]);
      expect(got[1]).toEqual(pred(1));
      expect(got[2].value).toBeUndefined();
      expect(got[2].values).toEqual({});
      expect(got[3].value).toBeNaN();
      expect(got[4].value).toBe(-Infinity);
      expect(Object.is(got[5].value, -0)).toBe(true);
      expect(got[0].value).toBe(-0.05);
      expect((await store.predictions('gbm-7', BTC, { from: UnixMicros.of(T0 + 20 * DAY), to: UnixMicros.of(T0 + 40 * DAY) }, 1)).map((p) => p.horizonMicros)).toEqual([60_000_000]);
      expect((await store.predictions('gbm-8', BTC, { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + DAY) })).length).toBe(1);
      expect(await store.predictions('gbm-7', ETH, { from: UnixMicros.of(T0), to: UnixMicros.of(T0 + 100 * DAY) })).toEqual([]);
      await expect(store.insertPredictions([pred(0, { horizonMicros: 0.5 })])).rejects.toThrow(RangeError);
    });
  });
}
