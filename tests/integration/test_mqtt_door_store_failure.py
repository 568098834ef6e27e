"""The MQTT door on real Mosquitto when the store fails: a batch the store refused is retried
until it is stored, and acknowledged only then, so nothing is lost and nothing doubled — also
when the door stops while the store is still failing (the broker delivers it again)."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

from test_mqtt_door import HIGH, WAIT_S, Bench, bench, message, wait_until

from gridloop.adapters.telemetry.mqtt_door import MqttDoor

__all__ = ["bench"]  # the fixture, shared with the door's other tests


def fail_readings(db: Path) -> sqlite3.Connection:
    """The store refuses every reading (a full disk, as SQLite would say it) until undone."""
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON readings "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    conn.commit()
    return conn


def heal(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER full_disk")
    conn.commit()
    conn.close()


def test_a_batch_the_store_refused_is_retried_until_stored(bench: Bench) -> None:
    a, b = bench.a, bench.b
    conn = fail_readings(bench.app.settings.db_path)
    bench.send(
        a, message(a, 1, residual_current_ma=310.0), message(a, 2, residual_current_ma=320.0)
    )
    bench.send(b, message(b, 1, residual_current_ma=90.0))
    assert wait_until(lambda: bench.door.retries >= 2), bench.door.last_error
    assert "disk is full" in (bench.door.last_error or "")
    assert bench.counter("accepted") == 0 and bench.door.batches == 0
    heal(conn)
    assert wait_until(lambda: bench.counter("accepted") == 3, timeout=10), bench.store.counters()
    assert bench.counter("duplicate") == 0  # the retry was not taken for a redelivery
    assert [(x.device_id, x.rule) for x in bench.store.alerts()] == [(a, HIGH)]


def test_a_door_stopped_while_the_store_fails_gets_its_batch_again(bench: Bench) -> None:
    a = bench.a
    bench.door.stop()
    settings = replace(
        bench.door.settings, client_id=f"door-{uuid.uuid4().hex[:8]}", session_expiry_s=60
    )
    first = MqttDoor(bench.app.pipeline(clock=bench.door.pipeline.clock), settings)
    first.start()
    assert first.wait_connected(WAIT_S), first.last_error
    conn = fail_readings(bench.app.settings.db_path)
    bench.send(
        a, message(a, 1, residual_current_ma=310.0), message(a, 2, residual_current_ma=320.0)
    )
    assert wait_until(lambda: first.retries >= 1), first.last_error
    first.stop()  # never acknowledged: the session keeps both messages
    heal(conn)
    assert bench.counter("accepted") == 0
    second = MqttDoor(bench.app.pipeline(clock=bench.door.pipeline.clock), settings)
    second.start()
    try:
        assert second.wait_connected(WAIT_S), second.last_error
        assert wait_until(lambda: bench.counter("accepted") == 2, timeout=10), (
            bench.store.counters()
        )
        assert bench.counter("duplicate") == 0
        assert [(x.device_id, x.rule) for x in bench.store.alerts()] == [(a, HIGH)]
    finally:
        second.stop()
