-- The reconciler's runs, the breaks each found, and where the next run's
-- trade window starts per instrument (docs/reference/reconciler.md).
-- A run and its breaks and checkpoints are written in one transaction.

CREATE TABLE recon_runs (
  run_id           text PRIMARY KEY,
  trigger          text NOT NULL,
  outcome          text NOT NULL,  -- CLEAN, BREAKS, FAILED
  failure_reason   text NOT NULL DEFAULT '',
  started_ns       bigint NOT NULL,
  finished_ns      bigint NOT NULL,
  breaks_found     integer NOT NULL,
  breaks_resolved  integer NOT NULL,
  run              bytea NOT NULL  -- serialized tradeplane.reconciliation.v1.ReconRun
);
CREATE INDEX recon_runs_started ON recon_runs (started_ns);
CREATE TABLE recon_breaks (
  break_id         text PRIMARY KEY,
  run_id           text NOT NULL REFERENCES recon_runs (run_id),
  type             text NOT NULL,
  state            text NOT NULL,  -- OPEN, RESOLVED, UNRESOLVED
  client_order_id  text NOT NULL DEFAULT '',
  venue_order_id   text NOT NULL DEFAULT '',
  detected_ns      bigint NOT NULL,
  resolved_ns      bigint NOT NULL DEFAULT 0,
  break            bytea NOT NULL  -- serialized tradeplane.reconciliation.v1.Break
);
CREATE INDEX recon_breaks_run ON recon_breaks (run_id);
CREATE TABLE recon_checkpoints (
  venue            text NOT NULL,
  symbol           text NOT NULL,
  after_trade_id   bigint NOT NULL,
  position         bigint NOT NULL,  -- the venue's net position there, 1e-9
  run_id           text NOT NULL,
  PRIMARY KEY (venue, symbol)
);
