-- People who sign in, their session and API tokens (hashed), and the access log.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_code TEXT NOT NULL,
    password_hash TEXT,              -- argon2id; NULL for an integration that only has API tokens
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
);
CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,     -- SHA-256 (hex) of the token; the token itself is never kept
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER,              -- NULL: an API token that lasts until revoked
    revoked_at INTEGER
);
CREATE INDEX user_tokens_user ON user_tokens(user_id);
-- Who looked at whose personal data, and who did what that an auditor must be able to see.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,            -- e.g. view_resident, view_health, login, login_failed
    subject TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_at ON access_log(at);
