-- Sentinel: market-abuse alerts with their evidence, and their acknowledgements.
CREATE TABLE sentinel_alerts (
  alert_id     text PRIMARY KEY,
  type         text NOT NULL,
  severity     text NOT NULL,
  instrument   text NOT NULL,
  subject      text NOT NULL,
  raised_ns    bigint NOT NULL,
  alert        bytea NOT NULL,  -- serialized tradeplane.surveillance.v1.MarketAbuseAlert
  acknowledged boolean NOT NULL DEFAULT false,
  ack_by       text NOT NULL DEFAULT '',
  ack_note     text NOT NULL DEFAULT '',
  ack_at       timestamptz
);
CREATE INDEX sentinel_alerts_raised ON sentinel_alerts (raised_ns);
CREATE INDEX sentinel_alerts_type ON sentinel_alerts (type, raised_ns);
