"""Open a SQLite database in WAL mode and bring its schema up to date."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from gridloop.adapters.sqlite.write_gate import GatedConnection, WriteGate, gate_for

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The packaged migrations, in version order."""
    found: list[Migration] = []
    folder = resources.files("gridloop.adapters.sqlite") / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection with the pragmas gridloop relies on, schema migrated."""
    gate = gate_for(path) if str(path) != ":memory:" else None
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, factory=GatedConnection
    )
    conn.write_gate = gate
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed txn
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: bulk upserts touch many index pages
    conn.execute("PRAGMA temp_store=MEMORY")
    migrate(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction."""
    current = schema_version(conn)
    known = migrations()
    if current > len(known):
        raise RuntimeError(
            f"database schema version {current} is newer than this gridloop ({len(known)})"
        )
    applied: list[int] = []
    for m in known[current:]:
        with transaction(conn):
            for statement in _statements(m.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        applied.append(m.version)
    return applied


def _statements(sql: str) -> list[str]:
    # executescript() would commit implicitly; split so a migration stays one transaction.
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (connections are autocommit);
    through the database's write gate when processes share it (write_gate.py)."""
    gate: WriteGate | None = getattr(conn, "write_gate", None)
    if gate is None:
        yield from _transaction(conn)
        return
    with gate.held():
        yield from _transaction(conn)


def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
