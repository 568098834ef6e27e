-- The closed loop's read side: one row per case, rebuilt from case_events after every append.
-- The history (case_events) stays the truth; this table serves lists, dispatch load and the
-- SLA scheduler, and `gridloop case rebuild` can recompute it from the history at any time.
CREATE TABLE cases (
    n INTEGER PRIMARY KEY,           -- allocation order; case_id is derived from it
    case_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    lon REAL,
    lat REAL,
    building_code TEXT,
    grid_code TEXT,
    community_code TEXT,
    street_code TEXT,
    source_key TEXT,                 -- device_id|rule of an alert case: a re-fire links here
    assignee TEXT,
    assignee_kind TEXT,
    departments TEXT NOT NULL DEFAULT '[]',
    sign_due INTEGER,
    handle_due INTEGER,
    signed INTEGER NOT NULL DEFAULT 0,
    handled INTEGER NOT NULL DEFAULT 0,
    escalation_level TEXT,
    last_escalated_at INTEGER,
    reported_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    merged_into TEXT,
    rating TEXT,                     -- of the current closure
    extension_until INTEGER,         -- a pending extension request asks for this deadline
    reporters TEXT NOT NULL DEFAULT '[]',
    alert_ids TEXT NOT NULL DEFAULT '[]',
    seq INTEGER NOT NULL             -- the last event folded in
);
CREATE INDEX cases_open ON cases(state, category, reported_at);
CREATE INDEX cases_assignee ON cases(assignee, state);
CREATE INDEX cases_source ON cases(source_key, state);
CREATE INDEX cases_grid ON cases(grid_code, state);

-- Notices for the in-app feed, read by the API's server-sent events per recipient.
CREATE TABLE feed (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,         -- worker:ID, community:CODE, street:CODE, department:CODE...
    kind TEXT NOT NULL,
    case_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    title TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX feed_recipient ON feed(recipient, id);

-- Case ids are text ("C00000001"): rebuild alerts with a TEXT case_id.
CREATE TABLE alerts_new (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('active', 'cleared')),
    started_at INTEGER NOT NULL,
    cleared_at INTEGER,
    occurrences INTEGER NOT NULL,
    building_code TEXT NOT NULL,
    grid_code TEXT NOT NULL,
    case_id TEXT,
    UNIQUE (device_id, rule, started_at)
);
INSERT INTO alerts_new SELECT id, device_id, kind, rule, severity, status, started_at, cleared_at,
    occurrences, building_code, grid_code, CAST(case_id AS TEXT) FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE INDEX alerts_status ON alerts(status, started_at);
CREATE INDEX alerts_started ON alerts(started_at);
CREATE INDEX alerts_case ON alerts(case_id);
