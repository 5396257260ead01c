-- Execution's journal (services/execution, libs/store execution_store.cpp;
-- docs/explanation/exactly-once-orders.md): an order is written here before
-- it is sent, a fill before it is published. exec_order_events is the
-- append-only history; exec_orders is the current state, written in the same
-- transaction as the event that changed it. Risk and the reconciler read
-- exec_orders and exec_fills (order_proto and fill hold the serialized
-- contract messages).

CREATE TABLE exec_orders (
  client_order_id  text PRIMARY KEY,
  intent_id        text NOT NULL DEFAULT '',
  decision_id      text NOT NULL DEFAULT '',
  strategy_id      text NOT NULL,
  venue            text NOT NULL,
  symbol           text NOT NULL,
  venue_order_id   text NOT NULL DEFAULT '',
  status           text NOT NULL,
  order_proto      bytea NOT NULL,  -- serialized tradeplane.orders.v1.Order
  fencing_epoch    bigint NOT NULL DEFAULT 0,
  created_ns       bigint NOT NULL,
  updated_ns       bigint NOT NULL,
  -- What the state machine needs beyond the Order message: the state a
  -- rejected cancel returns to (while PENDING_CANCEL), whether a submit went
  -- out, and the exact filled notional (sum of price x qty at scale 1e-18, a
  -- decimal integer) so the average price is rounded once.
  status_before_cancel  text NOT NULL DEFAULT '',
  sent                  boolean NOT NULL DEFAULT false,
  filled_notional_e18   text NOT NULL DEFAULT '0'
);
CREATE INDEX exec_orders_status ON exec_orders (status);

CREATE TABLE exec_order_events (
  seq              bigserial PRIMARY KEY,
  client_order_id  text NOT NULL REFERENCES exec_orders (client_order_id),
  event            text NOT NULL,
  status           text NOT NULL,
  detail           text NOT NULL DEFAULT '',
  event_ns         bigint NOT NULL,
  fencing_epoch    bigint NOT NULL DEFAULT 0
);
CREATE INDEX exec_order_events_order ON exec_order_events (client_order_id, seq);

CREATE FUNCTION exec_order_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'exec_order_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER exec_order_events_no_update BEFORE UPDATE OR DELETE ON exec_order_events
  FOR EACH ROW EXECUTE FUNCTION exec_order_events_append_only();

CREATE TABLE exec_fills (
  fill_id          text PRIMARY KEY,
  client_order_id  text NOT NULL,
  venue            text NOT NULL,
  symbol           text NOT NULL,
  source           text NOT NULL,  -- LIVE, RECOVERY, RECONCILIATION
  fill             bytea NOT NULL, -- serialized tradeplane.orders.v1.Fill
  exchange_ns      bigint NOT NULL,
  journaled_ns     bigint NOT NULL,
  fencing_epoch    bigint NOT NULL DEFAULT 0,
  -- BUY or SELL and the quantity (fixed point, 1e-9): net positions for the
  -- kill switch's flatten without decoding every fill.
  side             text NOT NULL,
  qty              bigint NOT NULL CHECK (qty > 0),
  -- Set once exec.fill.* carried it. A fill journaled but not yet published
  -- when the process died is published at the next start.
  published        boolean NOT NULL DEFAULT false
);
CREATE INDEX exec_fills_order ON exec_fills (client_order_id);
CREATE INDEX exec_fills_journaled ON exec_fills (journaled_ns);
CREATE INDEX exec_fills_unpublished ON exec_fills (journaled_ns) WHERE NOT published;

-- Anomalies (a report for an unknown order, a venue answer that does not
-- parse, an illegal transition): journaled, never silently dropped.
CREATE TABLE exec_anomalies (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL,
  client_order_id  text NOT NULL DEFAULT '',
  detail           text NOT NULL,
  at_ns            bigint NOT NULL
);

-- A person's recorded override of the clean-reconciliation start gate.
CREATE TABLE exec_start_overrides (
  id       bigserial PRIMARY KEY,
  actor    text NOT NULL,
  reason   text NOT NULL,
  at_ns    bigint NOT NULL
);
