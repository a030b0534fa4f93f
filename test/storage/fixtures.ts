import { AggressorSide, BarSpec, InstrumentId, MICROS_PER_MINUTE, Price, Quantity, TradeId, UnixMicros } from '../../src/core/index.js';
import type { Bar, TradeTick } from '../../src/core/index.js';

/** Small deterministic PRNG (mulberry32) so fixtures are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` trades of one instrument from `start`, a random walk priced with 2 decimals and sized with 3. */
export function makeTrades(instrument: string, start: number, count: number, opts: { seed?: number; meanGapMicros?: number } = {}): TradeTick[] {
  const rand = rng(opts.seed ?? 1);
  const gap = opts.meanGapMicros ?? 1_000_000;
  const id = InstrumentId.parse(instrument);
  let ts = start;
  let px = 10_000_00;
  const out: TradeTick[] = [];
  for (let i = 0; i < count; i++) {
    ts += Math.floor(rand() * 2 * gap);
    px = Math.max(1, px + Math.round((rand() - 0.5) * 200));
    const side = rand() < 0.5 ? AggressorSide.Buyer : rand() < 0.9 ? AggressorSide.Seller : AggressorSide.None;
    out.push({
      type: 'trade',
      instrumentId: id,
      price: Price.fromRaw(px, 2),
      size: Quantity.fromRaw(1 + Math.floor(rand() * 5000), 3),
      aggressorSide: side,
      tradeId: TradeId.parse(`t${i}`),
      tsEvent: UnixMicros.of(ts),
      tsInit: UnixMicros.of(ts + 7),
    });
  }
  return out;
}

/**
 * Reference time bars straight from trades: group by floor(ts / duration), open = first trade by time,
 * close = last, high/low/volume/count over the group. Deliberately naive (sort then scan) and independent
 * of the store and of src/compute.
 */
export function referenceBars(trades: readonly TradeTick[], spec: BarSpec): Bar[] {
  const dur = BarSpec.durationMicros(spec);
  if (dur === undefined) throw new Error('time bars only');
  const sorted = [...trades].sort((a, b) => a.tsEvent - b.tsEvent || (a.tradeId < b.tradeId ? -1 : 1));
  const groups = new Map<string, TradeTick[]>();
  for (const t of sorted) {
    const key = `${t.instrumentId}|${Math.floor(t.tsEvent / dur) * dur}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(t);
  }
  const out: Bar[] = [];
  for (const [key, g] of groups) {
    const tsOpen = Number(key.split('|')[1]);
    let high = g[0].price;
    let low = g[0].price;
    let volume = Quantity.zero(g[0].size.precision);
    for (const t of g) {
      if (t.price.gt(high)) high = t.price;
      if (t.price.lt(low)) low = t.price;
      volume = volume.add(t.size);
    }
    out.push({
      type: 'bar',
      instrumentId: g[0].instrumentId,
      spec,
      open: g[0].price,
      high,
      low,
      close: g[g.length - 1].price,
      volume,
      tradeCount: g.length,
      tsOpen: UnixMicros.of(tsOpen),
      tsEvent: UnixMicros.of(tsOpen + dur),
      tsInit: g[g.length - 1].tsInit,
    });
  }
  return out.sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : a.tsOpen - b.tsOpen));
}

export const ONE_MINUTE = BarSpec.parse('1m');
export { MICROS_PER_MINUTE };

/** Comparable plain form of a bar (decimal strings), ignoring tsInit which the store keeps as max. */
export function plainBar(b: Bar): Record<string, unknown> {
  return {
    instrumentId: b.instrumentId,
    spec: BarSpec.toString(b.spec),
    tsOpen: b.tsOpen,
    tsEvent: b.tsEvent,
    open: b.open.toString(),
    high: b.high.toString(),
    low: b.low.toString(),
    close: b.close.toString(),
    volume: b.volume.toString(),
    tradeCount: b.tradeCount,
  };
}

export function plainTrade(t: TradeTick): Record<string, unknown> {
  return { ...t, price: t.price.toString(), size: t.size.toString(), pricePrecision: t.price.precision, sizePrecision: t.size.precision };
}

/** Fisher-Yates with a seeded PRNG. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = rng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
