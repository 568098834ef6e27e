"""Departments by function: a district without the simulator's departments still runs the loop."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cli_process import gridloop

START, END = "2026-11-20T00:00:00+08:00", "2026-11-20T06:00:00+08:00"
FIRE = ("smoke_detector.smoke_alarm", "camera.fire_lane_blocked")


def ok(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = gridloop(*args, cwd=cwd)
    assert done.returncode == 0, f"gridloop {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def routed(db: Path) -> dict[str, set[str]]:
    """Each case category's departments, as stored."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT category, departments, assignee_kind FROM cases").fetchall()
    finally:
        conn.close()
    assert {kind for _c, _d, kind in rows} == {"worker"}
    by_category: dict[str, set[str]] = {}
    for category, departments, _kind in rows:
        by_category.setdefault(category, set()).update(json.loads(departments))
    return by_category


def replay(district: Path, tmp_path: Path) -> tuple[Path, dict[str, object], str]:
    """The district imported and six simulated hours ingested: db, report, stderr."""
    db = tmp_path / "g.db"
    ok("import", str(district), "--db", str(db), cwd=tmp_path)
    ok(
        *("sim", "telemetry", "--district", str(district), "--hours", "6", "--seed", "1"),
        *("--start", START, "--out", "t.ndjson"),
        cwd=tmp_path,
    )
    done = ok("ingest", "t.ndjson", "--db", str(db), "--now", END, "--format", "json", cwd=tmp_path)
    return db, json.loads(done.stdout), done.stderr


def test_a_district_without_departments_routes_every_case_to_the_grid_and_says_so_once(
    tiny_dir: Path, tmp_path: Path
) -> None:
    (tiny_dir / "departments.csv").unlink()

    db, doc, stderr = replay(tiny_dir, tmp_path)

    assert doc["alerts_opened"] and doc["cases_opened"]
    by_category = routed(db)
    assert set(FIRE) <= set(by_category)
    assert all(not departments for departments in by_category.values())
    assert "Traceback" not in stderr
    warnings = [line for line in stderr.splitlines() if "no department has" in line]
    assert len(warnings) == 1
    assert "fire, gas, police, power" in warnings[0]
    assert "grid only" in warnings[0]

    doctor = gridloop("doctor", "--db", str(db), cwd=tmp_path)
    assert doctor.returncode == 1, doctor.stdout
    assert "没有部门承担“消防”（fire）职能" in doctor.stdout
    assert "smoke_detector.smoke_alarm" in doctor.stdout
    assert "functions 列填上 fire" in doctor.stdout
    assert doctor.stdout.strip().endswith("共发现 4 个问题。")


def test_a_renamed_fire_brigade_takes_the_fire_cases_by_its_function(
    tiny_dir: Path, tmp_path: Path
) -> None:
    (tiny_dir / "departments.csv").write_text(
        "code,name,phone,functions\nFIRE-01,城西消防救援站,0971-6119119,fire;emergency\n",
        encoding="utf-8",
    )

    db, _doc, stderr = replay(tiny_dir, tmp_path)

    by_category = routed(db)
    for category in FIRE:
        assert by_category[category] == {"FIRE-01"}
    assert by_category["gas_detector.gas_leak"] == set()
    warnings = [line for line in stderr.splitlines() if "no department has" in line]
    assert len(warnings) == 1
    assert "function(s) gas, police, power:" in warnings[0]

    doctor = gridloop("doctor", "--db", str(db), "--lang", "en", cwd=tmp_path)
    assert doctor.returncode == 1
    uncovered = [ln for ln in doctor.stdout.splitlines() if "no department has the function" in ln]
    assert [ln.split("function ")[1].split(":")[0] for ln in uncovered] == [
        "gas",
        "police",
        "power",
    ]


def test_the_simulated_district_is_healthy(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ok("import", str(tiny_dir), "--db", str(db), cwd=tmp_path)

    done = gridloop("doctor", "--db", str(db), "--format", "json", cwd=tmp_path)

    assert (done.returncode, json.loads(done.stdout)) == (0, {"ok": True, "problems": []})
    assert gridloop("doctor", "--db", str(db), cwd=tmp_path).stdout == "检查完毕，未发现问题。\n"


@pytest.mark.parametrize(
    ("config", "said", "doctor_said"),
    [
        (
            '[routing]\n"camera.*" = 6\n',
            "routing.camera.*: expected a department function",
            "配置错误：gridloop.toml: routing.camera.*: expected a department function",
        ),
        (
            '[routing]\n"camera.*" = ["police", "D77"]\n',
            "unknown departments ['D77']",
            "配置错误：gridloop.toml 的 [routing] 指定了 D77，它既不是部门职能",
        ),
        ("[routing\n", "Expected ']'", "配置错误：gridloop.toml: Expected ']'"),
    ],
)
def test_a_configuration_error_stops_ingest_with_one_line_and_exit_2(
    tiny_dir: Path, tmp_path: Path, config: str, said: str, doctor_said: str
) -> None:
    db = tmp_path / "g.db"
    ok("import", str(tiny_dir), "--db", str(db), cwd=tmp_path)
    ok(
        *("sim", "telemetry", "--district", str(tiny_dir), "--hours", "1", "--seed", "1"),
        *("--start", START, "--out", "t.ndjson"),
        cwd=tmp_path,
    )
    (tmp_path / "gridloop.toml").write_text(config, encoding="utf-8")

    done = gridloop(
        *("ingest", "t.ndjson", "--db", str(db), "--now", END),
        cwd=tmp_path,
        GRIDLOOP_CONFIG="gridloop.toml",
    )

    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("配置错误：gridloop.toml: ")
    assert said in done.stderr

    doctor = gridloop("doctor", "--db", str(db), "--config", "gridloop.toml", cwd=tmp_path)
    assert doctor.returncode == 2
    assert doctor_said in doctor.stdout and "  修复：" in doctor.stdout
    assert doctor.stderr == ""
