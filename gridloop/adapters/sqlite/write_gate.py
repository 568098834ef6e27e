"""Writers in several processes take turns at a database without SQLite's sleeping retries.

SQLite lets one writer in at a time; a second one retries with sleeps of up to 100 ms
(busy_timeout), so under contention a write can wait far longer than the write it waits
for. When server processes share a database, each transaction first takes an exclusive
`flock` on `<db>.writes`: the kernel wakes the next writer the moment the lock is free.
Threads of one process queue on a lock of their own first (flock is held per process).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SHARED: dict[str, WriteGate] = {}


class WriteGate:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".writes")
        self._threads = threading.RLock()
        self._depth = 0
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._depth == 0:
                fcntl.flock(self._fd, fcntl.LOCK_EX)  # blocks without the GIL
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)


class GatedConnection(sqlite3.Connection):
    """A connection whose transactions pass the database's write gate (see transaction())."""

    write_gate: WriteGate | None = None


def share_writes(db_path: Path) -> None:
    """From now on, connections this process opens to `db_path` write through its gate."""
    key = str(db_path.resolve())
    if key not in _SHARED:
        _SHARED[key] = WriteGate(db_path.resolve())


def gate_for(path: str | Path) -> WriteGate | None:
    return _SHARED.get(str(Path(path).resolve())) if _SHARED else None
