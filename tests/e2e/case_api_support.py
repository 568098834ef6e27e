"""The tiny district behind the case API (TestClient), its people, and hotline requests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app
from gridloop.service_layer.casework import CaseService, NewReport

# The tiny district (630199): street 630199001, community 630199001001.
STREET = "630199001"
COMMUNITY = "630199001001"
GRID = "630199001001001"  # workers W000001, W000002 (also grid …002), W000003
OTHER_GRID = "630199001001003"  # workers W000005, W000006
BUILDING = "630199001001001001"  # in GRID
OTHER_BUILDING = "630199001001003001"  # in OTHER_GRID
OUTSIDE = (101.70, 36.60)  # west of every grid
HOTLINE = Actor("12345-op1", Role.DISTRICT_ADMIN)
MINUTE = 60_000
# generous limits: these tests make many requests with one token
CONFIG = "[api]\nrate_per_s = 1000\nburst = 1000\n"


def now_ms() -> int:
    return int(time.time() * 1000)


def district_core(tmp_path: Path, district: Path) -> App:
    config = tmp_path / "gridloop.toml"
    config.write_text(CONFIG, encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    core.import_directory(district)
    return core


@dataclass
class Api:
    core: App
    client: TestClient
    cases: CaseService  # the same database, as the hotline platform writes to it

    def sign_in(self, name: str, role: Role, scope: str | None = None) -> dict[str, str]:
        """Create the user, log in with the one-time password; the Bearer header."""
        _account, password = self.core.account_service().add_user(name, role, scope, now_ms())
        r = self.client.post("/api/v1/auth/login", json={"name": name, "password": password})
        assert r.status_code == 200, r.text
        self.client.cookies.clear()  # speak Bearer only
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def hotline(self, building: str = BUILDING, category: str = "road_damage", **kw: object) -> str:
        """A citizen's request at a building, registered and dispatched to the grid's worker."""
        fields: dict[str, object] = {"building_code": building, "reporter": "13800000001"} | kw
        report = NewReport("hotline", category, **fields)  # type: ignore[arg-type]
        return self.cases.report(report, HOTLINE, now_ms()).case_id

    def assignee(self, case_id: str) -> str:
        summary = self.cases.store.summary(case_id)
        assert summary is not None and summary.assignee is not None
        return summary.assignee


@contextmanager
def case_api(tmp_path: Path, district: Path) -> Iterator[Api]:
    core = district_core(tmp_path, district)
    with TestClient(create_app(core.settings)) as client:
        yield Api(core, client, core.case_service())
