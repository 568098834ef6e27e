"""The ingest pipeline on real SQLite: batches in, readings and alerts stored, bad input counted."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from registry_io import run_import

from gridloop.bootstrap import App
from gridloop.service_layer.ingest import IngestPipeline

NOW = 1_764_300_000_000  # 2025-11-28T11:20:00+08:00, the tests' fixed clock
MINUTE = 60_000


@pytest.fixture
def district(app: App, tiny_dir: Path) -> App:
    run_import(app, tiny_dir)
    return app


def device_of(app: App, kind: str) -> str:
    uow = app.unit_of_work()
    with uow:
        devices = [d for d in uow.registry.devices() if d.kind == kind]
    uow.close()
    return devices[0].id


def line(device: str, ts: int, seq: int, **values: float) -> bytes:
    return orjson.dumps({"device_id": device, "ts": ts, "seq": seq, "values": values})


def make_pipeline(app: App, now: Callable[[], int] = lambda: NOW) -> IngestPipeline:
    return app.pipeline(clock=now)


def test_two_readings_over_300_ma_open_an_alert_with_its_place(district: App) -> None:
    ef = device_of(district, "electrical_fire")
    pipeline = make_pipeline(district)
    t0 = NOW - 10 * MINUTE
    pipeline.ingest_lines(
        [
            line(ef, t0, 1, residual_current_ma=120.0),
            line(ef, t0 + MINUTE, 2, residual_current_ma=310.0),
            line(ef, t0 + 2 * MINUTE, 3, residual_current_ma=320.5),
        ]
    )
    (alert,) = district.telemetry_store().alerts()
    assert (alert.device_id, alert.rule, alert.severity) == (
        ef,
        "electrical_fire.residual_current_high",
        "major",
    )
    assert alert.started_at == t0 + 2 * MINUTE and alert.status == "active"
    assert alert.grid_code and alert.building_code


def test_bad_messages_are_counted_by_reason_and_never_stop_the_good_ones(district: App) -> None:
    ef = device_of(district, "electrical_fire")
    t = NOW - 5 * MINUTE
    lines = [
        line(ef, t, 1, residual_current_ma=100.0),
        b"{not json",
        line("NO-SUCH-DEVICE", t, 1, residual_current_ma=1.0),
        orjson.dumps({"device_id": ef, "ts": t, "seq": 2, "values": {"current_a": "12"}}),
        b'{"device_id": "%s", "ts": %d, "seq": 3, "values": {"current_a": NaN}}' % (ef.encode(), t),
        line(ef, t, 4, current_a=-3.0),
        line(ef, NOW + 6 * MINUTE, 5, current_a=3.0),
        line(ef, NOW - 8 * 24 * 60 * MINUTE, 6, current_a=3.0),
        line(ef, t, 1, residual_current_ma=100.0),  # redelivered
        b'{"device_id": "%s", "ts": %d, "seq": 7, "values": {"x": "%s"}}'
        % (ef.encode(), t, b"y" * 70_000),
        orjson.dumps({"device_id": ef, "ts": "yesterday", "seq": 8, "values": {}}),
        line(ef, t, 10) + b"," + line(ef, t, 11),  # two messages on one line
        line(ef, t + MINUTE, 9, residual_current_ma=101.0),
    ]
    outcome = make_pipeline(district).ingest_lines(lines)
    reasons = sorted(r.reason.value for r in outcome.rejections)
    assert outcome.accepted == 2
    assert reasons == sorted(
        [
            "malformed",
            "malformed",
            "unknown_device",
            "bad_type",
            "not_finite",
            "out_of_range",
            "ts_future",
            "ts_too_old",
            "duplicate",
            "too_large",
            "bad_timestamp",
        ]
    )
    at = {(r.reason.value, r.position) for r in outcome.rejections}
    assert {("malformed", 2), ("malformed", 12), ("duplicate", 9)} <= at
    counters = district.telemetry_store().counters()
    assert counters["accepted"] == 2 and counters["duplicate"] == 1


def test_a_json_array_of_objects_goes_through_the_same_checks(district: App) -> None:
    ef = device_of(district, "electrical_fire")
    objs = [
        {"device_id": ef, "ts": NOW - MINUTE, "seq": 1, "values": {"voltage_v": 221.5}},
        {"device_id": ef, "ts": "2025-11-28T11:19:30+08:00", "seq": 2, "values": {}},
        {"device_id": ef, "seq": 3},
        ["not", "an", "object"],
    ]
    outcome = make_pipeline(district).ingest_objects(objs)
    assert outcome.accepted == 2
    assert sorted(r.reason.value for r in outcome.rejections) == ["malformed", "malformed"]


def test_a_credential_may_speak_only_for_its_devices(district: App) -> None:
    ef = device_of(district, "electrical_fire")
    smoke = device_of(district, "smoke_detector")
    outcome = make_pipeline(district).ingest_lines(
        [line(ef, NOW - MINUTE, 1), line(smoke, NOW - MINUTE, 1)], allow=lambda d: d == ef
    )
    assert outcome.accepted == 1
    assert [(r.reason.value, r.device_id) for r in outcome.rejections] == [("unauthorized", smoke)]


def test_a_restart_between_batches_gives_the_same_alerts(district: App, tmp_path: Path) -> None:
    ef = device_of(district, "electrical_fire")
    t0 = NOW - 60 * MINUTE
    values = [100, 350, 360, 90, 80, 600, 610, 620, 100, 100]
    stream = [line(ef, t0 + i * MINUTE, i + 1, residual_current_ma=v) for i, v in enumerate(values)]
    first = make_pipeline(district)
    first.ingest_lines(stream[:2])
    first.checkpoint()
    first.ingest_lines(stream[2:6])  # stored, not checkpointed: the restart must evaluate it again
    restarted = make_pipeline(district)
    restarted.ingest_lines(stream[6:])
    got = [
        (a.rule, a.started_at, a.cleared_at, a.occurrences)
        for a in district.telemetry_store().alerts()
    ]

    other = tmp_path / "other.db"
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    fresh = bootstrap(Settings(db_path=other))
    uow_source = district.unit_of_work()
    with uow_source:
        registry = uow_source.registry.load()
    uow_source.close()
    assert registry is not None
    uow = fresh.unit_of_work()
    with uow:
        uow.registry.save_district(registry.district)
        uow.registry.upsert_grids(registry.grids)
        uow.registry.upsert_buildings(registry.buildings)
        uow.registry.upsert_devices(registry.devices)
        uow.commit()
    uow.close()
    make_pipeline(fresh).ingest_lines(stream)
    want = [
        (a.rule, a.started_at, a.cleared_at, a.occurrences)
        for a in fresh.telemetry_store().alerts()
    ]
    assert got == want
    assert {r for r, *_ in want} == {
        "electrical_fire.residual_current_high",
        "electrical_fire.residual_current_critical",
    }


def test_the_alerts_command_prints_the_documented_json(district: App) -> None:
    from click.testing import CliRunner

    from gridloop.entrypoints.cli import main

    ef = device_of(district, "electrical_fire")
    make_pipeline(district).ingest_lines(
        [
            line(ef, NOW - 2 * MINUTE, 1, cable_temp_c=71.0),
            line(ef, NOW - MINUTE, 2, cable_temp_c=72.0),
        ]
    )
    result = CliRunner().invoke(
        main,
        [
            "alerts",
            "--db",
            str(district.settings.db_path),
            "--format",
            "json",
            "--status",
            "active",
        ],
    )
    assert result.exit_code == 0, result.output
    (alert,) = json.loads(result.output)
    assert set(alert) == {
        "id",
        "device_id",
        "kind",
        "rule",
        "severity",
        "status",
        "started_at",
        "cleared_at",
        "occurrences",
        "building_code",
        "grid_code",
        "case_id",
    }
    assert alert["rule"] == "electrical_fire.cable_overheat"
    assert alert["started_at"] == "2025-11-28T11:19:00+08:00"
    assert alert["case_id"] is None and alert["cleared_at"] is None


def test_hourly_aggregates_are_kept_at_each_checkpoint(district: App) -> None:
    import sqlite3

    ef = device_of(district, "electrical_fire")
    hour = NOW - NOW % 3_600_000 - 3_600_000
    pipeline = make_pipeline(district)
    pipeline.ingest_lines(
        [line(ef, hour + i * MINUTE, i + 1, voltage_v=220.0 + i) for i in range(5)]
    )
    pipeline.checkpoint()
    pipeline.ingest_lines([line(ef, hour + 10 * MINUTE, 6, voltage_v=210.0)])
    pipeline.checkpoint()
    conn = sqlite3.connect(district.settings.db_path)
    row = conn.execute(
        "SELECT n, total, low, high FROM reading_hourly"
        " WHERE device_id = ? AND field = ? AND hour = ?",
        (ef, "voltage_v", hour),
    ).fetchone()
    assert row == (6, 220.0 + 221 + 222 + 223 + 224 + 210, 210.0, 224.0)


def test_readings_older_than_the_retention_are_dropped_at_checkpoint(district: App) -> None:
    import sqlite3

    ef = device_of(district, "electrical_fire")
    pipeline = make_pipeline(district)
    pipeline.retention_ms = 30 * MINUTE
    pipeline.ingest_lines(
        [line(ef, NOW - (90 - i) * MINUTE, i + 1, voltage_v=220.0) for i in range(90)]
    )
    pipeline.checkpoint()
    conn = sqlite3.connect(district.settings.db_path)
    oldest, count = conn.execute("SELECT MIN(ts), COUNT(*) FROM readings").fetchone()
    assert count == 31 and oldest == NOW - 31 * MINUTE
    assert conn.execute("SELECT SUM(n) FROM reading_hourly").fetchone()[0] == 90
