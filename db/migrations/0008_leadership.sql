-- Leader election and fencing for the active-passive services (libs/store
-- leader_election.h; docs/explanation/high-availability.md).
--
-- An instance leads a role while it holds the role's session advisory lock
-- on a dedicated connection. On winning, it increments the role's epoch here
-- and stamps every journal write with it. The trigger below refuses a write
-- stamped with an epoch lower than the role's current one, so the late
-- writes of a deposed leader (one whose lock connection died while it still
-- had a working pool) fail instead of overwriting its successor's journal.

CREATE TABLE leader_epochs (
  role         text PRIMARY KEY,
  epoch        bigint NOT NULL CHECK (epoch > 0),
  holder       text NOT NULL,  -- who won it: host, pid, instance (for people)
  acquired_at  timestamptz NOT NULL DEFAULT now()
);

-- exec_orders, exec_order_events and exec_fills have carried fencing_epoch
-- since 0003 (0: no election); risk's decisions and mode changes get it here.
ALTER TABLE risk_decisions ADD COLUMN fencing_epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE risk_mode_changes ADD COLUMN fencing_epoch bigint NOT NULL DEFAULT 0;

-- BEFORE INSERT OR UPDATE, with the role as the trigger's argument. Epoch 0
-- is a writer that takes no part in elections (a single instance without
-- high availability): it is not fenced. FOR SHARE makes the check and the
-- epoch increment exclusive: a new leader's increment waits for a write that
-- has already passed the check, and a write that starts after the increment
-- sees it, so the new leader's recovery (which reads after its increment)
-- sees every write of the old epoch that will ever commit.
CREATE FUNCTION leader_epoch_fence() RETURNS trigger AS $$
DECLARE
  current_epoch bigint;
BEGIN
  IF NEW.fencing_epoch = 0 THEN
    RETURN NEW;
  END IF;
  SELECT epoch INTO current_epoch FROM leader_epochs WHERE role = TG_ARGV[0] FOR SHARE;
  IF current_epoch IS NOT NULL AND NEW.fencing_epoch < current_epoch THEN
    RAISE EXCEPTION 'fenced: % write with epoch % refused, the % leader epoch is now %',
      TG_TABLE_NAME, NEW.fencing_epoch, TG_ARGV[0], current_epoch
      USING ERRCODE = 'check_violation',
            HINT = 'this instance is no longer the leader; its successor owns the journal';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER exec_orders_fence BEFORE INSERT OR UPDATE ON exec_orders
  FOR EACH ROW EXECUTE FUNCTION leader_epoch_fence('execution');
CREATE TRIGGER exec_order_events_fence BEFORE INSERT ON exec_order_events
  FOR EACH ROW EXECUTE FUNCTION leader_epoch_fence('execution');
CREATE TRIGGER exec_fills_fence BEFORE INSERT OR UPDATE ON exec_fills
  FOR EACH ROW EXECUTE FUNCTION leader_epoch_fence('execution');
CREATE TRIGGER risk_decisions_fence BEFORE INSERT ON risk_decisions
  FOR EACH ROW EXECUTE FUNCTION leader_epoch_fence('risk');
CREATE TRIGGER risk_mode_changes_fence BEFORE INSERT ON risk_mode_changes
  FOR EACH ROW EXECUTE FUNCTION leader_epoch_fence('risk');
