-- Bar reads through plpgsql functions: the store reads bars with binary COPY (bar-copy.ts), and COPY takes
-- no parameters, so its statement cannot be prepared. Planning the bare SELECT costs as much as running it
-- (0.6 ms each for the last 1,000 bars over 12 monthly partitions, and planning grows with the partitions),
-- while a plpgsql function keeps its plan for the session. The plan is generic (bounds are parameters), so
-- partitions are pruned when it runs. Columns are in BAR_COPY_COLUMNS order.

CREATE OR REPLACE FUNCTION tw_bars_before(p_instrument text, p_spec text, p_before bigint, p_count integer)
RETURNS TABLE (ts_open bigint, ts_event bigint, open numeric, high numeric, low numeric, close numeric,
               volume numeric, trade_count bigint, ts_init bigint)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  -- newest first: the caller reverses
  RETURN QUERY
    SELECT b.ts_open, b.ts_event, b.open, b.high, b.low, b.close, b.volume, b.trade_count, b.ts_init FROM bars b
     WHERE b.instrument_id = p_instrument AND b.spec = p_spec AND b.ts_open < p_before
     ORDER BY b.ts_open DESC LIMIT p_count;
END $$;

CREATE OR REPLACE FUNCTION tw_bars_between(p_instrument text, p_spec text, p_from bigint, p_to bigint, p_count integer)
RETURNS TABLE (ts_open bigint, ts_event bigint, open numeric, high numeric, low numeric, close numeric,
               volume numeric, trade_count bigint, ts_init bigint)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN QUERY
    SELECT b.ts_open, b.ts_event, b.open, b.high, b.low, b.close, b.volume, b.trade_count, b.ts_init FROM bars b
     WHERE b.instrument_id = p_instrument AND b.spec = p_spec AND b.ts_open >= p_from AND b.ts_open < p_to
     ORDER BY b.ts_open LIMIT p_count;
END $$;
