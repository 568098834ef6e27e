"""`gridloop doctor` on databases that are not ready, and configuration errors of any command."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gridloop.entrypoints.cli import main


def run(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def test_a_missing_database_is_reported_and_not_created(tmp_path: Path) -> None:
    db = tmp_path / "nowhere.db"

    done = run("doctor", "--db", str(db))

    assert done.exit_code == 1
    assert f"问题 1：数据库 {db} 不存在。" in done.stdout
    assert "修复：运行 gridloop import DIR" in done.stdout
    assert not db.exists()


def test_a_database_without_a_district_says_to_import_one(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert run("init", "--db", str(db)).exit_code == 0

    done = run("doctor", "--db", str(db), "--lang", "en")

    assert done.exit_code == 1
    assert done.stdout.splitlines() == [
        f"problem 1: database {db} holds no district",
        "  fix: run gridloop import DIR",
        "1 problem(s) found",
    ]


def test_pending_migrations_are_reported_and_left_pending(tiny_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert run("import", str(tiny_dir), "--db", str(db)).exit_code == 0
    conn = sqlite3.connect(db)
    latest = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    with conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", (latest,))
    conn.close()

    done = run("doctor", "--db", str(db))

    assert done.exit_code == 1
    assert f"有待执行的迁移（结构版本 {latest - 1}，最新 {latest}）" in done.stdout
    assert "运行 gridloop init" in done.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == latest - 1
    conn.close()


def test_a_rule_parameter_error_and_a_grid_without_a_worker_are_both_listed(
    tiny_dir: Path, tmp_path: Path
) -> None:
    workers = tiny_dir / "workers.csv"
    with workers.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    at = header.index("grid_codes")
    lone = rows[0][at].split(";")[0]  # no worker serves it any more
    for row in rows:
        row[at] = ";".join(g for g in row[at].split(";") if g != lone)
    with workers.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *(r for r in rows if r[at])])
    db = tmp_path / "g.db"
    assert run("import", str(tiny_dir), "--db", str(db)).exit_code == 0
    rules = tmp_path / "rules.toml"
    rules.write_text("[smoke_detector.smoke_alarm]\nbogus = 3\n", encoding="utf-8")

    done = run("doctor", "--db", str(db), GRIDLOOP_RULES=str(rules))

    assert done.exit_code == 2  # a configuration error outranks the other problems
    assert "规则参数错误：rules configuration: rule 'smoke_detector.smoke_alarm'" in done.stdout
    assert f"1 个网格没有网格员：{lone}" in done.stdout
    assert done.stdout.strip().endswith("共发现 2 个问题。")


@pytest.mark.parametrize(
    "command",
    [("case", "list"), ("case", "tick"), ("doctor", "--format", "json")],
)
def test_every_command_stops_on_a_bad_environment_setting_with_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    done = run(*command, "--db", str(tmp_path / "g.db"), GRIDLOOP_MAX_AGE_S="a week")

    assert done.exit_code == 2
    assert done.stderr == (
        "配置错误：environment variable GRIDLOOP_MAX_AGE_S: 'a week' is not a whole number\n"
    )
    assert done.exception is None or isinstance(done.exception, SystemExit)


@pytest.mark.parametrize("command", [("case", "list"), ("serve", "--port", "0")])
def test_a_command_on_a_bad_settings_file_exits_2_before_it_starts(
    tiny_dir: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = tmp_path / "g.db"
    assert run("import", str(tiny_dir), "--db", str(db)).exit_code == 0
    config = tmp_path / "gridloop.toml"
    config.write_text('[cases]\nauto_close = "yes"\n', encoding="utf-8")

    done = run(*command, "--db", str(db), GRIDLOOP_CONFIG=str(config))

    assert done.exit_code == 2
    assert done.stderr == (
        f"配置错误：{config}: cases.auto_close: expected true or false, got 'yes'\n"
    )
