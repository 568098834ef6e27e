-- Who uploaded which photo, and when: a user's rolling day of uploads (the quota) and how long a
-- photo has waited for an action to name it (unreferenced after 24 h, it is pruned).
CREATE TABLE attachment_uploads (
    sha256 TEXT NOT NULL,
    uploader TEXT NOT NULL,          -- the account's actor id
    size INTEGER NOT NULL,           -- bytes
    at INTEGER NOT NULL              -- epoch ms
);
CREATE INDEX attachment_uploads_by_uploader ON attachment_uploads(uploader, at);
CREATE INDEX attachment_uploads_by_blob ON attachment_uploads(sha256, at);

-- The photos a committed case event names, written with the event (SqliteCaseEvents.append):
-- the prune asks this, never the whole hash chain. Never removed, as events are never removed.
CREATE TABLE attachment_refs (
    sha256 TEXT PRIMARY KEY
) WITHOUT ROWID;

-- the events committed before this migration
INSERT OR IGNORE INTO attachment_refs (sha256)
    SELECT DISTINCT refs.value FROM case_events, json_each(case_events.payload, '$.attachments') refs
    WHERE json_type(case_events.payload, '$.attachments') = 'array' AND refs.type = 'text';
