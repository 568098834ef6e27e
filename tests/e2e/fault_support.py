"""What a run left in its database, for comparing a run that was killed with one that was not."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cli_process import ok

START, NOW = "2026-11-20T00:00:00+08:00", "2026-11-21T00:00:00+08:00"
INGEST_DAY = ("ingest", "day.ndjson", "--now", NOW, "--batch", "500")


def simulated_day(district: Path, cwd: Path, *copies: str) -> list[Path]:
    """The district imported into one database per name in `copies` (in `cwd`), and a simulated
    day of its telemetry in `cwd`/day.ndjson (`INGEST_DAY` replays it)."""
    base = cwd / "base.db"
    ok("import", str(district), "--db", str(base), cwd=cwd)
    ok(
        *("sim", "telemetry", "--district", str(district), "--hours", "24", "--seed", "1"),
        *("--start", START, "--out", "day.ndjson"),
        cwd=cwd,
    )
    made = [cwd / f"{name}.db" for name in copies]
    for db in made:
        shutil.copy(base, db)
    return made


# Row ids are left out: they are the database's, not the district's.
QUERIES = {
    "readings": "SELECT device_id, ts, seq, message FROM readings ORDER BY device_id, ts, seq",
    "alerts": (
        "SELECT device_id, kind, rule, severity, status, started_at, cleared_at, occurrences,"
        " building_code, grid_code, case_id FROM alerts ORDER BY device_id, rule, started_at"
    ),
    "cases": (
        "SELECT case_id, state, channel, category, severity, description, building_code,"
        " grid_code, source_key, assignee, departments, sign_due, handle_due, escalation_level,"
        " last_escalated_at, reported_at, updated_at, closed_at, merged_into, alert_ids, seq"
        " FROM cases ORDER BY case_id"
    ),
    "case_events": (
        "SELECT case_id, seq, action, actor, role, at, payload, hash FROM case_events"
        " ORDER BY case_id, seq"
    ),
    "feed": (
        "SELECT recipient, kind, case_id, at, title, data FROM feed"
        " ORDER BY recipient, case_id, at, kind, title, data"
    ),
    "outbox": "SELECT topic, key FROM outbox WHERE key IS NOT NULL ORDER BY topic, key",
}
# How notices fall into outbox rows follows the case transactions, which a restart may group
# otherwise; the notices themselves must be the same.
NOTICES = "SELECT payload FROM outbox WHERE topic = 'notices'"


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, list[tuple[object, ...]]]
    undelivered: int  # outbox rows neither done nor parked
    parked: int

    def differences(self, other: Snapshot) -> list[str]:
        """One line per table that differs, with a few rows only one side has."""
        lines = []
        for name, rows in self.tables.items():
            theirs = other.tables[name]
            if rows == theirs:
                continue
            mine_only = [r for r in rows if r not in set(theirs)][:3]
            theirs_only = [r for r in theirs if r not in set(rows)][:3]
            lines.append(
                f"{name}: {len(rows)} rows vs {len(theirs)}; only here {mine_only}; "
                f"only there {theirs_only}"
            )
        return lines


def snapshot(db: Path) -> Snapshot:
    conn = sqlite3.connect(db)
    try:
        tables = {name: conn.execute(sql).fetchall() for name, sql in QUERIES.items()}
        notices = [
            json.dumps(n, sort_keys=True) for (p,) in conn.execute(NOTICES) for n in json.loads(p)
        ]
        tables["outbox notices"] = sorted((n,) for n in notices)
        undelivered, parked = conn.execute(
            "SELECT COALESCE(SUM(done_at IS NULL AND parked = 0), 0),"
            " COALESCE(SUM(parked), 0) FROM outbox"
        ).fetchone()
    finally:
        conn.close()
    return Snapshot(tables, int(undelivered), int(parked))


def alert_case_problems(db: Path) -> list[str]:
    """Every alert belongs to exactly one case, and that case lists it."""
    conn = sqlite3.connect(db)
    try:
        alerts = conn.execute("SELECT id, case_id FROM alerts").fetchall()
        listed: dict[int, list[str]] = {}
        for case_id, alert_ids in conn.execute("SELECT case_id, alert_ids FROM cases"):
            for alert_id in json.loads(alert_ids):
                listed.setdefault(int(alert_id), []).append(case_id)
    finally:
        conn.close()
    problems = []
    for alert_id, case_id in alerts:
        owners = listed.get(alert_id, [])
        if case_id is None:
            problems.append(f"alert {alert_id} has no case")
        elif owners != [case_id]:
            problems.append(f"alert {alert_id} is in {case_id} but listed by {owners}")
    return problems


def readings_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM readings").fetchone()[0])
    finally:
        conn.close()
