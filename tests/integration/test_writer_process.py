"""The background writer: same results as in-process writes, events only after the commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest
from registry_io import run_import

from gridloop.adapters.sqlite.writer_process import BackgroundTelemetryStore, WriterFailed
from gridloop.bootstrap import App

NOW = 1_764_300_000_000
MINUTE = 60_000


def ef_device(app: App) -> str:
    uow = app.unit_of_work()
    with uow:
        device = next(d.id for d in uow.registry.devices() if d.kind == "electrical_fire")
    uow.close()
    return device


def stream(device: str) -> list[bytes]:
    values = [100, 320, 330, 100, 90, 520, 530, 80, 70] * 30
    return [
        orjson.dumps(
            {
                "device_id": device,
                "ts": NOW - (300 - i) * MINUTE,
                "seq": i + 1,
                "values": {"residual_current_ma": v},
            }
        )
        for i, v in enumerate(values)
    ]


def test_each_opening_and_clearing_is_in_the_outbox_with_its_alert(
    app: App, tiny_dir: Path
) -> None:
    run_import(app, tiny_dir)
    lines = stream(ef_device(app))
    pipeline = app.pipeline(clock=lambda: NOW, background_writes=True)
    for i in range(0, len(lines), 10):
        pipeline.ingest_lines(lines[i : i + 10])
    pipeline.finish()
    reader = sqlite3.connect(app.settings.db_path)
    rows = reader.execute("SELECT topic, payload FROM outbox ORDER BY id").fetchall()
    changes = pipeline.report.changes
    assert [t for t, _ in rows].count("alert_opened") == changes["opened"] > 0
    assert [t for t, _ in rows].count("alert_cleared") == changes["cleared"] > 0
    for _topic, payload in rows:
        doc = orjson.loads(payload)
        alert = reader.execute(
            "SELECT 1 FROM alerts WHERE device_id = ? AND rule = ? AND started_at = ?",
            (doc["device_id"], doc["rule"], doc["started_at"]),
        ).fetchone()
        assert alert is not None, f"an outbox row without its alert: {doc}"


def test_background_and_in_process_writes_store_the_same(
    app: App, tiny_dir: Path, tmp_path: Path
) -> None:
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings

    run_import(app, tiny_dir)
    other = bootstrap(Settings(db_path=tmp_path / "other.db"))
    run_import(other, tiny_dir)
    lines = stream(ef_device(app))
    background = app.pipeline(clock=lambda: NOW, background_writes=True)
    inline = other.pipeline(clock=lambda: NOW)
    for i in range(0, len(lines), 37):
        background.ingest_lines(lines[i : i + 37])
        inline.ingest_lines(lines[i : i + 37])
    background.finish()
    inline.finish()

    def dump(db: Path) -> tuple[list[tuple[object, ...]], ...]:
        conn = sqlite3.connect(db)
        return (
            conn.execute(
                "SELECT id, device_id, ts, seq, message FROM readings ORDER BY id"
            ).fetchall(),
            conn.execute(
                "SELECT rule, severity, status, started_at, cleared_at, occurrences"
                " FROM alerts ORDER BY id"
            ).fetchall(),
            conn.execute("SELECT * FROM reading_hourly ORDER BY 1, 2, 3").fetchall(),
        )

    assert dump(app.settings.db_path) == dump(tmp_path / "other.db")


def test_a_writer_that_dies_is_reported_not_ignored(app: App, tiny_dir: Path) -> None:
    run_import(app, tiny_dir)
    store = BackgroundTelemetryStore(app.settings.db_path)
    store._process.kill()
    store._process.join()
    with pytest.raises((WriterFailed, BrokenPipeError, OSError)):
        store.write_batch([("X", 1, 1, b"{}")], [], {}, {})
        store.flush()
