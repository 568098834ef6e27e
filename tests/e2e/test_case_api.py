"""Cases over HTTP: lists by region with filters and cursors, details, actions and their
refusals (401, 403, 404, 409), patrol reports and the manual-location queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from case_api_support import (
    BUILDING,
    COMMUNITY,
    GRID,
    HOTLINE,
    OTHER_BUILDING,
    OTHER_GRID,
    OUTSIDE,
    STREET,
    Api,
    case_api,
    now_ms,
)

from gridloop.domain.cases.events import Role
from gridloop.service_layer.casework import NewReport

PROBLEM = "application/problem+json"
# three buildings far enough apart that the same problem in each is three cases
BUILDINGS = (BUILDING, OTHER_BUILDING, "630199001001002001")


@pytest.fixture
def api(tmp_path: Path, tiny_dir: Path) -> Iterator[Api]:
    with case_api(tmp_path, tiny_dir) as served:
        yield served


def ids(answer: dict[str, object]) -> list[str]:
    return [str(c["case_id"]) for c in answer["items"]]  # type: ignore[attr-defined, index]


def test_without_a_token_every_case_route_answers_401_problem_json(api: Api) -> None:
    case_id = api.hotline()
    for method, path in (
        ("GET", "/api/v1/cases"),
        ("GET", f"/api/v1/cases/{case_id}"),
        ("POST", f"/api/v1/cases/{case_id}/actions"),
        ("GET", "/api/v1/feed/recent"),
        ("GET", "/api/v1/grids"),
        ("GET", "/api/v1/alerts"),
    ):
        r = api.client.request(method, path, json={"action": "sign"})
        assert r.status_code == 401, (path, r.text)
        assert r.headers["content-type"] == PROBLEM


def test_a_grid_worker_sees_only_their_grids_cases_and_another_grids_case_is_404(
    api: Api,
) -> None:
    mine, theirs = api.hotline(), api.hotline(OTHER_BUILDING, category="litter")
    me = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(mine)}")
    assert ids(api.client.get("/api/v1/cases", headers=me).json()) == [mine]
    assert api.client.get(f"/api/v1/cases/{theirs}", headers=me).status_code == 404
    r = api.client.post(f"/api/v1/cases/{theirs}/actions", json={"action": "sign"}, headers=me)
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    admin = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    assert ids(api.client.get("/api/v1/cases", headers=admin).json()) == [mine, theirs]


def test_filters_narrow_the_list_and_the_cursor_walks_every_page_once(api: Api) -> None:
    # distinct categories: the same problem at the same place would merge
    made = [api.hotline(category=f"litter_{n}") for n in range(7)]
    made.append(api.hotline(OTHER_BUILDING, category="litter"))
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    get = api.client.get

    def listed(**params: object) -> list[str]:
        r = get("/api/v1/cases", params=params, headers=boss)
        assert r.status_code == 200, r.text
        return ids(r.json())

    assert listed(category="litter_1,litter_3", community=COMMUNITY) == made[1:4:2]
    assert listed(grid=OTHER_GRID) == made[7:]
    assert listed(state="dispatched,closed", channel="hotline") == made
    assert listed(severity="critical") == []
    assert listed(overdue="true") == []
    assert listed(**{"from": "2000-01-01T00:00", "to": "2001-01-01T00:00"}) == []
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 3, "order": "desc", "sort": "updated_at"}
        page = get(
            "/api/v1/cases", params=params | ({"cursor": cursor} if cursor else {}), headers=boss
        ).json()
        seen += ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made[::-1]
    r = get("/api/v1/cases", params={"cursor": "nonsense"}, headers=boss)
    assert r.status_code == 422
    r = get("/api/v1/cases", params={"limit": 500}, headers=boss)
    assert r.status_code == 422 and "limit" in r.json()["detail"]


def test_a_role_that_may_not_act_gets_403_and_a_wrong_state_409(api: Api) -> None:
    case_id = api.hotline()
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
    act = api.client.post
    r = act(f"/api/v1/cases/{case_id}/actions", json={"action": "verify_pass"}, headers=worker)
    assert r.status_code == 403, r.text
    assert "verify_pass" in r.json()["detail"]
    r = act(f"/api/v1/cases/{case_id}/actions", json={"action": "feedback"}, headers=worker)
    assert r.status_code == 409, r.text
    assert "dispatched" in r.json()["detail"]
    r = act(f"/api/v1/cases/{case_id}/actions", json={"action": "fly"}, headers=worker)
    assert r.status_code == 422
    auditor = api.sign_in("a", Role.AUDITOR)
    assert api.client.get(f"/api/v1/cases/{case_id}", headers=auditor).status_code == 200
    r = act(f"/api/v1/cases/{case_id}/actions", json={"action": "sign"}, headers=auditor)
    assert r.status_code == 403


def test_another_worker_of_the_same_grid_is_not_the_assignee_403(api: Api) -> None:
    case_id = api.hotline()
    holder = api.assignee(case_id)
    other = next(w for w in api.cases.directory.workers_of_grid[GRID] if w != holder)
    colleague = api.sign_in("w2", Role.GRID_WORKER, f"worker:{other}")
    r = api.client.post(
        f"/api/v1/cases/{case_id}/actions", json={"action": "sign"}, headers=colleague
    )
    assert r.status_code == 403, r.text


def test_a_worker_reports_a_patrol_finding_in_their_grid_and_holds_it(api: Api) -> None:
    worker_id = api.cases.directory.workers_of_grid[GRID][0]
    me = api.sign_in("w", Role.GRID_WORKER, f"worker:{worker_id}")
    body = {"category": "litter", "description": "堆放垃圾", "building_code": BUILDING}
    r = api.client.post("/api/v1/cases", json=body, headers=me)
    assert r.status_code == 201, r.text
    case = r.json()["case"]
    assert (case["channel"], case["state"], case["assignee"]) == ("patrol", "dispatched", worker_id)
    assert "sign" in case["allowed_actions"]
    r = api.client.post("/api/v1/cases", json=body | {"building_code": OTHER_BUILDING}, headers=me)
    assert r.status_code == 422 and r.json()["field"] == "location"
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    assert api.client.post("/api/v1/cases", json=body, headers=boss).status_code == 403


def test_the_district_places_a_request_from_the_manual_location_queue(api: Api) -> None:
    lon, lat = OUTSIDE
    report = NewReport("hotline", "litter", lon=lon, lat=lat, queue_unlocated=True)
    case_id = api.cases.report(report, HOTLINE, now_ms()).case_id
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    street = api.sign_in("s", Role.STREET_DISPATCHER, f"street:{STREET}")
    assert ids(api.client.get("/api/v1/queue/unlocated", headers=boss).json()) == [case_id]
    assert ids(api.client.get("/api/v1/queue/unlocated", headers=street).json()) == []
    worker = api.sign_in("w", Role.GRID_WORKER, "worker:W000001")
    assert api.client.get("/api/v1/queue/unlocated", headers=worker).status_code == 403
    r = api.client.post(
        f"/api/v1/cases/{case_id}/locate", json={"building_code": BUILDING}, headers=boss
    )
    assert r.status_code == 200, r.text
    assert (r.json()["case"]["grid_code"], r.json()["case"]["state"]) == (GRID, "dispatched")
    assert api.client.get("/api/v1/queue/unlocated", headers=boss).json()["items"] == []


def test_a_department_lists_the_cases_routed_to_it_page_by_page(api: Api) -> None:
    routed = [api.hotline(building, "gas_detector.gas_leak") for building in BUILDINGS]
    for n in range(4):
        api.hotline(category=f"litter_{n}")
    gas = api.sign_in("gas", Role.DEPARTMENT, "department:D04")
    first = api.client.get("/api/v1/cases", params={"limit": 2}, headers=gas).json()
    assert ids(first) == routed[:2] and first["next_cursor"]
    params = {"limit": 2, "cursor": first["next_cursor"]}
    rest = api.client.get("/api/v1/cases", params=params, headers=gas).json()
    assert (ids(rest), rest["next_cursor"]) == (routed[2:], None)
