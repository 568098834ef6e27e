"""`gridloop demo --headless`: a simulated stretch of the tiny district, end to end, whose
printed report is the one `gridloop report` computes from the stored histories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gridloop", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


def test_six_simulated_hours_print_a_briefing_and_a_report_the_histories_confirm(
    tmp_path: Path,
) -> None:
    done = run(
        *("demo", "--dir", "demo", "--preset", "tiny", "--headless", "--hours", "6"), cwd=tmp_path
    )

    assert done.returncode == 0, done.stderr
    briefing = next(line for line in done.stdout.splitlines() if "闭环处置率达" in line)
    doc = json.loads(done.stdout[done.stdout.index("\n{") :])
    assert doc["briefing"] == briefing
    assert doc["messages"] > 10_000 and doc["alerts_opened"] > 0
    assert sum(doc["people_actions"].values()) > 0
    # every case opened has its history, every chain is intact and matches the case list
    assert doc["histories"] == {
        "cases": doc["cases_opened"],
        "events": doc["histories"]["events"],
        "intact": True,
    }
    db = tmp_path / "demo" / "day.db"
    verified = run("verify-history", "--db", str(db), cwd=tmp_path)
    assert verified.returncode == 0 and "every chain intact" in verified.stdout
    report = run("report", "--db", str(db), "--format", "json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    total = json.loads(report.stdout)["total"]
    # the database holds only the demo's span: "as of now" and the demo's period agree
    assert total == doc["report"]
    assert total["warnings"] == doc["alerts_opened"]  # every alert reached a case
