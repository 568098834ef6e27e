"""The engine raises exactly the simulator's truth: precision and recall 1.0, same start times."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

START = "2026-11-20T00:00:00+08:00"


def gridloop(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gridloop", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"gridloop {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def alert_keys(alerts: list[dict[str, object]]) -> set[tuple[object, ...]]:
    """(device, rule, severity, start as an instant): both sides' ISO spellings compare equal."""
    return {
        (a["device_id"], a["rule"], a["severity"], datetime.fromisoformat(str(a["started_at"])))
        for a in alerts
    }


def run_replay(tmp_path: Path, preset: str, hours: int, batch: str) -> tuple[set, set]:  # type: ignore[type-arg]
    db = str(tmp_path / "g.db")
    gridloop("sim", "district", "--preset", preset, "--seed", "4", "--out", "d", cwd=tmp_path)
    gridloop("import", "d", "--db", db, cwd=tmp_path)
    gridloop(
        "sim",
        "telemetry",
        "--district",
        "d",
        "--hours",
        str(hours),
        "--seed",
        "4",
        "--start",
        START,
        "--out",
        "t.ndjson.gz",
        cwd=tmp_path,
    )
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
