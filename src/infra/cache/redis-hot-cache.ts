import { Redis } from 'ioredis';
import type { Bar, BarSpec, InstrumentId, QuoteTick } from '../../core/index.js';
import { TradewindError } from '../../core/errors.js';
import type { BookTop, FeatureVector, HotCache, HotCacheTtls, HotEntry, Prediction } from '../../kernel/ports/hot-cache.js';
import { DEFAULT_HOT_TTLS } from '../../kernel/ports/hot-cache.js';
import { decodeBar, decodeBookTop, decodeFeatures, decodePrediction, decodeQuote, encodeEntry, hotKeys } from './hot-codec.js';

export class HotCacheError extends TradewindError {}

/**
 * Sets KEYS[1] to "<ts>|<json>" with a PX TTL unless the stored value has a newer event time, atomically in
 * the server, so that concurrent writers and out-of-order messages cannot move a value back.
 * Microsecond timestamps are below 2^53 and so exact as Lua numbers.
 */
const PUT_LATEST = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if sep and tonumber(string.sub(cur, 1, sep - 1)) > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
`;

type WithPut = Redis & { twPutLatest(key: string, ts: string, json: string, ttlMs: string): Promise<number> };

export interface RedisHotCacheOptions {
  readonly url: string;
  /** Prefix of every key (per deployment, or per test run). */
  readonly prefix?: string;
  readonly ttls?: Partial<HotCacheTtls>;
}

/** HotCache on Redis: one pipelined round trip per `put`, server-side newest-wins, PX TTLs. */
export class RedisHotCache implements HotCache {
  private readonly ttls: HotCacheTtls;
  private readonly prefix: string;

  private constructor(
    private readonly redis: WithPut,
    options: RedisHotCacheOptions,
  ) {
    this.ttls = { ...DEFAULT_HOT_TTLS, ...options.ttls };
    this.prefix = options.prefix ?? 'tw:';
  }

  /** Connects and pings; an unreachable server is an error, not an endless reconnect loop. */
  static async open(options: RedisHotCacheOptions): Promise<RedisHotCache> {
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5_000 });
    redis.defineCommand('twPutLatest', { numberOfKeys: 1, lua: PUT_LATEST });
    // Connection trouble surfaces as rejected commands; without a listener ioredis would also print it.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new HotCacheError(`cannot reach Redis at ${options.url.replace(/\/\/[^@]*@/, '//***@')}`, { cause: err });
    }
    return new RedisHotCache(redis as WithPut, options);
  }

  async put(entries: readonly HotEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const pipe = this.redis.pipeline() as unknown as { twPutLatest(...a: string[]): void; exec(): Promise<[Error | null, unknown][] | null> };
    for (const entry of entries) {
      const e = encodeEntry(entry);
      pipe.twPutLatest(this.prefix + e.key, String(e.ts), e.json, String(this.ttls[e.kind]));
    }
    const results = (await pipe.exec()) ?? [];
    let kept = 0;
    for (const [err, res] of results) {
      if (err !== null) throw new HotCacheError('Redis pipeline write failed', { cause: err });
      kept += Number(res);
    }
    return kept;
  }

  private async read<T>(key: string, decode: (json: string) => T): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    if (raw === null) return undefined;
    return decode(raw.slice(raw.indexOf('|') + 1));
  }

  latestBar(instrumentId: InstrumentId, spec: BarSpec): Promise<Bar | undefined> {
    return this.read(hotKeys.bar(instrumentId, spec), decodeBar);
  }
  latestQuote(instrumentId: InstrumentId): Promise<QuoteTick | undefined> {
    return this.read(hotKeys.quote(instrumentId), decodeQuote);
  }
  bookTop(instrumentId: InstrumentId): Promise<BookTop | undefined> {
    return this.read(hotKeys.bookTop(instrumentId), decodeBookTop);
  }
  features(instrumentId: InstrumentId, name: string): Promise<FeatureVector | undefined> {
    return this.read(hotKeys.features(instrumentId, name), decodeFeatures);
  }
  prediction(modelId: string, instrumentId: InstrumentId): Promise<Prediction | undefined> {
    return this.read(hotKeys.prediction(modelId, instrumentId), decodePrediction);
  }

  /** Deletes every key under this cache's prefix (test clean-up). */
  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
