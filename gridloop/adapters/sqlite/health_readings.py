"""One device's recent readings and hourly aggregates, read from the telemetry tables."""

from __future__ import annotations

import sqlite3
import threading

import orjson

from gridloop.service_layer.residents import HourlyFigure, Reading


class SqliteHealthReadings:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    def latest(self, device_id: str, limit: int) -> list[Reading]:
        """The device's last `limit` stored readings, newest first.

        readings has no index on device_id: the scan walks back from the newest row and stops
        at `limit` matches, which is quick for a device that reports, slow for a silent one.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT ts, seq, message FROM readings WHERE device_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (device_id, limit),
            ).fetchall()
        readings = []
        for ts, seq, message in rows:
            doc = orjson.loads(message)
            values = doc.get("values") or {}
            event = doc.get("event")
            readings.append(
                Reading(
                    ts=int(ts),
                    seq=int(seq),
                    values={
                        str(k): float(v) for k, v in values.items() if isinstance(v, int | float)
                    },
                    event=str(event) if event else None,
                )
            )
        return readings

    def hourly(self, device_id: str, since_ms: int) -> list[HourlyFigure]:
        """Hourly aggregates of each value field since `since_ms`, oldest hour first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT field, hour, n, total, low, high FROM reading_hourly"
                " WHERE device_id = ? AND hour >= ? ORDER BY hour, field",
                (device_id, since_ms),
            ).fetchall()
        return [
            HourlyFigure(field=f, hour=int(h), n=int(n), mean=t / n if n else 0.0, low=lo, high=hi)
            for f, h, n, t, lo, hi in rows
        ]
