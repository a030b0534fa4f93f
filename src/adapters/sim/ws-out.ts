import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Batched server-to-client WebSocket text frames. The per-frame cost of `ws.send` (a header buffer, a
 * cork/uncork and a write per message) dominates at 100,000 frames per second, so frames are encoded into
 * one buffer per client and one tick writes them with a single `socket.write`. Server frames are not
 * masked, and without permessage-deflate `ws` writes its own frames (pings, replies) synchronously, so both
 * kinds interleave whole on the socket.
 */

/** The raw TCP socket under a `ws` connection (not in its typings). */
export function rawSocket(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

/**
 * One client's pending frames, encoded as WebSocket frames straight into a byte buffer as they are queued
 * (no per-frame array entry, no envelope string for combined streams), and the bound on what the kernel
 * may hold for it.
 */
export class Outbox {
  private buf: Buffer;
  private len = 0;
  private count = 0;
  /** Frames written over the connection's life. */
  sent = 0;

  constructor(
    readonly ws: WebSocket,
    /** When the socket's unsent bytes exceed this, the client is too slow and is dropped. */
    public maxBufferedBytes: number,
    private readonly initialBytes = 16 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get pending(): number {
    return this.count;
  }

  pendingBytes(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private header(n: number): void {
    const b = this.buf;
    let o = this.len;
    b[o++] = 0x81;
    if (n < 126) b[o++] = n;
    else if (n < 65536) {
      b[o++] = 126;
      b[o++] = n >>> 8;
      b[o++] = n & 0xff;
    } else {
      b[o++] = 127;
      b.writeUInt32BE(Math.floor(n / 4294967296), o);
      b.writeUInt32BE(n >>> 0, o + 4);
      o += 8;
    }
    this.len = o;
  }

  push(frame: string): void {
    const n = Buffer.byteLength(frame);
    this.ensure(n + 10);
    this.header(n);
    this.len += this.buf.write(frame, this.len);
    this.count++;
  }

  /** Queues `prefix` + `data` + `}` as one frame: the combined-stream envelope without building it as a string. */
  pushWrapped(prefix: Buffer, data: string): void {
    const dn = Buffer.byteLength(data);
    const n = prefix.length + dn + 1;
    this.ensure(n + 10);
    this.header(n);
    prefix.copy(this.buf, this.len);
    this.len += prefix.length;
    this.len += this.buf.write(data, this.len);
    this.buf[this.len++] = 0x7d;
    this.count++;
  }

  /**
   * Writes the queued frames. Returns false when the client has fallen too far behind, in which case the
   * connection is terminated the way Binance drops a reader that cannot keep up.
   */
  flush(): boolean {
    if (this.count === 0) return true;
    const out = this.buf.subarray(0, this.len);
    const frames = this.count;
    // The socket keeps a reference to the written bytes, so the next frames go into a fresh buffer.
    this.buf = Buffer.allocUnsafe(Math.max(this.initialBytes, Math.min(this.len, 4 * 1024 * 1024)));
    this.len = 0;
    this.count = 0;
    const socket = rawSocket(this.ws);
    if (socket === undefined || this.ws.readyState !== 1) return true;
    if (socket.writableLength > this.maxBufferedBytes) {
      this.ws.terminate();
      return false;
    }
    socket.write(out);
    this.sent += frames;
    return true;
  }
}
