"""The outbox on SQLite: rows written inside the cause's transaction, read back in order."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from gridloop.adapters.event_codec import decode, encode
from gridloop.adapters.sqlite.database import transaction
from gridloop.domain.events import Event
from gridloop.service_layer.ports import OutboxBacklog, OutboxEntry

ERROR_CHARS = 500
# the conditions of the partial indexes outbox_pending and outbox_parked, word for word
PENDING = "done_at IS NULL AND parked = 0"
PARKED = "done_at IS NULL AND parked != 0"


def record(conn: sqlite3.Connection, events: Sequence[Event]) -> None:
    """Add events to the outbox inside the caller's open transaction; a keyed event that is
    already there (a replay after a restart) is kept once."""
    if events:
        conn.executemany(
            "INSERT OR IGNORE INTO outbox (topic, key, payload, created_at) VALUES (?, ?, ?, ?)",
            [encode(e) for e in events],
        )


class SqliteOutbox:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, events: Sequence[Event]) -> None:
        with transaction(self._conn):
            record(self._conn, events)

    def pending(self, limit: int) -> list[OutboxEntry]:
        rows = self._conn.execute(
            f"SELECT id, topic, payload, attempts FROM outbox WHERE {PENDING} ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        entries = []
        for row_id, topic, payload, attempts in rows:
            try:
                event: Event | None = decode(topic, payload)
                problem = ""
            except (ValueError, KeyError, TypeError) as e:
                event, problem = None, f"unreadable {topic} row: {type(e).__name__}: {e}"
            entries.append(OutboxEntry(row_id, event, attempts, problem))
        return entries

    def mark_done(self, ids: Sequence[int], at_ms: int) -> None:
        if ids:
            with transaction(self._conn) as conn:
                conn.executemany(
                    "UPDATE outbox SET done_at = ? WHERE id = ?", [(at_ms, i) for i in ids]
                )

    def mark_failed(self, entry_id: int, error: str, park: bool) -> None:
        with transaction(self._conn) as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, error = ?, parked = ? WHERE id = ?",
                (error[:ERROR_CHARS], int(park), entry_id),
            )

    def backlog(self) -> OutboxBacklog:
        # three index lookups, not a scan of every delivered row (/metrics asks on each scrape)
        pending, parked, oldest = self._conn.execute(
            f"SELECT (SELECT COUNT(*) FROM outbox WHERE {PENDING}),"
            f" (SELECT COUNT(*) FROM outbox WHERE {PARKED}),"
            f" (SELECT MIN(created_at) FROM outbox WHERE {PENDING})"
        ).fetchone()
        return OutboxBacklog(int(pending), int(parked), oldest)

    def parked(self, limit: int = 20) -> list[tuple[int, str, str]]:
        """Rows that failed every attempt: id, topic and the last error."""
        return [
            (int(i), str(t), str(e or ""))
            for i, t, e in self._conn.execute(
                f"SELECT id, topic, error FROM outbox WHERE {PARKED} ORDER BY id LIMIT ?",
                (limit,),
            )
        ]

    def parked_keys(self) -> set[str]:
        return {
            str(k)
            for (k,) in self._conn.execute(
                f"SELECT key FROM outbox WHERE {PARKED} AND key IS NOT NULL"
            )
        }

    def requeue(self, ids: Sequence[int] | None) -> int:
        requeue = f"UPDATE outbox SET parked = 0, attempts = 0 WHERE {PARKED}"
        with transaction(self._conn) as conn:
            if ids is None:
                return conn.execute(requeue).rowcount
            cur = conn.executemany(f"{requeue} AND id = ?", [(int(i),) for i in ids])
            return cur.rowcount

    def close(self) -> None:
        self._conn.close()
