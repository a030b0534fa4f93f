/**
 * Contract of HotCache, run against the memory implementation (time from a TestClock, so TTLs expire
 * without sleeping) and Redis when TRADEWIND_TEST_REDIS_URL is set (short PX TTLs, real sleeps, a key
 * prefix unique to the run, deleted afterwards). A set but unreachable Redis fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarSpec, InstrumentId, Price, Quantity, UnixMicros } from '../../src/core/index.js';
import type { QuoteTick } from '../../src/core/index.js';
import type { BookTop, HotCache, HotCacheTtls } from '../../src/kernel/ports/hot-cache.js';
import { TestClock } from '../../src/kernel/clock/test-clock.js';
import { MemoryHotCache } from '../../src/infra/cache/memory-hot-cache.js';
import { RedisHotCache } from '../../src/infra/cache/redis-hot-cache.js';
import { uniqueName } from './backends.js';
import { ONE_MINUTE, makeTrades, plainBar, referenceBars } from './fixtures.js';

const TTLS: HotCacheTtls = { bar: 5_000, quote: 300, book_top: 300, features: 5_000, prediction: 5_000 };

interface CacheUnderTest {
  readonly cache: HotCache;
  advance(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

const backends: { name: string; open(): Promise<CacheUnderTest> }[] = [
  {
    name: 'memory',
    async open() {
      const clock = new TestClock(UnixMicros.of(1_700_000_000_000_000));
      const cache = new MemoryHotCache({ ttls: TTLS, time: clock });
      return {
        cache,
        advance: async (ms) => void clock.advanceBy(ms * 1000),
        cleanup: () => cache.close(),
      };
    },
  },
];
const redisUrl = process.env.TRADEWIND_TEST_REDIS_URL;
if (redisUrl !== undefined && redisUrl !== '') {
  backends.push({
    name: 'redis',
    async open() {
      const cache = await RedisHotCache.open({ url: redisUrl, prefix: `${uniqueName('tw_test')}:`, ttls: TTLS });
      return {
        cache,
        advance: (ms) => new Promise((r) => setTimeout(r, ms)),
        async cleanup() {
          await cache.clear();
          await cache.close();
        },
      };
    },
  });
}

const BTC = InstrumentId.parse('BTCUSDT.BINANCE');
const ETH = InstrumentId.parse('ETHUSDT.BINANCE');

function quote(ts: number, bid = '100.10', inst = BTC): QuoteTick {
  return {
    type: 'quote',
    instrumentId: inst,
    bidPrice: Price.parse(bid),
    askPrice: Price.parse('100.20'),
    bidSize: Quantity.parse('1.500'),
    askSize: Quantity.parse('0.250'),
    tsEvent: UnixMicros.of(ts),
    tsInit: UnixMicros.of(ts + 1),
  };
}

function plainQuote(q: QuoteTick | undefined) {
  return q && { ...q, bidPrice: q.bidPrice.toString(), askPrice: q.askPrice.toString(), bidSize: q.bidSize.toString(), askSize: q.askSize.toString() };
}

for (const backend of backends) {
  describe(`HotCache contract: ${backend.name}`, () => {
    let t: CacheUnderTest;
    beforeAll(async () => {
      t = await backend.open();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('returns undefined for what was never written', async () => {
      expect(await t.cache.latestQuote(InstrumentId.parse('NONE.BINANCE'))).toBeUndefined();
      expect(await t.cache.latestBar(BTC, BarSpec.parse('1h'))).toBeUndefined();
    });

    it('round-trips every kind exactly, precision included', async () => {
      const bars = referenceBars(makeTrades(BTC, 1_700_000_000_000_000, 50, { seed: 1, meanGapMicros: 10_000_000 }), ONE_MINUTE);
      const bar = bars[bars.length - 1];
      const top: BookTop = {
        instrumentId: ETH,
        bidPrice: Price.parse('2000.10'),
        bidSize: Quantity.parse('3.00000'),
        askPrice: Price.parse('2000.20'),
        askSize: Quantity.parse('0.10000'),
        tsEvent: UnixMicros.of(5),
      };
      const kept = await t.cache.put([
        { kind: 'bar', bar },
        { kind: 'quote', quote: quote(10) },
        { kind: 'book_top', top },
        { kind: 'features', features: { instrumentId: BTC, name: 'ta', values: { rsi_14: 55.5, ema_20: 100.25 }, tsEvent: UnixMicros.of(3) } },
        { kind: 'prediction', prediction: { modelId: 'gbm-v1', instrumentId: BTC, values: { ret_1m: -0.0012 }, tsEvent: UnixMicros.of(4) } },
      ]);
      expect(kept).toBe(5);
      expect(plainBar((await t.cache.latestBar(BTC, ONE_MINUTE))!)).toEqual(plainBar(bar));
      expect((await t.cache.latestBar(BTC, ONE_MINUTE))?.volume.precision).toBe(3);
      expect(plainQuote(await t.cache.latestQuote(BTC))).toEqual(plainQuote(quote(10)));
      const gotTop = await t.cache.bookTop(ETH);
      expect(gotTop?.bidSize.toString()).toBe('3.00000');
      expect(gotTop?.askPrice.toString()).toBe('2000.20');
      expect(await t.cache.features(BTC, 'ta')).toEqual({ instrumentId: BTC, name: 'ta', values: { rsi_14: 55.5, ema_20: 100.25 }, tsEvent: 3 });
      expect(await t.cache.prediction('gbm-v1', BTC)).toEqual({ modelId: 'gbm-v1', instrumentId: BTC, values: { ret_1m: -0.0012 }, tsEvent: 4 });
      expect(await t.cache.features(BTC, 'other')).toBeUndefined();
      expect(await t.cache.prediction('gbm-v2', BTC)).toBeUndefined();
    });

    it('keeps the newest by event time whatever the arrival order', async () => {
      const inst = InstrumentId.parse('SOLUSDT.BINANCE');
      expect(await t.cache.put([{ kind: 'quote', quote: quote(200, '1.00', inst) }])).toBe(1);
      expect(await t.cache.put([{ kind: 'quote', quote: quote(100, '2.00', inst) }])).toBe(0);
      expect((await t.cache.latestQuote(inst))?.bidPrice.toString()).toBe('1.00');
      // within one pipelined batch too
      expect(await t.cache.put([{ kind: 'quote', quote: quote(300, '3.00', inst) }, { kind: 'quote', quote: quote(250, '4.00', inst) }])).toBe(1);
      expect((await t.cache.latestQuote(inst))?.bidPrice.toString()).toBe('3.00');
    });

    it('expires entries after their TTL; a kept write renews it, an ignored one does not', async () => {
      const a = InstrumentId.parse('AAA.TEST');
      const b = InstrumentId.parse('BBB.TEST');
      await t.cache.put([{ kind: 'quote', quote: quote(10, '1.00', a) }, { kind: 'quote', quote: quote(10, '1.00', b) }]);
      await t.advance(200);
      // a: newer write renews; b: older write is ignored and leaves the old expiry in place
      expect(await t.cache.put([{ kind: 'quote', quote: quote(11, '2.00', a) }, { kind: 'quote', quote: quote(9, '9.00', b) }])).toBe(1);
      await t.advance(160);
      expect((await t.cache.latestQuote(a))?.bidPrice.toString()).toBe('2.00');
      expect(await t.cache.latestQuote(b)).toBeUndefined();
      // once expired, any write is accepted again, even an older one
      expect(await t.cache.put([{ kind: 'quote', quote: quote(5, '5.00', b) }])).toBe(1);
      expect((await t.cache.latestQuote(b))?.bidPrice.toString()).toBe('5.00');
      await t.advance(200);
      expect(await t.cache.latestQuote(a)).toBeUndefined();
      // kinds have their own TTLs: the bar (5 s) outlives the quotes
      expect(await t.cache.latestBar(BTC, ONE_MINUTE)).toBeDefined();
    });

    it('writes a large batch in one call', async () => {
      const entries = Array.from({ length: 2000 }, (_, i) => ({ kind: 'quote' as const, quote: quote(1000 + i, '7.00', InstrumentId.parse(`S${i}.TEST`)) }));
      expect(await t.cache.put(entries)).toBe(2000);
      expect((await t.cache.latestQuote(InstrumentId.parse('S1999.TEST')))?.tsEvent).toBe(2999);
      expect(await t.cache.put([])).toBe(0);
    });
  });
}

describe('RedisHotCache', () => {
  it('fails clearly when the server is unreachable', async () => {
    await expect(RedisHotCache.open({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/cannot reach Redis/);
  });
});
