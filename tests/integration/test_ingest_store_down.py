"""A store that fails a write and then cannot even be read: the pipeline says both causes, marks
its state stale, evaluates nothing on it, and once the store is back rebuilds and takes the
batch whole — its alarm alerts once, nothing is counted as a duplicate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gridloop.bootstrap import App
from gridloop.service_layer.ingest import IntakeUnavailable

T = 1795104000000  # 2026-11-20T00:00:00+08:00


class Outage:
    """The real store, with every write and read failing while `down`."""

    FAILING = frozenset({"write_batch", "load_checkpoint", "readings_after", "recover_aggregates"})

    def __init__(self, inner: Any) -> None:
        self.inner, self.down = inner, False

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if name in self.FAILING and callable(value):

            def guarded(*args: Any, **kwargs: Any) -> Any:
                if self.down:
                    raise OSError(f"{name}: the disk is gone")
                return value(*args, **kwargs)

            return guarded
        return value


def test_an_outage_is_said_with_both_causes_and_the_batch_is_taken_whole_after(
    app: App, tiny_dir: Path
) -> None:
    app.import_directory(tiny_dir)
    devices = app.registry().devices  # type: ignore[union-attr]
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    pipeline = app.pipeline(clock=lambda: T + 60_000)
    store = Outage(pipeline.store)
    pipeline.store = store  # type: ignore[assignment]
    alarm = json.dumps({"device_id": smoke.id, "ts": T, "seq": 1, "event": "smoke_alarm"})

    store.down = True
    with pytest.raises(IntakeUnavailable) as failed:
        pipeline.ingest_lines([alarm.encode()])
    assert "storing the batch failed: OSError: write_batch" in str(failed.value)
    assert "rebuilding from the store failed too" in str(failed.value)
    with pytest.raises(IntakeUnavailable, match="the store failed before"):
        pipeline.ingest_lines([alarm.encode()])  # nothing is evaluated on a stale state

    store.down = False
    outcome = pipeline.ingest_lines([alarm.encode()])
    assert outcome.accepted == 1 and outcome.rejections == []
    assert [c.rule for c in outcome.changes] == ["smoke_detector.smoke_alarm"]
    assert [a.rule for a in app.telemetry_store().alerts("active")] == [
        "smoke_detector.smoke_alarm"
    ]
    pipeline.finish()
