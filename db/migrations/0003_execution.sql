-- Execution's journal: an order is written here before it is sent, a fill
-- before it is published. Append-only events; the orders table is the
-- current state rebuilt from them (kept in the same transaction).

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
  updated_ns       bigint NOT NULL
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

CREATE TABLE exec_fills (
  fill_id          text PRIMARY KEY,
  client_order_id  text NOT NULL,
  venue            text NOT NULL,
  symbol           text NOT NULL,
  source           text NOT NULL,  -- LIVE, RECOVERY, RECONCILIATION
  fill             bytea NOT NULL, -- serialized tradeplane.orders.v1.Fill
  exchange_ns      bigint NOT NULL,
  journaled_ns     bigint NOT NULL,
  fencing_epoch    bigint NOT NULL DEFAULT 0
);
CREATE INDEX exec_fills_order ON exec_fills (client_order_id);
CREATE INDEX exec_fills_journaled ON exec_fills (journaled_ns);

-- Anomalies (a report for an unknown order, a venue answer that does not
-- parse): journaled, never silently dropped.
CREATE TABLE exec_anomalies (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,
  detail      text NOT NULL,
  at_ns       bigint NOT NULL
);

-- A person's recorded override of the clean-reconciliation start gate.
CREATE TABLE exec_start_overrides (
  id       bigserial PRIMARY KEY,
  actor    text NOT NULL,
  reason   text NOT NULL,
  at_ns    bigint NOT NULL
);
