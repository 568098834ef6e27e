"""A database file's schema version and stuck outbox entries, read without changing the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gridloop.adapters.sqlite.database import migrations
from gridloop.service_layer.doctor import SchemaStatus


def schema_status(path: Path) -> SchemaStatus:
    """What `path` holds; a missing file is not created, an existing one is opened read-only."""
    latest = len(migrations())
    if not path.exists():
        return SchemaStatus(exists=False, latest=latest)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        return SchemaStatus(exists=True, latest=latest, unreadable=str(e))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = 0
        if "schema_migrations" in tables:
            version = int(
                conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0
            )
        parked = 0
        if "outbox" in tables:
            parked = int(
                conn.execute(
                    "SELECT COUNT(*) FROM outbox WHERE parked != 0 AND done_at IS NULL"
                ).fetchone()[0]
            )
        return SchemaStatus(True, version, latest, parked)
    except sqlite3.Error as e:  # not an SQLite file, or a damaged one
        return SchemaStatus(exists=True, latest=latest, unreadable=str(e))
    finally:
        conn.close()
