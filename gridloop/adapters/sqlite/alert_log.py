"""Alerts as the command center reads them: new ones after an id, and openings per local day."""

from __future__ import annotations

import sqlite3
import threading

from gridloop.service_layer.ports import AlertRow

DAY_MS = 86_400_000


class SqliteAlertLog:
    """Reads the alerts table on a connection of its own (the pipeline writes on another)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # one connection serves every request thread

    def latest_id(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM alerts").fetchone()[0])

    def after(self, alert_id: int, limit: int = 100) -> list[AlertRow]:
        """Alerts stored after `alert_id`, in id order (ids only ever grow: re-fires update)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT * FROM alerts WHERE id > ? ORDER BY id LIMIT ?", (alert_id, limit)
            ).fetchall()
        return [AlertRow(*row) for row in rows]

    def opened_per_day(self, since_ms: int, offset_ms: int) -> list[tuple[int, str, int]]:
        """(local day number, grid code, alerts opened) since `since_ms`; a day number is
        (epoch ms + the zone's offset) // one day."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT (started_at + ?) / ? AS day, grid_code, COUNT(*) FROM alerts"
                " WHERE started_at >= ? GROUP BY day, grid_code",
                (offset_ms, DAY_MS, since_ms),
            ).fetchall()
        return [(int(day), str(grid), int(n)) for day, grid, n in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
