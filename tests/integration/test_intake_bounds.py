"""A batch holding a smoke alarm and another device's seq past SQLite's integers: the alarm is
stored and alerts, the bad message alone is refused, and its device's window did not move."""

from __future__ import annotations

import json
from pathlib import Path

from gridloop.bootstrap import App
from gridloop.domain.telemetry import MAX_SEQ

T = 1795104000000  # 2026-11-20T00:00:00+08:00


def _line(device_id: str, seq: int, **fields: object) -> bytes:
    ts = T + min(seq, 1000)  # a few ms after midnight, whatever the seq
    return json.dumps({"device_id": device_id, "ts": ts, "seq": seq, **fields}).encode()


def test_an_overflowing_seq_harms_no_neighbour(app: App, tiny_dir: Path) -> None:
    app.import_directory(tiny_dir)
    devices = app.registry().devices  # type: ignore[union-attr]
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    other = next(d for d in devices if d.kind == "smoke_detector" and d.id != smoke.id)
    pipeline = app.pipeline(clock=lambda: T + 60_000)
    alarm = _line(smoke.id, 1, event="smoke_alarm")
    outcome = pipeline.ingest_lines([alarm, _line(other.id, MAX_SEQ + 1, event="smoke_alarm")])
    assert outcome.accepted == 1
    assert [(r.reason.value, r.device_id) for r in outcome.rejections] == [
        ("out_of_range", other.id)
    ]
    assert [c.device_id for c in outcome.changes] == [smoke.id]
    again = pipeline.ingest_lines([alarm, _line(other.id, 2, values={})])
    assert [r.reason.value for r in again.rejections] == ["duplicate"]  # the alarm was stored
    assert again.accepted == 1  # the other device's window did not move
    assert pipeline.ingest_lines([_line(other.id, MAX_SEQ, values={})]).accepted == 1
    pipeline.finish()
