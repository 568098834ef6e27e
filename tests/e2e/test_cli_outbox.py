"""`gridloop outbox` as an operator meets it: a day replayed while cases cannot be written ends
with every alert stored, exit 1 and one line saying what was not delivered; `outbox status`
names each parked row and its error; once the cause is gone, `outbox redeliver --all` hands them
over in order, and the database is then exactly what an uninterrupted run leaves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from cli_process import gridloop, ok
from fault_support import INGEST_DAY, NOW, alert_case_problems, simulated_day, snapshot

NO_CASES = (
    "CREATE TRIGGER no_cases BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'disk full'); END"
)


def sql(db: Path, statement: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_cases_that_could_not_be_written_are_parked_said_and_redelivered_exactly(
    tiny_dir: Path, tmp_path: Path
) -> None:
    clean, broken = simulated_day(tiny_dir, tmp_path, "clean", "broken")
    ingest = INGEST_DAY
    ok(*ingest, "--db", str(clean), cwd=tmp_path)
    sql(broken, NO_CASES)

    failed = gridloop(*ingest, "--db", str(broken), cwd=tmp_path)

    assert failed.returncode == 1, failed.stderr
    said = failed.stderr.strip().splitlines()[-1]
    assert said.startswith("未能投递：已搁置 ") and "gridloop outbox status" in said, said
    assert "Traceback" not in failed.stderr
    want = snapshot(clean)
    got = snapshot(broken)
    assert got.tables["readings"] == want.tables["readings"]  # every reading kept
    assert len(got.tables["alerts"]) == len(want.tables["alerts"]) >= 30
    assert got.tables["cases"] == [] and got.parked >= 30

    listed = gridloop("outbox", "status", "--db", str(broken), "--format", "json", cwd=tmp_path)
    assert listed.returncode == 1  # something is parked
    status = json.loads(listed.stdout)
    assert status["parked"] == got.parked and len(status["parked_rows"]) == 20
    errors = {row["error"] for row in status["parked_rows"]}
    assert "IntegrityError: disk full" in errors
    assert any(e.startswith("held behind a parked change of the same alert") for e in errors)
    text = gridloop("outbox", "status", "--db", str(broken), "--limit", "3", cwd=tmp_path).stdout
    assert f"已搁置 {got.parked} 条" in text and f"另有 {got.parked - 3} 条未列出" in text

    sql(broken, "DROP TRIGGER no_cases")  # the operator removes the cause
    redelivered = ok("outbox", "redeliver", "--all", "--deliver", "--db", str(broken), cwd=tmp_path)
    assert f"已重新排队 {got.parked} 条" in redelivered and "已搁置 0 条" in redelivered
    (tmp_path / "empty.ndjson").write_text("")
    ok("ingest", "empty.ndjson", "--now", NOW, "--db", str(broken), cwd=tmp_path)  # clocks to NOW

    after = snapshot(broken)
    assert want.differences(after) == []
    assert (after.undelivered, after.parked) == (0, 0)
    assert alert_case_problems(broken) == []
    assert "every chain intact" in ok("verify-history", "--db", str(broken), cwd=tmp_path)
    assert ok("outbox", "status", "--db", str(broken), "--lang", "en", cwd=tmp_path).startswith(
        "0 pending\n0 parked"
    )


def test_redeliver_refuses_what_names_no_row_with_one_line(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ok("import", str(tiny_dir), "--db", str(db), cwd=tmp_path)
    for args, code in (
        ((), 2),  # neither ids nor --all
        (("1", "--all"), 2),
        (("0",), 2),
        ((str(2**63),), 2),
        (("x",), 2),
        (("1", "7"), 1),  # no such parked rows: nothing requeued
    ):
        done = gridloop("outbox", "redeliver", *args, "--db", str(db), cwd=tmp_path)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    nothing = gridloop("outbox", "redeliver", "--all", "--db", str(db), cwd=tmp_path)
    assert (nothing.returncode, nothing.stdout.strip()) == (1, "没有可重新排队的已搁置条目")

    missing = gridloop("outbox", "status", "--db", str(tmp_path / "nope.db"), cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"配置错误：--db {tmp_path / 'nope.db'}: no such database"
    assert not (tmp_path / "nope.db").exists()
