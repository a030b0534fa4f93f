import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { Backoff } from './backoff.js';
import { IdDeduplicator } from './dedup.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { ReconnectingWebSocket } from './reconnecting-ws.js';
import { RejectReason } from './reject-reason.js';
import { RejectionCounter } from './rejection-counter.js';
import type { RejectionSample } from './rejection-counter.js';
import { StalenessMonitor } from './staleness.js';
import { TimeOffsetEstimator } from './time-offset.js';

describe('Backoff', () => {
  it('full jitter within a capped exponential ceiling, reset after health', () => {
    const draws = [1, 0.5, 0, 0.999, 1, 1, 1];
    const b = new Backoff(100, 1000, () => draws.shift() ?? 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 100, 0, 799.2, 1000, 1000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.ceilingMs()).toBe(100);
    expect(() => new Backoff(0, 10)).toThrow(RangeError);
    expect(() => new Backoff(10, 5)).toThrow(RangeError);
    const real = new Backoff(10, 20);
    for (let i = 0; i < 50; i++) expect(real.next()).toBeLessThanOrEqual(20);
  });
});

describe('StalenessMonitor', () => {
  it('reports a stream once when it goes quiet, again after it recovers and goes quiet again', () => {
    const m = new StalenessMonitor(1000);
    m.watch('a', 0);
    m.watch('b', 0, 5000);
    m.touch('unknown', 10);
    expect(m.check(500)).toEqual([]);
    m.touch('a', 900);
    expect(m.check(1800)).toEqual([]);
    expect(m.check(2000)).toEqual(['a']);
    expect(m.check(2100)).toEqual([]);
    expect(m.isStale('a')).toBe(true);
    m.touch('a', 2200);
    expect(m.isStale('a')).toBe(false);
    expect(m.ageMicros('a', 2300)).toBe(100);
    expect(m.check(6000).sort()).toEqual(['a', 'b']);
    m.unwatch('a');
    expect(m.ageMicros('a', 1)).toBeUndefined();
  });
});

describe('RejectionCounter', () => {
  it('counts by venue and reason and logs at most one sample per interval with the suppressed count', () => {
    const logs: Record<string, unknown>[] = [];
    const c = new RejectionCounter({ warn: (o) => logs.push(o) }, 1000, 5);
    const seen: string[] = [];
    c.onReject = (v, r) => seen.push(`${v}/${r}`);
    const s: RejectionSample = { venue: 'BINANCE', reason: RejectReason.InvalidJson, field: undefined, detail: 'x', frame: '{"abcdefgh' };
    c.record(s, 0);
    c.record(s, 10);
    c.record(s, 20);
    c.record({ ...s, reason: RejectReason.BadPrice, field: 'p' }, 30);
    c.record(s, 1500);
    expect(c.count('BINANCE', 'invalid_json')).toBe(4);
    expect(c.count('BINANCE')).toBe(5);
    expect(c.count('OTHER')).toBe(0);
    expect(logs.map((l) => [l.reason, l.suppressed, l.total, l.frame])).toEqual([
      ['invalid_json', 0, 1, '{"abc'],
      ['bad_price', 0, 1, '{"abc'],
      ['invalid_json', 2, 4, '{"abc'],
    ]);
    expect(c.snapshot()).toEqual([
      { venue: 'BINANCE', reason: 'invalid_json', count: 4 },
      { venue: 'BINANCE', reason: 'bad_price', count: 1 },
    ]);
    expect(seen.length).toBe(5);
  });
});

describe('TimeOffsetEstimator', () => {
  it('uses the least delayed event, and the fastest REST round trip when there is one', () => {
    const t = new TimeOffsetEstimator(3);
    expect(t.offsetMicros).toBeUndefined();
    expect(t.medianDelayMicros).toBeUndefined();
    t.addEvent(1000, 1500); // delay 500
    t.addEvent(2000, 2300); // 300
    t.addEvent(3000, 3900); // 900
    expect(t.offsetMicros).toBe(-300);
    expect(t.medianDelayMicros).toBe(500);
    t.addEvent(4000, 4800); // evicts the 500
    expect(t.samples).toBe(3);
    expect(t.medianDelayMicros).toBe(800);
    t.addRest(10_000, 10_700, 11_000); // rtt 1000, offset 700 - 500 = 200
    t.addRest(20_000, 19_000, 22_000); // slower round trip: ignored
    expect(t.offsetMicros).toBe(200);
    expect(t.restRoundTripMicros).toBe(1000);
  });
});

describe('IdDeduplicator', () => {
  it('drops repeats per key within its capacity', () => {
    const d = new IdDeduplicator(2);
    expect(d.firstTime('a', '1')).toBe(true);
    expect(d.firstTime('a', '1')).toBe(false);
    expect(d.firstTime('b', '1')).toBe(true);
    expect(d.firstTime('a', '2')).toBe(true);
    expect(d.firstTime('a', '3')).toBe(true); // evicts '1'
    expect(d.firstTime('a', '1')).toBe(true);
    expect(d.firstTime('a', '3')).toBe(false);
    d.clear('a');
    expect(d.firstTime('a', '3')).toBe(true);
    d.clear();
    expect(d.firstTime('b', '1')).toBe(true);
    expect(() => new IdDeduplicator(0)).toThrow(RangeError);
  });
});

describe('SlidingWindowLimiter', () => {
  it('lets `limit` sends through per window and says how long to wait', () => {
    const l = new SlidingWindowLimiter(2, 1000);
    expect(l.delayMs(0)).toBe(0);
    l.record(0);
    l.record(100);
    expect(l.delayMs(200)).toBe(800);
    expect(l.delayMs(1000)).toBe(0);
    expect(() => new SlidingWindowLimiter(0)).toThrow(RangeError);
  });
});

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ReconnectingWebSocket', () => {
  it('reconnects after the server drops it, calls onOpen again, answers pings', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as AddressInfo).port;
    let connections = 0;
    let pongs = 0;
    wss.on('connection', (sock) => {
      const n = ++connections;
      let ponged = false;
      let echoed = false;
      // The first connection is cut (no close frame) once it has answered the ping and been echoed.
      const maybeCut = () => {
        if (n === 1 && ponged && echoed) sock.terminate();
      };
      sock.on('pong', (data) => {
        if (data.toString() === 'hi') pongs++;
        ponged = true;
        maybeCut();
      });
      sock.on('message', (m) => {
        sock.send(`echo ${m.toString()}`, () => {
          echoed = true;
          maybeCut();
        });
      });
      sock.ping('hi');
    });
    const got: string[] = [];
    const closes: (number | undefined)[] = [];
    let opened = 0;
    let resolveTwo!: () => void;
    const two = new Promise<void>((r) => (resolveTwo = r));
    const client = new ReconnectingWebSocket({
      url: () => `ws://127.0.0.1:${port}`,
      backoff: new Backoff(10, 20),
      onOpen: () => {
        opened++;
        client.send(`hello ${opened}`);
        if (opened === 2) resolveTwo();
      },
      onMessage: (t) => got.push(t),
      onClose: (_c, _r, retry) => closes.push(retry),
    });
    expect(client.send('too early')).toBe(false);
    client.start();
    client.start();
    await two;
    await until('echo of the second hello and both pongs', () => got.includes('echo hello 2') && pongs === 2);
    expect(got).toContain('echo hello 1');
    expect(got).toContain('echo hello 2');
    expect(client.opens).toBe(2);
    expect(closes.length).toBe(1);
    expect(closes[0]).toBeLessThanOrEqual(20);
    expect(pongs).toBe(2);
    expect(client.isOpen).toBe(true);
    client.reconnect();
    await until('third open', () => client.opens === 3 && client.isOpen);
    await client.stop();
    expect(client.isOpen).toBe(false);
    client.reconnect();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});
