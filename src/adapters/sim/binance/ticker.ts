import { bucketNext, bucketStart, Kline } from '../klines.js';
import type { SymbolMarket } from '../market.js';

const DAY_MS = 86_400_000;

/** A symbol's statistics over the rolling 24 h before `closeMs`: a kline over the window plus what a ticker adds. */
export interface RollingStats {
  /** Start of the window actually counted (ms). */
  readonly openMs: number;
  readonly closeMs: number;
  /** Trades in the window (o/h/l/c in ticks; v in lots; q at tick x lot scale; f/L -1 when empty). */
  readonly k: Kline;
  /** Price (ticks) of the last trade before the window, or the symbol's starting price. */
  readonly prevClose: number;
  /** Size (lots) of the last trade in the window, 0 when there was none. */
  readonly lastQty: number;
}

/**
 * The trades of the last 24 h of simulated time up to `nowUs`, counted exactly. The trade history serves the
 * window when it reaches back to its start. When it does not (it holds a bounded number of trades), the part
 * it misses comes from the 1m klines and the window starts on the next whole minute, as Binance's own rolling
 * windows do; with kline history trimmed too, it starts at the oldest kept minute. `startMs` is when the
 * simulated market began (nothing traded before it).
 */
export function rollingStats(m: SymbolMarket, nowUs: number, startMs: number): RollingStats {
  const closeMs = Math.floor(nowUs / 1000);
  const t = m.trades;
  const initial = Math.round(m.spec.initialPrice / m.tickSize);
  const full = t.count >= t.capacity;
  const oldestUs = t.count > 0 ? t.timeUs[t.slot(0)] : 0;
  let openMs = closeMs - DAY_MS;
  let trimmed = false;
  if (full && oldestUs >= openMs * 1000) {
    const minute = bucketStart(openMs, '1m');
    if (minute < openMs) openMs = bucketNext(minute, '1m');
    const kept = m.historyStartMs();
    trimmed = kept > bucketStart(startMs, '1m');
    if (trimmed && kept > openMs) openMs = kept;
  }
  let k: Kline;
  let prevClose: number;
  let from: number;
  if (!full || oldestUs < openMs * 1000) {
    // Every trade since openMs is still held (times never decrease, so none after the oldest was dropped).
    from = t.lowerBoundTime(openMs * 1000);
    prevClose = from > 0 ? t.price[t.slot(from - 1)] : initial;
    k = new Kline(openMs, closeMs + 1, prevClose);
  } else {
    // The history holds every trade from the first whole minute after its oldest one; klines cover the rest.
    const split = bucketNext(bucketStart(Math.floor(oldestUs / 1000), '1m'), '1m');
    prevClose = !trimmed && openMs <= m.historyStartMs() ? initial : m.rangeKline(openMs, openMs).c;
    k = m.rangeKline(openMs, split);
    from = t.lowerBoundTime(split * 1000);
  }
  for (let i = from; i < t.count; i++) {
    const s = t.slot(i);
    k.add(t.id[s], t.price[s], t.qty[s], t.buyerMaker[s] === 1);
  }
  const lastQty = k.n > 0 ? t.qty[t.slot(t.count - 1)] : 0;
  return { openMs, closeMs, k, prevClose, lastQty };
}
