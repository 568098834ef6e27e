"""The TelemetryStore port's contract: every adapter (SQLite, the in-memory fake) passes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import orjson
import pytest
from fakes.events import change, cleared, opened
from fakes.telemetry_store import InMemoryTelemetryStore

from gridloop.adapters.sqlite.database import connect
from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.alerting.changes import ChangeKind
from gridloop.domain.devices.rules import Severity
from gridloop.domain.events import Event
from gridloop.service_layer.ports import AlertRow, DevicePlace, TelemetryStore

PLACES = {
    "D1": DevicePlace("smoke", "B001", "G01"),
    "D2": DevicePlace("gas", "B002", "G02"),
}
Hourly = dict[tuple[str, str, int], tuple[int, float, float, float]]


def reading(device_id: str, ts: int, seq: int, **values: float) -> tuple[str, int, int, bytes]:
    raw = orjson.dumps({"device_id": device_id, "ts": ts, "seq": seq, "values": values})
    return device_id, ts, seq, raw


class Harness(Protocol):
    reopens: bool

    def open(self) -> TelemetryStore: ...
    def outbox_events(self, store: TelemetryStore) -> list[Event | None]: ...
    def hourly(self, store: TelemetryStore) -> Hourly: ...


class SqliteHarness:
    reopens = True

    def __init__(self, tmp_path: Path) -> None:
        self.app = bootstrap(Settings(db_path=tmp_path / "gridloop.db"))

    def open(self) -> TelemetryStore:
        return self.app.telemetry_store()

    def outbox_events(self, store: TelemetryStore) -> list[Event | None]:
        outbox = self.app.outbox()
        try:
            return [e.event for e in outbox.pending(1_000)]
        finally:
            outbox.close()

    def hourly(self, store: TelemetryStore) -> Hourly:
        conn = connect(self.app.settings.db_path)
        try:
            rows = conn.execute(
                "SELECT device_id, field, hour, n, total, low, high FROM reading_hourly"
            )
            return {(d, f, h): (n, t, lo, hi) for d, f, h, n, t, lo, hi in rows}
        finally:
            conn.close()


class MemoryHarness:
    reopens = False

    def open(self) -> TelemetryStore:
        return InMemoryTelemetryStore()

    def outbox_events(self, store: TelemetryStore) -> list[Event | None]:
        assert isinstance(store, InMemoryTelemetryStore)
        return [e.event for e in store.outbox.pending(1_000)]

    def hourly(self, store: TelemetryStore) -> Hourly:
        assert isinstance(store, InMemoryTelemetryStore)
        return dict(store.hourly)


ADAPTERS: dict[str, Callable[[Path], Harness]] = {
    "sqlite": SqliteHarness,
    "memory": lambda _tmp: MemoryHarness(),
}


@pytest.fixture(params=list(ADAPTERS))
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Harness:
    made: Harness = ADAPTERS[request.param](tmp_path)
    return made


@pytest.fixture
def store(harness: Harness) -> Iterator[TelemetryStore]:
    opened_store = harness.open()
    yield opened_store
    opened_store.close()


def test_a_new_store_is_empty(store: TelemetryStore) -> None:
    assert store.load_checkpoint() is None
    assert list(store.readings_after(0)) == []
    assert store.alerts() == []
    assert store.counters() == {}
    assert (store.sent, store.committed()) == (0, 0)


def test_readings_are_numbered_in_arrival_order_and_read_back_after_an_id(
    store: TelemetryStore,
) -> None:
    first = [reading("D1", 1_000, 1, t=20.0), reading("D2", 900, 1, ppm=3.0)]
    last_of_first = store.write_batch(first, [], PLACES, {})
    last = store.write_batch([reading("D1", 2_000, 2, t=21.0)], [], PLACES, {})

    stored = [row for chunk in store.readings_after(0) for row in chunk]

    assert [raw for _id, raw in stored] == [r[3] for r in first] + [
        reading("D1", 2_000, 2, t=21.0)[3]
    ]
    ids = [i for i, _raw in stored]
    assert ids == sorted(set(ids))
    assert (last_of_first, last) == (ids[1], ids[2])
    assert [i for chunk in store.readings_after(last_of_first) for i, _ in chunk] == [last]


def test_readings_come_back_a_chunk_at_a_time(store: TelemetryStore) -> None:
    store.write_batch([reading("D1", t, t, t=1.0) for t in range(1, 6)], [], PLACES, {})

    chunks = list(store.readings_after(0, chunk=2))

    assert [len(c) for c in chunks] == [2, 2, 1]


def test_a_batch_without_readings_returns_the_last_id_so_far(store: TelemetryStore) -> None:
    assert store.write_batch([], [], PLACES, {"rejected": 1}) == 0
    last = store.write_batch([reading("D1", 1_000, 1, t=1.0)], [], PLACES, {})
    assert store.write_batch([], [], PLACES, {}) == last


def test_counters_add_up_across_batches(store: TelemetryStore) -> None:
    store.write_batch([], [], PLACES, {"accepted": 3, "duplicate": 1})
    store.write_batch([], [], PLACES, {"accepted": 2, "bad_json": 4})

    assert store.counters() == {"accepted": 5, "bad_json": 4, "duplicate": 1}
    assert list(store.counters()) == ["accepted", "bad_json", "duplicate"]


def test_an_alert_opens_with_its_device_place_then_updates_then_clears(
    store: TelemetryStore,
) -> None:
    store.write_batch([], [opened("D1", 1_000).change], PLACES, {})
    row = store.alerts()[0]
    assert row == AlertRow(
        row.id, "D1", "smoke", "smoke.alarm", "major", "active", 1_000, None, 1, "B001", "G01", None
    )

    store.apply_changes(
        [
            change(
                ChangeKind.UPDATED, "D1", 1_000, at=1_500, occurrences=4, severity=Severity.CRITICAL
            )
        ],
        PLACES,
    )
    assert (store.alerts()[0].occurrences, store.alerts()[0].severity) == (4, "critical")

    store.apply_changes([change(ChangeKind.CLEARED, "D1", 1_000, at=3_000, occurrences=5)], PLACES)
    done = store.alerts()[0]
    assert (done.id, done.status, done.cleared_at, done.occurrences) == (
        row.id,
        "cleared",
        3_000,
        5,
    )


def test_alert_changes_put_their_events_in_the_outbox_with_the_batch(
    harness: Harness, store: TelemetryStore
) -> None:
    update = change(ChangeKind.UPDATED, "D1", 1_000, at=1_200, occurrences=2)
    store.write_batch([reading("D1", 1_000, 1, t=1.0)], [opened("D1").change, update], PLACES, {})
    store.apply_changes([cleared("D1", at=2_000).change, opened("D2", 1_800).change], PLACES)

    # an update concerns nobody but the alert: no event
    assert harness.outbox_events(store) == [
        opened("D1"),
        cleared("D1", at=2_000),
        opened("D2", 1_800),
    ]


def test_replaying_changes_keeps_one_alert_and_one_event(
    harness: Harness, store: TelemetryStore
) -> None:
    changes = [opened("D1").change, cleared("D1", at=2_000).change]
    store.write_batch([], changes, PLACES, {})
    store.write_batch([], changes, PLACES, {})
    store.apply_changes(changes, PLACES)

    assert len(store.alerts()) == 1
    assert store.alerts()[0].status == "cleared"
    assert harness.outbox_events(store) == [opened("D1"), cleared("D1", at=2_000)]


def test_changes_to_an_alert_never_stored_change_nothing(store: TelemetryStore) -> None:
    store.apply_changes([change(ChangeKind.UPDATED, "D1", 1_000, at=1_500, occurrences=3)], PLACES)
    assert store.alerts() == []


def test_a_batch_opening_an_alert_of_an_unknown_device_is_refused_whole(
    harness: Harness, store: TelemetryStore
) -> None:
    with pytest.raises(KeyError):
        store.write_batch(
            [reading("D1", 1_000, 1, t=1.0)],
            [opened("D1").change, opened("D9").change],
            PLACES,
            {"accepted": 1},
        )

    assert list(store.readings_after(0)) == []
    assert store.alerts() == []
    assert store.counters() == {}
    assert harness.outbox_events(store) == []


def test_alerts_are_filtered_and_ordered_by_start(store: TelemetryStore) -> None:
    store.write_batch(
        [],
        [
            opened("D2", 3_000, rule="gas.leak").change,
            opened("D1", 1_000).change,
            opened("D1", 2_000, rule="smoke.battery").change,
        ],
        PLACES,
        {},
    )
    store.apply_changes([cleared("D1", 1_000, at=2_500).change], PLACES)

    assert [(a.device_id, a.started_at) for a in store.alerts()] == [
        ("D1", 1_000),
        ("D1", 2_000),
        ("D2", 3_000),
    ]
    assert [a.started_at for a in store.alerts(status="active")] == [2_000, 3_000]
    assert [a.started_at for a in store.alerts(rule="gas.leak")] == [3_000]
    assert [a.started_at for a in store.alerts(since=2_000)] == [2_000, 3_000]
    assert [a.started_at for a in store.alerts(status="active", since=2_500)] == [3_000]


def test_every_write_request_is_counted_and_committed(store: TelemetryStore) -> None:
    store.write_batch([], [], PLACES, {})
    store.apply_changes([], PLACES)  # nothing to write: no request
    store.apply_changes([opened("D1").change], PLACES)
    store.checkpoint(0, {}, {}, saved_at=5)
    store.flush()

    assert (store.sent, store.committed()) == (3, 3)


def test_the_engine_checkpoint_round_trips_as_json(store: TelemetryStore) -> None:
    engine: dict[str, object] = {"alerts": {"D1|smoke.alarm": [1_000, 2]}, "window": (1, 2)}
    store.checkpoint(7, engine, {"D1": {"high": 9}}, saved_at=10)
    assert store.load_checkpoint() == (
        7,
        {"alerts": {"D1|smoke.alarm": [1_000, 2]}, "window": [1, 2]},
        {"D1": {"high": 9}},
    )

    store.checkpoint(9, {"alerts": {}}, {}, saved_at=20)
    assert store.load_checkpoint() == (9, {"alerts": {}}, {})


def test_a_state_that_is_not_json_is_refused_and_the_last_checkpoint_stays(
    store: TelemetryStore,
) -> None:
    store.checkpoint(7, {"ok": 1}, {}, saved_at=10)
    with pytest.raises(TypeError):
        store.checkpoint(8, {"bad": {1, 2}}, {}, saved_at=20)
    assert store.load_checkpoint() == (7, {"ok": 1}, {})


def test_a_checkpoint_writes_the_hourly_aggregates_of_the_readings_since(
    harness: Harness, store: TelemetryStore
) -> None:
    store.write_batch(
        [reading("D1", 1_000, 1, t=20.0), reading("D1", 2_000, 2, t=24.0)], [], PLACES, {}
    )
    assert harness.hourly(store) == {}  # kept in memory until the checkpoint

    store.checkpoint(2, {}, {}, saved_at=3)
    store.write_batch([reading("D1", 3_000, 3, t=18.0)], [], PLACES, {})
    store.checkpoint(3, {}, {}, saved_at=4)

    assert harness.hourly(store) == {("D1", "t", 0): (3, 62.0, 18.0, 24.0)}


def test_recovered_aggregates_replace_what_was_in_memory(
    harness: Harness, store: TelemetryStore
) -> None:
    store.write_batch([reading("D1", 1_000, 1, t=20.0)], [], PLACES, {})
    store.checkpoint(1, {}, {}, saved_at=2)
    store.write_batch([reading("D1", 2_000, 2, t=22.0)], [], PLACES, {})

    store.recover_aggregates(1)
    store.recover_aggregates(1)
    store.checkpoint(2, {}, {}, saved_at=3)

    assert harness.hourly(store) == {("D1", "t", 0): (2, 42.0, 20.0, 22.0)}


def test_retention_drops_old_readings_only(store: TelemetryStore) -> None:
    store.write_batch(
        [reading("D1", ts, seq, t=1.0) for seq, ts in enumerate([1_000, 2_000, 3_000], 1)],
        [],
        PLACES,
        {},
    )

    assert store.delete_readings_before(2_500) == 2
    assert store.delete_readings_before(2_500) == 0

    left = [row for chunk in store.readings_after(0) for row in chunk]
    assert [orjson.loads(raw)["ts"] for _id, raw in left] == [3_000]
    newest = store.write_batch([reading("D1", 4_000, 4, t=1.0)], [], PLACES, {})
    assert newest > left[0][0]


def test_what_was_written_survives_reopening(harness: Harness, store: TelemetryStore) -> None:
    if not harness.reopens:
        pytest.skip("an in-memory store does not outlive its object")
    last = store.write_batch(
        [reading("D1", 1_000, 1, t=1.0)], [opened("D1").change], PLACES, {"accepted": 1}
    )
    store.checkpoint(last, {"n": 1}, {"D1": 1}, saved_at=5)
    store.close()

    again = harness.open()
    try:
        assert [i for chunk in again.readings_after(0) for i, _ in chunk] == [last]
        assert [a.device_id for a in again.alerts()] == ["D1"]
        assert again.counters() == {"accepted": 1}
        assert again.load_checkpoint() == (last, {"n": 1}, {"D1": 1})
        assert again.sent == 0  # requests are counted per handle
    finally:
        again.close()
