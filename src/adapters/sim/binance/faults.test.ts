import { afterEach, describe, expect, it } from 'vitest';
import { RecordingClient, settle } from '../testing/ws-client.js';
import { BinanceSimulator, type BinanceSimOptions } from './server.js';

const START_US = Date.UTC(2024, 0, 2, 3, 4, 0) * 1000;
const sims: BinanceSimulator[] = [];
const clients: RecordingClient[] = [];
let wall = 1_000_000;

async function sim(opts: BinanceSimOptions = {}): Promise<BinanceSimulator> {
  const s = await BinanceSimulator.start({ clock: 'manual', startUs: START_US, symbols: ['BTCUSDT', 'ETHUSDT'], seed: 5, wallNowMs: () => wall, ...opts });
  sims.push(s);
  return s;
}

async function client(url: string): Promise<RecordingClient> {
  const c = await RecordingClient.open(url);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of sims.splice(0)) await s.close();
});

async function postFault(s: BinanceSimulator, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${s.restUrl}/_sim/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: r.status, body: await r.json() };
}

describe('Binance simulator faults', () => {
  it('disconnects every client on command (abruptly or with a close frame)', async () => {
    const s = await sim();
    const a = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    const b = await client(`${s.wsUrl}/stream?streams=ethusdt@trade`);
    expect((await postFault(s, { type: 'disconnect' })).status).toBe(200);
    await a.until(() => a.closed && b.closed, 3000, 'both closed');
    expect(a.closeCode).toBe(1006);
    const c = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    s.applyFault({ type: 'disconnect', mode: 'close' });
    await c.until(() => c.closed, 3000, 'closed');
    expect(c.closeCode).toBe(1001);
    await c.until(() => s.connectionCount === 0, 3000, 'server side closed');
  });

  it('stalls a stream for a time, then delivers what it held (or drops it)', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/stream?streams=btcusdt@trade/ethusdt@trade`);
    s.applyFault({ type: 'stall', ms: 500, stream: 'btcusdt@trade' });
    s.advance(2000);
    await settle(50);
    const streams = (): string[] => (c.json() as { stream: string }[]).map((m) => m.stream);
    expect(streams()).toContain('ethusdt@trade');
    expect(streams()).not.toContain('btcusdt@trade');
    wall += 600;
    s.advance(0);
    await c.until(() => streams().includes('btcusdt@trade'), 3000, 'held frames');
    // Held frames arrive in their original order, ids ascending.
    const ids = (c.json() as { stream: string; data: { t: number } }[]).filter((m) => m.stream === 'btcusdt@trade').map((m) => m.data.t);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));

    const n = c.frames.length;
    s.applyFault({ type: 'stall', ms: 500, drop: true });
    s.advance(2000);
    wall += 600;
    s.advance(0);
    await settle(50);
    expect(c.frames.length).toBe(n);
    s.advance(1000);
    await c.until(() => c.frames.length > n, 3000, 'frames after the stall');
  });

  it('skips depth update ids so that the next diff does not chain', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/ws/btcusdt@depth@100ms`);
    for (let i = 0; i < 5; i++) s.advance(100);
    expect((await postFault(s, { type: 'gap', symbol: 'BTCUSDT', count: 7 })).status).toBe(200);
    for (let i = 0; i < 5; i++) s.advance(100);
    await settle(50);
    const ev = c.json() as { U: number; u: number }[];
    const breaks = ev.slice(1).map((e, i) => e.U - ev[i].u - 1).filter((d) => d !== 0);
    expect(breaks).toEqual([7]);
  });

  it('sends malformed frames: invalid JSON, a missing field, a negative price', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
    s.applyFault({ type: 'malformed', kind: 'invalid-json', count: 2, stream: 'btcusdt@trade' });
    s.applyFault({ type: 'malformed', kind: 'negative-price', count: 1, stream: 'btcusdt@trade' });
    s.applyFault({ type: 'malformed', kind: 'missing-field', count: 1, stream: 'btcusdt@depth@100ms' });
    s.advance(3000);
    await settle(60);
    const bad = c.frames.filter((f) => {
      try {
        JSON.parse(f);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(2);
    const trades = c.json().filter((f) => (f as { e?: string }).e === 'trade') as { p?: string }[];
    expect(trades.filter((t) => t.p?.startsWith('-'))).toHaveLength(1);
    const depths = c.json().filter((f) => (f as { e?: string }).e === 'depthUpdate') as { b?: unknown }[];
    expect(depths.filter((d) => d.b === undefined)).toHaveLength(1);
    expect(depths.length).toBeGreaterThan(5);
  });

  it('drops a client that stops reading once its send buffer is full', async () => {
    const s = await sim({ symbols: 50, sendBufferBytes: 64 * 1024 });
    const names = s.market.symbols.map((m) => `${m.lower}@depth@100ms/${m.lower}@trade/${m.lower}@bookTicker`).join('/');
    const slow = await client(`${s.wsUrl}/stream?streams=${names}`);
    const fast = await client(`${s.wsUrl}/ws/btcusdt@trade`);
    // Stop reading: the kernel buffers fill, then the simulator's own queue for this client.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let i = 0;
    for (; i < 400 && s.connectionCount > 1; i++) {
      s.advance(1000);
      await settle(1);
    }
    expect(i).toBeLessThan(400);
    expect(s.connectionCount).toBe(1);
    expect(fast.closed).toBe(false);
  });

  it('rejects bad fault commands on the control endpoint', async () => {
    const s = await sim();
    expect((await postFault(s, { type: 'melt' })).status).toBe(400);
    expect((await postFault(s, { type: 'stall' })).status).toBe(400);
    expect((await postFault(s, { type: 'gap', symbol: 'NOPE' })).status).toBe(400);
    expect((await postFault(s, { type: 'clear' })).status).toBe(200);
    const status = (await (await fetch(`${s.restUrl}/_sim/status`)).json()) as { venue: string };
    expect(status.venue).toBe('binance-spot');
  });
});
