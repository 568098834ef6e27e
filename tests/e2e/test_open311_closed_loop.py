"""The done-when scenario: a request with only an address string reaches the right grid's
worker, who signs and closes it over the API; Open311 then shows it closed at the close time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from open311_support import COMMUNITY, GRID, Server, open311_server, sign_in

from gridloop.domain.cases.actor import SYSTEM
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.timefmt import parse_iso
from gridloop.service_layer.ports import CaseFilter

# 东风街道朝阳苑社区 马坊南路40号海湖小区2号楼, as a citizen types it: province and city, the
# district without 区, full-width digits, 栋 for 号楼, and the unit and room
TYPED = "青海省西宁市试验东风街道朝阳苑社区马坊南路４０号 海湖小区２栋3单元402室"


@pytest.fixture
def server(tmp_path: Path, tiny_source: Path) -> Iterator[Server]:
    with open311_server(tmp_path, tiny_source) as running:
        yield running


def test_an_address_string_reaches_the_grid_worker_who_closes_it(server: Server) -> None:
    o311 = server.client()
    form = {"service_code": "001", "address_string": TYPED, "attribute[time_of_day]": "night"}
    r = o311.post("/requests.json", params={"api_key": server.api_key}, data=form)
    assert r.status_code == 201, r.text
    answer = r.json()[0]
    case_id = answer["service_request_id"]
    assert "已受理并派遣至朝阳苑社区第1网格" in answer["service_notice"]
    assert "地址匹配度" in answer["service_notice"]

    admin = sign_in(server, "district", Role.DISTRICT_ADMIN, None)
    api = httpx.Client(base_url=f"{server.url}/api/v1", timeout=30)
    case = api.get(f"/cases/{case_id}", headers=admin).json()
    report = case["history"][0]["payload"]
    assert report["grid_code"] == GRID and report["building_code"] == "630199001001001002"
    assert report["location_confidence"] >= 0.75
    worker_id = case["assignee"]
    worker = sign_in(server, "worker", Role.GRID_WORKER, f"worker:{worker_id}")
    for action in ("sign", "handle", "feedback"):
        r = api.post(f"/cases/{case_id}/actions", json={"action": action, "note": "已劝停"},
                     headers=worker)  # fmt: skip
        assert r.status_code == 200, r.text
    supervisor = sign_in(server, "admin", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")
    r = api.post(f"/cases/{case_id}/actions", json={"action": "verify_pass"}, headers=supervisor)
    assert r.status_code == 200, r.text
    history = api.get(f"/cases/{case_id}", headers=admin).json()["history"]
    closed_at = next(e["at"] for e in history if e["action"] == "close")

    shown = o311.get(f"/requests/{case_id}.json").json()[0]
    assert shown["status"] == "closed" and shown["status_notes"] == "已结案"
    assert parse_iso(shown["updated_datetime"]) == parse_iso(closed_at)
    assert shown["agency_responsible"] == "朝阳苑社区第1网格"
    assert worker_id not in str(shown)
    updates = o311.get("/servicerequestupdates.json", params={"service_request_id": case_id})
    steps = [(u["description"], u["status"]) for u in updates.json()]
    assert steps[-1] == ("已结案", "closed")
    assert ("承办人已签收", "open") in steps


def test_an_address_nobody_can_match_waits_for_manual_location(server: Server) -> None:
    o311 = server.client()
    form = {
        "service_code": "002",
        "address_string": "那边路口往北走一点的地方",
        "api_key": server.api_key,
    }
    r = o311.post("/requests.xml", data=form)
    assert r.status_code == 201
    assert "等待人工定位" in r.text
    queued = server.app.case_service().find(CaseFilter(unlocated=True), SYSTEM)
    assert len(queued) == 1
    case_id = queued[0].case_id
    assert f"<service_request_id>{case_id}</service_request_id>" in r.text
    shown = o311.get(f"/requests/{case_id}.json").json()[0]
    assert shown["status"] == "open" and "待人工定位" in shown["status_notes"]
    assert shown["agency_responsible"] is None and shown["expected_datetime"] is None
