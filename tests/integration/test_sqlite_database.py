"""The SQLite database: WAL mode, versioned migrations applied once, on open."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridloop.adapters.sqlite.database import connect, migrate, migrations, schema_version


def test_a_new_database_is_migrated_to_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    conn = connect(tmp_path / "g.db")
    assert schema_version(conn) == len(migrations()) >= 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"grids", "buildings", "workers", "devices", "residents", "departments"} <= tables


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    connect(tmp_path / "g.db").close()
    conn = connect(tmp_path / "g.db")
    assert migrate(conn) == []
    rows = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert rows == len(migrations())


def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "g.db")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this gridloop"):
        connect(tmp_path / "g.db")


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    import sqlite3

    conn = connect(tmp_path / "g.db")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO buildings VALUES ('b', 'n', 1, 1, 'a', 1, '', 'no-such-grid')")
