/**
 * Nothing is lost when PostgreSQL restarts during ingest: the writer keeps its buffer, the driver reconnects
 * and the failed batch is retried (idempotently). Restarts the real server, so it runs only when asked:
 * TRADEWIND_TEST_PG_URL set and TRADEWIND_TEST_PG_RESTART=1 (a restart during the parallel `npm test` run
 * would break the other suites that share the server).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstrumentId, UnixMicros } from '../../src/core/index.js';
import type { TradeTick } from '../../src/core/index.js';
import { BufferedWriter } from '../../src/infra/store/buffered-writer.js';
import { SqlMarketStore } from '../../src/infra/store/sql-market-store.js';
import { openPgSchema, pgUrl } from './backends.js';
import type { OpenedDb } from './backends.js';
import { makeTrades, plainTrade } from './fixtures.js';

const enabled = pgUrl !== undefined && pgUrl !== '' && process.env.TRADEWIND_TEST_PG_RESTART === '1';

function restartCommand(): [string, string[]] {
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (version === undefined) throw new Error('no cluster under /etc/postgresql');
  return ['pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']];
}

describe.runIf(enabled)('PostgreSQL restart during ingest', () => {
  let opened: OpenedDb;
  beforeAll(async () => {
    opened = await openPgSchema(pgUrl as string, { maxAttempts: 1 });
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('loses nothing and duplicates nothing', async () => {
    const inst = InstrumentId.parse('BTCUSDT.BINANCE');
    const trades = makeTrades(inst, Date.UTC(2024, 2, 1) * 1000, 150_000, { seed: 42, meanGapMicros: 500_000 });
    const store = new SqlMarketStore(opened.driver);
    let retries = 0;
    const writer = new BufferedWriter<TradeTick>({
      sink: async (batch) => {
        // slow the ingest down so that the restart lands in the middle of it
        await new Promise((r) => setTimeout(r, 20));
        return store.insertTrades(batch);
      },
      batchSize: 2_000,
      capacity: 10_000,
      onRetry: () => retries++,
    });
    const [cmd, args] = restartCommand();
    let restart: Promise<void> | undefined;
    for (let i = 0; i < trades.length; i++) {
      await writer.put(trades[i]);
      if (i === 30_000) {
        restart = new Promise<void>((resolve, reject) => {
          const p = spawn(cmd, args, { stdio: 'ignore' });
          p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
          p.on('error', reject);
        });
      }
    }
    await writer.close();
    await restart;
    expect(retries).toBeGreaterThan(0); // the restart really interrupted the ingest
    expect(writer.stats.written).toBe(trades.length);
    expect(await store.countTrades(inst)).toBe(trades.length);
    const back = await store.trades(inst, { from: UnixMicros.of(0), to: UnixMicros.of(Number.MAX_SAFE_INTEGER) });
    expect(back.map(plainTrade)).toEqual(trades.map(plainTrade));
    execFileSync('pg_isready', ['-h', '127.0.0.1']);
  }, 120_000);
});
