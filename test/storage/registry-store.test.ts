/** Contract of RegistryStore (models, backtests) against every SQL backend (PGlite always, PostgreSQL when configured). */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnixMicros } from '../../src/core/index.js';
import { BacktestStatus, ModelStatus } from '../../src/kernel/ports/registry-store.js';
import { SqlRegistryStore } from '../../src/infra/store/sql-registry-store.js';
import type { OpenedDb } from './backends.js';
import { sqlBackends } from './backends.js';

for (const backend of sqlBackends()) {
  describe(`RegistryStore contract: ${backend.name}`, () => {
    let opened: OpenedDb;
    let store: SqlRegistryStore;
    beforeAll(async () => {
      opened = await backend.open();
      store = new SqlRegistryStore(opened.driver);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('registers numbered model versions with JSON metadata and an artifact', async () => {
      const artifact = new Uint8Array([0, 1, 2, 255, 254, 0, 10, 13]);
      const v1 = await store.registerModel({
        modelId: 'gbm-btc',
        kind: 'gbm',
        params: { depth: 6, lr: 0.05, features: ['rsi14', 'ema20'], nested: { a: null } },
        metrics: { auc: 0.61 },
        artifact,
        tsCreated: UnixMicros.of(100),
      });
      expect(v1).toEqual({
        modelId: 'gbm-btc',
        version: 1,
        kind: 'gbm',
        params: { depth: 6, lr: 0.05, features: ['rsi14', 'ema20'], nested: { a: null } },
        metrics: { auc: 0.61 },
        status: 'candidate',
        artifactSha256: createHash('sha256').update(artifact).digest('hex'),
        tsCreated: 100,
      });
      const [v2, other] = await Promise.all([
        store.registerModel({ modelId: 'gbm-btc', kind: 'gbm', status: ModelStatus.Production, tsCreated: UnixMicros.of(200) }),
        store.registerModel({ modelId: 'lin-eth', kind: 'linear', tsCreated: UnixMicros.of(150) }),
      ]);
      expect(v2.version).toBe(2);
      expect(v2.params).toEqual({});
      expect(v2.artifactSha256).toBeUndefined();
      expect(other.version).toBe(1);
      // concurrent registrations of one model take distinct versions
      const many = await Promise.all([3, 4, 5].map((i) => store.registerModel({ modelId: 'gbm-btc', kind: 'gbm', tsCreated: UnixMicros.of(i * 100) })));
      expect(many.map((m) => m.version).sort()).toEqual([3, 4, 5]);

      expect((await store.model('gbm-btc'))?.version).toBe(5);
      expect(await store.model('gbm-btc', 1)).toEqual(v1);
      expect(await store.model('gbm-btc', 9)).toBeUndefined();
      expect(await store.model('none')).toBeUndefined();
      expect((await store.models()).map((m) => `${m.modelId}@${m.version}`)).toEqual(['gbm-btc@1', 'gbm-btc@2', 'gbm-btc@3', 'gbm-btc@4', 'gbm-btc@5', 'lin-eth@1']);
      expect((await store.models('lin-eth')).map((m) => m.kind)).toEqual(['linear']);

      expect(Array.from((await store.modelArtifact('gbm-btc', 1)) ?? [])).toEqual(Array.from(artifact));
      expect(await store.modelArtifact('gbm-btc', 2)).toBeUndefined();
      expect(await store.modelArtifact('gbm-btc', 99)).toBeUndefined();

      expect(await store.setModelStatus('gbm-btc', 1, ModelStatus.Retired)).toBe(true);
      expect((await store.model('gbm-btc', 1))?.status).toBe('retired');
      expect(await store.setModelStatus('gbm-btc', 99, ModelStatus.Retired)).toBe(false);
      await expect(store.setModelStatus('gbm-btc', 1, 'live' as ModelStatus)).rejects.toThrow(/status/);
      await expect(store.registerModel({ modelId: 'x', kind: 'k', status: 'live' as ModelStatus, tsCreated: UnixMicros.of(1) })).rejects.toThrow(/status/);
    });

    it('records backtest runs and their outcome once', async () => {
      const config = { strategy: 'ema-cross', fast: 12, slow: 26, instruments: ['BTCUSDT.BINANCE'] };
      expect(await store.startBacktest({ backtestId: 'bt-1', config, tsStarted: UnixMicros.of(1000) })).toBe(true);
      expect(await store.startBacktest({ backtestId: 'bt-1', config: { other: true }, tsStarted: UnixMicros.of(1001) })).toBe(false);
      expect(await store.startBacktest({ backtestId: 'bt-2', config: {}, tsStarted: UnixMicros.of(2000) })).toBe(true);
      expect(await store.startBacktest({ backtestId: 'bt-3', config: {}, tsStarted: UnixMicros.of(3000) })).toBe(true);
      expect(await store.backtest('bt-1')).toEqual({ backtestId: 'bt-1', config, status: 'running', metrics: {}, tsStarted: 1000 });

      const metrics = { sharpe: 1.25, trades: 42, pnl: '1234.56 USDT' };
      expect(await store.finishBacktest('bt-1', { status: 'finished', metrics, report: { equity: [1, 2, 3] }, tsFinished: UnixMicros.of(5000) })).toBe(true);
      expect(await store.finishBacktest('bt-1', { status: 'failed', metrics: {}, tsFinished: UnixMicros.of(6000) })).toBe(false);
      expect(await store.finishBacktest('nope', { status: 'failed', metrics: {}, tsFinished: UnixMicros.of(6000) })).toBe(false);
      expect(await store.finishBacktest('bt-2', { status: 'failed', metrics: { error: 'no data' }, tsFinished: UnixMicros.of(7000) })).toBe(true);
      await expect(store.finishBacktest('bt-3', { status: 'running' as 'failed', metrics: {}, tsFinished: UnixMicros.of(1) })).rejects.toThrow(RangeError);

      expect(await store.backtest('bt-1')).toEqual({ backtestId: 'bt-1', config, status: 'finished', metrics, report: { equity: [1, 2, 3] }, tsStarted: 1000, tsFinished: 5000 });
      expect((await store.backtest('bt-2'))?.report).toBeUndefined();
      expect(await store.backtest('nope')).toBeUndefined();
      expect((await store.backtests()).map((b) => b.backtestId)).toEqual(['bt-3', 'bt-2', 'bt-1']);
      expect((await store.backtests({ status: BacktestStatus.Running })).map((b) => b.backtestId)).toEqual(['bt-3']);
      expect((await store.backtests({ limit: 2 })).map((b) => b.backtestId)).toEqual(['bt-3', 'bt-2']);
    });
  });
}
