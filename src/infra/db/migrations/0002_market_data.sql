-- Market data: instruments, trades (partitioned by day) and bars (partitioned by month).
-- Prices and sizes are `numeric` written from the exact decimal string of Price/Quantity: numeric keeps
-- the scale it is given ('0.10000000' stays 8 decimals), so a value reads back with its precision, and
-- min/max/sum in rollups and ad hoc SQL are exact without carrying a precision column per value.

CREATE TABLE IF NOT EXISTS instruments (
  instrument_id   text PRIMARY KEY,
  venue           text NOT NULL,
  symbol          text NOT NULL,
  definition      jsonb NOT NULL,
  ts_updated      bigint NOT NULL
);

-- Primary key (instrument_id, ts_event, trade_id): the natural key (a venue's trade id is unique per
-- instrument and always comes with the same time) that also contains the partition key, as PostgreSQL
-- requires, and whose index serves the (instrument, time) range scans, so no second btree is needed.
CREATE TABLE IF NOT EXISTS trades (
  instrument_id   text NOT NULL,
  ts_event        bigint NOT NULL,
  trade_id        text NOT NULL,
  price           numeric NOT NULL,
  size            numeric NOT NULL,
  aggressor_side  text NOT NULL,  -- 'B' buyer, 'S' seller, 'N' none
  ts_init         bigint NOT NULL,
  PRIMARY KEY (instrument_id, ts_event, trade_id)
) PARTITION BY RANGE (ts_event);
CREATE INDEX IF NOT EXISTS trades_ts_event_brin ON trades USING brin (ts_event);

-- first_ts/last_ts: open time of the earliest and latest constituent bar. For a bar written directly both
-- equal ts_open; for a rollup they decide which open and close win when minute bars arrive out of order.
CREATE TABLE IF NOT EXISTS bars (
  instrument_id   text NOT NULL,
  spec            text NOT NULL,
  ts_open         bigint NOT NULL,
  ts_event        bigint NOT NULL,
  open            numeric NOT NULL,
  high            numeric NOT NULL,
  low             numeric NOT NULL,
  close           numeric NOT NULL,
  volume          numeric NOT NULL,
  trade_count     bigint NOT NULL DEFAULT 0,
  ts_init         bigint NOT NULL,
  first_ts        bigint NOT NULL,
  last_ts         bigint NOT NULL,
  PRIMARY KEY (instrument_id, spec, ts_open)
) PARTITION BY RANGE (ts_open);
CREATE INDEX IF NOT EXISTS bars_ts_open_brin ON bars USING brin (ts_open);

-- Which bars roll up into which: every newly inserted source bar is folded into the target bar of its
-- bucket. Targets must divide a day so that a target bucket never spans two monthly partitions.
CREATE TABLE IF NOT EXISTS tw_rollup_targets (
  source_spec      text NOT NULL,
  target_spec      text NOT NULL,
  duration_micros  bigint NOT NULL CHECK (duration_micros > 0 AND 86400000000 % duration_micros = 0),
  PRIMARY KEY (source_spec, target_spec)
);
INSERT INTO tw_rollup_targets (source_spec, target_spec, duration_micros) VALUES
  ('1m', '5m', 300000000),
  ('1m', '15m', 900000000),
  ('1m', '1h', 3600000000),
  ('1m', '1d', 86400000000)
ON CONFLICT DO NOTHING;

INSERT INTO tw_partition_policy (table_name, granularity, retention_micros, ahead) VALUES
  ('trades', 'day', NULL, 2),
  ('bars', 'month', NULL, 1)
ON CONFLICT DO NOTHING;
