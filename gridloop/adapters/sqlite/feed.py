"""The in-app feed on SQLite: notices stored per recipient, read back by the API's event stream."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from gridloop.adapters.sqlite.database import transaction
from gridloop.domain.notifications import Notice, NoticeKind


def store_notices(conn: sqlite3.Connection, notices: Sequence[Notice]) -> None:
    """Insert notices inside the caller's open transaction (the case store's)."""
    conn.executemany(
        "INSERT INTO feed (recipient, kind, case_id, at, title, data) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                n.recipient,
                n.kind.value,
                n.case_id,
                n.at,
                n.title,
                json.dumps(dict(n.data), ensure_ascii=False),
            )
            for n in notices
        ],
    )


class SqliteFeed:
    """A Notifier that stores notices; ids ascend, so a reader resumes after the last id it saw."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        atomic: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        # `atomic`: the transaction of whoever shares the connection (the case store's), so
        # that a notice's insert never interleaves with that owner's other work on it
        self._conn = conn
        self._atomic = atomic or (lambda: transaction(conn))

    def notify(self, notices: Sequence[Notice]) -> None:
        if not notices:
            return
        with self._atomic():
            store_notices(self._conn, notices)

    def close(self) -> None:
        """The connection belongs to whoever opened it."""

    def since(
        self, recipients: Sequence[str], after_id: int = 0, limit: int = 100
    ) -> list[tuple[int, Notice]]:
        """The recipients' notices with an id above `after_id`, oldest first."""
        if not recipients or limit <= 0:
            return []
        marks = ", ".join("?" * len(recipients))
        rows = self._conn.execute(
            "SELECT id, recipient, kind, case_id, at, title, data FROM feed"
            f" WHERE recipient IN ({marks}) AND id > ? ORDER BY id LIMIT ?",
            (*recipients, after_id, limit),
        ).fetchall()
        return self._notices(rows)

    def everyone_since(self, after_id: int, limit: int = 1000) -> list[tuple[int, Notice]]:
        """Every recipient's notices with an id above `after_id`, oldest first."""
        rows = self._conn.execute(
            "SELECT id, recipient, kind, case_id, at, title, data FROM feed"
            " WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        ).fetchall()
        return self._notices(rows)

    @staticmethod
    def _notices(rows: list[tuple[Any, ...]]) -> list[tuple[int, Notice]]:
        return [
            (
                row_id,
                Notice(recipient, NoticeKind(kind), case_id, at, title, json.loads(data)),
            )
            for row_id, recipient, kind, case_id, at, title, data in rows
        ]

    def latest_id(self) -> int:
        """The highest id stored (0 for an empty feed): where a new reader starts."""
        row = self._conn.execute("SELECT MAX(id) FROM feed").fetchone()
        return int(row[0] or 0)
