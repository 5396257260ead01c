-- The audit trail every state-changing admin call writes to: who, what,
-- when, why. Append-only: nothing updates or deletes rows.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  service     text NOT NULL,
  instance    integer NOT NULL DEFAULT 0,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text NOT NULL DEFAULT '',
  reason      text NOT NULL DEFAULT '',
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome     text NOT NULL DEFAULT 'ok'
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
