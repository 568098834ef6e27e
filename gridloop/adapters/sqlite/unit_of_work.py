"""A unit of work on one SQLite connection: BEGIN IMMEDIATE … COMMIT, rollback otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Self

from gridloop.adapters.sqlite.database import connect
from gridloop.adapters.sqlite.registry_repository import SqliteRegistryRepository


class SqliteUnitOfWork:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.path)
        return self._conn

    def __enter__(self) -> Self:
        conn = self.connection
        # IMMEDIATE: take the write lock now, so a concurrent writer waits instead of failing late.
        conn.execute("BEGIN IMMEDIATE")
        self.registry = SqliteRegistryRepository(conn)
        self._committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.rollback()

    def commit(self) -> None:
        self.connection.execute("COMMIT")
        self._committed = True

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
