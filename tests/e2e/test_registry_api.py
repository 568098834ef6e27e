"""The district over HTTP as each caller reaches it: regions, grids as GeoJSON with their case
counts, devices with latest values and online state, alerts, and the indicators report (the
same document as `gridloop report --format json`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from case_api_support import COMMUNITY, GRID, OTHER_BUILDING, STREET, Api, case_api, now_ms
from click.testing import CliRunner

from gridloop.domain.cases.events import Role
from gridloop.entrypoints.cli import main

MINUTE = 60_000


@pytest.fixture
def api(tmp_path: Path, tiny_dir: Path) -> Iterator[Api]:
    with case_api(tmp_path, tiny_dir) as served:
        yield served


def grid_codes(api: Api, community: str | None = None) -> list[str]:
    grids = api.cases.directory.community_of_grid
    return sorted(g for g, c in grids.items() if community is None or c == community)


def test_regions_and_grids_are_pruned_to_the_callers_region(api: Api) -> None:
    worker = api.cases.directory.workers_of_grid[GRID][0]
    mine = sorted(api.cases.directory.grids_of_worker[worker])
    me = api.sign_in("w", Role.GRID_WORKER, f"worker:{worker}")
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    gas = api.sign_in("gas", Role.DEPARTMENT, "department:D04")
    tree = api.client.get("/api/v1/regions", headers=me).json()
    (street,) = tree["streets"]
    (community,) = street["communities"]
    assert (street["code"], community["code"]) == (STREET, COMMUNITY)
    assert [g["code"] for g in community["grids"]] == mine
    full = api.client.get("/api/v1/regions", headers=boss).json()
    every = [g["code"] for s in full["streets"] for c in s["communities"] for g in c["grids"]]
    assert every == grid_codes(api)
    assert api.client.get("/api/v1/regions", headers=gas).json()["streets"] == []
    collection = api.client.get("/api/v1/grids", headers=boss).json()
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(grid_codes(api))
    assert api.client.get("/api/v1/grids", headers=gas).json()["features"] == []
    mine_geo = api.client.get("/api/v1/grids", headers=me).json()["features"]
    assert [f["properties"]["code"] for f in mine_geo] == mine
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in mine_geo)


def test_grid_features_count_the_open_and_overdue_cases_the_caller_sees(api: Api) -> None:
    api.hotline(category="litter_1")
    api.hotline(category="litter_2")
    other = api.hotline(OTHER_BUILDING)
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    features = api.client.get("/api/v1/grids", headers=boss).json()["features"]
    counts = {
        f["id"]: f["properties"]["open_cases"] for f in features if f["properties"]["open_cases"]
    }
    other_grid = api.cases.store.summary(other).grid_code  # type: ignore[union-attr]
    assert counts == {GRID: 2, other_grid: 1}
    assert all(f["properties"]["overdue_cases"] == 0 for f in features)


def test_devices_show_their_latest_values_and_whether_they_are_online(api: Api) -> None:
    uow = api.core.unit_of_work()
    with uow:
        devices = uow.registry.devices()
    ef = next(
        d for d in devices if d.kind == "electrical_fire" and d.grid_code.startswith(COMMUNITY)
    )
    silent = next(d for d in devices if d.id != ef.id and d.grid_code == ef.grid_code)
    ((_, token),) = api.core.token_store().issue_device_tokens([ef.id], 0)
    t = now_ms() - 2 * MINUTE
    reading = {"device_id": ef.id, "ts": t, "seq": 1, "values": {"residual_current_ma": 42.0}}
    r = api.client.post(
        "/api/v1/telemetry",
        content=orjson.dumps([reading]),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.json()["accepted"] == 1, r.text
    admin = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    listed: dict[str, dict[str, object]] = {}
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = api.client.get("/api/v1/devices", params=params, headers=admin).json()
        listed |= {d["id"]: d for d in page["items"]}
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert set(listed) == {d.id for d in devices if d.grid_code.startswith(COMMUNITY)}
    assert listed[ef.id]["online"] is True
    assert listed[ef.id]["values"] == {"residual_current_ma": 42.0}
    assert str(listed[ef.id]["last_seen"]).endswith("+08:00")
    assert listed[ef.id]["offline_after_minutes"] == 30
    assert (listed[silent.id]["online"], listed[silent.id]["last_seen"]) == (False, None)
    gas = api.sign_in("gas", Role.DEPARTMENT, "department:D04")
    assert api.client.get("/api/v1/devices", headers=gas).json()["items"] == []


def test_alerts_need_a_user_and_are_filtered_to_the_callers_grids(api: Api) -> None:
    uow = api.core.unit_of_work()
    with uow:
        devices = uow.registry.devices()
    ef = next(d for d in devices if d.kind == "electrical_fire")
    outside = next(g for g in grid_codes(api) if g != ef.grid_code)
    ((_, token),) = api.core.token_store().issue_device_tokens([ef.id], 0)
    t = now_ms() - 3 * MINUTE
    body = [
        {"device_id": ef.id, "ts": t + n * MINUTE, "seq": n + 1,
         "values": {"residual_current_ma": 510.0}}
        for n in range(2)
    ]  # fmt: skip
    auth = {"Authorization": f"Bearer {token}"}
    assert api.client.post("/api/v1/telemetry", content=orjson.dumps(body), headers=auth).is_success
    assert api.client.get("/api/v1/alerts").status_code == 401
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    everything = api.client.get("/api/v1/alerts", headers=boss).json()
    assert everything and {a["device_id"] for a in everything} == {ef.id}
    holder = api.cases.directory.workers_of_grid[ef.grid_code][0]
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{holder}")
    assert len(api.client.get("/api/v1/alerts", headers=worker).json()) == len(everything)
    stranger_id = next(
        w for g in grid_codes(api) if g != ef.grid_code
        for w in api.cases.directory.workers_of_grid.get(g, ())
        if ef.grid_code not in api.cases.directory.grids_of_worker[w]
    )  # fmt: skip
    stranger = api.sign_in("x", Role.GRID_WORKER, f"worker:{stranger_id}")
    assert api.client.get("/api/v1/alerts", headers=stranger).json() == []
    assert outside  # the district has another grid for the stranger to serve
    power = api.sign_in("power", Role.DEPARTMENT, "department:D03")
    routed = api.client.get("/api/v1/alerts", headers=power).json()
    # D03 receives the critical residual current alert's case (routing), not the other one
    assert [a["rule"] for a in routed] == ["electrical_fire.residual_current_critical"]


def test_the_report_is_the_cli_document_and_stays_within_the_callers_region(api: Api) -> None:
    case_id = api.hotline()
    api.hotline(OTHER_BUILDING, category="litter")
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
    api.client.post(f"/api/v1/cases/{case_id}/actions", json={"action": "sign"}, headers=worker)
    boss = api.sign_in("d", Role.DISTRICT_ADMIN)
    params = {"from": "2000-01-01T00:00:00+08:00", "by": "grid"}
    doc = api.client.get("/api/v1/reports", params=params, headers=boss).json()
    db = str(api.core.settings.db_path)
    cli = CliRunner().invoke(
        main, ["report", "--db", db, "--format", "json", "--from", params["from"], "--by", "grid"]
    )
    assert cli.exit_code == 0, cli.output
    assert doc == json.loads(cli.output)
    assert doc["total"]["registered"] == 2
    admin = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    own = api.client.get("/api/v1/reports", headers=admin).json()
    assert own["scope"] == f"community:{COMMUNITY}"
    r = api.client.get("/api/v1/reports", params={"scope": "district"}, headers=admin)
    assert r.status_code == 403
    r = api.client.get("/api/v1/reports", params={"scope": f"grid:{GRID}"}, headers=admin)
    assert r.json()["total"]["registered"] == 1
    mine = api.client.get("/api/v1/reports", headers=worker).json()
    assert (mine["scope"], mine["total"]["signed_on_time"]) == (
        f"worker:{api.assignee(case_id)}",
        1,
    )
    gas = api.sign_in("gas", Role.DEPARTMENT, "department:D04")
    assert api.client.get("/api/v1/reports", headers=gas).status_code == 403
    bad = api.client.get("/api/v1/reports", params={"scope": "planet:x"}, headers=boss)
    assert bad.status_code == 422
