-- The transactional outbox: what must follow a committed change (open a case for an alert,
-- record its clearing, deliver notices), written in the same transaction as the change itself.
-- A dispatcher hands pending rows to their handlers (idempotent by key) and marks them done.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,          -- delivery order
    topic TEXT NOT NULL,             -- alert_opened | alert_cleared | notices
    key TEXT UNIQUE,                 -- the intent's identity: a replay records it once
    payload BLOB NOT NULL,           -- JSON
    created_at INTEGER NOT NULL,     -- event time of the cause (epoch ms)
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,                      -- the last handler failure
    done_at INTEGER,                 -- wall time delivered; NULL while pending
    parked INTEGER NOT NULL DEFAULT 0 -- failed every attempt: left for an operator (doctor)
);
CREATE INDEX outbox_pending ON outbox(id) WHERE done_at IS NULL AND parked = 0;
