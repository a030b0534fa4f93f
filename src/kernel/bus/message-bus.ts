import { TradewindError } from '../../core/errors.js';
import type { Endpoint, Topic, TopicPattern } from './topic.js';

/**
 * Receives one message. `topic` is the concrete topic it was published on (useful under a wildcard).
 * Handlers must not change the message: the in-process bus passes the same object to every subscriber.
 */
export type Handler<M> = (message: M, topic: Topic<M>) => void;

/** Answers one request; may be asynchronous. A throw or rejection fails the request with {@link RequestFailedError}. */
export type Responder<Q, R> = (request: Q) => R | PromiseLike<R>;

export interface SubscribeOptions {
  /** Higher runs first (NautilusTrader's priority); equal priorities run in subscription order. Default 0. */
  readonly priority?: number;
  /** Shown in error reports and metrics; defaults to the pattern. */
  readonly name?: string;
}

export interface Subscription {
  readonly pattern: string;
  readonly name: string;
  readonly priority: number;
  /** How many times the handler has thrown. */
  readonly errorCount: number;
  /** False once unsubscribed (or the bus closed). */
  readonly active: boolean;
  /** Stops delivery immediately, even for a message being dispatched right now. Idempotent. */
  unsubscribe(): void;
}

export interface RequestOptions {
  /** Measured on the bus's Clock (simulated time in a backtest). Default {@link DEFAULT_REQUEST_TIMEOUT_MICROS}. */
  readonly timeoutMicros?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MICROS = 5_000_000;

/**
 * The message bus port. The in-process bus implements it with synchronous dispatch; a NATS bus implements
 * it over the network with the same topic strings, so components do not know which one they run on.
 *
 * What holds on every implementation:
 * - `publish` returns nothing and does not wait: a remote bus encodes and buffers the message, and
 *   `flush()` waits until everything published so far has reached the server.
 * - Messages on one topic from one publisher arrive in publication order. Subscribers on the same process
 *   are called in priority order, then subscription order.
 * - A throwing handler never stops delivery to other handlers or fails the publisher: it is counted on its
 *   subscription and reported on `topics.busErrors()`.
 * - `request` always answers with a promise: the reply, or a {@link NoResponderError},
 *   {@link RequestTimeoutError} or {@link RequestFailedError}.
 *
 * What differs, and code must not rely on: the in-process bus calls handlers before `publish` returns (a
 * handler that publishes is dispatched depth-first), a NATS bus calls them later from its socket. Messages
 * cross a NATS bus as encoded copies; in-process they are shared references, which is why they are immutable.
 */
export interface MessageBus {
  publish<M>(topic: Topic<M>, message: M): void;
  subscribe<M>(pattern: TopicPattern<M>, handler: Handler<M>, options?: SubscribeOptions): Subscription;
  /**
   * False only when nothing can receive a message on `topic`, so a publisher may skip building it. Exact
   * in-process; a remote bus cannot see other processes' subscriptions and answers true.
   */
  hasSubscribers(topic: Topic): boolean;
  request<Q, R>(endpoint: Endpoint<Q, R>, request: Q, options?: RequestOptions): Promise<R>;
  /** Registers a responder; with several on one endpoint, each request goes to one of them (a NATS queue group). */
  respond<Q, R>(endpoint: Endpoint<Q, R>, responder: Responder<Q, R>): Subscription;
  /** Resolves when every message published so far has been handed over (at once in-process). */
  flush(): Promise<void>;
  /** Unsubscribes everything, rejects pending requests with {@link BusClosedError}, refuses further use. */
  close(): Promise<void>;
}

export class NoResponderError extends TradewindError {
  constructor(readonly endpoint: string) {
    super(`no responder for ${endpoint}`);
  }
}

export class RequestTimeoutError extends TradewindError {
  constructor(
    readonly endpoint: string,
    readonly timeoutMicros: number,
  ) {
    super(`request to ${endpoint} timed out after ${timeoutMicros} µs`);
  }
}

export class RequestFailedError extends TradewindError {
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(`responder for ${endpoint} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class BusClosedError extends TradewindError {}
