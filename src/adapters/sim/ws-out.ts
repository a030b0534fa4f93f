import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Batched server-to-client WebSocket text frames. The per-frame cost of `ws.send` (a header buffer, a
 * cork/uncork and a write per message) dominates at 100,000 frames per second, so frames queue as strings
 * and one tick writes them all with a single `socket.write` of pre-encoded frames. Server frames are not
 * masked, and without permessage-deflate `ws` writes its own frames (pings, replies) synchronously, so
 * both kinds interleave whole on the socket.
 */
export function encodeTextFrames(frames: readonly string[]): Buffer {
  let total = 0;
  const lengths = new Array<number>(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const n = Buffer.byteLength(frames[i]);
    lengths[i] = n;
    total += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
  }
  const buf = Buffer.allocUnsafe(total);
  let o = 0;
  for (let i = 0; i < frames.length; i++) {
    const n = lengths[i];
    buf[o++] = 0x81;
    if (n < 126) {
      buf[o++] = n;
    } else if (n < 65536) {
      buf[o++] = 126;
      buf.writeUInt16BE(n, o);
      o += 2;
    } else {
      buf[o++] = 127;
      buf.writeUInt32BE(Math.floor(n / 4294967296), o);
      buf.writeUInt32BE(n >>> 0, o + 4);
      o += 8;
    }
    o += buf.write(frames[i], o);
  }
  return buf;
}

/** The raw TCP socket under a `ws` connection (not in its typings). */
export function rawSocket(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

/** One client's pending frames and the bound on what the kernel may hold for it. */
export class Outbox {
  private frames: string[] = [];
  private bytes = 0;
  /** Frames written over the connection's life. */
  sent = 0;

  constructor(
    readonly ws: WebSocket,
    /** When the socket's unsent bytes exceed this, the client is too slow and is dropped. */
    public maxBufferedBytes: number,
  ) {}

  get pending(): number {
    return this.frames.length;
  }

  push(frame: string): void {
    this.frames.push(frame);
    this.bytes += frame.length;
  }

  pendingBytes(): number {
    return this.bytes;
  }

  /**
   * Writes the queued frames. Returns false when the client has fallen too far behind, in which case the
   * connection is terminated the way Binance drops a reader that cannot keep up.
   */
  flush(): boolean {
    if (this.frames.length === 0) return true;
    const socket = rawSocket(this.ws);
    const frames = this.frames;
    this.frames = [];
    this.bytes = 0;
    if (socket === undefined || this.ws.readyState !== 1) return true;
    if (socket.writableLength > this.maxBufferedBytes) {
      this.ws.terminate();
      return false;
    }
    socket.write(encodeTextFrames(frames));
    this.sent += frames.length;
    return true;
  }

  /** Drops queued frames (used while a stall fault holds the stream). */
  clear(): void {
    this.frames = [];
    this.bytes = 0;
  }
}
