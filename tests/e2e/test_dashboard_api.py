"""The command center's API on the tiny district: today's tiles and trends from the histories,
rankings, device health, a grid's panel and the dispatcher's queues, each within the caller's
region."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from case_api_support import COMMUNITY, GRID, OTHER_GRID, Api, case_api, now_ms

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Action, Role


@pytest.fixture
def api(tmp_path: Path, tiny_dir: Path) -> Iterator[Api]:
    with case_api(tmp_path, tiny_dir) as served:
        yield served


def test_the_overview_counts_todays_cases_and_ranks_the_regions(api: Api) -> None:
    api.hotline(category="noise")
    api.hotline(category="garbage")
    boss = api.sign_in("boss", Role.DISTRICT_ADMIN)
    doc = api.client.get("/api/v1/dashboard", headers=boss).json()
    assert doc["tiles"]["opened"] == 2 and doc["tiles"]["closed"] == 0
    assert doc["tiles"]["closure_rate"] == 0.0
    assert doc["tiles"]["overdue_now"] == 0
    assert len(doc["trend"]) == 30 and doc["trend"][-1]["opened"] == 2
    assert doc["trend"][-1]["day"] == doc["day_start"][:10]
    (grid_row,) = doc["rankings"]["grid"]
    assert (grid_row["code"], grid_row["registered"]) == (GRID, 2)
    assert doc["rankings"]["community"][0]["name"]  # named, not just a code
    kinds = {d["kind"]: d for d in doc["devices"]}
    assert sum(d["online"] + d["offline"] for d in kinds.values()) > 0
    assert kinds["smoke_detector"]["names"]["zh"] == "独立式烟感"
    assert doc["map"] == {"tile_url": None, "tile_attribution": ""}
    assert (
        api.client.get("/api/v1/dashboard", params={"days": 7}, headers=boss).json()["trend"][-1][
            "opened"
        ]
        == 2
    )


def test_a_community_sees_only_its_region_and_a_department_none(api: Api) -> None:
    api.hotline()
    community = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    other = api.sign_in("o", Role.COMMUNITY_ADMIN, "community:630199001002")
    gas = api.sign_in("gas", Role.DEPARTMENT, "department:D04")
    assert api.client.get("/api/v1/dashboard", headers=community).json()["tiles"]["opened"] == 1
    assert api.client.get("/api/v1/dashboard", headers=other).json()["tiles"]["opened"] == 0
    assert api.client.get("/api/v1/dashboard", headers=gas).status_code == 403
    assert api.client.get(f"/api/v1/dashboard/grids/{GRID}", headers=other).status_code == 404


def test_a_grid_panel_lists_its_open_cases_devices_and_workers(api: Api) -> None:
    case_id = api.hotline()
    api.hotline(api_other_building())
    boss = api.sign_in("boss", Role.DISTRICT_ADMIN)
    panel = api.client.get(f"/api/v1/dashboard/grids/{GRID}", headers=boss).json()
    assert [c["case_id"] for c in panel["cases"]] == [case_id]
    assert {w["id"] for w in panel["workers"]} == set(api.cases.directory.workers_of_grid[GRID])
    assert panel["devices"] and all(d["kind_names"]["en"] for d in panel["devices"])
    assert panel["community"]["code"] == COMMUNITY
    assert api.client.get("/api/v1/dashboard/grids/nope", headers=boss).status_code == 404


def api_other_building() -> str:
    return OTHER_GRID + "001"


def test_the_queues_hold_returned_cases_and_extension_requests(api: Api) -> None:
    returned, extended = api.hotline(), api.hotline(category="noise")
    for case_id, steps in (
        (returned, [(Action.RETURN, {"reason": "不属本网格"})]),
        (
            extended,
            [
                (Action.SIGN, {}),
                (
                    Action.REQUEST_EXTENSION,
                    {"until": now_ms() + 30 * 86_400_000, "reason": "等待配件"},
                ),
            ],
        ),
    ):
        worker = Actor(api.assignee(case_id), Role.GRID_WORKER, grids=frozenset({GRID}))
        for action, payload in steps:
            api.cases.act(case_id, action, worker, now_ms(), payload)
    boss = api.sign_in("boss", Role.DISTRICT_ADMIN)
    community = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    queues = api.client.get("/api/v1/dashboard/queues", headers=boss).json()
    assert [c["case_id"] for c in queues["returned"]] == [returned]
    assert [c["case_id"] for c in queues["extensions"]] == [extended]
    assert queues["unlocated"] == [] and queues["awaiting_verification"] == []
    mine = api.client.get("/api/v1/dashboard/queues", headers=community).json()
    assert mine["unlocated"] is None  # district and street dispatchers place requests
    assert [c["case_id"] for c in mine["returned"]] == [returned]
