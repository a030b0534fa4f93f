import { BarSpec as BarSpecOps } from '../core/bar-spec.js';
import type { BarSpec } from '../core/bar-spec.js';
import type { Bar, BookDeltas, BookSnapshot, MarketData, QuoteTick, TradeTick } from '../core/data.js';
import { assertNever, InvariantError } from '../core/errors.js';
import type { ClientOrderId, InstrumentId, StrategyId, Venue } from '../core/identifiers.js';
import type { Instrument } from '../core/instrument.js';
import type { Order } from '../core/order/order.js';
import type { L2OrderBook } from '../compute/orderbook/l2-book.js';
import type { MessageBus } from './bus/message-bus.js';
import { topics } from './topics.js';
import { Ring } from './util/ring.js';

/** What the cache needs of an order book: the DataEngine applies book events to the tracked one. */
export interface OrderBookLike {
  readonly instrumentId: InstrumentId;
  applyDeltas(deltas: BookDeltas): void;
  applySnapshot(snapshot: BookSnapshot): void;
}

export interface CacheConfig {
  /** Latest quotes and trades kept per instrument. Default 10 000 (NautilusTrader's tick_capacity). */
  readonly tickCapacity?: number;
  /** Latest bars kept per instrument and bar spec. Default 10 000. */
  readonly barCapacity?: number;
}

/**
 * The read-only view of the cache that adapters, strategies and the portfolio get. Indexes count back
 * from the newest item (0 = latest), as in NautilusTrader. Lists are copies, newest first.
 */
export interface CacheReader<B = L2OrderBook> {
  quote(id: InstrumentId, index?: number): QuoteTick | undefined;
  quotes(id: InstrumentId): QuoteTick[];
  quoteCount(id: InstrumentId): number;
  trade(id: InstrumentId, index?: number): TradeTick | undefined;
  trades(id: InstrumentId): TradeTick[];
  tradeCount(id: InstrumentId): number;
  bar(id: InstrumentId, spec: BarSpec, index?: number): Bar | undefined;
  bars(id: InstrumentId, spec: BarSpec): Bar[];
  barCount(id: InstrumentId, spec: BarSpec): number;
  /** Bar specs with at least one bar cached for the instrument. */
  barSpecs(id: InstrumentId): BarSpec[];
  /** The tracked order book. It is live and updated in place: read it, never change it. */
  book(id: InstrumentId): B | undefined;
  /** Instruments with any market data or a tracked book. */
  instrumentIds(): InstrumentId[];
  instrument(id: InstrumentId): Instrument | undefined;
  /** All instruments, or those of one venue, in the order they were added. */
  instruments(venue?: Venue): Instrument[];
  /** Orders are live objects that the ExecutionEngine advances through events: read them, never apply to them. */
  order(id: ClientOrderId): Order | undefined;
  orders(filter?: OrderFilter): Order[];
  ordersOpen(filter?: OrderFilter): Order[];
  ordersClosed(filter?: OrderFilter): Order[];
}

export interface OrderFilter {
  readonly strategyId?: StrategyId;
  readonly instrumentId?: InstrumentId;
  readonly venue?: Venue;
}

interface BarSeries {
  readonly spec: BarSpec;
  readonly ring: Ring<Bar>;
}

interface Slot<B> {
  quotes: Ring<QuoteTick> | undefined;
  trades: Ring<TradeTick> | undefined;
  readonly bars: Map<string, BarSeries>;
  book: B | undefined;
}

const specKeys = new WeakMap<BarSpec, string>();
function specKey(spec: BarSpec): string {
  let k = specKeys.get(spec);
  if (k === undefined) specKeys.set(spec, (k = BarSpecOps.toString(spec)));
  return k;
}

/**
 * In-memory state of the market for one kernel: the latest N quotes, trades and bars per instrument (ring
 * buffers, so memory is bounded and an add allocates nothing once full) and an order book slot.
 * Writers are the engines; everyone else holds a {@link CacheReader}.
 */
export class Cache<B extends OrderBookLike = L2OrderBook> implements CacheReader<B> {
  readonly tickCapacity: number;
  readonly barCapacity: number;
  private readonly slots = new Map<InstrumentId, Slot<B>>();
  private readonly instrumentMap = new Map<InstrumentId, Instrument>();
  private readonly orderMap = new Map<ClientOrderId, Order>();

  constructor(config: CacheConfig = {}) {
    this.tickCapacity = config.tickCapacity ?? 10_000;
    this.barCapacity = config.barCapacity ?? 10_000;
    for (const [k, v] of [['tickCapacity', this.tickCapacity], ['barCapacity', this.barCapacity]] as const) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`cache ${k} must be a positive integer: ${v}`);
    }
  }

  // ---- writes (engines only)

  addQuote(quote: QuoteTick): void {
    const s = this.slot(quote.instrumentId);
    (s.quotes ??= new Ring(this.tickCapacity)).push(quote);
  }

  addTrade(trade: TradeTick): void {
    const s = this.slot(trade.instrumentId);
    (s.trades ??= new Ring(this.tickCapacity)).push(trade);
  }

  addBar(bar: Bar): void {
    const bars = this.slot(bar.instrumentId).bars;
    const key = specKey(bar.spec);
    let series = bars.get(key);
    if (series === undefined) bars.set(key, (series = { spec: bar.spec, ring: new Ring(this.barCapacity) }));
    series.ring.push(bar);
  }

  /** Starts tracking a book: book events for its instrument will be applied to it. Replaces any previous one. */
  setBook(book: B): void {
    this.slot(book.instrumentId).book = book;
  }

  removeBook(id: InstrumentId): void {
    const s = this.slots.get(id);
    if (s !== undefined) s.book = undefined;
  }

  /** Applies deltas or a snapshot to the tracked book; false when no book is tracked for the instrument. */
  applyBook(data: BookDeltas | BookSnapshot): boolean {
    const book = this.slots.get(data.instrumentId)?.book;
    if (book === undefined) return false;
    if (data.type === 'book_deltas') book.applyDeltas(data);
    else book.applySnapshot(data);
    return true;
  }

  /** Adds or replaces (a venue changed its rules) an instrument. */
  addInstrument(instrument: Instrument): void {
    this.instrumentMap.set(instrument.id, instrument);
  }

  /** Adds an order once; another order object under the same client order id is a broken invariant. */
  addOrder(order: Order): void {
    const existing = this.orderMap.get(order.clientOrderId);
    if (existing !== undefined && existing !== order) {
      throw new InvariantError(`a different order with client order id ${order.clientOrderId} is already cached`);
    }
    this.orderMap.set(order.clientOrderId, order);
  }

  /** Forgets market data (a DataEngine reset); instruments and orders stay. */
  clear(): void {
    this.slots.clear();
  }

  // ---- reads

  quote(id: InstrumentId, index = 0): QuoteTick | undefined {
    return this.slots.get(id)?.quotes?.get(index);
  }
  quotes(id: InstrumentId): QuoteTick[] {
    return this.slots.get(id)?.quotes?.toArray() ?? [];
  }
  quoteCount(id: InstrumentId): number {
    return this.slots.get(id)?.quotes?.length ?? 0;
  }
  trade(id: InstrumentId, index = 0): TradeTick | undefined {
    return this.slots.get(id)?.trades?.get(index);
  }
  trades(id: InstrumentId): TradeTick[] {
    return this.slots.get(id)?.trades?.toArray() ?? [];
  }
  tradeCount(id: InstrumentId): number {
    return this.slots.get(id)?.trades?.length ?? 0;
  }
  bar(id: InstrumentId, spec: BarSpec, index = 0): Bar | undefined {
    return this.series(id, spec)?.ring.get(index);
  }
  bars(id: InstrumentId, spec: BarSpec): Bar[] {
    return this.series(id, spec)?.ring.toArray() ?? [];
  }
  barCount(id: InstrumentId, spec: BarSpec): number {
    return this.series(id, spec)?.ring.length ?? 0;
  }
  barSpecs(id: InstrumentId): BarSpec[] {
    return [...(this.slots.get(id)?.bars.values() ?? [])].map((s) => s.spec);
  }
  book(id: InstrumentId): B | undefined {
    return this.slots.get(id)?.book;
  }
  instrumentIds(): InstrumentId[] {
    return [...this.slots.keys()];
  }

  instrument(id: InstrumentId): Instrument | undefined {
    return this.instrumentMap.get(id);
  }
  instruments(venue?: Venue): Instrument[] {
    const all = [...this.instrumentMap.values()];
    return venue === undefined ? all : all.filter((i) => i.venue === venue);
  }
  order(id: ClientOrderId): Order | undefined {
    return this.orderMap.get(id);
  }
  orders(filter?: OrderFilter): Order[] {
    return this.selectOrders(filter, undefined);
  }
  ordersOpen(filter?: OrderFilter): Order[] {
    return this.selectOrders(filter, true);
  }
  ordersClosed(filter?: OrderFilter): Order[] {
    return this.selectOrders(filter, false);
  }

  private selectOrders(filter: OrderFilter | undefined, open: boolean | undefined): Order[] {
    const out: Order[] = [];
    for (const o of this.orderMap.values()) {
      if (open === true && !o.isOpen) continue;
      if (open === false && !o.isClosed) continue;
      if (filter?.strategyId !== undefined && o.strategyId !== filter.strategyId) continue;
      if (filter?.instrumentId !== undefined && o.instrumentId !== filter.instrumentId) continue;
      if (filter?.venue !== undefined && !o.instrumentId.endsWith(`.${filter.venue}`)) continue;
      out.push(o);
    }
    return out;
  }

  private series(id: InstrumentId, spec: BarSpec): BarSeries | undefined {
    return this.slots.get(id)?.bars.get(specKey(spec));
  }

  private slot(id: InstrumentId): Slot<B> {
    let s = this.slots.get(id);
    if (s === undefined) this.slots.set(id, (s = { quotes: undefined, trades: undefined, bars: new Map(), book: undefined }));
    return s;
  }
}

/**
 * "Cache, then publish" (NautilusTrader): the event is in the cache before any subscriber runs, so a
 * handler that reads the cache sees the event it is handling. Book events update the tracked book first.
 */
export function cacheThenPublish<B extends OrderBookLike>(cache: Cache<B>, bus: MessageBus, data: MarketData): void {
  switch (data.type) {
    case 'trade':
      cache.addTrade(data);
      bus.publish(topics.trades(data.instrumentId), data);
      return;
    case 'quote':
      cache.addQuote(data);
      bus.publish(topics.quotes(data.instrumentId), data);
      return;
    case 'bar':
      cache.addBar(data);
      bus.publish(topics.bars(data.instrumentId, data.spec), data);
      return;
    case 'book_deltas':
    case 'book_snapshot':
      cache.applyBook(data);
      bus.publish(topics.bookDeltas(data.instrumentId), data);
      return;
    default:
      assertNever(data, 'market data');
  }
}
