import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarSpec } from '../src/core/bar-spec.js';
import { InstrumentId } from '../src/core/identifiers.js';
import { UnixMicros } from '../src/core/time.js';
import { loadConfig } from '../src/infra/config/config.js';
import { createLogger } from '../src/infra/logging/logger.js';
import { startPlatform, type Platform } from '../src/services/platform.js';

/**
 * The whole embedded platform end to end: simulator -> Binance client -> kernel -> 1s bars -> indicators
 * -> store and hot cache -> HTTP. Real sockets on loopback, a fresh PGlite database per run.
 */
describe('embedded platform (tradewind start)', () => {
  const home = mkdtempSync(join(tmpdir(), 'tw-platform-'));
  const lines: Record<string, unknown>[] = [];
  let platform: Platform;

  beforeAll(async () => {
    const env = { TRADEWIND_HOME: home, TRADEWIND_HTTP_PORT: '0', TRADEWIND_BARS: '1s', TRADEWIND_SYMBOLS: 'BTCUSDT,ETHUSDT', TRADEWIND_INDICATORS: 'ema(3),rsi(2)' };
    const config = loadConfig({ env, cwd: process.cwd() });
    const destination = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    platform = await startPlatform({ config, logger: createLogger({ destination, level: 'info' }), env, cwd: process.cwd() });
    // Wait until both symbols have closed a few one-second bars.
    for (let i = 0; i < 200; i++) {
      const ready = platform.latest().filter((l) => l.indicators.ema_3 !== null);
      if (new Set(ready.map((l) => l.instrumentId)).size === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('turns simulated trades into bars with indicator values', () => {
    const latest = platform.latest();
    expect(latest.map((l) => l.instrumentId).sort()).toEqual(['BTCUSDT.BINANCE', 'ETHUSDT.BINANCE']);
    for (const l of latest) {
      expect(l.spec).toBe('1s');
      expect(l.bar.tsEvent - l.bar.tsOpen).toBe(1_000_000);
      expect(l.bar.high.gte(l.bar.low)).toBe(true);
      expect(l.bar.tradeCount).toBeGreaterThan(0);
      expect(typeof l.indicators.ema_3).toBe('number');
    }
    expect(lines.some((l) => l.msg === 'bar')).toBe(true);
  });

  it('serves health, status, bars and metrics over HTTP', async () => {
    expect(await (await fetch(`${platform.httpUrl}/health`)).json()).toEqual({ status: 'ok' });
    const status = (await (await fetch(`${platform.httpUrl}/api/status`)).json()) as { eventsProcessed: number; latest: unknown[]; rejections: unknown[] };
    expect(status.eventsProcessed).toBeGreaterThan(0);
    expect(status.latest.length).toBe(2);
    expect(status.rejections).toEqual([]);
    const bars = (await (await fetch(`${platform.httpUrl}/api/bars?instrument=BTCUSDT.BINANCE&spec=1s&limit=5`)).json()) as { bars: { open: string; tsOpen: number }[] };
    expect(bars.bars.length).toBeGreaterThan(0);
    expect(typeof bars.bars[0].open).toBe('string');
    const metrics = await (await fetch(`${platform.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/tradewind_market_events_total\{type="trade",service="all-in-one"\} [1-9]/);
    expect(metrics).toMatch(/tradewind_bar_late_trades\{service="all-in-one"\} \d+/);
    expect(metrics).toMatch(/tradewind_bars_closed_total\{spec="1s",service="all-in-one"\} [1-9]/);
    expect((await fetch(`${platform.httpUrl}/api/bars?instrument=nonsense`)).status).toBe(400);
    expect((await fetch(`${platform.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${platform.httpUrl}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('stores trades and bars and keeps the latest bar in the hot cache', async () => {
    const id = InstrumentId.parse('ETHUSDT.BINANCE');
    await new Promise((r) => setTimeout(r, 1500)); // one more flush interval of the writers
    expect(await platform.store.countTrades(id)).toBeGreaterThan(0);
    const stored = await platform.store.lastBars(id, BarSpec.parse('1s'), 3);
    expect(stored.length).toBeGreaterThan(0);
    const hot = await platform.hotCache.latestBar(id, BarSpec.parse('1s'));
    expect(hot?.tsOpen).toBeGreaterThanOrEqual(stored[stored.length - 1].tsOpen);
    const range = { from: UnixMicros.of(0), to: UnixMicros.of(Number.MAX_SAFE_INTEGER) };
    expect((await platform.store.trades(id, range, 5)).length).toBeGreaterThan(0);
  });
});
