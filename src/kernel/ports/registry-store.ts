import type { UnixMicros } from '../../core/index.js';

/** A JSON object as stored in a jsonb column (key order is not kept). */
export type JsonObject = { readonly [key: string]: unknown };

export const ModelStatus = { Candidate: 'candidate', Production: 'production', Retired: 'retired' } as const;
export type ModelStatus = (typeof ModelStatus)[keyof typeof ModelStatus];
export const MODEL_STATUSES: readonly ModelStatus[] = Object.values(ModelStatus);

/** One version of a model: metadata only (the artifact is read apart with `modelArtifact`). */
export interface ModelRecord {
  readonly modelId: string;
  /** 1, 2, 3, ... per model id, assigned at registration. */
  readonly version: number;
  readonly kind: string;
  readonly params: JsonObject;
  readonly metrics: JsonObject;
  readonly status: ModelStatus;
  /** SHA-256 (hex) of the artifact, when there is one. */
  readonly artifactSha256?: string;
  readonly tsCreated: UnixMicros;
}

export const BacktestStatus = { Running: 'running', Finished: 'finished', Failed: 'failed' } as const;
export type BacktestStatus = (typeof BacktestStatus)[keyof typeof BacktestStatus];

export interface BacktestRecord {
  readonly backtestId: string;
  readonly config: JsonObject;
  readonly status: BacktestStatus;
  readonly metrics: JsonObject;
  readonly report?: JsonObject;
  readonly tsStarted: UnixMicros;
  readonly tsFinished?: UnixMicros;
}

/** Model registry and backtest runs. */
export interface RegistryStore {
  /** Stores a new version of `modelId` (the next number) and returns it. */
  registerModel(params: {
    readonly modelId: string;
    readonly kind: string;
    readonly params?: JsonObject;
    readonly metrics?: JsonObject;
    readonly status?: ModelStatus;
    readonly artifact?: Uint8Array;
    readonly tsCreated: UnixMicros;
  }): Promise<ModelRecord>;
  /** One version, or the newest when `version` is omitted. */
  model(modelId: string, version?: number): Promise<ModelRecord | undefined>;
  /** Every version of one model, or of all models; by model id, then version. */
  models(modelId?: string): Promise<ModelRecord[]>;
  modelArtifact(modelId: string, version: number): Promise<Uint8Array | undefined>;
  /** True when the version exists. */
  setModelStatus(modelId: string, version: number, status: ModelStatus): Promise<boolean>;

  /** Records a run as running; false (and nothing changed) when the id is already taken. */
  startBacktest(params: { readonly backtestId: string; readonly config: JsonObject; readonly tsStarted: UnixMicros }): Promise<boolean>;
  /** Records the outcome of a running run; false when it is unknown or already finished. */
  finishBacktest(
    backtestId: string,
    outcome: { readonly status: 'finished' | 'failed'; readonly metrics: JsonObject; readonly report?: JsonObject; readonly tsFinished: UnixMicros },
  ): Promise<boolean>;
  backtest(backtestId: string): Promise<BacktestRecord | undefined>;
  /** Newest first (by start time). */
  backtests(query?: { readonly status?: BacktestStatus; readonly limit?: number }): Promise<BacktestRecord[]>;
}
