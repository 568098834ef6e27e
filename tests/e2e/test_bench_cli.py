"""`gridloop bench ingest` runs the real pipeline and the floor, and records one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_bench_ingest_prints_and_records_its_figures(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gridloop", "bench", "ingest", "--preset", "tiny", "--hours", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["benchmark"] == "ingest" and result["messages"] > 0
    assert result["accepted"] == result["messages"]
    assert abs(result["ratio"] - result["messages_per_s"] / result["floor_messages_per_s"]) < 0.002
    recorded = (tmp_path / "bench" / "results" / "ingest.jsonl").read_text().splitlines()
    assert json.loads(recorded[-1])["messages"] == result["messages"]
