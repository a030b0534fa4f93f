import { WebSocket, type ClientOptions } from 'ws';

/** A test client that records every text frame and lets a test wait for frames or for the close. */
export class RecordingClient {
  readonly frames: string[] = [];
  closed = false;
  closeCode = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(String(d));
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string, opts: ClientOptions = {}): Promise<RecordingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, ...opts });
      const c = new RecordingClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds (checked on every frame and on close) or fails after `ms`. */
  async until(pred: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.frames.length} frames)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a JSON request and resolves with the reply that carries its id. */
  async request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const from = this.frames.length;
    this.ws.send(JSON.stringify(body));
    let found: Record<string, unknown> | undefined;
    await this.until(() => {
      for (let i = from; i < this.frames.length; i++) {
        const f = this.frames[i];
        if (!f.includes('"id"')) continue;
        try {
          const o = JSON.parse(f) as Record<string, unknown>;
          if (o.id === (body.id ?? null) && ('result' in o || 'error' in o)) {
            found = o;
            return true;
          }
        } catch {
          // not a reply
        }
      }
      return false;
    }, 5000, `reply to ${JSON.stringify(body)}`);
    return found as Record<string, unknown>;
  }

  /** Frames parsed as JSON (those that parse). */
  json(): unknown[] {
    const out: unknown[] = [];
    for (const f of this.frames) {
      try {
        out.push(JSON.parse(f));
      } catch {
        // skip malformed
      }
    }
    return out;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      // A client that paused its socket never completes the closing handshake: cut it after a moment.
      const t = setTimeout(() => this.ws.terminate(), 500);
      this.ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      this.ws.close();
    });
  }
}

/** Lets pending socket I/O run (frames written by the server reach the client). */
export async function settle(ms = 30): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
