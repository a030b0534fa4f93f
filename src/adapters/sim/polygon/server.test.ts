import { afterEach, describe, expect, it } from 'vitest';
import { RecordingClient, settle } from '../testing/ws-client.js';
import { PolygonSimulator, type PolygonSimOptions } from './server.js';

const START_US = Date.UTC(2024, 0, 2, 15, 0, 0) * 1000;
const sims: PolygonSimulator[] = [];
const clients: RecordingClient[] = [];

async function sim(opts: Partial<PolygonSimOptions> = {}): Promise<PolygonSimulator> {
  const s = await PolygonSimulator.start({ clock: 'manual', startUs: START_US, cluster: 'stocks', symbols: ['AAPL', 'MSFT'], seed: 3, apiKey: 'k1', ...opts });
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

type Ev = Record<string, unknown>;

describe('Polygon WebSocket and REST', () => {
  it('runs the connected / auth / subscribe flow and sends arrays of T, Q, A and AM events', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/stocks`);
    await c.until(() => c.frames.length === 1);
    expect(JSON.parse(c.frames[0])).toEqual([{ ev: 'status', status: 'connected', message: 'Connected Successfully' }]);
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'T.AAPL' }));
    await c.until(() => c.frames.length === 2);
    expect(JSON.parse(c.frames[1])).toEqual([{ ev: 'status', status: 'error', message: 'not authorized' }]);
    c.ws.send(JSON.stringify({ action: 'auth', params: 'k1' }));
    await c.until(() => c.frames.length === 3);
    expect(JSON.parse(c.frames[2])).toEqual([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]);
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'T.AAPL,Q.AAPL,A.AAPL,AM.*' }));
    await c.until(() => c.frames.length === 4);
    expect((JSON.parse(c.frames[3]) as Ev[]).map((e) => e.message)).toEqual(['subscribed to: T.AAPL', 'subscribed to: Q.AAPL', 'subscribed to: A.AAPL', 'subscribed to: AM.*']);
    for (let i = 0; i < 65; i++) s.advance(1000);
    await c.until(() => c.frames.slice(4).filter((f) => f.includes('"ev":"AM"')).length >= 1 && c.frames.join('').split('"ev":"AM"').length >= 3, 5000, 'AM events');
    const frames = c.frames.slice(4).map((f) => JSON.parse(f) as Ev[]);
    expect(frames.every((f) => Array.isArray(f))).toBe(true);
    expect(frames.some((f) => f.length > 1)).toBe(true);
    const events = frames.flat();
    const t = events.find((e) => e.ev === 'T')!;
    expect(Object.keys(t)).toEqual(['ev', 'sym', 'x', 'i', 'z', 'p', 's', 'c', 't', 'q']);
    expect(Number.isInteger(t.s)).toBe(true);
    const q = events.find((e) => e.ev === 'Q')!;
    expect(Object.keys(q)).toEqual(['ev', 'sym', 'bx', 'bp', 'bs', 'ax', 'ap', 'as', 'c', 'i', 't', 'q', 'z']);
    expect(q.bp as number).toBeLessThan(q.ap as number);
    const am = events.filter((e) => e.ev === 'AM');
    expect(new Set(am.map((e) => e.sym))).toEqual(new Set(['AAPL', 'MSFT']));
    // The minute aggregate agrees with the trades of that minute.
    const a = am.find((e) => e.sym === 'AAPL')!;
    const inMinute = events.filter((e) => e.ev === 'T' && (e.t as number) >= (a.s as number) && (e.t as number) < (a.e as number));
    expect(a.v).toBe(inMinute.reduce((x, e) => x + (e.s as number), 0));
    expect(a.o).toBe(inMinute[0].p);
    expect(a.c).toBe(inMinute.at(-1)!.p);
    expect(events.some((e) => e.ev === 'A')).toBe(true);
    expect(events.some((e) => e.ev === 'T' && e.sym === 'MSFT')).toBe(false);
  });

  it('fails authentication with a wrong key and closes', async () => {
    const s = await sim();
    const c = await client(`${s.wsUrl}/stocks`);
    c.ws.send(JSON.stringify({ action: 'auth', params: 'wrong' }));
    await c.until(() => c.closed, 3000, 'close');
    expect(JSON.parse(c.frames[1])).toEqual([{ ev: 'status', status: 'auth_failed', message: 'authentication failed' }]);
  });

  it('serves the crypto cluster with XT and XQ events', async () => {
    const s = await sim({ cluster: 'crypto', symbols: ['BTC-USD'] });
    await expect(RecordingClient.open(`${s.wsUrl}/stocks`)).rejects.toThrow('HTTP 404');
    const c = await client(`${s.wsUrl}/crypto`);
    c.ws.send(JSON.stringify({ action: 'auth', params: 'k1' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'XT.X:BTC-USD,XQ.BTC-USD' }));
    await c.until(() => c.frames.length >= 3);
    s.advance(2000);
    await settle(60);
    const events = c.frames.slice(3).flatMap((f) => JSON.parse(f) as Ev[]);
    const xt = events.find((e) => e.ev === 'XT')!;
    expect(Object.keys(xt)).toEqual(['ev', 'pair', 'p', 't', 's', 'c', 'i', 'x', 'r']);
    expect(xt.pair).toBe('BTC-USD');
    expect(events.some((e) => e.ev === 'XQ')).toBe(true);
  });

  it('serves REST aggregates that agree with the minute events, behind the API key', async () => {
    const s = await sim();
    for (let i = 0; i < 185; i++) s.advance(1000);
    const base = `${s.restUrl}/v2/aggs/ticker/AAPL/range/1/minute/2024-01-02/2024-01-02`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(`${base}?apiKey=nope`)).status).toBe(401);
    const r = (await (await fetch(`${base}?apiKey=k1`)).json()) as { results: Ev[]; resultsCount: number; status: string; ticker: string };
    expect(r.status).toBe('OK');
    expect(r.ticker).toBe('AAPL');
    expect(r.resultsCount).toBe(4);
    expect(Object.keys(r.results[0])).toEqual(['v', 'vw', 'o', 'c', 'h', 'l', 't', 'n']);
    const five = (await (await fetch(`${s.restUrl}/v2/aggs/ticker/AAPL/range/5/minute/2024-01-02/2024-01-02`, { headers: { authorization: 'Bearer k1' } })).json()) as { results: Ev[] };
    expect(five.results).toHaveLength(1);
    expect(five.results[0].v).toBe(r.results.reduce((x, e) => x + (e.v as number), 0));
    expect(five.results[0].n).toBe(r.results.reduce((x, e) => x + (e.n as number), 0));
    const none = (await (await fetch(`${s.restUrl}/v2/aggs/ticker/ZZZZ/range/1/minute/2024-01-02/2024-01-02?apiKey=k1`)).json()) as Ev;
    expect(none).toMatchObject({ resultsCount: 0, status: 'OK' });
  });
});
