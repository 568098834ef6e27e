"""The engine raises exactly the simulator's truth: precision and recall 1.0, same start times."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from cli_process import ok

START = "2026-11-20T00:00:00+08:00"


def gridloop(*args: str, cwd: Path) -> str:
    return ok(*args, cwd=cwd, timeout=900)


def alert_keys(alerts: list[dict[str, object]]) -> set[tuple[object, ...]]:
    """(device, rule, severity, start as an instant): both sides' ISO spellings compare equal."""
    return {
        (a["device_id"], a["rule"], a["severity"], datetime.fromisoformat(str(a["started_at"])))
        for a in alerts
    }


def prepare(tmp_path: Path, preset: str, hours: int, out: str) -> str:
    """Simulate and import the district, simulate its telemetry; returns the database path."""
    db = str(tmp_path / "g.db")
    gridloop("sim", "district", "--preset", preset, "--seed", "4", "--out", "d", cwd=tmp_path)
    gridloop("import", "d", "--db", db, cwd=tmp_path)
    gridloop(
        *("sim", "telemetry", "--district", "d", "--hours", str(hours), "--seed", "4"),
        *("--start", START, "--out", out),
        cwd=tmp_path,
    )
    return db


def run_replay(tmp_path: Path, preset: str, hours: int, batch: str) -> tuple[set, set]:  # type: ignore[type-arg]
    db = prepare(tmp_path, preset, hours, "t.ndjson.gz")
    end = f"2026-11-{20 + hours // 24}T{hours % 24:02d}:00:00+08:00"
    gridloop("ingest", "t.ndjson.gz", "--db", db, "--now", end, "--batch", batch, cwd=tmp_path)
    got = json.loads(gridloop("alerts", "--db", db, "--format", "json", cwd=tmp_path))
    truth = json.loads((tmp_path / "t.ndjson.gz.truth.json").read_text(encoding="utf-8"))
    return alert_keys(got), alert_keys(truth["alerts"])


def test_tiny_district_26_hours_alerts_equal_the_truth(tmp_path: Path) -> None:
    got, want = run_replay(tmp_path, "tiny", 26, "977")
    assert want, "the truth file holds no alert"
    assert sorted(got - want) == [], "alerts the truth does not hold (precision < 1)"
    assert sorted(want - got) == [], "alerts of the truth the engine missed (recall < 1)"


@pytest.mark.slow
def test_chengxi_district_26_hours_alerts_equal_the_truth(tmp_path: Path) -> None:
    got, want = run_replay(tmp_path, "chengxi", 26, "10000")
    assert sorted(got - want) == [] and sorted(want - got) == []


@pytest.mark.parametrize("cut", [0.13, 0.5, 0.87])
def test_a_crash_at_any_point_of_a_replay_changes_no_alert(tmp_path: Path, cut: float) -> None:
    """A pipeline dies mid-stream without a final checkpoint; the next one recovers exactly."""
    from gridloop.adapters.telemetry.files import line_batches
    from gridloop.bootstrap import bootstrap
    from gridloop.config import Settings
    from gridloop.entrypoints.alert_view import alert_json
    from gridloop.entrypoints.timefmt import parse_iso

    db = Path(prepare(tmp_path, "tiny", 26, "t.ndjson"))
    batches = list(line_batches(tmp_path / "t.ndjson", 1_000))
    crash_at = int(len(batches) * cut)
    now = parse_iso("2026-11-21T02:00:00+08:00")
    app = bootstrap(Settings(db_path=db))
    doomed = app.pipeline(clock=lambda: now, checkpoint_every=7_777)
    for first, lines in batches[:crash_at]:
        doomed.ingest_lines(lines, first)
    del doomed  # no final checkpoint: what it evaluated since the last one is only in `readings`
    survivor = app.pipeline(clock=lambda: now)
    for first, lines in batches[crash_at:]:
        survivor.ingest_lines(lines, first)
    got = [alert_json(a) for a in app.telemetry_store().alerts()]
    truth = json.loads((tmp_path / "t.ndjson.truth.json").read_text(encoding="utf-8"))["alerts"]
    assert alert_keys(got) == alert_keys(truth)
    assert clear_times(got) == clear_times(truth)


def clear_times(alerts: list[dict[str, object]]) -> set[tuple[object, ...]]:
    def instant(text: object) -> datetime | None:
        return datetime.fromisoformat(str(text)) if text else None

    return {(a["device_id"], a["rule"], instant(a["cleared_at"])) for a in alerts}
