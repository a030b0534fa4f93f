import { createHash } from 'node:crypto';
import { UnixMicros } from '../../core/index.js';
import { MODEL_STATUSES, ModelStatus } from '../../kernel/ports/registry-store.js';
import type { BacktestRecord, BacktestStatus, JsonObject, ModelRecord, RegistryStore } from '../../kernel/ports/registry-store.js';
import type { SqlDriver } from '../db/driver.js';

interface ModelRow {
  model_id: string;
  version: number;
  kind: string;
  params: string;
  metrics: string;
  status: string;
  artifact_sha256: string | null;
  ts_created: number;
}

const MODEL_COLUMNS = 'model_id, version, kind, params::text AS params, metrics::text AS metrics, status, artifact_sha256, ts_created';

function modelFromRow(r: ModelRow): ModelRecord {
  return {
    modelId: r.model_id,
    version: r.version,
    kind: r.kind,
    params: JSON.parse(r.params) as JsonObject,
    metrics: JSON.parse(r.metrics) as JsonObject,
    status: r.status as ModelStatus,
    ...(r.artifact_sha256 === null ? {} : { artifactSha256: r.artifact_sha256 }),
    tsCreated: UnixMicros.unsafe(r.ts_created),
  };
}

interface BacktestRow {
  backtest_id: string;
  config: string;
  status: string;
  metrics: string;
  report: string | null;
  ts_started: number;
  ts_finished: number | null;
}

const BACKTEST_COLUMNS = 'backtest_id, config::text AS config, status, metrics::text AS metrics, report::text AS report, ts_started, ts_finished';

function backtestFromRow(r: BacktestRow): BacktestRecord {
  return {
    backtestId: r.backtest_id,
    config: JSON.parse(r.config) as JsonObject,
    status: r.status as BacktestStatus,
    metrics: JSON.parse(r.metrics) as JsonObject,
    ...(r.report === null ? {} : { report: JSON.parse(r.report) as JsonObject }),
    tsStarted: UnixMicros.unsafe(r.ts_started),
    ...(r.ts_finished === null ? {} : { tsFinished: UnixMicros.unsafe(r.ts_finished) }),
  };
}

function checkStatus(status: string): void {
  if (!MODEL_STATUSES.includes(status as ModelStatus)) throw new RangeError(`unknown model status: ${JSON.stringify(status)}`);
}

/** RegistryStore over any SqlDriver; JSON goes into jsonb columns, the artifact into bytea. */
export class SqlRegistryStore implements RegistryStore {
  constructor(readonly db: SqlDriver) {}

  async registerModel(p: {
    readonly modelId: string;
    readonly kind: string;
    readonly params?: JsonObject;
    readonly metrics?: JsonObject;
    readonly status?: ModelStatus;
    readonly artifact?: Uint8Array;
    readonly tsCreated: UnixMicros;
  }): Promise<ModelRecord> {
    const status = p.status ?? ModelStatus.Candidate;
    checkStatus(status);
    const sha = p.artifact === undefined ? null : createHash('sha256').update(p.artifact).digest('hex');
    return this.db.transaction(async (tx) => {
      // Two registrations of one model at once must not both take the same next version.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tw_model:${p.modelId}`]);
      const rows = await tx.query<ModelRow>(
        `INSERT INTO models (model_id, version, kind, params, metrics, artifact, artifact_sha256, status, ts_created)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3::text::jsonb, $4::text::jsonb, decode($5, 'hex'), $6, $7, $8
           FROM models WHERE model_id = $1
         RETURNING ${MODEL_COLUMNS}`,
        [
          p.modelId,
          p.kind,
          JSON.stringify(p.params ?? {}),
          JSON.stringify(p.metrics ?? {}),
          // hex, like the read: the two drivers do not pass bytea parameters the same way
          p.artifact === undefined ? null : Buffer.from(p.artifact.buffer, p.artifact.byteOffset, p.artifact.byteLength).toString('hex'),
          sha,
          status,
          p.tsCreated,
        ],
      );
      return modelFromRow(rows[0]);
    });
  }

  async model(modelId: string, version?: number): Promise<ModelRecord | undefined> {
    const rows = await this.db.query<ModelRow>(
      `SELECT ${MODEL_COLUMNS} FROM models WHERE model_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [modelId, version ?? null],
    );
    return rows.length === 0 ? undefined : modelFromRow(rows[0]);
  }

  async models(modelId?: string): Promise<ModelRecord[]> {
    const rows = await this.db.query<ModelRow>(
      `SELECT ${MODEL_COLUMNS} FROM models WHERE ($1::text IS NULL OR model_id = $1) ORDER BY model_id, version`,
      [modelId ?? null],
    );
    return rows.map(modelFromRow);
  }

  async modelArtifact(modelId: string, version: number): Promise<Uint8Array | undefined> {
    const rows = await this.db.query<{ hex: string | null }>(
      "SELECT encode(artifact, 'hex') AS hex FROM models WHERE model_id = $1 AND version = $2",
      [modelId, version],
    );
    if (rows.length === 0 || rows[0].hex === null) return undefined;
    return new Uint8Array(Buffer.from(rows[0].hex, 'hex'));
  }

  async setModelStatus(modelId: string, version: number, status: ModelStatus): Promise<boolean> {
    checkStatus(status);
    const rows = await this.db.query('UPDATE models SET status = $3 WHERE model_id = $1 AND version = $2 RETURNING 1', [modelId, version, status]);
    return rows.length > 0;
  }

  async startBacktest(p: { readonly backtestId: string; readonly config: JsonObject; readonly tsStarted: UnixMicros }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO backtests (backtest_id, config, status, ts_started) VALUES ($1, $2::text::jsonb, 'running', $3)
       ON CONFLICT (backtest_id) DO NOTHING RETURNING 1`,
      [p.backtestId, JSON.stringify(p.config), p.tsStarted],
    );
    return rows.length > 0;
  }

  async finishBacktest(
    backtestId: string,
    outcome: { readonly status: 'finished' | 'failed'; readonly metrics: JsonObject; readonly report?: JsonObject; readonly tsFinished: UnixMicros },
  ): Promise<boolean> {
    if (outcome.status !== 'finished' && outcome.status !== 'failed') throw new RangeError(`a backtest ends finished or failed, not ${JSON.stringify(outcome.status)}`);
    const rows = await this.db.query(
      `UPDATE backtests SET status = $2, metrics = $3::text::jsonb, report = $4::text::jsonb, ts_finished = $5
        WHERE backtest_id = $1 AND status = 'running' RETURNING 1`,
      [backtestId, outcome.status, JSON.stringify(outcome.metrics), outcome.report === undefined ? null : JSON.stringify(outcome.report), outcome.tsFinished],
    );
    return rows.length > 0;
  }

  async backtest(backtestId: string): Promise<BacktestRecord | undefined> {
    const rows = await this.db.query<BacktestRow>(`SELECT ${BACKTEST_COLUMNS} FROM backtests WHERE backtest_id = $1`, [backtestId]);
    return rows.length === 0 ? undefined : backtestFromRow(rows[0]);
  }

  async backtests(query: { readonly status?: BacktestStatus; readonly limit?: number } = {}): Promise<BacktestRecord[]> {
    const rows = await this.db.query<BacktestRow>(
      `SELECT ${BACKTEST_COLUMNS} FROM backtests WHERE ($1::text IS NULL OR status = $1)
        ORDER BY ts_started DESC, backtest_id DESC LIMIT $2`,
      [query.status ?? null, query.limit ?? null],
    );
    return rows.map(backtestFromRow);
  }
}
