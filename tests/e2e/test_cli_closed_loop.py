"""`gridloop ingest --simulate-workers` on the tiny district: alerts become cases, chains hold."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_process import gridloop

START, END = "2026-11-20T00:00:00+08:00", "2026-11-20T06:00:00+08:00"


def ok(*args: str, cwd: Path) -> str:
    done = gridloop(*args, cwd=cwd)
    assert done.returncode == 0, f"gridloop {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("seed", ["1", "2"])  # seed 2's stream re-fires one alert
def test_six_hours_of_telemetry_become_cases_worked_by_simulated_people(
    tiny_dir: Path, tmp_path: Path, seed: str
) -> None:
    db = tmp_path / "g.db"
    ok("import", str(tiny_dir), "--db", str(db), cwd=tmp_path)
    ok(
        *("sim", "telemetry", "--district", str(tiny_dir), "--hours", "6", "--seed", seed),
        *("--start", START, "--out", "t.ndjson"),
        cwd=tmp_path,
    )

    out = ok(
        *("ingest", "t.ndjson", "--db", str(db), "--now", END),
        *("--simulate-workers", "1", "--format", "json"),
        cwd=tmp_path,
    )

    doc = json.loads(out)
    refires = count(db, "SELECT COUNT(*) FROM case_events WHERE action = 'link_alert'")
    assert doc["alerts_opened"] > 0
    assert doc["cases_opened"] == doc["alerts_opened"] - refires
    assert count(db, "SELECT COUNT(*) FROM cases") == doc["cases_opened"]
    assert count(db, "SELECT COUNT(*) FROM alerts WHERE case_id IS NULL") == 0
    assert sum(doc["cases"].values()) == doc["cases_opened"]
    assert doc["cases"].get("closed", 0) > 0, "the simulated people closed nothing"
    assert count(db, "SELECT COUNT(*) FROM feed") > 0

    verdict = gridloop("verify-history", "--db", str(db), cwd=tmp_path)
    assert verdict.returncode == 0, verdict.stderr
    assert f"{doc['cases_opened']} cases" in verdict.stdout
    assert "every chain intact" in verdict.stdout
