"""The CLI as a user runs it: simulate, import, stats, export, in a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

KINDS = {
    "access_terminal",
    "camera",
    "elderly_care",
    "electrical_fire",
    "gas_detector",
    "smart_breaker",
    "smoke_detector",
    "weather_station",
}


def gridloop(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRIDLOOP_DB": str(cwd / "gridloop.db")}
    done = subprocess.run(
        [sys.executable, "-m", "gridloop", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"gridloop {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def test_tiny_district_round_trip_through_the_cli(tmp_path: Path) -> None:
    gridloop("sim", "district", "--preset", "tiny", "--seed", "3", "--out", "d", cwd=tmp_path)
    imported = gridloop("import", "d", cwd=tmp_path)
    assert "imported d" in imported.stdout
    stats = json.loads(gridloop("stats", "--format", "json", cwd=tmp_path).stdout)
    assert set(stats["devices_by_kind"]) == KINDS
    assert all(n > 0 for n in stats["devices_by_kind"].values())
    gridloop("export", "out", cwd=tmp_path)
    for name in ("district.json", "grids.geojson", "buildings.csv", "devices.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "d" / name).read_bytes()


def test_a_bad_directory_exits_non_zero_listing_file_and_line(tmp_path: Path) -> None:
    gridloop("sim", "district", "--preset", "tiny", "--seed", "1", "--out", "d", cwd=tmp_path)
    devices = tmp_path / "d" / "devices.csv"
    lines = devices.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[1], "toaster", 1)
    devices.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = gridloop("import", "d", cwd=tmp_path, check=False)
    assert done.returncode == 1
    assert "devices.csv:3 [kind]: unknown device kind 'toaster'" in done.stderr
    assert "nothing imported" in done.stderr
    stats = json.loads(gridloop("stats", "--format", "json", cwd=tmp_path).stdout)
    assert stats["grids"] == 0


def test_simulating_twice_with_one_seed_gives_identical_files(tmp_path: Path) -> None:
    for out in ("a", "b"):
        gridloop("sim", "district", "--preset", "tiny", "--seed", "5", "--out", out, cwd=tmp_path)
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


@pytest.mark.slow
def test_chengxi_preset_imports_with_the_promised_figures(tmp_path: Path) -> None:
    gridloop("sim", "district", "--preset", "chengxi", "--seed", "1", "--out", "d", cwd=tmp_path)
    gridloop("import", "d", cwd=tmp_path)
    stats = json.loads(gridloop("stats", "--format", "json", cwd=tmp_path).stdout)
    assert stats["district"] == "630104"
    assert stats["grids"] == 480
    assert stats["workers"] >= 2000
    assert stats["devices"] >= 5000
    assert set(stats["devices_by_kind"]) == KINDS
    assert all(n > 0 for n in stats["devices_by_kind"].values())
    assert stats["full_time_workers"] >= 480
    # Importing again is idempotent: the same figures, nothing new.
    again = gridloop("import", "d", cwd=tmp_path)
    new_counts = re.findall(r"\((\d+) new\)", again.stdout)
    assert new_counts and set(new_counts) == {"0"}
    assert json.loads(gridloop("stats", "--format", "json", cwd=tmp_path).stdout) == stats


def test_the_headless_demo_builds_chengxi_and_raises_exactly_the_expected_alerts(
    tmp_path: Path,
) -> None:
    done = gridloop("demo", "--dir", "demo", "--headless", "--hours", "2", cwd=tmp_path)
    assert "城西区" in done.stdout and "闭环处置率达" in done.stdout
    truth = json.loads((tmp_path / "demo" / "day-1-2h.ndjson.gz.truth.json").read_text())
    alerts = json.loads(
        gridloop("alerts", "--db", "demo/day.db", "--format", "json", cwd=tmp_path).stdout
    )
    assert len(alerts) == len(truth["alerts"]) > 0
