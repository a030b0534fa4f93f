import { Kline, bucketNext, bucketStart, type KlineInterval } from './klines.js';
import { Rng, hashString } from './rng.js';
import type { SymbolSpec } from './symbols.js';

/**
 * The simulated markets as a pure state machine: `advanceTo(t)` moves every symbol through fixed steps of
 * simulated time and reports what happened to a listener, synchronously. No timers or sockets here, so a
 * test can drive it tick by tick and a seed fixes every event.
 *
 * Prices are integers in ticks (10^-pricePrecision), sizes integers in lots (10^-qtyPrecision), times in
 * microseconds. The book is a price ladder around the fair price; trades take liquidity from it, so the
 * depth diffs, the book ticker and the trades always agree.
 */

/** What the market reports. Arguments are plain numbers so that nothing is allocated per event. */
export interface MarketListener {
  trade(m: SymbolMarket, id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void;
  aggTrade(m: SymbolMarket, aggId: number, price: number, qty: number, firstId: number, lastId: number, timeUs: number, buyerMaker: boolean): void;
  /** The best bid or ask (price or size) changed; read them from `m`. */
  bookTicker(m: SymbolMarket, timeUs: number): void;
  /** Levels changed in a window of `windowMs`; `bids`/`asks` are flat [tick, lots, tick, lots, ...]. */
  depthDiff(m: SymbolMarket, windowMs: 100 | 1000, firstId: number, lastId: number, prevLastId: number, timeUs: number, bids: readonly number[], asks: readonly number[]): void;
  /** Called after the events of each 100 ms boundary (diffs flushed; klines rolled on whole seconds). */
  boundary(timeUs: number): void;
}

export interface SyntheticParams {
  /** Mean taker orders per second per symbol in the calm regime. */
  readonly tradeRate: number;
  /** Hawkes excitation added per taker order, and its decay rate per second (branching ratio alpha/beta < 1). */
  readonly hawkesAlpha: number;
  readonly hawkesBeta: number;
  /** Annualised-free volatility per sqrt(second) of the fair price, long-run level. */
  readonly volatility: number;
  /** Mean reversion speed (per second) and vol-of-vol of the log variance. */
  readonly volMeanReversion: number;
  readonly volOfVol: number;
  /** Jumps: rate per second and standard deviation of the log jump size. */
  readonly jumpRate: number;
  readonly jumpStdev: number;
  /** Book depth kept on each side, in ticks from the fair price. */
  readonly depthTicks: number;
}

export const defaultSyntheticParams: SyntheticParams = {
  tradeRate: 5,
  hawkesAlpha: 1.5,
  hawkesBeta: 3,
  volatility: 0.0004,
  volMeanReversion: 0.05,
  volOfVol: 0.15,
  jumpRate: 0.002,
  jumpStdev: 0.004,
  depthTicks: 150,
};

export interface MarketOptions {
  readonly seed: number;
  readonly symbols: readonly SymbolSpec[];
  /** Simulated start time (µs); rounded down to a whole step. */
  readonly startUs: number;
  /** Step of simulated time (µs); must divide 100 ms. Default 10 ms. */
  readonly stepUs?: number;
  /** `synthetic` generates order flow; `external` only records trades fed through `externalTrade`. */
  readonly mode?: 'synthetic' | 'external';
  readonly params?: Partial<SyntheticParams>;
  /** Trades (and aggregated trades) kept per symbol for REST; default scales with the symbol count. */
  readonly tradeHistory?: number;
  /** Closed 1m klines kept per symbol for REST. */
  readonly klineHistory?: number;
}

const LADDER = 1024;

/** Fixed-capacity history of trades for REST lookups (`/trades`, `/aggTrades`, 1s klines). */
export class TradeRing {
  readonly id: Float64Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
  readonly timeUs: Float64Array;
  readonly buyerMaker: Uint8Array;
  /** Aggregated trades only: first and last trade id. */
  readonly first: Float64Array;
  readonly last: Float64Array;
  count = 0;
  private head = 0;

  constructor(readonly capacity: number) {
    this.id = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.timeUs = new Float64Array(capacity);
    this.buyerMaker = new Uint8Array(capacity);
    this.first = new Float64Array(capacity);
    this.last = new Float64Array(capacity);
  }

  push(id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean, first = 0, last = 0): void {
    const i = this.head;
    this.id[i] = id;
    this.price[i] = price;
    this.qty[i] = qty;
    this.timeUs[i] = timeUs;
    this.buyerMaker[i] = buyerMaker ? 1 : 0;
    this.first[i] = first;
    this.last[i] = last;
    this.head = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Physical slot of the k-th oldest entry (0 <= k < count). */
  slot(k: number): number {
    return (this.head - this.count + k + this.capacity) % this.capacity;
  }

  /** Index k of the oldest entry with id >= `id`, or count. Ids ascend. */
  lowerBoundId(id: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.id[this.slot(mid)] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index k of the oldest entry with time >= `timeUs`, or count. Times never decrease. */
  lowerBoundTime(timeUs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeUs[this.slot(mid)] < timeUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** One symbol: its book, trade ids, history and (in synthetic mode) the processes that drive it. */
export class SymbolMarket {
  readonly symbol: string;
  readonly lower: string;
  readonly tickSize: number;
  // Book: two ladders of lots indexed by tick - lo.
  private lo: number;
  private readonly bidQty = new Float64Array(LADDER);
  private readonly askQty = new Float64Array(LADDER);
  /** Best bid/ask in ticks (NaN-free: -1 when the side is empty). */
  bestBid = -1;
  bestAsk = -1;
  /** Last book update id: every book change takes the next one. */
  updateId: number;
  nextTradeId: number;
  nextAggId: number;
  lastPrice: number;
  readonly trades: TradeRing;
  readonly aggTrades: TradeRing;
  /** Closed 1m klines, oldest first, capped. */
  readonly minutes: Kline[] = [];
  open1m: Kline;
  open1s: Kline;
  // Depth-diff windows: changed ticks since the last flush, and the update-id range they cover.
  // Changed ticks per window, listed once each: a stamp per ladder slot says whether the tick is listed
  // in the current window (Sets cost a rehash per window and most of the garbage at 1,000 symbols).
  private readonly changed100b: number[] = [];
  private readonly changed100a: number[] = [];
  private readonly changed1000b: number[] = [];
  private readonly changed1000a: number[] = [];
  private readonly stamp100b = new Float64Array(LADDER);
  private readonly stamp100a = new Float64Array(LADDER);
  private readonly stamp1000b = new Float64Array(LADDER);
  private readonly stamp1000a = new Float64Array(LADDER);
  private win100 = 1;
  private win1000 = 1;
  private readonly bidsOut: number[] = [];
  private readonly asksOut: number[] = [];
  /** u of the last diff reported per window, and ids skipped since (gap fault). */
  private lastU100 = 0;
  private lastU1000 = 0;
  private skip100 = 0;
  private skip1000 = 0;
  /** Last book ticker reported, to report only changes. */
  private tBid = -1;
  private tBidQty = -1;
  private tAsk = -1;
  private tAskQty = -1;
  // Synthetic processes.
  private readonly rng: Rng;
  private fair: number;
  private logVar: number;
  private excitation = 0;
  private bidFloor: number;
  private askCeiling: number;
  private readonly meanLevel: number;
  private readonly takerTimes: number[] = [];
  // Per-step constants (for the step length in use) and the slowly updated volatility state.
  private stepDtUs = -1;
  private stepDt = 0;
  private sqrtDt = 0;
  private theta = 0;
  private volShock = 0;
  private jumpProb = 0;
  private decay = 1;
  private sigma = 0;
  private calm = 0;
  private volCounter = 0;
  private lastRounded = Number.NaN;

  constructor(
    readonly spec: SymbolSpec,
    readonly index: number,
    seed: number,
    private readonly params: SyntheticParams,
    historyTrades: number,
    private readonly historyMinutes: number,
    startUs: number,
    private readonly listener: MarketListener,
    synthetic: boolean,
  ) {
    this.symbol = spec.symbol;
    this.lower = spec.symbol.toLowerCase();
    this.tickSize = 10 ** -spec.pricePrecision;
    this.rng = new Rng(seed, hashString(spec.symbol) ^ 0x5bd1e995);
    this.updateId = 1_000_000 + this.rng.int(1_000_000_000);
    this.nextTradeId = 1 + this.rng.int(100_000_000);
    this.nextAggId = 1 + this.rng.int(50_000_000);
    this.fair = Math.round(spec.initialPrice / this.tickSize);
    this.lastPrice = this.fair;
    this.logVar = Math.log(params.volatility * params.volatility);
    this.lo = Math.round(this.fair) - LADDER / 2;
    this.bidFloor = Math.round(this.fair) - params.depthTicks;
    this.askCeiling = Math.round(this.fair) + params.depthTicks;
    const lot = 10 ** -spec.qtyPrecision;
    this.meanLevel = Math.max(3, Math.round(2000 / (spec.initialPrice * lot)));
    this.trades = new TradeRing(historyTrades);
    this.aggTrades = new TradeRing(historyTrades);
    const ms = Math.floor(startUs / 1000);
    const m0 = bucketStart(ms, '1m');
    const s0 = bucketStart(ms, '1s');
    this.open1m = new Kline(m0, m0 + 60_000, this.lastPrice);
    this.open1s = new Kline(s0, s0 + 1000, this.lastPrice);
    if (synthetic) this.seedBook();
    this.lastU100 = this.lastU1000 = this.updateId;
    this.tickerChanged();
  }

  bidAt(tick: number): number {
    const i = tick - this.lo;
    return i >= 0 && i < LADDER ? this.bidQty[i] : 0;
  }

  askAt(tick: number): number {
    const i = tick - this.lo;
    return i >= 0 && i < LADDER ? this.askQty[i] : 0;
  }

  /** Top `limit` levels per side, best first, as flat [tick, lots, ...]. */
  levels(limit: number): { bids: number[]; asks: number[] } {
    const bids: number[] = [];
    const asks: number[] = [];
    if (this.bestBid >= 0) {
      for (let i = this.bestBid - this.lo; i >= 0 && bids.length < limit * 2; i--) {
        if (this.bidQty[i] > 0) bids.push(i + this.lo, this.bidQty[i]);
      }
    }
    if (this.bestAsk >= 0) {
      for (let i = this.bestAsk - this.lo; i < LADDER && asks.length < limit * 2; i++) {
        if (this.askQty[i] > 0) asks.push(i + this.lo, this.askQty[i]);
      }
    }
    return { bids, asks };
  }

  /** Skips `count` update ids without a book change: the next diff does not chain (a sequence gap). */
  skipUpdateIds(count: number): void {
    this.updateId += count;
    this.skip100 += count;
    this.skip1000 += count;
  }

  private seedBook(): void {
    const f = Math.round(this.fair);
    this.nextId();
    for (let d = 1; d <= this.params.depthTicks; d++) {
      if (d > 1 && this.rng.next() < 0.25) continue;
      this.setBid(f - d, this.levelSize());
      if (d > 1 && this.rng.next() < 0.25) continue;
      this.setAsk(f + d, this.levelSize());
    }
  }

  private levelSize(): number {
    return Math.max(1, Math.round(this.meanLevel * Math.exp(0.8 * this.rng.normal() - 0.32)));
  }

  private nextId(): number {
    this.updateId++;
    return this.updateId;
  }

  private markChange(bid: boolean, tick: number): void {
    const i = tick - this.lo;
    if (bid) {
      if (this.stamp100b[i] !== this.win100) {
        this.stamp100b[i] = this.win100;
        this.changed100b.push(tick);
      }
      if (this.stamp1000b[i] !== this.win1000) {
        this.stamp1000b[i] = this.win1000;
        this.changed1000b.push(tick);
      }
    } else {
      if (this.stamp100a[i] !== this.win100) {
        this.stamp100a[i] = this.win100;
        this.changed100a.push(tick);
      }
      if (this.stamp1000a[i] !== this.win1000) {
        this.stamp1000a[i] = this.win1000;
        this.changed1000a.push(tick);
      }
    }
  }

  private setBid(tick: number, qty: number): void {
    const i = tick - this.lo;
    if (i < 0 || i >= LADDER) return;
    this.bidQty[i] = qty;
    this.markChange(true, tick);
    if (qty > 0) {
      if (tick > this.bestBid) this.bestBid = tick;
    } else if (tick === this.bestBid) {
      let j = i - 1;
      while (j >= 0 && this.bidQty[j] === 0) j--;
      this.bestBid = j >= 0 ? j + this.lo : -1;
    }
  }

  private setAsk(tick: number, qty: number): void {
    const i = tick - this.lo;
    if (i < 0 || i >= LADDER) return;
    this.askQty[i] = qty;
    this.markChange(false, tick);
    if (qty > 0) {
      if (this.bestAsk < 0 || tick < this.bestAsk) this.bestAsk = tick;
    } else if (tick === this.bestAsk) {
      let j = i + 1;
      while (j < LADDER && this.askQty[j] === 0) j++;
      this.bestAsk = j < LADDER ? j + this.lo : -1;
    }
  }

  /** True (and remembered) when the best bid or ask moved or changed size since the last call. */
  private tickerChanged(): boolean {
    const bq = this.bidAt(this.bestBid);
    const aq = this.askAt(this.bestAsk);
    if (this.bestBid === this.tBid && bq === this.tBidQty && this.bestAsk === this.tAsk && aq === this.tAskQty) return false;
    this.tBid = this.bestBid;
    this.tBidQty = bq;
    this.tAsk = this.bestAsk;
    this.tAskQty = aq;
    return true;
  }

  private reportTicker(timeUs: number): void {
    if (this.tickerChanged()) this.listener.bookTicker(this, timeUs);
  }

  /** Records one trade (synthetic or fed from a file) in history and klines and reports it. */
  recordTrade(id: number, price: number, qty: number, timeUs: number, buyerMaker: boolean): void {
    const ms = Math.floor(timeUs / 1000);
    this.rollKlines(ms);
    this.trades.push(id, price, qty, timeUs, buyerMaker);
    this.open1m.add(id, price, qty, buyerMaker);
    this.open1s.add(id, price, qty, buyerMaker);
    this.lastPrice = price;
    this.listener.trade(this, id, price, qty, timeUs, buyerMaker);
  }

  recordAggTrade(price: number, qty: number, firstId: number, lastId: number, timeUs: number, buyerMaker: boolean): void {
    const aggId = this.nextAggId++;
    this.aggTrades.push(aggId, price, qty, timeUs, buyerMaker, firstId, lastId);
    this.listener.aggTrade(this, aggId, price, qty, firstId, lastId, timeUs, buyerMaker);
  }

  /** A trade from a replayed file: one trade, one aggregated trade, klines; no book. */
  externalTrade(price: number, qty: number, timeUs: number, buyerMaker: boolean, id?: number): void {
    const tid = id ?? this.nextTradeId;
    this.nextTradeId = tid + 1;
    this.recordTrade(tid, price, qty, timeUs, buyerMaker);
    this.recordAggTrade(price, qty, tid, tid, timeUs, buyerMaker);
  }

  /** Closes the open klines whose end is at or before `ms` (empty ones included, as Binance lists them). */
  rollKlines(ms: number): void {
    while (ms >= this.open1m.endMs) {
      const k = this.open1m;
      this.minutes.push(k);
      if (this.minutes.length > this.historyMinutes) this.minutes.splice(0, this.minutes.length - this.historyMinutes);
      this.open1m = new Kline(k.endMs, k.endMs + 60_000, k.c);
    }
    if (ms >= this.open1s.endMs) {
      const s = bucketStart(ms, '1s');
      this.open1s = new Kline(s, s + 1000, this.open1s.c);
    }
  }

  /**
   * The kline of `interval` opening at `openMs`, built from the closed 1m klines and the open one
   * (1s klines come from the trade history). Empty buckets carry the previous close.
   */
  kline(interval: KlineInterval, openMs: number): Kline {
    const end = bucketNext(openMs, interval);
    if (interval === '1s') {
      if (openMs === this.open1s.openMs) return this.open1s;
      const t = this.trades;
      const before = t.lowerBoundTime(openMs * 1000) - 1;
      const k = new Kline(openMs, end, before >= 0 ? t.price[t.slot(before)] : this.closeBefore(openMs));
      for (let i = t.lowerBoundTime(openMs * 1000); i < t.count; i++) {
        const s = t.slot(i);
        if (t.timeUs[s] >= end * 1000) break;
        k.add(t.id[s], t.price[s], t.qty[s], t.buyerMaker[s] === 1);
      }
      return k;
    }
    return this.rangeKline(openMs, end);
  }

  /** The kline over [openMs, endMs), both on whole minutes, from the 1m history and the open minute. */
  rangeKline(openMs: number, end: number): Kline {
    const k = new Kline(openMs, end, this.closeBefore(openMs));
    const mins = this.minutes;
    let lo = 0;
    let hi = mins.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (mins[mid].openMs < openMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < mins.length && mins[i].openMs < end; i++) k.merge(mins[i]);
    if (this.open1m.openMs >= openMs && this.open1m.openMs < end) k.merge(this.open1m);
    return k;
  }

  /** Earliest open time (ms) for which history is kept. */
  historyStartMs(): number {
    return this.minutes.length > 0 ? this.minutes[0].openMs : this.open1m.openMs;
  }

  private closeBefore(openMs: number): number {
    const mins = this.minutes;
    for (let i = mins.length - 1; i >= 0; i--) if (mins[i].openMs < openMs) return mins[i].c;
    return mins.length > 0 ? mins[0].o : this.open1m.o;
  }

  /**
   * Reports the 100 ms (and on whole seconds the 1 s) depth diffs that have changes. A diff covers every
   * update id since the previous one of its window (U = previous u + 1), so consecutive diffs chain unless
   * ids were skipped on purpose.
   */
  flushDiffs(timeUs: number, second: boolean): void {
    if (this.changed100b.length > 0 || this.changed100a.length > 0) {
      const prev = this.lastU100 + this.skip100;
      this.listener.depthDiff(this, 100, prev + 1, this.updateId, prev, timeUs, this.collect(this.changed100b, true, this.bidsOut), this.collect(this.changed100a, false, this.asksOut));
      this.lastU100 = this.updateId;
      this.skip100 = 0;
    }
    this.win100++;
    if (!second) return;
    if (this.changed1000b.length > 0 || this.changed1000a.length > 0) {
      const prev = this.lastU1000 + this.skip1000;
      this.listener.depthDiff(this, 1000, prev + 1, this.updateId, prev, timeUs, this.collect(this.changed1000b, true, this.bidsOut), this.collect(this.changed1000a, false, this.asksOut));
      this.lastU1000 = this.updateId;
      this.skip1000 = 0;
    }
    this.win1000++;
  }

  /** The listed ticks, best first, with their current sizes, into a reused array (valid during the call). */
  private collect(list: number[], bid: boolean, out: number[]): number[] {
    if (bid) list.sort((x, y) => y - x);
    else list.sort((x, y) => x - y);
    out.length = 0;
    for (let i = 0; i < list.length; i++) {
      const tick = list[i];
      out.push(tick, bid ? this.bidAt(tick) : this.askAt(tick));
    }
    list.length = 0;
    return out;
  }

  /** One step of the synthetic processes over [t0, t0 + dtUs). */
  step(t0: number, dtUs: number): void {
    const p = this.params;
    const rng = this.rng;
    if (dtUs !== this.stepDtUs) this.prepareStep(dtUs);
    const dt = this.stepDt;
    // Stochastic volatility: the log variance mean-reverts to the long-run level. It moves slowly, so it
    // is updated every tenth step (with the matching time increment), which halves the per-step cost.
    if (++this.volCounter >= 10) {
      this.volCounter = 0;
      this.logVar += p.volMeanReversion * (this.theta - this.logVar) * dt * 10 + this.volShock * rng.normal();
      this.sigma = Math.exp(this.logVar / 2);
      this.calm = p.tradeRate * Math.min(4, this.sigma / p.volatility);
    }
    let r = this.sigma * this.sqrtDt * rng.normal();
    if (rng.next() < this.jumpProb) r += p.jumpStdev * rng.normal();
    this.fair *= 1 + r + 0.5 * r * r;
    if (this.fair < 10) this.fair = 10;
    // Clustered arrivals: a discretised Hawkes process. One Poisson draw gives every event of the step
    // (taker orders, limit arrivals at three times and cancels at twice their rate), split by a uniform.
    const lambda = this.calm + this.excitation;
    const total = rng.poisson(lambda * dt * 6);
    let n = 0;
    const f0 = Math.round(this.fair);
    if (f0 !== this.lastRounded) {
      this.lastRounded = f0;
      this.recentre();
      this.prune();
    }
    for (let i = 0; i < total; i++) {
      const u = rng.next() * 6;
      if (u < 1) n++;
      else if (u < 4) this.addLimit(t0);
      else this.cancelOne(t0);
    }
    this.excitation = this.excitation * this.decay + p.hawkesAlpha * n;
    if (n > 0) {
      const times = this.takerTimes;
      times.length = 0;
      for (let i = 0; i < n; i++) times.push(t0 + Math.floor(rng.next() * dtUs));
      if (n > 1) times.sort((a, b) => a - b);
      for (let i = 0; i < n; i++) this.takerOrder(times[i]);
    }
  }

  private prepareStep(dtUs: number): void {
    const p = this.params;
    this.stepDtUs = dtUs;
    this.stepDt = dtUs / 1e6;
    this.sqrtDt = Math.sqrt(this.stepDt);
    this.theta = Math.log(p.volatility * p.volatility);
    this.volShock = p.volOfVol * Math.sqrt(this.stepDt * 10) * 2;
    this.jumpProb = p.jumpRate * this.stepDt;
    this.decay = Math.exp(-p.hawkesBeta * this.stepDt);
    this.sigma = Math.exp(this.logVar / 2);
    this.calm = p.tradeRate * Math.min(4, this.sigma / p.volatility);
  }

  private recentre(): void {
    const f = Math.round(this.fair);
    const margin = this.params.depthTicks + 16;
    if (f - margin >= this.lo && f + margin < this.lo + LADDER) return;
    const newLo = f - LADDER / 2;
    const shift = newLo - this.lo;
    // Levels that would fall off the ladder are cancelled first so that the diffs say so.
    for (let i = 0; i < LADDER; i++) {
      const t = i + this.lo;
      if (t - newLo >= 0 && t - newLo < LADDER) continue;
      if (this.bidQty[i] > 0 || this.askQty[i] > 0) {
        this.nextId();
        if (this.bidQty[i] > 0) this.setBid(t, 0);
        if (this.askQty[i] > 0) this.setAsk(t, 0);
      }
    }
    const move = (a: Float64Array): void => {
      if (shift > 0) {
        a.copyWithin(0, shift);
        a.fill(0, LADDER - shift);
      } else {
        a.copyWithin(-shift, 0, LADDER + shift);
        a.fill(0, 0, -shift);
      }
    };
    const arrays = [this.bidQty, this.askQty, this.stamp100b, this.stamp100a, this.stamp1000b, this.stamp1000a];
    for (const a of arrays) {
      if (Math.abs(shift) >= LADDER) a.fill(0);
      else move(a);
    }
    this.lo = newLo;
  }

  /** Cancels levels that drifted beyond the kept depth as the fair price moved. */
  private prune(): void {
    const f = Math.round(this.fair);
    const floor = f - this.params.depthTicks;
    const ceiling = f + this.params.depthTicks;
    let changed = false;
    if (floor > this.bidFloor) {
      for (let t = Math.max(this.bidFloor, this.lo); t < floor; t++) {
        if (this.bidAt(t) > 0) {
          if (!changed) this.nextId();
          changed = true;
          this.setBid(t, 0);
        }
      }
    }
    if (ceiling < this.askCeiling) {
      for (let t = Math.min(this.askCeiling, this.lo + LADDER - 1); t > ceiling; t--) {
        if (this.askAt(t) > 0) {
          if (!changed) this.nextId();
          changed = true;
          this.setAsk(t, 0);
        }
      }
    }
    this.bidFloor = floor;
    this.askCeiling = ceiling;
  }

  private addLimit(timeUs: number): void {
    const rng = this.rng;
    const f = this.fair;
    const bid = rng.next() < 0.5;
    const d = rng.geometric(0.25);
    this.nextId();
    if (bid) {
      let t = Math.ceil(f) - 1 - d;
      if (this.bestAsk >= 0 && t >= this.bestAsk) t = this.bestAsk - 1;
      this.setBid(t, this.bidAt(t) + this.levelSize());
    } else {
      let t = Math.floor(f) + 1 + d;
      if (this.bestBid >= 0 && t <= this.bestBid) t = this.bestBid + 1;
      this.setAsk(t, this.askAt(t) + this.levelSize());
    }
    this.reportTicker(timeUs);
  }

  private cancelOne(timeUs: number): void {
    const rng = this.rng;
    const bid = rng.next() < 0.5;
    const best = bid ? this.bestBid : this.bestAsk;
    if (best < 0) return;
    const t = bid ? best - rng.geometric(0.15) : best + rng.geometric(0.15);
    const q = bid ? this.bidAt(t) : this.askAt(t);
    if (q <= 0) return;
    // Never empty the touch entirely by a cancel: takers do that.
    const cut = t === best ? Math.floor(q * rng.next() * 0.8) : q <= 2 || rng.next() < 0.3 ? q : Math.ceil(q * rng.next());
    if (cut <= 0) return;
    this.nextId();
    if (bid) this.setBid(t, q - cut);
    else this.setAsk(t, q - cut);
    this.reportTicker(timeUs);
  }

  private takerOrder(timeUs: number): void {
    const rng = this.rng;
    if (this.bestBid < 0 || this.bestAsk < 0) {
      this.addLimit(timeUs);
      return;
    }
    const mid = (this.bestBid + this.bestAsk) / 2;
    const buy = rng.next() < 0.5 + 0.45 * Math.tanh((this.fair - mid) / 2);
    let remaining = Math.max(1, Math.round(this.meanLevel * 0.6 * Math.exp(1.0 * rng.normal() - 0.5)));
    this.nextId();
    // A buyer taking asks means the buyer is not the maker.
    const buyerMaker = !buy;
    while (remaining > 0) {
      const tick = buy ? this.bestAsk : this.bestBid;
      if (tick < 0) break;
      const level = buy ? this.askAt(tick) : this.bidAt(tick);
      const fill = Math.min(level, remaining);
      // The fill at one price meets several resting orders: one trade each, one aggregated trade.
      let pieces = Math.min(fill, 1 + rng.geometric(0.6));
      let left = fill;
      const firstId = this.nextTradeId;
      while (pieces > 0) {
        const part = pieces === 1 ? left : Math.max(1, Math.floor(left * rng.next() * 0.7));
        left -= part;
        pieces--;
        this.recordTrade(this.nextTradeId++, tick, part, timeUs, buyerMaker);
        if (left === 0) break;
      }
      this.recordAggTrade(tick, fill, firstId, this.nextTradeId - 1, timeUs, buyerMaker);
      if (buy) this.setAsk(tick, level - fill);
      else this.setBid(tick, level - fill);
      remaining -= fill;
    }
    this.reportTicker(timeUs);
  }
}

/** All symbols and the simulated clock. */
export class Market {
  readonly symbols: SymbolMarket[];
  readonly bySymbol = new Map<string, SymbolMarket>();
  readonly stepUs: number;
  readonly synthetic: boolean;
  /** Simulated now (µs): everything up to here has happened. */
  nowUs: number;
  private listener: MarketListener;

  constructor(opts: MarketOptions, listener: MarketListener) {
    this.listener = listener;
    this.stepUs = opts.stepUs ?? 10_000;
    if (!Number.isInteger(this.stepUs) || this.stepUs <= 0 || 100_000 % this.stepUs !== 0) {
      throw new RangeError(`stepUs must divide 100000, got ${this.stepUs}`);
    }
    this.nowUs = Math.floor(opts.startUs / this.stepUs) * this.stepUs;
    this.synthetic = (opts.mode ?? 'synthetic') === 'synthetic';
    const params = { ...defaultSyntheticParams, ...opts.params };
    const n = opts.symbols.length;
    const tradeHistory = opts.tradeHistory ?? Math.max(200, Math.min(20_000, Math.floor(1_000_000 / n)));
    const klineHistory = opts.klineHistory ?? Math.max(60, Math.min(1440, Math.floor(2_000_000 / n)));
    // Listener calls go through a forwarding object so that the listener can be swapped after construction.
    const forward: MarketListener = {
      trade: (...a) => this.listener.trade(...a),
      aggTrade: (...a) => this.listener.aggTrade(...a),
      bookTicker: (...a) => this.listener.bookTicker(...a),
      depthDiff: (...a) => this.listener.depthDiff(...a),
      boundary: (t) => this.listener.boundary(t),
    };
    this.symbols = opts.symbols.map((spec, i) => {
      const m = new SymbolMarket(spec, i, opts.seed, params, tradeHistory, klineHistory, this.nowUs, forward, this.synthetic);
      this.bySymbol.set(spec.symbol, m);
      return m;
    });
  }

  setListener(listener: MarketListener): void {
    this.listener = listener;
  }

  /** Runs every step that ends at or before `targetUs`. Returns the number of steps taken. */
  advanceTo(targetUs: number): number {
    let steps = 0;
    const syms = this.symbols;
    while (this.nowUs + this.stepUs <= targetUs) {
      const t0 = this.nowUs;
      if (this.synthetic) for (let i = 0; i < syms.length; i++) syms[i].step(t0, this.stepUs);
      this.nowUs = t0 + this.stepUs;
      this.atBoundary(this.nowUs);
      steps++;
    }
    return steps;
  }

  /** Moves the clock to `timeUs` without synthetic steps (replay feeds the events itself). */
  setNow(timeUs: number): void {
    while (Math.floor(timeUs / 100_000) > Math.floor(this.nowUs / 100_000)) {
      this.nowUs = (Math.floor(this.nowUs / 100_000) + 1) * 100_000;
      this.atBoundary(this.nowUs);
    }
    if (timeUs > this.nowUs) this.nowUs = timeUs;
  }

  private atBoundary(t: number): void {
    if (t % 100_000 !== 0) return;
    const second = t % 1_000_000 === 0;
    const ms = t / 1000;
    for (const s of this.symbols) {
      s.flushDiffs(t, second);
      if (second) s.rollKlines(ms);
    }
    this.listener.boundary(t);
  }
}
