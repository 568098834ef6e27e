"""Case histories on real SQLite: stored and read back intact; tampering is found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from gridloop.adapters.sqlite.case_events import SqliteCaseEvents
from gridloop.adapters.sqlite.case_store import SqliteCaseStore
from gridloop.adapters.sqlite.database import connect
from gridloop.domain.cases.case import Case, open_case
from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.summary import summarize
from gridloop.entrypoints.cli import main

T0 = 1_764_300_000_000
MINUTE = 60_000
REPORT = {
    "channel": "sensor",
    "category": "electrical_fire.residual_current_high",
    "severity": "major",
    "lon": 101.75,
    "lat": 36.62,
    "building_code": "630104001001001001",
    "grid_code": "630104001001001",
    "community_code": "630104001001",
    "street_code": "630104001",
    "reporter": "rule",
    "alert_ids": ["17"],
    "description": "剩余电流超限 两次读数 ≥ 300 mA",
}


def a_closed_case(case_id: str) -> Case:
    case = open_case(case_id, REPORT, "rule", Role.SYSTEM, T0)
    steps = [
        (Action.REGISTER, "dispatcher", Role.SYSTEM, {}),
        (
            Action.DISPATCH,
            "dispatcher",
            Role.SYSTEM,
            {
                "assignee": "W000001",
                "assignee_kind": "worker",
                "departments": [],
                "sign_due": T0 + 31 * MINUTE,
                "handle_due": T0 + 241 * MINUTE,
            },
        ),
        (Action.SIGN, "W000001", Role.GRID_WORKER, {}),
        (Action.HANDLE, "W000001", Role.GRID_WORKER, {"note": "更换漏电开关", "attachments": []}),
        (Action.FEEDBACK, "W000001", Role.GRID_WORKER, {"note": "已处置", "attachments": []}),
        (Action.VERIFY_PASS, "admin", Role.COMMUNITY_ADMIN, {"note": "现场核实"}),
        (Action.CLOSE, "dispatcher", Role.STREET_DISPATCHER, {}),
    ]
    for minutes, (action, actor, role, payload) in enumerate(steps, 1):
        case.act(action, actor, role, T0 + minutes * MINUTE, payload)
    return case


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "g.db"
    store = SqliteCaseStore(connect(path))
    for case_id in ("C1", "C2", "C3"):
        case = a_closed_case(case_id)
        store.save(case.history, [summarize(case)])  # the history and its read side, as served
    return path


def test_a_stored_history_rebuilds_the_same_case(db: Path) -> None:
    stored = SqliteCaseEvents(connect(db)).history("C2")
    original = a_closed_case("C2")
    assert stored == original.history
    rebuilt = Case.from_history(stored)
    assert rebuilt.state == original.state and rebuilt.assignee == "W000001"


def test_an_event_cannot_be_appended_twice(db: Path) -> None:
    store = SqliteCaseEvents(connect(db))
    with pytest.raises(sqlite3.IntegrityError):
        store.append(store.history("C1")[-1:])
    assert len(store.history("C1")) == 8


def test_verify_history_passes_on_intact_chains(db: Path) -> None:
    result = CliRunner().invoke(main, ["verify-history", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "3 cases, 24 events: every chain intact" in result.output


def test_verify_history_finds_an_altered_event(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE case_events SET at = at + 1 WHERE case_id = 'C2' AND seq = 4")
    conn.commit()
    result = CliRunner().invoke(main, ["verify-history", "--db", str(db)])
    assert result.exit_code == 1
    assert "case C2 event 4: hash does not match its content (altered)" in result.output
    assert "3 cases, 24 events: 1 problem(s)" in result.output
