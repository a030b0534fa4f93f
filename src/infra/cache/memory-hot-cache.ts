import type { Bar, BarSpec, InstrumentId, QuoteTick, UnixMicros } from '../../core/index.js';
import type { BookTop, FeatureVector, HotCache, HotCacheTtls, HotEntry, Prediction } from '../../kernel/ports/hot-cache.js';
import { DEFAULT_HOT_TTLS } from '../../kernel/ports/hot-cache.js';
import { decodeBar, decodeBookTop, decodeFeatures, decodePrediction, decodeQuote, encodeEntry, hotKeys } from './hot-codec.js';

/** Anything with the Clock's `now()`: the kernel's TestClock in tests, wall time by default. */
export interface TimeSource {
  now(): UnixMicros;
}

const wallTime: TimeSource = { now: () => (Date.now() * 1000) as UnixMicros };

interface Slot {
  readonly ts: number;
  readonly json: string;
  readonly expiresAt: number; // microseconds
}

/**
 * HotCache in this process, with the Redis implementation's behaviour: newest event time wins, a kept
 * write renews the TTL, an expired entry reads as absent. Values are stored encoded, as in Redis, so a
 * reader gets a fresh object and cannot change what another reader sees.
 */
export class MemoryHotCache implements HotCache {
  private readonly slots = new Map<string, Slot>();
  private readonly ttls: HotCacheTtls;

  constructor(options: { ttls?: Partial<HotCacheTtls>; time?: TimeSource } = {}) {
    this.ttls = { ...DEFAULT_HOT_TTLS, ...options.ttls };
    this.time = options.time ?? wallTime;
  }

  private readonly time: TimeSource;

  async put(entries: readonly HotEntry[]): Promise<number> {
    const now = this.time.now();
    let kept = 0;
    for (const entry of entries) {
      const e = encodeEntry(entry);
      const cur = this.live(e.key, now);
      if (cur !== undefined && cur.ts > e.ts) continue;
      this.slots.set(e.key, { ts: e.ts, json: e.json, expiresAt: now + this.ttls[e.kind] * 1000 });
      kept++;
    }
    return kept;
  }

  private live(key: string, now: number): Slot | undefined {
    const s = this.slots.get(key);
    if (s === undefined) return undefined;
    if (now >= s.expiresAt) {
      this.slots.delete(key);
      return undefined;
    }
    return s;
  }

  private read<T>(key: string, decode: (json: string) => T): Promise<T | undefined> {
    const s = this.live(key, this.time.now());
    return Promise.resolve(s === undefined ? undefined : decode(s.json));
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

  async close(): Promise<void> {
    this.slots.clear();
  }
}
