-- Fills carry their strategy and position (Fill in src/core/fill.ts). The key includes the client order id:
-- a venue reports one execution id to both sides of a self-trade, and each side is a fill of its own.
ALTER TABLE fills ADD COLUMN IF NOT EXISTS strategy_id text;
ALTER TABLE fills ADD COLUMN IF NOT EXISTS position_id text;
ALTER TABLE fills DROP CONSTRAINT IF EXISTS fills_pkey;
ALTER TABLE fills ADD PRIMARY KEY (venue, trade_id, client_order_id);
CREATE INDEX IF NOT EXISTS fills_position_idx ON fills (position_id) WHERE position_id IS NOT NULL;
