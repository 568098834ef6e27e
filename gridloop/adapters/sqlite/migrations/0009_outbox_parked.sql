-- Parked rows are read on every dispatch (an alert's later changes wait behind its parked
-- one): an index over the few parked rows, not a scan of every delivered one.
CREATE INDEX outbox_parked ON outbox(id) WHERE done_at IS NULL AND parked != 0;
