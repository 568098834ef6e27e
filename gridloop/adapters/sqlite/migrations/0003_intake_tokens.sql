-- Credentials of devices and gateways that send telemetry (HTTP bearer token, MQTT password).
CREATE TABLE intake_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 (hex) of the token; the token itself is never kept
    kind TEXT NOT NULL CHECK (kind IN ('device', 'gateway')),
    device_id TEXT,                   -- a device token's device
    scope TEXT,                       -- a gateway token's region code prefix ('' = whole district)
    mqtt_hash TEXT,                   -- Mosquitto PBKDF2-SHA512 hash of a device token
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX intake_tokens_device ON intake_tokens(device_id);
