import { TradewindError } from '../../core/errors.js';
import { isTransientDbError } from '../db/driver.js';

export class WriterClosedError extends TradewindError {}
export class WriterFailedError extends TradewindError {}

export interface BufferedWriterOptions<T> {
  /** Persists one batch; must be idempotent, because a batch is retried after a transient failure. */
  readonly sink: (batch: readonly T[]) => Promise<unknown>;
  /** Most events held in memory (queued plus in flight); `write` refuses beyond it. */
  readonly capacity?: number;
  readonly batchSize?: number;
  /** A partial batch is written after this long; 0 waits for a full batch or `flush()`. */
  readonly flushIntervalMs?: number;
  readonly isTransient?: (err: unknown) => boolean;
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Told about every failed attempt that will be retried (for logs and metrics). */
  readonly onRetry?: (err: unknown, attempt: number) => void;
  /**
   * Batches written at the same time (over as many pooled connections). Above 1, batches may commit out of
   * order, which idempotent, keyed inserts do not mind; the client then prepares one batch while the server
   * stores another.
   */
  readonly concurrency?: number;
}

export interface WriterStats {
  readonly written: number;
  readonly batches: number;
  readonly retries: number;
  readonly buffered: number;
}

/**
 * A bounded buffer in front of a batch sink, with back-pressure: `write` returns false when the buffer is
 * full (the event is not taken; wait on `ready()`), `put` waits for room. Batches are written one at a time
 * in order; a transient failure (connection lost, server restarting) is retried with capped exponential
 * backoff for as long as it takes, while the buffer fills and pushes back on the producer, so nothing is lost.
 * A permanent failure stops the writer: later calls reject with WriterFailedError carrying the cause.
 */
export class BufferedWriter<T> {
  private queue: T[] = [];
  private head = 0;
  private inFlight = 0;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];
  private written = 0;
  private batches = 0;
  private retries = 0;

  private readonly capacity: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly isTransient: (err: unknown) => boolean;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: BufferedWriterOptions<T>) {
    this.batchSize = options.batchSize ?? 10_000;
    this.capacity = Math.max(options.capacity ?? this.batchSize * 10, this.batchSize);
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.isTransient = options.isTransient ?? isTransientDbError;
    this.retryDelayMs = options.retryDelayMs ?? 50;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  get buffered(): number {
    return this.queue.length - this.head + this.inFlight;
  }

  get stats(): WriterStats {
    return { written: this.written, batches: this.batches, retries: this.retries, buffered: this.buffered };
  }

  /** Takes the event and returns true, or returns false without taking it when the buffer is full. */
  write(event: T): boolean {
    this.check();
    if (this.buffered >= this.capacity) return false;
    this.queue.push(event);
    if (this.queue.length - this.head >= this.batchSize) this.kick();
    else this.arm();
    return true;
  }

  /** Waits for room, then takes the event. */
  async put(event: T): Promise<void> {
    while (!this.write(event)) await this.ready();
  }

  /** Resolves when there is room for at least one event (or the writer failed). */
  ready(): Promise<void> {
    this.check();
    if (this.buffered < this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once every event taken so far is persisted. */
  async flush(): Promise<void> {
    this.check();
    while (this.buffered > 0) {
      this.kick();
      if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.check();
    }
  }

  /** Flushes, then refuses further writes. A service calls this on shutdown. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
    }
  }

  private check(): void {
    if (this.failure !== undefined) throw new WriterFailedError('writer stopped after a permanent failure', { cause: this.failure });
    if (this.closed) throw new WriterClosedError('writer is closed');
  }

  private arm(): void {
    if (this.timer !== undefined || this.active > 0 || this.flushIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.flushIntervalMs);
    this.timer.unref?.();
  }

  private kick(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.active < this.concurrency && this.queue.length - this.head > 0 && this.failure === undefined) {
      this.active++;
      void this.worker().finally(() => {
        this.active--;
        if (this.active > 0) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
        if (this.failure === undefined && this.queue.length - this.head > 0) this.arm();
      });
    }
  }

  private async worker(): Promise<void> {
    while (this.queue.length - this.head > 0 && this.failure === undefined) {
      const end = Math.min(this.head + this.batchSize, this.queue.length);
      const batch = this.queue.slice(this.head, end);
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.inFlight += batch.length;
      try {
        await this.writeWithRetry(batch);
        this.written += batch.length;
        this.batches++;
      } catch (err) {
        this.failure ??= err;
      } finally {
        this.inFlight -= batch.length;
        this.wake();
      }
    }
  }

  private async writeWithRetry(batch: readonly T[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.sink(batch);
        return;
      } catch (err) {
        if (!this.isTransient(err)) throw err;
        this.retries++;
        this.options.onRetry?.(err, attempt);
        const delay = Math.min(this.retryDelayMs * 2 ** Math.min(attempt - 1, 16), this.maxRetryDelayMs);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
