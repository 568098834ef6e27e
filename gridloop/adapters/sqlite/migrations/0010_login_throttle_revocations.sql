-- Revocation generations: bumped in the same transaction as every revoke, disable or logout,
-- and read by every server process before it trusts a cached token answer (issue 13 #9).
CREATE TABLE revocations (
    scope TEXT PRIMARY KEY CHECK (scope IN ('accounts', 'intake')),
    generation INTEGER NOT NULL
);
INSERT INTO revocations (scope, generation) VALUES ('accounts', 0), ('intake', 0);
-- Failed sign-ins, per account name ('name:…', known or not) and per client address
-- ('address:…'), so that back-off and locks hold across processes and restarts (issue 13 #1).
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL
);
