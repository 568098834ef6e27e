"""`gridloop ingest` when the store refuses its writes: one line and exit 1, no traceback; run
again once the store is healthy, it resumes to exactly what one clean run stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cli_process import gridloop

START, NOW = "2026-11-20T00:00:00+08:00", "2026-11-20T03:00:00+08:00"


def readings(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM readings").fetchone()[0])


def test_a_store_that_refuses_writes_is_one_line_and_a_rerun_resumes(
    tiny_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "g.db"
    assert gridloop("import", str(tiny_dir), "--db", str(db), cwd=tmp_path).returncode == 0
    sim = ("sim", "telemetry", "--district", str(tiny_dir), "--hours", "3", "--seed", "2")
    assert gridloop(*sim, "--start", START, "--out", "s.ndjson", cwd=tmp_path).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TRIGGER full_disk BEFORE INSERT ON readings "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    ingest = ("ingest", "s.ndjson", "--now", NOW, "--batch", "500", "--db", str(db))

    failed = gridloop(*ingest, cwd=tmp_path)

    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    (line,) = [ln for ln in failed.stderr.splitlines() if ln.strip()]
    assert line.startswith("写入失败：") and "disk is full" in line
    assert readings(db) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER full_disk")
    resumed = gridloop(*ingest, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    total = sum(1 for ln in (tmp_path / "s.ndjson").read_bytes().splitlines() if ln.strip())
    assert readings(db) == total
