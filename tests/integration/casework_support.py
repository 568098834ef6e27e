"""Helpers of the case service tests: the tiny district in real SQLite, its people and places."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Action, Role
from gridloop.service_layer.casework import CaseService, NewReport

BEIJING = timezone(timedelta(hours=8))
MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# The tiny district (630199): street 东风街道 630199001, community 朝阳苑 630199001001.
DISTRICT = "630199"
STREET = "630199001"
COMMUNITY = "630199001001"
GRID = "630199001001001"  # workers W000001, W000002 (also grid …002), W000003
GRID_WORKERS = ("W000001", "W000002", "W000003")
BUILDING = "630199001001001001"  # in GRID, at (101.75201, 36.627277)
BUILDING_2 = "630199001001001002"  # in GRID, about 140 m north
OTHER_GRID = "630199001001003"  # workers W000005, W000006
OTHER_BUILDING = "630199001001003001"  # in OTHER_GRID
NEXT_GRID_BUILDING = "630199001001002001"  # in grid …002: workers W000002, W000004
OUTSIDE = (101.70, 36.60)  # west of every grid

HOTLINE = Actor("12345-op1", Role.DISTRICT_ADMIN)
ADMIN = Actor(f"admin@{COMMUNITY}", Role.COMMUNITY_ADMIN, region=COMMUNITY)
DISPATCHER = Actor(f"dispatcher@{STREET}", Role.STREET_DISPATCHER, region=STREET)


def beijing(text: str) -> int:
    """Epoch ms of a local Beijing time, e.g. "2026-11-20T10:00"."""
    return int(datetime.fromisoformat(text).replace(tzinfo=BEIJING).timestamp() * 1000)


def district_app(tmp_path: Path, district: Path, config: str | None = None) -> App:
    """The district imported into a fresh database, with a settings file when given."""
    config_path = None
    if config is not None:
        config_path = tmp_path / "gridloop.toml"
        config_path.write_text(config, encoding="utf-8")
    app = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config_path))
    app.import_directory(district)
    return app


def worker(service: CaseService, worker_id: str) -> Actor:
    grids = service.directory.grids_of_worker[worker_id]
    return Actor(worker_id, Role.GRID_WORKER, grids=frozenset(grids))


def hotline(
    service: CaseService,
    at_ms: int,
    building: str = BUILDING,
    category: str = "road_damage",
    **changes: object,
) -> str:
    """A citizen's hotline request at a building, registered and dispatched; its case id."""
    fields: dict[str, object] = {"building_code": building, "reporter": "13800000001"} | changes
    report = NewReport("hotline", category, **fields)  # type: ignore[arg-type]
    return service.report(report, HOTLINE, at_ms).case_id


def actions(service: CaseService, case_id: str) -> list[str]:
    return [e.action.value for e in service.store.history(case_id)]


def work_to_feedback(service: CaseService, case_id: str, at_ms: int) -> int:
    """The assignee (a worker) signs, handles and reports back, a minute apart; the last time."""
    summary = service.store.summary(case_id)
    assert summary is not None and summary.assignee is not None
    holder = worker(service, summary.assignee)
    for n, action in enumerate((Action.SIGN, Action.HANDLE, Action.FEEDBACK), 1):
        service.act(case_id, action, holder, at_ms + n * MINUTE, {"note": "done"})
    return at_ms + 3 * MINUTE


def feed(app: App) -> list[tuple[str, str, str]]:
    """(recipient, kind, case_id) of every notice in the in-app feed, in order."""
    conn = sqlite3.connect(app.settings.db_path)
    try:
        rows = conn.execute("SELECT recipient, kind, case_id FROM feed ORDER BY id").fetchall()
    finally:
        conn.close()
    return [(str(r), str(k), str(c)) for r, k, c in rows]


def without_workers_of(district: Path, grid: str) -> list[str]:
    """Remove from workers.csv every worker serving only `grid` (and `grid` from the others)."""
    path = district / "workers.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    kept, removed = [], []
    for row in rows:
        grids = [g for g in row["grid_codes"].split(";") if g != grid]
        if grids:
            kept.append(row | {"grid_codes": ";".join(grids)})
        else:
            removed.append(row["id"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return removed
