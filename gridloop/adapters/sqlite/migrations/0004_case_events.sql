-- The closed loop's truth: every case's history, append-only and hash-chained.
CREATE TABLE case_events (
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,            -- 1, 2, 3… within the case: two writers cannot both append n
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    at INTEGER NOT NULL,             -- epoch ms
    payload TEXT NOT NULL,           -- JSON object
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
CREATE INDEX case_events_at ON case_events(at);
