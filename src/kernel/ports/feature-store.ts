import type { InstrumentId, UnixMicros } from '../../core/index.js';
import type { TimeRange, WriteResult } from './market-store.js';

/**
 * One feature vector: the values of a named feature set for an instrument at an event time. Values are
 * float64 and may be NaN or infinite (an indicator still warming up); they read back exactly.
 */
export interface FeatureRecord {
  readonly instrumentId: InstrumentId;
  readonly featureSet: string;
  readonly tsEvent: UnixMicros;
  readonly values: Readonly<Record<string, number>>;
}

/** One prediction of a model for an instrument at an event time, for a horizon (0 when it has none). */
export interface PredictionRecord {
  readonly modelId: string;
  readonly instrumentId: InstrumentId;
  readonly tsEvent: UnixMicros;
  readonly horizonMicros: number;
  /** The headline value (a score, a return), when the model has one. */
  readonly value?: number;
  /** Any further outputs by name (class probabilities, quantiles). */
  readonly values: Readonly<Record<string, number>>;
}

/**
 * History of features and predictions (the offline store; the hot cache keeps only the newest). Writes are
 * batched and idempotent by natural key: (instrument, feature set, time) and (model, instrument, time,
 * horizon); the first write of a key wins.
 */
export interface FeatureStore {
  insertFeatures(records: readonly FeatureRecord[]): Promise<WriteResult>;
  /** Vectors with tsEvent in [from, to), oldest first. */
  features(instrumentId: InstrumentId, featureSet: string, range: TimeRange, limit?: number): Promise<FeatureRecord[]>;
  insertPredictions(records: readonly PredictionRecord[]): Promise<WriteResult>;
  /** Predictions with tsEvent in [from, to), oldest first (then by horizon). */
  predictions(modelId: string, instrumentId: InstrumentId, range: TimeRange, limit?: number): Promise<PredictionRecord[]>;
}
