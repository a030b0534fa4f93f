import { UnixMicros } from '../../core/index.js';
import type { InstrumentId } from '../../core/index.js';
import type { FeatureRecord, FeatureStore, PredictionRecord } from '../../kernel/ports/feature-store.js';
import type { TimeRange, WriteResult } from '../../kernel/ports/market-store.js';
import type { SqlDriver } from '../db/driver.js';

/**
 * JSON has no NaN or infinities, so those travel as the strings "NaN", "Infinity" and "-Infinity" (and -0 as
 * "-0"); every other float64 is a JSON number, which JavaScript prints in the shortest form that reads back
 * to the same double.
 */
export function encodeFloats(values: Readonly<Record<string, number>>): string {
  // fromEntries defines own properties, so even a feature named "__proto__" is kept
  const out = Object.fromEntries(
    Object.entries(values).map(([k, v]) => {
      if (typeof v !== 'number') throw new TypeError(`value ${JSON.stringify(k)} must be a number: ${JSON.stringify(v)}`);
      return [k, Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v)];
    }),
  );
  return JSON.stringify(out);
}

export function decodeFloats(json: string): Record<string, number> {
  return Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, number | string>).map(([k, v]) => [k, Number(v)]));
}

function checkTs(ts: number, what: string): void {
  if (!Number.isSafeInteger(ts)) throw new RangeError(`${what} must be integer microseconds: ${ts}`);
}

/** FeatureStore over any SqlDriver; each batch is one `INSERT ... SELECT FROM unnest(...)` statement. */
export class SqlFeatureStore implements FeatureStore {
  constructor(readonly db: SqlDriver) {}

  async insertFeatures(records: readonly FeatureRecord[]): Promise<WriteResult> {
    if (records.length === 0) return { received: 0, inserted: 0 };
    for (const r of records) checkTs(r.tsEvent, 'tsEvent');
    const cols = {
      inst: records.map((r) => r.instrumentId),
      set: records.map((r) => r.featureSet),
      ts: records.map((r) => r.tsEvent),
      vals: records.map((r) => encodeFloats(r.values)),
    };
    const inserted = await this.db.transaction(async (tx) => {
      await tx.query('SELECT tw_ensure_partitions_for($1, $2::bigint[])', ['features', [...new Set(cols.ts)]]);
      const rows = await tx.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO features (instrument_id, feature_set, ts_event, vals)
           SELECT i, s, t, v::jsonb FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS u(i, s, t, v)
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [cols.inst, cols.set, cols.ts, cols.vals],
      );
      return rows[0].n;
    });
    return { received: records.length, inserted };
  }

  async features(instrumentId: InstrumentId, featureSet: string, range: TimeRange, limit?: number): Promise<FeatureRecord[]> {
    const rows = await this.db.query<{ ts_event: number; vals: string }>(
      `SELECT ts_event, vals::text AS vals FROM features
        WHERE instrument_id = $1 AND feature_set = $2 AND ts_event >= $3 AND ts_event < $4
        ORDER BY ts_event LIMIT $5`,
      [instrumentId, featureSet, range.from, range.to, limit ?? null],
    );
    return rows.map((r) => ({ instrumentId, featureSet, tsEvent: UnixMicros.unsafe(r.ts_event), values: decodeFloats(r.vals) }));
  }

  async insertPredictions(records: readonly PredictionRecord[]): Promise<WriteResult> {
    if (records.length === 0) return { received: 0, inserted: 0 };
    for (const r of records) {
      checkTs(r.tsEvent, 'tsEvent');
      checkTs(r.horizonMicros, 'horizonMicros');
    }
    const ts = records.map((r) => r.tsEvent);
    const inserted = await this.db.transaction(async (tx) => {
      await tx.query('SELECT tw_ensure_partitions_for($1, $2::bigint[])', ['predictions', [...new Set(ts)]]);
      // The headline value goes through the same JSON encoding as the others, so NaN and infinities survive.
      const rows = await tx.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO predictions (model_id, instrument_id, ts_event, horizon_micros, value, vals)
           SELECT m, i, t, h, (v::jsonb ->> 'v')::double precision, x::jsonb
             FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[]) AS u(m, i, t, h, v, x)
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [
          records.map((r) => r.modelId),
          records.map((r) => r.instrumentId),
          ts,
          records.map((r) => r.horizonMicros),
          records.map((r) => (r.value === undefined ? '{}' : encodeFloats({ v: r.value }))),
          records.map((r) => encodeFloats(r.values)),
        ],
      );
      return rows[0].n;
    });
    return { received: records.length, inserted };
  }

  async predictions(modelId: string, instrumentId: InstrumentId, range: TimeRange, limit?: number): Promise<PredictionRecord[]> {
    const rows = await this.db.query<{ ts_event: number; horizon_micros: number; value: string | null; vals: string }>(
      `SELECT ts_event, horizon_micros, value::text AS value, vals::text AS vals FROM predictions
        WHERE model_id = $1 AND instrument_id = $2 AND ts_event >= $3 AND ts_event < $4
        ORDER BY ts_event, horizon_micros LIMIT $5`,
      [modelId, instrumentId, range.from, range.to, limit ?? null],
    );
    return rows.map((r) => ({
      modelId,
      instrumentId,
      tsEvent: UnixMicros.unsafe(r.ts_event),
      horizonMicros: r.horizon_micros,
      ...(r.value === null ? {} : { value: Number(r.value) }),
      values: decodeFloats(r.vals),
    }));
  }
}
