-- Telemetry: append-only readings, hourly aggregates, alerts, and the engine's checkpoint.
CREATE TABLE readings (
    id INTEGER PRIMARY KEY,          -- arrival order: replays after a restart follow it
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,             -- epoch ms
    seq INTEGER NOT NULL,
    message BLOB NOT NULL            -- the accepted message as received (JSON bytes)
);
CREATE TABLE reading_hourly (
    device_id TEXT NOT NULL,
    field TEXT NOT NULL,
    hour INTEGER NOT NULL,           -- epoch ms of the hour's start (UTC)
    n INTEGER NOT NULL,
    total REAL NOT NULL,
    low REAL NOT NULL,
    high REAL NOT NULL,
    PRIMARY KEY (device_id, field, hour)
) WITHOUT ROWID;
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,              -- full code, e.g. electrical_fire.residual_current_high
    severity TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('active', 'cleared')),
    started_at INTEGER NOT NULL,
    cleared_at INTEGER,
    occurrences INTEGER NOT NULL,
    building_code TEXT NOT NULL,
    grid_code TEXT NOT NULL,
    case_id INTEGER,
    UNIQUE (device_id, rule, started_at)
);
CREATE INDEX alerts_status ON alerts(status, started_at);
CREATE INDEX alerts_started ON alerts(started_at);
CREATE TABLE engine_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    reading_id INTEGER NOT NULL,     -- the last reading the saved state has evaluated
    engine TEXT NOT NULL,            -- RuleEngine.snapshot() as JSON
    seqs TEXT NOT NULL,              -- SeqWindows.snapshot() as JSON
    saved_at INTEGER NOT NULL
);
CREATE TABLE intake_counters (
    reason TEXT PRIMARY KEY,         -- 'accepted' or a RejectReason
    n INTEGER NOT NULL
);
