"""Revocation generations on SQLite: bumped with each revocation, read before a cache is trusted.

The read has a connection of its own, so that it never waits behind another store's write
(it runs on the event loop for every request that carries a token).
"""

from __future__ import annotations

import sqlite3
import threading

ACCOUNTS = "accounts"  # user sessions and API tokens
INTAKE = "intake"  # device and gateway telemetry tokens


def bump(conn: sqlite3.Connection, scope: str) -> None:
    """Inside the caller's transaction: the revocation commits with it, or neither does."""
    conn.execute("UPDATE revocations SET generation = generation + 1 WHERE scope = ?", (scope,))


class SqliteRevocations:
    def __init__(self, conn: sqlite3.Connection, scope: str) -> None:
        self._conn, self._scope = conn, scope
        self._lock = threading.Lock()

    def generation(self) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT generation FROM revocations WHERE scope = ?", (self._scope,)
            ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self._conn.close()
