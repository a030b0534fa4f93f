import { describe, expect, it } from 'vitest';
import { CoinbaseSimulator } from './coinbase/server.js';
import { SIM_VENUES, startSimulator } from './launch.js';
import { RecordingClient, settle } from './testing/ws-client.js';

describe('startSimulator', () => {
  it('starts every venue with generated names in its style and answers on its REST side', async () => {
    const paths: Record<string, string> = {
      binance: '/api/v3/exchangeInfo',
      'binance-futures': '/fapi/v1/exchangeInfo',
      coinbase: '/products',
      polygon: '/v2/aggs/ticker/SYM0001/range/1/minute/2020-01-01/2030-01-01?apiKey=x',
      'polygon-crypto': '/v2/aggs/ticker/X:SYM0001USD/range/1/minute/2020-01-01/2030-01-01?apiKey=x',
    };
    for (const venue of SIM_VENUES) {
      const sim = await startSimulator({ venue, symbols: 2, seed: 1 });
      try {
        const r = await fetch(`${sim.restUrl}${paths[venue]}`);
        expect(r.status, venue).toBe(200);
        const body = await r.text();
        if (venue === 'coinbase') expect(body).toContain('"SYM0001-USD"');
        if (venue === 'binance') expect(body).toContain('"SYM0001USDT"');
        expect(sim.endpoints.length).toBeGreaterThan(1);
        sim.applyFault({ type: 'clear' });
      } finally {
        await sim.close();
      }
    }
    await expect(startSimulator({ venue: 'coinbase', replay: '/nonexistent' })).rejects.toThrow(RangeError);
  });
});

describe('faults on the Coinbase and Polygon simulators', () => {
  it('stalls (holding or dropping), corrupts, skips sequence numbers and disconnects', async () => {
    let wall = 5_000_000;
    const s = await CoinbaseSimulator.start({ clock: 'manual', symbols: ['BTC-USD'], seed: 1, startUs: Date.UTC(2024, 0, 1) * 1000, wallNowMs: () => wall, subscribeTimeoutMs: 0 });
    try {
      const c = await RecordingClient.open(`${s.wsUrl}/`);
      c.ws.send(JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'heartbeat'] }));
      await c.until(() => c.frames.length >= 1);
      const r = await fetch(`${s.restUrl}/_sim/faults`, { method: 'POST', body: JSON.stringify({ type: 'stall', ms: 100, stream: 'heartbeat.BTC-USD' }) });
      expect(r.status).toBe(200);
      expect((await fetch(`${s.restUrl}/_sim/faults`, { method: 'POST', body: '{"type":"nope"}' })).status).toBe(400);
      s.advance(1000);
      await settle(50);
      expect(c.frames.some((f) => f.includes('"type":"heartbeat"'))).toBe(false);
      wall += 200;
      s.advance(0);
      await c.until(() => c.frames.some((f) => f.includes('"type":"heartbeat"')), 3000, 'held heartbeat');
      s.applyFault({ type: 'stall', ms: 100, drop: true });
      s.advance(1000);
      wall += 200;
      const n = c.frames.length;
      s.advance(0);
      await settle(30);
      expect(c.frames.length).toBe(n);
      s.applyFault({ type: 'malformed', kind: 'invalid-json', count: 1 });
      s.advance(2000);
      await c.until(() => c.frames.length > n + 1);
      expect(c.frames.slice(n).filter((f) => !f.endsWith('}'))).toHaveLength(1);
      s.applyFault({ type: 'gap', count: 2 });
      expect(() => s.applyFault({ type: 'gap', symbol: 'NOPE' })).toThrow();
      s.applyFault({ type: 'send-buffer', bytes: 1 });
      s.applyFault({ type: 'disconnect', mode: 'close' });
      await c.until(() => c.closed, 3000, 'close');
      expect(c.closeCode).toBe(1001);
      const status = (await (await fetch(`${s.restUrl}/_sim/status`)).json()) as { venue: string };
      expect(status.venue).toBe('coinbase-exchange');
    } finally {
      await s.close();
    }
  });
});
