import { RoundingMode, divRound } from '../../../core/decimal.js';
import { formatFixed, formatPadded } from '../fixed.js';
import type { Kline } from '../klines.js';
import type { SymbolMarket } from '../market.js';
import type { RollingStats } from './ticker.js';

/**
 * Binance frame and REST body templates, built with string templates rather than JSON.stringify: the
 * per-frame cost matters at 100,000 frames per second, and templates fix the field order to the venue's.
 * Spot writes every price and size with 8 places; USD-M futures with the symbol's own precision.
 */
export type BinanceMarketKind = 'spot' | 'usdm';

export class BinanceWire {
  /** Formatted prices per symbol: the same few hundred ticks near the touch recur in most frames. */
  private readonly priceCache: Map<number, string>[] = [];

  constructor(readonly kind: BinanceMarketKind) {}

  price(m: SymbolMarket, ticks: number): string {
    let cache = this.priceCache[m.index];
    if (cache === undefined) cache = this.priceCache[m.index] = new Map();
    let s = cache.get(ticks);
    if (s === undefined) {
      s = this.kind === 'spot' ? formatPadded(ticks, m.spec.pricePrecision, 8) : formatFixed(ticks, m.spec.pricePrecision);
      if (cache.size >= 2048) cache.clear();
      cache.set(ticks, s);
    }
    return s;
  }

  qty(m: SymbolMarket, lots: number): string {
    return this.kind === 'spot' ? formatPadded(lots, m.spec.qtyPrecision, 8) : formatFixed(lots, m.spec.qtyPrecision);
  }

  /** A product of ticks and lots (quote volume) at 8 places (spot) or the symbol's combined precision. */
  quote(m: SymbolMarket, v: bigint): string {
    const p = m.spec.pricePrecision + m.spec.qtyPrecision;
    return this.kind === 'spot' ? formatPadded(v, p, 8) : formatFixed(v, p);
  }

  trade(m: SymbolMarket, id: number, price: number, qty: number, timeMs: number, buyerMaker: boolean): string {
    return `{"e":"trade","E":${timeMs},"s":"${m.symbol}","t":${id},"p":"${this.price(m, price)}","q":"${this.qty(m, qty)}","T":${timeMs},"m":${buyerMaker}${this.kind === 'spot' ? ',"M":true}' : '}'}`;
  }

  aggTrade(m: SymbolMarket, aggId: number, price: number, qty: number, first: number, last: number, timeMs: number, buyerMaker: boolean): string {
    if (this.kind === 'spot') {
      return `{"e":"aggTrade","E":${timeMs},"s":"${m.symbol}","a":${aggId},"p":"${this.price(m, price)}","q":"${this.qty(m, qty)}","f":${first},"l":${last},"T":${timeMs},"m":${buyerMaker},"M":true}`;
    }
    return `{"e":"aggTrade","E":${timeMs},"a":${aggId},"s":"${m.symbol}","p":"${this.price(m, price)}","q":"${this.qty(m, qty)}","f":${first},"l":${last},"T":${timeMs},"m":${buyerMaker}}`;
  }

  bookTicker(m: SymbolMarket, timeMs: number): string {
    const b = m.bestBid;
    const a = m.bestAsk;
    const bp = b < 0 ? this.price(m, 0) : this.price(m, b);
    const bq = this.qty(m, b < 0 ? 0 : m.bidAt(b));
    const ap = a < 0 ? this.price(m, 0) : this.price(m, a);
    const aq = this.qty(m, a < 0 ? 0 : m.askAt(a));
    if (this.kind === 'spot') return `{"u":${m.updateId},"s":"${m.symbol}","b":"${bp}","B":"${bq}","a":"${ap}","A":"${aq}"}`;
    return `{"e":"bookTicker","u":${m.updateId},"s":"${m.symbol}","b":"${bp}","B":"${bq}","a":"${ap}","A":"${aq}","T":${timeMs},"E":${timeMs}}`;
  }

  levels(m: SymbolMarket, flat: readonly number[]): string {
    if (flat.length === 0) return '[]';
    let s = '[';
    for (let i = 0; i < flat.length; i += 2) {
      if (i > 0) s += ',';
      s += `["${this.price(m, flat[i])}","${this.qty(m, flat[i + 1])}"]`;
    }
    return `${s}]`;
  }

  depthUpdate(m: SymbolMarket, first: number, last: number, prev: number, timeMs: number, bids: readonly number[], asks: readonly number[]): string {
    if (this.kind === 'spot') {
      return `{"e":"depthUpdate","E":${timeMs},"s":"${m.symbol}","U":${first},"u":${last},"b":${this.levels(m, bids)},"a":${this.levels(m, asks)}}`;
    }
    return `{"e":"depthUpdate","E":${timeMs},"T":${timeMs},"s":"${m.symbol}","U":${first},"u":${last},"pu":${prev},"b":${this.levels(m, bids)},"a":${this.levels(m, asks)}}`;
  }

  /** Partial book depth stream payload (`@depth5` etc.). Futures send it in the depthUpdate shape. */
  partialDepth(m: SymbolMarket, limit: number, timeMs: number, prevU: number): string {
    const { bids, asks } = m.levels(limit);
    if (this.kind === 'spot') return `{"lastUpdateId":${m.updateId},"bids":${this.levels(m, bids)},"asks":${this.levels(m, asks)}}`;
    return `{"e":"depthUpdate","E":${timeMs},"T":${timeMs},"s":"${m.symbol}","U":${prevU + 1},"u":${m.updateId},"pu":${prevU},"b":${this.levels(m, bids)},"a":${this.levels(m, asks)}}`;
  }

  /** REST `/depth` body; futures add event and transaction times. */
  depthSnapshot(m: SymbolMarket, limit: number, timeMs: number): string {
    const { bids, asks } = m.levels(limit);
    if (this.kind === 'spot') return `{"lastUpdateId":${m.updateId},"bids":${this.levels(m, bids)},"asks":${this.levels(m, asks)}}`;
    return `{"lastUpdateId":${m.updateId},"E":${timeMs},"T":${timeMs},"bids":${this.levels(m, bids)},"asks":${this.levels(m, asks)}}`;
  }

  kline(m: SymbolMarket, k: Kline, interval: string, timeMs: number, closed: boolean): string {
    return `{"e":"kline","E":${timeMs},"s":"${m.symbol}","k":{"t":${k.openMs},"T":${k.endMs - 1},"s":"${m.symbol}","i":"${interval}","f":${k.f},"L":${k.L},"o":"${this.price(m, k.o)}","c":"${this.price(m, k.c)}","h":"${this.price(m, k.h)}","l":"${this.price(m, k.l)}","v":"${this.qty(m, k.v)}","n":${k.n},"x":${closed},"q":"${this.quote(m, k.q)}","V":"${this.qty(m, k.V)}","Q":"${this.quote(m, k.Q)}","B":"0"}}`;
  }

  /** One row of REST `/klines`. */
  klineRow(m: SymbolMarket, k: Kline): string {
    return `[${k.openMs},"${this.price(m, k.o)}","${this.price(m, k.h)}","${this.price(m, k.l)}","${this.price(m, k.c)}","${this.qty(m, k.v)}",${k.endMs - 1},"${this.quote(m, k.q)}",${k.n},"${this.qty(m, k.V)}","${this.quote(m, k.Q)}","0"]`;
  }

  aggTradeRow(m: SymbolMarket, aggId: number, price: number, qty: number, first: number, last: number, timeMs: number, buyerMaker: boolean): string {
    return `{"a":${aggId},"p":"${this.price(m, price)}","q":"${this.qty(m, qty)}","f":${first},"l":${last},"T":${timeMs},"m":${buyerMaker}${this.kind === 'spot' ? ',"M":true}' : '}'}`;
  }

  tradeRow(m: SymbolMarket, id: number, price: number, qty: number, timeMs: number, buyerMaker: boolean): string {
    const quote = this.quote(m, BigInt(price) * BigInt(qty));
    return `{"id":${id},"price":"${this.price(m, price)}","qty":"${this.qty(m, qty)}","quoteQty":"${quote}","time":${timeMs},"isBuyerMaker":${buyerMaker}${this.kind === 'spot' ? ',"isBestMatch":true}' : '}'}`;
  }

  /** A price difference in ticks, signed. */
  priceDelta(m: SymbolMarket, ticks: number): string {
    return ticks < 0 ? `-${this.price(m, -ticks)}` : this.price(m, ticks);
  }

  /**
   * REST `/ticker/24hr` for one symbol. `FULL` (futures have no prevClose, bid or ask) or `MINI`. The percent
   * change has 3 places and the weighted average price 8 on spot, the symbol's precision on futures, both
   * rounded half away from zero from exact integers.
   */
  ticker24hr(m: SymbolMarket, st: RollingStats, mini: boolean): string {
    const k = st.k;
    const pp = m.spec.pricePrecision;
    const tail = `"volume":"${this.qty(m, k.v)}","quoteVolume":"${this.quote(m, k.q)}","openTime":${st.openMs},"closeTime":${st.closeMs},"firstId":${k.f},"lastId":${k.L},"count":${k.n}}`;
    if (mini) {
      return `{"symbol":"${m.symbol}","openPrice":"${this.price(m, k.o)}","highPrice":"${this.price(m, k.h)}","lowPrice":"${this.price(m, k.l)}","lastPrice":"${this.price(m, k.c)}",${tail}`;
    }
    const change = k.c - k.o;
    const pct = k.o === 0 ? '0.000' : signedFixed(divRound(BigInt(change) * 100_000n, BigInt(k.o), RoundingMode.HalfUp), 3);
    const avgPlaces = this.kind === 'spot' ? Math.max(8, pp) : pp;
    const avg = k.v === 0 ? 0n : divRound(k.q * 10n ** BigInt(avgPlaces - pp), BigInt(k.v), RoundingMode.HalfUp);
    const head = `{"symbol":"${m.symbol}","priceChange":"${this.priceDelta(m, change)}","priceChangePercent":"${pct}","weightedAvgPrice":"${formatFixed(avg, avgPlaces)}"`;
    const last = `"lastPrice":"${this.price(m, k.c)}","lastQty":"${this.qty(m, st.lastQty)}"`;
    const ohl = `"openPrice":"${this.price(m, k.o)}","highPrice":"${this.price(m, k.h)}","lowPrice":"${this.price(m, k.l)}"`;
    if (this.kind === 'usdm') return `${head},${last},${ohl},${tail}`;
    const b = Math.max(0, m.bestBid);
    const a = Math.max(0, m.bestAsk);
    const book = `"bidPrice":"${this.price(m, b)}","bidQty":"${this.qty(m, m.bidAt(b))}","askPrice":"${this.price(m, a)}","askQty":"${this.qty(m, m.askAt(a))}"`;
    return `${head},"prevClosePrice":"${this.price(m, st.prevClose)}",${last},${book},${ohl},${tail}`;
  }
}

function signedFixed(v: bigint, decimals: number): string {
  return v < 0n ? `-${formatFixed(-v, decimals)}` : formatFixed(v, decimals);
}
