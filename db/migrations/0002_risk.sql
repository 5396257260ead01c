-- Risk: the trading mode history, blocks, limits versions, decisions and the
-- fills it has applied to positions.

-- Every mode change, who/what made it, when and why. The newest row is the
-- mode a restarted risk service comes back in.
CREATE TABLE risk_mode_changes (
  id            bigserial PRIMARY KEY,
  mode          text NOT NULL,
  previous      text NOT NULL,
  actor         text NOT NULL,
  reason        text NOT NULL,
  confirmed_by  text NOT NULL DEFAULT '',
  changed_ns    bigint NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

-- Blocks in force (history is in audit_log).
CREATE TABLE risk_blocks (
  scope     text NOT NULL,
  id        text NOT NULL,
  actor     text NOT NULL,
  reason    text NOT NULL,
  since_ns  bigint NOT NULL,
  PRIMARY KEY (scope, id)
);

-- Limits set at run time (tradectl limits set); the newest wins over the
-- config file at start.
CREATE TABLE risk_limits (
  version     bigserial PRIMARY KEY,
  limits      bytea NOT NULL,  -- serialized tradeplane.risk.v1.Limits
  yaml        text NOT NULL,
  actor       text NOT NULL,
  reason      text NOT NULL,
  set_at      timestamptz NOT NULL DEFAULT now()
);

-- Every decision on an intent; a repeated intent id gets the first answer.
CREATE TABLE risk_decisions (
  decision_id      text PRIMARY KEY,
  intent_id        text NOT NULL UNIQUE,
  client_order_id  text NOT NULL,
  strategy_id      text NOT NULL,
  instrument       text NOT NULL,
  approved         boolean NOT NULL,
  code             text NOT NULL,
  reason           text NOT NULL,
  decided_ns       bigint NOT NULL,
  decision         bytea NOT NULL  -- serialized tradeplane.risk.v1.RiskDecision
);
CREATE INDEX risk_decisions_decided ON risk_decisions (decided_ns);

-- Fills applied to positions (by fill id, once).
CREATE TABLE risk_fills (
  fill_id     text PRIMARY KEY,
  fill        bytea NOT NULL,  -- serialized tradeplane.orders.v1.Fill
  applied_ns  bigint NOT NULL
);
