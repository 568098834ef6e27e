"""The TelemetryStore port in memory: readings numbered in arrival order, alerts upserted by
incident, counters added, the engine checkpoint kept as JSON, the alert events put in an
in-memory outbox with the batch that caused them."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

import orjson

from fakes.outbox import InMemoryOutbox
from gridloop.domain.aggregates import AggregateRow, HourlyAggregates
from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.events import alert_events
from gridloop.service_layer.ports import AlertRow, DevicePlace

Incident = tuple[str, str, int]  # device_id, rule, started_at


class InMemoryTelemetryStore:
    def __init__(self, outbox: InMemoryOutbox | None = None) -> None:
        self.outbox = outbox or InMemoryOutbox()
        self.refuse: Exception | None = None  # set it and every write raises it, changing nothing
        self.hourly: dict[tuple[str, str, int], tuple[int, float, float, float]] = {}
        self._readings: dict[int, tuple[str, int, int, bytes]] = {}  # id → ascending
        self._alerts: dict[Incident, AlertRow] = {}
        self._counters: dict[str, int] = {}
        self._checkpoint: tuple[int, bytes, bytes, int] | None = None
        self._pending_hourly = HourlyAggregates()
        self._writes = 0
        self._lock = threading.RLock()
        self.closed = False

    @property
    def sent(self) -> int:
        return self._writes

    def committed(self) -> int:
        return self._writes  # synchronous, as SqliteTelemetryStore

    def flush(self) -> None:
        """Nothing to wait for."""

    def close(self) -> None:
        self.closed = True

    def write_batch(
        self,
        readings: Sequence[tuple[str, int, int, bytes]],
        changes: Sequence[AlertChange],
        places: Mapping[str, DevicePlace],
        counters: Mapping[str, int],
    ) -> int:
        with self._lock:
            self._writes += 1  # a request made, even one that fails (as SQLite counts it)
            self._writable()
            alerts = self._applied(changes, places)  # raises before anything changes
            next_id = max(self._readings, default=0) + 1
            for i, reading in enumerate(readings):
                self._readings[next_id + i] = reading
            self._alerts = alerts
            for reason, n in counters.items():
                self._counters[reason] = self._counters.get(reason, 0) + n
            self.outbox.add(alert_events(list(changes)))
            self._aggregate([(d, ts, raw) for d, ts, _seq, raw in readings])
            return max(self._readings, default=0)

    def apply_changes(
        self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]
    ) -> None:
        if not changes:
            return
        with self._lock:
            self._writes += 1
            self._writable()
            self._alerts = self._applied(changes, places)
            self.outbox.add(alert_events(list(changes)))

    def checkpoint(
        self,
        reading_id: int,
        engine: Mapping[str, object],
        seqs: Mapping[str, object],
        saved_at: int,
    ) -> None:
        # JSON as the real stores keep it: what would not survive a restart fails here too
        state = (reading_id, orjson.dumps(engine), orjson.dumps(seqs), saved_at)
        with self._lock:
            self._writes += 1
            self._writable()
            for row in self._pending_hourly.rows():
                self._add_hourly(row)
            self._checkpoint = state
            self._pending_hourly.clear()

    def recover_aggregates(self, after_reading_id: int) -> None:
        with self._lock:
            self._pending_hourly.clear()
            self._aggregate(
                [
                    (d, ts, raw)
                    for i, (d, ts, _s, raw) in self._readings.items()
                    if i > after_reading_id
                ]
            )

    def load_checkpoint(self) -> tuple[int, dict[str, object], dict[str, object]] | None:
        with self._lock:
            if self._checkpoint is None:
                return None
            reading_id, engine, seqs, _saved_at = self._checkpoint
            return reading_id, orjson.loads(engine), orjson.loads(seqs)

    def readings_after(
        self, reading_id: int, chunk: int = 10_000
    ) -> Iterator[list[tuple[int, bytes]]]:
        last = reading_id
        while True:
            with self._lock:
                rows = [(i, r[3]) for i, r in sorted(self._readings.items()) if i > last][:chunk]
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def alerts(
        self, status: str | None = None, rule: str | None = None, since: int | None = None
    ) -> list[AlertRow]:
        with self._lock:
            rows = [
                a
                for a in self._alerts.values()
                if (status is None or a.status == status)
                and (rule is None or a.rule == rule)
                and (since is None or a.started_at >= since)
            ]
        return sorted(rows, key=lambda a: (a.started_at, a.id))

    def counters(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counters.items()))

    def delete_readings_before(self, ts_ms: int) -> int:
        with self._lock:
            old = [i for i, r in self._readings.items() if r[1] < ts_ms]
            for i in old:
                del self._readings[i]
            return len(old)

    def link_case(self, incident: Incident, case_id: str) -> None:
        """What the case store does to an alert row (CaseStore.link_alerts)."""
        with self._lock:
            self._alerts[incident] = replace(self._alerts[incident], case_id=case_id)

    def _applied(
        self, changes: Sequence[AlertChange], places: Mapping[str, DevicePlace]
    ) -> dict[Incident, AlertRow]:
        """The alerts after the changes; idempotent by incident (a replay re-applies safely)."""
        alerts = dict(self._alerts)
        next_id = max((a.id for a in alerts.values()), default=0) + 1
        for c in changes:
            incident = (c.device_id, c.rule, c.started_at)
            row = alerts.get(incident)
            if c.change is ChangeKind.OPENED:
                p = places[c.device_id]  # KeyError: the whole batch is refused
                if row is None:
                    alerts[incident] = AlertRow(
                        next_id, c.device_id, p.kind, c.rule, c.severity.label, "active",
                        c.started_at, None, c.occurrences, p.building_code, p.grid_code, None,
                    )  # fmt: skip
                    next_id += 1
            elif row is None:
                continue  # an update or clearing of an alert never stored changes nothing
            elif c.change is ChangeKind.UPDATED:
                alerts[incident] = replace(
                    row, occurrences=c.occurrences, severity=c.severity.label
                )
            else:
                alerts[incident] = replace(
                    row, status="cleared", cleared_at=c.at, occurrences=c.occurrences
                )
        return alerts

    def _aggregate(self, readings: list[tuple[str, int, bytes]]) -> None:
        values = [(d, ts, orjson.loads(raw).get("values") or {}) for d, ts, raw in readings]
        self._pending_hourly.add(values)

    def _add_hourly(self, row: AggregateRow) -> None:
        device, name, hour, n, total, low, high = row
        key = (device, name, hour)
        old = self.hourly.get(key)
        if old is not None:
            n, total = n + old[0], total + old[1]
            low, high = min(low, old[2]), max(high, old[3])
        self.hourly[key] = (n, total, low, high)

    def _writable(self) -> None:
        if self.closed:
            raise RuntimeError("the telemetry store is closed")
        if self.refuse is not None:
            raise self.refuse
