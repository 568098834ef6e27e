"""Uploads of photos (who, how big, when) and the photos committed case events name, on SQLite:
what a user's quota counts and what the prune may remove."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping

from gridloop.adapters.sqlite.database import transaction

# a user's uploads since a time: the index on (uploader, at) answers it alone
_USAGE = (
    "SELECT COUNT(*), COALESCE(SUM(size), 0), MIN(at) FROM attachment_uploads"
    " WHERE uploader = ? AND at >= ?"
)
_UNREFERENCED = (
    "SELECT sha256 FROM attachment_uploads u GROUP BY sha256 HAVING MAX(at) < ?"
    " AND NOT EXISTS (SELECT 1 FROM attachment_refs r WHERE r.sha256 = u.sha256)"
)


class SqliteAttachmentLedger:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def admit(
        self,
        sha256: str,
        uploader: str,
        size: int,
        at: int,
        since: int,
        refuse: Callable[[int, int, int | None], str | None],
    ) -> str | None:
        """Record the upload unless `refuse(files, bytes, oldest)` of the uploader's uploads
        since `since` says why not (then that reason, nothing recorded); one transaction, so
        two uploads at once cannot both take the last of a quota."""
        with transaction(self._conn) as conn:
            files, used, oldest = conn.execute(_USAGE, (uploader, since)).fetchone()
            reason = refuse(int(files), int(used), None if oldest is None else int(oldest))
            if reason is None:
                conn.execute(
                    "INSERT INTO attachment_uploads (sha256, uploader, size, at)"
                    " VALUES (?, ?, ?, ?)",
                    (sha256, uploader, size, at),
                )
            return reason

    def claimable(self, sha256: str, since: int) -> bool:
        """Whether an action may name the photo: referenced already, uploaded since `since`,
        or stored before uploads were recorded (no record at all)."""
        row = self._conn.execute(
            "SELECT EXISTS (SELECT 1 FROM attachment_refs WHERE sha256 = ?),"
            " (SELECT MAX(at) FROM attachment_uploads WHERE sha256 = ?)",
            (sha256, sha256),
        ).fetchone()
        return bool(row[0]) or row[1] is None or int(row[1]) >= since

    def unreferenced_before(self, cutoff: int) -> list[str]:
        """Photos last uploaded before `cutoff` that no committed event names."""
        return sorted(str(sha) for (sha,) in self._conn.execute(_UNREFERENCED, (cutoff,)))

    def unknown(self, hashes: Iterable[str]) -> list[str]:
        """Of these stored photos, those neither recorded as uploaded nor referenced (stored
        before the ledger existed)."""
        out = []
        for sha in hashes:
            row = self._conn.execute(
                "SELECT EXISTS (SELECT 1 FROM attachment_refs WHERE sha256 = ?)"
                " OR EXISTS (SELECT 1 FROM attachment_uploads WHERE sha256 = ?)",
                (sha, sha),
            ).fetchone()
            if not row[0]:
                out.append(sha)
        return out

    def forget(self, sha256: str, cutoff: int, remove: Callable[[], None]) -> bool:
        """Drop the photo's upload records and `remove` its file if it is still unreferenced
        and no upload is newer than `cutoff`, checked again in the transaction (an action or an
        upload of the same bytes may have come since; one now waits for the file to be gone);
        whether it was removed."""
        with transaction(self._conn) as conn:
            row = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM attachment_refs WHERE sha256 = ?),"
                " (SELECT MAX(at) FROM attachment_uploads WHERE sha256 = ?)",
                (sha256, sha256),
            ).fetchone()
            if row[0] or (row[1] is not None and int(row[1]) >= cutoff):
                return False
            conn.execute("DELETE FROM attachment_uploads WHERE sha256 = ?", (sha256,))
            remove()
            return True


def record_references(conn: sqlite3.Connection, payloads: Iterable[object]) -> None:
    """Note the photos these event payloads name, inside the caller's transaction (the events'
    own): what the prune asks instead of reading the hash chain."""
    hashes = {
        (sha,)
        for payload in payloads
        if isinstance(payload, Mapping) and isinstance(payload.get("attachments"), list)
        for sha in payload["attachments"]
        if isinstance(sha, str)
    }
    if hashes:
        conn.executemany("INSERT OR IGNORE INTO attachment_refs (sha256) VALUES (?)", hashes)
