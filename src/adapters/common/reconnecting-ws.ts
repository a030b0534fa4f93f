import WebSocket from 'ws';
import type { Backoff } from './backoff.js';

export interface ReconnectingWsOptions {
  /** The URL to connect to (asked on every attempt). */
  readonly url: () => string;
  readonly backoff: Backoff;
  /** The socket is open: (re)subscribe here. */
  readonly onOpen: () => void;
  /** A text frame arrived. */
  readonly onMessage: (text: string) => void;
  /** The socket closed; `retryInMs` is undefined when the client was stopped. */
  readonly onClose?: (code: number, reason: string, retryInMs: number | undefined) => void;
  readonly onError?: (err: Error) => void;
  /** The backoff resets once a connection has stayed open this long (ms). */
  readonly healthyAfterMs?: number;
  /** Connection attempts that take longer than this are abandoned (ms). */
  readonly connectTimeoutMs?: number;
}

/**
 * One WebSocket that comes back: on any close or error it reconnects after a capped exponential backoff
 * with full jitter, and calls `onOpen` again so the owner resubscribes. Pings from the venue are answered
 * with pongs carrying the same payload by the `ws` library itself (Binance disconnects a client that does
 * not answer within its limit), so there is nothing to do here for them.
 */
export class ReconnectingWebSocket {
  private ws: WebSocket | undefined;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthyTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  /** Successful opens so far (the first one included). */
  opens = 0;

  constructor(private readonly opts: ReconnectingWsOptions) {}

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Sends a text frame; false when the socket is not open (the caller resends after the next open). */
  send(text: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Drops the current socket and reconnects (after the backoff), e.g. when its streams went stale. */
  reconnect(): void {
    if (this.stopped) return;
    this.ws?.terminate();
  }

  /** Closes for good. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    clearTimeout(this.connectTimer);
    const ws = this.ws;
    this.ws = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'client stopping');
      // A peer that never answers the close handshake must not hold shutdown.
      setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000).unref();
    });
  }

  private connect(): void {
    const ws = new WebSocket(this.opts.url(), { perMessageDeflate: false });
    this.ws = ws;
    this.connectTimer = setTimeout(() => ws.terminate(), this.opts.connectTimeoutMs ?? 10_000);
    ws.on('open', () => {
      clearTimeout(this.connectTimer);
      this.opens++;
      this.healthyTimer = setTimeout(() => this.opts.backoff.reset(), this.opts.healthyAfterMs ?? 10_000);
      this.opts.onOpen();
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) this.opts.onMessage(data.toString());
    });
    ws.on('error', (err) => this.opts.onError?.(err));
    ws.on('close', (code, reason) => {
      clearTimeout(this.connectTimer);
      clearTimeout(this.healthyTimer);
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) {
        this.opts.onClose?.(code, reason.toString(), undefined);
        return;
      }
      const delay = this.opts.backoff.next();
      this.opts.onClose?.(code, reason.toString(), delay);
      this.retryTimer = setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay);
    });
  }
}
