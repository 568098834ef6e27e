"""The notice feed as server-sent events from a real server: a worker's stream receives the
assignment of a new case in their grid, and resumes after the last id it saw."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from case_api_support import BUILDING, COMMUNITY, GRID, HOTLINE, district_core, now_ms
from http_server import running_server

from gridloop.domain.cases.events import Role
from gridloop.service_layer.casework import NewReport

TIMEOUT = httpx.Timeout(10.0)


def sign_in(url: str, core, name: str, role: Role, scope: str | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _account, password = core.account_service().add_user(name, role, scope, now_ms())
    r = httpx.post(f"{url}/api/v1/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_a_worker_stream_receives_the_assignment_of_a_new_case_and_resumes(
    tmp_path: Path, tiny_dir: Path
) -> None:
    core = district_core(tmp_path, tiny_dir)
    cases = core.case_service()
    worker_id = cases.directory.workers_of_grid[GRID][0]  # the least loaded: every load is 0
    with running_server(core.settings) as url:
        me = sign_in(url, core, "w", Role.GRID_WORKER, f"worker:{worker_id}")
        admin = sign_in(url, core, "c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
        assert httpx.get(f"{url}/api/v1/feed", timeout=TIMEOUT).status_code == 401
        with httpx.stream("GET", f"{url}/api/v1/feed", headers=me, timeout=TIMEOUT) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            lines = r.iter_lines()
            while not next(lines).startswith(": listening"):
                pass
            report = NewReport("hotline", "road_damage", building_code=BUILDING)
            case_id = cases.report(report, HOTLINE, now_ms()).case_id
            event: dict[str, str] = {}
            while "data" not in event:
                line = next(lines)
                if line and not line.startswith(":"):
                    key, _, value = line.partition(": ")
                    event[key] = value
        notice = json.loads(event["data"])
        assert event["event"] == "assigned"
        assert (notice["case_id"], notice["recipient"]) == (case_id, f"worker:{worker_id}")
        assert int(event["id"]) == notice["id"]
        # the community hears nothing of an assignment to a worker
        assert httpx.get(f"{url}/api/v1/feed/recent", headers=admin).json()["items"] == []
        recent = httpx.get(f"{url}/api/v1/feed/recent", headers=me).json()
        assert [n["case_id"] for n in recent["items"]] == [case_id]
        # a client that saw nothing yet resumes from the start and gets the assignment again
        resumed = me | {"Last-Event-ID": "0"}
        with httpx.stream("GET", f"{url}/api/v1/feed", headers=resumed, timeout=TIMEOUT) as r:
            lines = r.iter_lines()
            replayed = [next(lines) for _ in range(6)]
        assert f"id: {event['id']}" in replayed and "event: assigned" in replayed
