-- Trading state: orders, fills, positions, balances. Money is numeric written from exact decimal strings.
-- A restarted service recovers open orders, positions and balances from these tables (DESIGN.md).

CREATE TABLE IF NOT EXISTS orders (
  client_order_id   text PRIMARY KEY,
  venue_order_id    text,
  trader_id         text NOT NULL,
  strategy_id       text NOT NULL,
  account_id        text,
  instrument_id     text NOT NULL,
  side              text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  order_type        text NOT NULL,
  time_in_force     text NOT NULL,
  quantity          numeric NOT NULL,
  price             numeric,
  trigger_price     numeric,
  filled_qty        numeric NOT NULL DEFAULT 0,
  avg_px            numeric,
  status            text NOT NULL,
  is_open           boolean NOT NULL,   -- maintained by the writer from the state machine's status
  flags             jsonb NOT NULL DEFAULT '{}',  -- post-only, reduce-only, expire time, trailing offset...
  -- Event sequence of the last applied order event: an upsert only moves an order forward, never back.
  last_event_seq    bigint NOT NULL,
  ts_init           bigint NOT NULL,
  ts_last           bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_open_idx ON orders (instrument_id) WHERE is_open;
CREATE INDEX IF NOT EXISTS orders_strategy_idx ON orders (strategy_id, ts_init);

-- Order events are the audit trail of every order (append only, idempotent by (order, seq)).
CREATE TABLE IF NOT EXISTS order_events (
  client_order_id   text NOT NULL,
  seq               bigint NOT NULL,
  event_type        text NOT NULL,
  payload           jsonb NOT NULL,
  ts_event          bigint NOT NULL,
  PRIMARY KEY (client_order_id, seq)
);

CREATE TABLE IF NOT EXISTS fills (
  venue             text NOT NULL,
  trade_id          text NOT NULL,       -- the venue's execution id: natural key of a fill
  client_order_id   text NOT NULL,
  venue_order_id    text,
  account_id        text,
  instrument_id     text NOT NULL,
  side              text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  last_qty          numeric NOT NULL,
  last_px           numeric NOT NULL,
  commission        numeric NOT NULL DEFAULT 0,
  commission_ccy    text,
  liquidity         text,                -- MAKER | TAKER
  ts_event          bigint NOT NULL,
  ts_init           bigint NOT NULL,
  PRIMARY KEY (venue, trade_id)
);
CREATE INDEX IF NOT EXISTS fills_order_idx ON fills (client_order_id);
CREATE INDEX IF NOT EXISTS fills_instrument_ts_idx ON fills (instrument_id, ts_event);

CREATE TABLE IF NOT EXISTS positions (
  position_id       text PRIMARY KEY,
  account_id        text,
  strategy_id       text,
  instrument_id     text NOT NULL,
  side              text NOT NULL CHECK (side IN ('LONG', 'SHORT', 'FLAT')),
  quantity          numeric NOT NULL,
  avg_px_open       numeric NOT NULL,
  realized_pnl      numeric NOT NULL DEFAULT 0,
  pnl_currency      text,
  is_open           boolean NOT NULL,
  last_fill_ts      bigint NOT NULL,     -- upserts keep the newest state
  ts_opened         bigint NOT NULL,
  ts_closed         bigint
);
CREATE INDEX IF NOT EXISTS positions_open_idx ON positions (instrument_id) WHERE is_open;

CREATE TABLE IF NOT EXISTS balances (
  account_id        text NOT NULL,
  currency          text NOT NULL,
  total             numeric NOT NULL,
  locked            numeric NOT NULL DEFAULT 0,
  free              numeric NOT NULL,
  ts_event          bigint NOT NULL,
  PRIMARY KEY (account_id, currency)
);
