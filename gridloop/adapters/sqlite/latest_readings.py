"""The latest stored reading of each of some devices, in one query."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence

import orjson


class SqliteLatestReadings:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()  # one connection serves every request thread

    def latest(self, device_ids: Sequence[str]) -> dict[str, tuple[int, Mapping[str, object]]]:
        """device id → (ts, values) of its newest reading, for the devices that have one."""
        if not device_ids:
            return {}
        # one index probe per device (MAX over readings_device), not a scan of its readings
        sql = (
            "SELECT device_id, ts, message FROM readings WHERE id IN"
            " (SELECT (SELECT MAX(id) FROM readings r WHERE r.device_id = j.value)"
            " FROM json_each(?) j)"
        )
        with self._lock:
            rows = self._conn.execute(sql, (orjson.dumps(list(device_ids)).decode(),)).fetchall()
        found: dict[str, tuple[int, Mapping[str, object]]] = {}
        for device_id, ts, message in rows:
            doc = orjson.loads(message)
            values = doc.get("values") if isinstance(doc, dict) else None
            found[str(device_id)] = (int(ts), values if isinstance(values, dict) else {})
        return found

    def close(self) -> None:
        self._conn.close()
