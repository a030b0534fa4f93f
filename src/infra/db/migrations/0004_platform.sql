-- Features, predictions, models, backtests, API keys and the audit log.

-- Latest-by-time feature vectors per instrument (the offline feature store; the hot cache keeps the newest).
CREATE TABLE IF NOT EXISTS features (
  instrument_id     text NOT NULL,
  feature_set       text NOT NULL,
  ts_event          bigint NOT NULL,
  vals              jsonb NOT NULL,      -- name -> float64
  PRIMARY KEY (instrument_id, feature_set, ts_event)
) PARTITION BY RANGE (ts_event);
CREATE INDEX IF NOT EXISTS features_ts_brin ON features USING brin (ts_event);

CREATE TABLE IF NOT EXISTS predictions (
  model_id          text NOT NULL,
  instrument_id     text NOT NULL,
  ts_event          bigint NOT NULL,
  horizon_micros    bigint NOT NULL DEFAULT 0,
  value             double precision,
  vals              jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (model_id, instrument_id, ts_event, horizon_micros)
) PARTITION BY RANGE (ts_event);
CREATE INDEX IF NOT EXISTS predictions_ts_brin ON predictions USING brin (ts_event);

INSERT INTO tw_partition_policy (table_name, granularity, retention_micros, ahead) VALUES
  ('features', 'month', NULL, 1),
  ('predictions', 'month', NULL, 1)
ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS models (
  model_id          text NOT NULL,
  version           integer NOT NULL,
  kind              text NOT NULL,
  params            jsonb NOT NULL DEFAULT '{}',
  metrics           jsonb NOT NULL DEFAULT '{}',
  artifact          bytea,
  artifact_sha256   text,
  status            text NOT NULL DEFAULT 'candidate',
  ts_created        bigint NOT NULL,
  PRIMARY KEY (model_id, version)
);

CREATE TABLE IF NOT EXISTS backtests (
  backtest_id       text PRIMARY KEY,
  config            jsonb NOT NULL,
  status            text NOT NULL,
  metrics           jsonb NOT NULL DEFAULT '{}',
  report            jsonb,
  ts_started        bigint NOT NULL,
  ts_finished       bigint
);

-- Only a scrypt hash of the secret is stored; key_id is the public prefix the client sends.
CREATE TABLE IF NOT EXISTS api_keys (
  key_id            text PRIMARY KEY,
  secret_hash       text NOT NULL,       -- scrypt$N$r$p$salt$hash
  name              text NOT NULL,
  scopes            text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'trade', 'admin']::text[]),
  ts_created        bigint NOT NULL,
  ts_revoked        bigint,
  ts_last_used      bigint
);

-- Append-only: the application role gets INSERT and SELECT only (see docs/storage.md).
CREATE TABLE IF NOT EXISTS audit_log (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ts_event          bigint NOT NULL,
  actor             text NOT NULL,
  action            text NOT NULL,
  subject           text,
  details           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_log_ts_idx ON audit_log (ts_event);
