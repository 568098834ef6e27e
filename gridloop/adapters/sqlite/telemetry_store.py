"""Telemetry on SQLite: readings appended per batch, alerts upserted, engine checkpoints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence

import msgspec
import orjson

from gridloop.adapters.sqlite.database import transaction
from gridloop.adapters.sqlite.outbox import record
from gridloop.domain.aggregates import HourlyAggregates
from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.events import alert_events
from gridloop.service_layer.ports import AlertRow, DevicePlace


class _Values(msgspec.Struct):
    values: dict[str, float] = {}


_values_of = msgspec.json.Decoder(list[_Values])


class SqliteTelemetryStore:
    """Readings appended per batch; their hourly aggregates are kept in memory and written with
    each checkpoint (after a restart, recover_aggregates() rebuilds what was not yet written)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._writes = 0  # every write commits before it returns: sent == committed
        self._hourly = HourlyAggregates()

    @property
    def sent(self) -> int:
        return self._writes

    def committed(self) -> int:
        return self._writes

    def flush(self) -> None:
        """Nothing to wait for: writes here are synchronous."""

    def close(self) -> None:
        self._conn.close()

    def write_batch(
        self,
        readings: Sequence[tuple[str, int, int, bytes]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> int:
        """Append readings, apply alert changes and add counters in one transaction."""
        self._writes += 1
        sql = "INSERT INTO readings (device_id, ts, seq, message) VALUES (?, ?, ?, ?)"
        self._write(sql, readings, changes, places, counters)
        self._aggregate([(d, ts, raw) for d, ts, _seq, raw in readings])  # once stored
        return self.last_reading_id()

    def write_numbered_batch(
        self,
        readings: Sequence[tuple[int, str, int, int, bytes]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> None:
        """write_batch() for a writer that numbers the readings itself (the writer process)."""
        sql = "INSERT INTO readings (id, device_id, ts, seq, message) VALUES (?, ?, ?, ?, ?)"
        self._write(sql, readings, changes, places, counters)
        self._aggregate([(d, ts, raw) for _id, d, ts, _seq, raw in readings])

    def _write(
        self,
        insert: str,
        readings: Sequence[tuple[object, ...]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> None:
        with transaction(self._conn) as conn:
            if readings:
                conn.executemany(insert, readings)
            self._apply(changes, places)
            self._count(counters)

    def _aggregate(self, readings: list[tuple[str, int, bytes]]) -> None:
        if not readings:
            return
        # The messages were validated on the way in: the batch decodes in one call.
        decoded = _values_of.decode(b"[" + b",".join(r[2] for r in readings) + b"]")
        self._hourly.add(
            (d, ts, v.values) for (d, ts, _raw), v in zip(readings, decoded, strict=True)
        )

    def recover_aggregates(self, after_reading_id: int) -> None:
        """Aggregate again the readings stored after the last checkpoint (lost with a crash,
        or a failed write): what is in memory is replaced, never added to."""
        self._hourly.clear()
        for chunk in self.readings_after(after_reading_id):
            rows = self._conn.execute(
                "SELECT device_id, ts, message FROM readings WHERE id BETWEEN ? AND ? ORDER BY id",
                (chunk[0][0], chunk[-1][0]),
            ).fetchall()
            self._aggregate(rows)

    def last_reading_id(self) -> int:
        return int(self._conn.execute("SELECT COALESCE(MAX(id), 0) FROM readings").fetchone()[0])

    def apply_changes(
        self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]
    ) -> None:
        """Alert changes alone (timers fired by the clock, or a replay after restart)."""
        if not changes:
            return
        self._writes += 1
        with transaction(self._conn):
            self._apply(changes, places)

    def _apply(self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]) -> None:
        # Idempotent by (device, rule, started_at): a replay after a restart re-applies safely,
        # and the outbox keeps each opening and clearing once.
        if not changes:
            return
        opened, updated, cleared = [], [], []
        for c in changes:
            key = (c.device_id, c.rule, c.started_at)
            if c.change is ChangeKind.OPENED:
                p = places[c.device_id]
                opened.append(
                    (
                        c.device_id,
                        p.kind,
                        c.rule,
                        c.severity.label,
                        c.started_at,
                        c.occurrences,
                        p.building_code,
                        p.grid_code,
                    )
                )
            elif c.change is ChangeKind.UPDATED:
                updated.append((c.occurrences, c.severity.label, *key))
            else:
                cleared.append((c.at, c.occurrences, *key))
        conn = self._conn
        if opened:
            conn.executemany(
                "INSERT OR IGNORE INTO alerts (device_id, kind, rule, severity, status, started_at,"
                " occurrences, building_code, grid_code) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                opened,
            )
        if updated:
            conn.executemany(
                "UPDATE alerts SET occurrences = ?, severity = ?"
                " WHERE device_id = ? AND rule = ? AND started_at = ?",
                updated,
            )
        if cleared:
            conn.executemany(
                "UPDATE alerts SET status = 'cleared', cleared_at = ?, occurrences = ?"
                " WHERE device_id = ? AND rule = ? AND started_at = ?",
                cleared,
            )
        record(conn, alert_events(list(changes)))

    def _count(self, counters: Mapping[str, int]) -> None:
        if counters:
            self._conn.executemany(
                "INSERT INTO intake_counters (reason, n) VALUES (?, ?)"
                " ON CONFLICT(reason) DO UPDATE SET n = n + excluded.n",
                list(counters.items()),
            )

    def checkpoint(
        self,
        reading_id: int,
        engine: Mapping[str, object],
        seqs: Mapping[str, object],
        saved_at: int,
    ) -> None:
        """Save the engine state and write the hourly aggregates accumulated since, atomically."""
        self.save_checkpoint_json(reading_id, orjson.dumps(engine), orjson.dumps(seqs), saved_at)

    def save_checkpoint_json(
        self, reading_id: int, engine: bytes, seqs: bytes, saved_at: int
    ) -> None:
        """checkpoint() with the state already serialised (the writer process receives bytes)."""
        self._writes += 1
        with transaction(self._conn) as conn:
            conn.executemany(
                "INSERT INTO reading_hourly (device_id, field, hour, n, total, low, high)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(device_id, field, hour) DO UPDATE SET"
                " n = n + excluded.n, total = total + excluded.total,"
                " low = MIN(low, excluded.low), high = MAX(high, excluded.high)",
                self._hourly.rows(),
            )
            conn.execute(
                "INSERT INTO engine_checkpoint (id, reading_id, engine, seqs, saved_at)"
                " VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " reading_id = excluded.reading_id, engine = excluded.engine,"
                " seqs = excluded.seqs, saved_at = excluded.saved_at",
                (reading_id, engine, seqs, saved_at),
            )
        self._hourly.clear()

    def load_checkpoint(self) -> tuple[int, dict[str, object], dict[str, object]] | None:
        row = self._conn.execute(
            "SELECT reading_id, engine, seqs FROM engine_checkpoint WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return int(row[0]), orjson.loads(row[1]), orjson.loads(row[2])

    def readings_after(
        self, reading_id: int, chunk: int = 10_000
    ) -> Iterator[list[tuple[int, bytes]]]:
        """Stored readings after `reading_id`, in arrival order, a chunk at a time."""
        last = reading_id
        while True:
            rows = self._conn.execute(
                "SELECT id, message FROM readings WHERE id > ? ORDER BY id LIMIT ?", (last, chunk)
            ).fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def alerts(
        self, status: str | None = None, rule: str | None = None, since: int | None = None
    ) -> list[AlertRow]:
        where, args = [], []
        for clause, value in (
            ("status = ?", status),
            ("rule = ?", rule),
            ("started_at >= ?", since),
        ):
            if value is not None:
                where.append(clause)
                args.append(value)
        sql = "SELECT * FROM alerts" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._conn.execute(sql + " ORDER BY started_at, id", args).fetchall()
        return [AlertRow(*row) for row in rows]

    def counters(self) -> dict[str, int]:
        return dict(self._conn.execute("SELECT reason, n FROM intake_counters ORDER BY reason"))

    def delete_readings_before(self, ts_ms: int) -> int:
        """Retention: drop raw readings older than `ts_ms` (hourly aggregates stay)."""
        cur = self._conn.execute("DELETE FROM readings WHERE ts < ?", (ts_ms,))
        return cur.rowcount
