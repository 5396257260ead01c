-- The reconciler's opening balance per asset (docs/reference/reconciler.md,
-- "Balances"): the venue's balance at the first clean run in which nothing
-- was in flight, less the effects of the fills journaled then. Our expected
-- balance of the asset is the opening plus the effects of every journaled
-- fill. Written in the transaction of the run that took it; kept until a
-- person replaces it (a deposit or withdrawal is a BALANCE_MISMATCH until
-- then).
CREATE TABLE recon_balance_openings (
  venue     text NOT NULL,
  asset     text NOT NULL,
  opening   bigint NOT NULL,  -- 1e-9
  run_id    text NOT NULL,
  taken_ns  bigint NOT NULL,
  PRIMARY KEY (venue, asset)
);
