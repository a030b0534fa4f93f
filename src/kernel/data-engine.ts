import type { MarketData } from '../core/data.js';
import type { InstrumentId } from '../core/identifiers.js';
import type { UnixMicros } from '../core/time.js';
import type { MessageBus } from './bus/message-bus.js';
import type { Cache, OrderBookLike } from './cache.js';
import { cacheThenPublish } from './cache.js';
import type { Clock } from './clock/clock.js';
import { Component } from './component.js';
import type { HandlerFailed } from './messages.js';
import { topics } from './topics.js';

/**
 * Per-instrument computation plugged into the DataEngine, e.g. a bar aggregator from src/compute/bars
 * wrapped so that its completed bars go back through `engine.process(bar)`.
 *
 * A processor sees every event of its instrument after it has been cached and published, including bars
 * that other processors (or itself) emitted, so a resampler can consume 1-minute bars; a processor must
 * therefore ignore event types and bar specs it does not handle.
 */
export interface DataProcessor {
  handle(data: MarketData): void;
  /** The clock passed `now`: close what is due (time bars close without waiting for the next trade). */
  onTime?(now: UnixMicros): void;
}

export interface DataEngineContext {
  readonly clock: Clock;
  readonly bus: MessageBus;
  readonly cache: Cache<OrderBookLike>;
}

export interface DataEngineConfig {
  /** While running, call every processor's `onTime` on a clock timer of this period. Off when absent. */
  readonly timeCheckIntervalMicros?: number;
}

const TIME_CHECK_TIMER = 'DataEngine.time-check';

/**
 * Entry point of market data into the kernel: adapters and replays call {@link process}; the engine writes
 * the cache, publishes on the switchboard topic (cache, then publish), then runs the instrument's
 * processors, whose output re-enters through {@link process}.
 */
export class DataEngine extends Component {
  private readonly engineBus: MessageBus;
  private readonly cache: Cache<OrderBookLike>;
  private readonly timeCheckIntervalMicros: number | undefined;
  // Arrays are replaced, never changed, so a processor may add or remove processors while being called.
  private readonly processors = new Map<InstrumentId, readonly DataProcessor[]>();
  private processedCount = 0;
  private processorErrorCount = 0;

  constructor(context: DataEngineContext, config: DataEngineConfig = {}) {
    super('DataEngine', context);
    this.engineBus = context.bus;
    this.cache = context.cache;
    this.timeCheckIntervalMicros = config.timeCheckIntervalMicros;
  }

  /** Events processed since construction, emitted ones included. */
  get processed(): number {
    return this.processedCount;
  }

  process(data: MarketData): void {
    this.assertRunning('process market data');
    this.processedCount++;
    cacheThenPublish(this.cache, this.engineBus, data);
    const list = this.processors.get(data.instrumentId);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      try {
        list[i].handle(data);
      } catch (error) {
        this.processorFailed(list[i], data.instrumentId, error);
      }
    }
  }

  /** Processor calls that threw (isolated like bus handlers: the other processors still run). */
  get processorErrors(): number {
    return this.processorErrorCount;
  }

  private processorFailed(p: DataProcessor, id: InstrumentId, error: unknown): void {
    this.processorErrorCount++;
    const failure: HandlerFailed = {
      type: 'handler_failed',
      topic: 'DataEngine.processor',
      pattern: id,
      subscriber: p.constructor.name,
      errorCount: this.processorErrorCount,
      error,
      tsEvent: this.clock.now(),
    };
    this.engineBus.publish(topics.busErrors(), failure);
  }

  /** Registers a processor for one instrument; returns a function that removes it. */
  addProcessor(id: InstrumentId, processor: DataProcessor): () => void {
    this.processors.set(id, [...(this.processors.get(id) ?? []), processor]);
    return () => {
      const rest = (this.processors.get(id) ?? []).filter((p) => p !== processor);
      if (rest.length === 0) this.processors.delete(id);
      else this.processors.set(id, rest);
    };
  }

  processorCount(id: InstrumentId): number {
    return this.processors.get(id)?.length ?? 0;
  }

  /** Tells every processor the time (called by the engine's timer, or by a backtest loop). */
  advanceTime(now: UnixMicros): void {
    this.assertRunning('advance time');
    for (const [id, list] of [...this.processors]) {
      for (const p of list) {
        try {
          p.onTime?.(now);
        } catch (error) {
          this.processorFailed(p, id, error);
        }
      }
    }
  }

  protected override onStart(): void {
    if (this.timeCheckIntervalMicros !== undefined) {
      this.clock.setTimer(TIME_CHECK_TIMER, this.timeCheckIntervalMicros, (e) => this.advanceTime(e.tsEvent));
    }
  }

  protected override onStop(): void {
    this.clock.cancelTimer(TIME_CHECK_TIMER);
  }

  protected override onReset(): void {
    this.cache.clear();
  }

  protected override onDispose(): void {
    this.processors.clear();
  }
}

