-- Time partitioning shared by every partitioned table: a policy per table (granularity, retention, how
-- many partitions to keep ready ahead) and the functions that create and drop partitions.
-- Timestamps are bigint microseconds since the Unix epoch (UTC); partition bounds are in microseconds too.

CREATE TABLE IF NOT EXISTS tw_partition_policy (
  table_name       text PRIMARY KEY,
  granularity      text NOT NULL CHECK (granularity IN ('day', 'month')),
  -- NULL keeps partitions forever; otherwise a partition whose upper bound is older than now - retention is dropped.
  retention_micros bigint CHECK (retention_micros IS NULL OR retention_micros > 0),
  ahead            integer NOT NULL DEFAULT 2 CHECK (ahead >= 0)
);

-- Start of the partition that holds ts. Months are calendar months in UTC.
CREATE OR REPLACE FUNCTION tw_partition_floor(p_granularity text, p_ts bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE p_granularity
    WHEN 'day' THEN p_ts - (p_ts % 86400000000)
    WHEN 'month' THEN (extract(epoch FROM date_trunc('month', to_timestamp(p_ts / 1000000) AT TIME ZONE 'UTC')) * 1000000)::bigint
  END
$$;

-- Start of the next partition after the one starting at p_start.
CREATE OR REPLACE FUNCTION tw_partition_next(p_granularity text, p_start bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT CASE p_granularity
    WHEN 'day' THEN p_start + 86400000000
    WHEN 'month' THEN (extract(epoch FROM (to_timestamp(p_start / 1000000) AT TIME ZONE 'UTC') + interval '1 month') * 1000000)::bigint
  END
$$;

-- Creates the missing partitions of p_table that cover the given timestamps (one partition per distinct
-- bucket, never the span between them: a stray far-future timestamp must not create thousands of tables).
-- Safe to call concurrently: a partition created by another session in the meantime is not an error.
CREATE OR REPLACE FUNCTION tw_ensure_partitions_for(p_table text, p_ts bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  pol     tw_partition_policy%ROWTYPE;
  schema  text;
  lo      bigint;
  hi      bigint;
  part    text;
  created integer := 0;
BEGIN
  SELECT * INTO pol FROM tw_partition_policy WHERE table_name = p_table;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no partition policy for table %', p_table;
  END IF;
  SELECT n.nspname INTO schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = p_table::regclass;
  FOR lo IN SELECT DISTINCT tw_partition_floor(pol.granularity, t) FROM unnest(p_ts) AS t WHERE t IS NOT NULL LOOP
    hi := tw_partition_next(pol.granularity, lo);
    part := p_table || '_p' || to_char(to_timestamp(lo / 1000000) AT TIME ZONE 'UTC',
                                       CASE pol.granularity WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END);
    IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = schema AND c.relname = part) THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%s) TO (%s)',
                       schema, part, schema, p_table, lo, hi);
        created := created + 1;
      EXCEPTION WHEN duplicate_table OR unique_violation THEN
        NULL; -- created concurrently by another writer
      END;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

-- Creates the partitions of p_table from the one holding p_from through the one holding p_to.
CREATE OR REPLACE FUNCTION tw_ensure_partitions(p_table text, p_from bigint, p_to bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  pol  tw_partition_policy%ROWTYPE;
  lo   bigint;
  ts   bigint[] := '{}';
BEGIN
  SELECT * INTO pol FROM tw_partition_policy WHERE table_name = p_table;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no partition policy for table %', p_table;
  END IF;
  lo := tw_partition_floor(pol.granularity, p_from);
  WHILE lo <= p_to LOOP
    ts := ts || lo;
    IF cardinality(ts) > 1000 THEN
      RAISE EXCEPTION 'refusing to create more than 1000 partitions of % in one call', p_table;
    END IF;
    lo := tw_partition_next(pol.granularity, lo);
  END LOOP;
  RETURN tw_ensure_partitions_for(p_table, ts);
END
$$;

-- Upper bound (exclusive, microseconds) of every partition of p_table, read from the catalog.
CREATE OR REPLACE FUNCTION tw_partitions(p_table text)
RETURNS TABLE (partition_name text, lower_bound bigint, upper_bound bigint)
LANGUAGE sql STABLE AS $$
  SELECT c.relname::text,
         substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \(''?(-?[0-9]+)''?\)')::bigint,
         substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''?(-?[0-9]+)''?\)')::bigint
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = p_table::regclass
   ORDER BY 2
$$;

-- Drops every partition wholly older than its table's retention. Returns the names dropped.
CREATE OR REPLACE FUNCTION tw_drop_expired_partitions(p_now bigint) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
  pol tw_partition_policy%ROWTYPE;
  p   record;
BEGIN
  FOR pol IN SELECT * FROM tw_partition_policy WHERE retention_micros IS NOT NULL ORDER BY table_name LOOP
    FOR p IN SELECT * FROM tw_partitions(pol.table_name) WHERE upper_bound <= p_now - pol.retention_micros LOOP
      EXECUTE format('DROP TABLE %I', p.partition_name);
      RETURN NEXT p.partition_name;
    END LOOP;
  END LOOP;
END
$$;

-- The periodic maintenance call: partitions for now and `ahead` buckets after it, then retention.
-- Returns one row per partition created count and dropped partition, for the caller to log.
CREATE OR REPLACE FUNCTION tw_maintain_partitions(p_now bigint)
RETURNS TABLE (table_name text, created integer, dropped text[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  pol tw_partition_policy%ROWTYPE;
  hi  bigint;
  i   integer;
  d   text[];
BEGIN
  SELECT coalesce(array_agg(x), '{}') INTO d FROM tw_drop_expired_partitions(p_now) AS x;
  FOR pol IN SELECT * FROM tw_partition_policy ORDER BY table_name LOOP
    hi := tw_partition_floor(pol.granularity, p_now);
    FOR i IN 1..pol.ahead LOOP
      hi := tw_partition_next(pol.granularity, hi);
    END LOOP;
    table_name := pol.table_name;
    created := tw_ensure_partitions(pol.table_name, p_now, hi);
    dropped := ARRAY(SELECT x FROM unnest(d) AS x WHERE x LIKE pol.table_name || '\_p%');
    RETURN NEXT;
  END LOOP;
END
$$;
