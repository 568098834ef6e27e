"""Residents, care-device health and the access log over HTTP: masks, reveals, roles, regions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from registry_io_e2e import import_tiny
from signed_in import sign_in

from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role
from gridloop.domain.registry import DistrictRegistry
from gridloop.entrypoints.web.app import create_app

MINUTE = 60_000


@dataclass
class District:
    client: TestClient
    app: App
    registry: DistrictRegistry
    care_device: str  # an elderly-care device...
    resident: str  # ...and the resident it cares for,
    grid: str  # who lives in this grid
    community: str
    street: str

    def community_of(self, grid: str) -> str:
        return next(g.community_code for g in self.registry.grids if g.code == grid)

    def grid_of_building(self, building: str) -> str:
        return next(b.grid_code for b in self.registry.buildings if b.code == building)

    def residents_in(self, grids: set[str]) -> set[str]:
        return {
            r.id for r in self.registry.residents if self.grid_of_building(r.building_code) in grids
        }

    def grids_of(self, community: str) -> set[str]:
        return {g.code for g in self.registry.grids if g.community_code == community}

    def worker(self, inside: bool) -> str:
        return next(w.id for w in self.registry.workers if (self.grid in w.grid_codes) == inside)

    def sign_in(self, name: str, role: Role, scope: str | None = None) -> dict[str, str]:
        return sign_in(self.client, self.app, name, role, scope)


@pytest.fixture
def district(app: App, tiny_dir: Path) -> Iterator[District]:
    devices = import_tiny(app, tiny_dir)
    uow = app.unit_of_work()
    with uow:
        registry = uow.registry.load()
    uow.close()
    assert registry is not None
    care = next(d for d in devices if d.kind == "elderly_care")
    with TestClient(create_app(app.settings)) as client:
        d = District(client, app, registry, care.id, str(care.attrs["resident_id"]), "", "", "")
        d.grid = d.grid_of_building(
            next(r.building_code for r in registry.residents if r.id == d.resident)
        )
        d.community = d.community_of(d.grid)
        d.street = d.community[:9]
        yield d


def pages(client: TestClient, headers: dict[str, str], **params: object) -> list[dict]:  # type: ignore[type-arg]
    items, cursor = [], ""
    while True:
        r = client.get("/api/v1/residents", headers=headers, params={**params, "cursor": cursor})
        assert r.status_code == 200, r.text
        doc = r.json()
        items += doc["items"]
        if doc["next_cursor"] is None:
            return items
        cursor = doc["next_cursor"]


def audit(district: District, **params: object) -> list[dict]:  # type: ignore[type-arg]
    headers = district.sign_in(f"auditor{time.monotonic_ns()}", Role.AUDITOR)
    r = district.client.get("/api/v1/audit", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def test_a_district_admin_pages_through_every_resident_masked(district: District) -> None:
    admin = district.sign_in("admin", Role.DISTRICT_ADMIN)
    items = pages(district.client, admin, limit=100)
    assert len(items) == len({i["id"] for i in items}) == len(district.registry.residents)
    full = {r.id: r for r in district.registry.residents}
    for item in items:
        real = full[item["id"]]
        assert item["masked"] is True
        assert item["name"] != real.name or len(real.name) <= 1
        assert item["name"][0] == real.name[0]
        if len(real.phone.replace("-", "")) == 11 and real.phone.isdigit():
            assert item["phone"] == real.phone[:3] + "****" + real.phone[-4:]
        assert real.emergency_contact.split()[-1] not in item["emergency_contact"]


def test_a_community_admin_lists_only_the_residents_of_the_community(district: District) -> None:
    admin = district.sign_in("c1", Role.COMMUNITY_ADMIN, f"community:{district.community}")
    ids = {i["id"] for i in pages(district.client, admin)}
    assert ids == district.residents_in(district.grids_of(district.community))


def test_a_grid_worker_lists_only_the_residents_of_their_grids(district: District) -> None:
    worker_id = district.worker(inside=True)
    worker = district.sign_in("w1", Role.GRID_WORKER, f"worker:{worker_id}")
    grids = set(next(w.grid_codes for w in district.registry.workers if w.id == worker_id))
    ids = {i["id"] for i in pages(district.client, worker)}
    assert ids == district.residents_in(grids) and district.resident in ids


def test_the_list_filters_by_grid_and_tag(district: District) -> None:
    admin = district.sign_in("admin", Role.DISTRICT_ADMIN)
    items = pages(district.client, admin, grid=district.grid, tag="elderly_alone")
    assert items and all("elderly_alone" in i["tags"] for i in items)
    assert {i["grid_code"] for i in items} == {district.grid}


def test_a_department_lists_no_residents(district: District) -> None:
    dept = district.sign_in(
        "fire", Role.DEPARTMENT, f"department:{district.registry.departments[0].code}"
    )
    r = district.client.get("/api/v1/residents", headers=dept)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")


def test_a_reveal_shows_the_full_values_and_is_logged(district: District) -> None:
    admin = district.sign_in("c1", Role.COMMUNITY_ADMIN, f"community:{district.community}")
    url = f"/api/v1/residents/{district.resident}"
    masked = district.client.get(url, headers=admin).json()
    full = district.client.get(url, headers=admin, params={"reveal": "true"}).json()
    real = next(r for r in district.registry.residents if r.id == district.resident)
    assert masked["masked"] and masked["phone"] != real.phone
    assert not full["masked"]
    assert (full["name"], full["phone"], full["emergency_contact"]) == (
        real.name,
        real.phone,
        real.emergency_contact,
    )
    views = [e for e in audit(district) if e["action"] == "view_resident"]
    assert [(e["user"], e["subject"]) for e in views] == [("c1", district.resident)]


def test_a_grid_worker_reveals_residents_of_their_own_grid_only(district: District) -> None:
    inside = district.sign_in("w1", Role.GRID_WORKER, f"worker:{district.worker(inside=True)}")
    outside = district.sign_in("w2", Role.GRID_WORKER, f"worker:{district.worker(inside=False)}")
    url = f"/api/v1/residents/{district.resident}"
    assert district.client.get(url, headers=inside, params={"reveal": True}).status_code == 200
    r = district.client.get(url, headers=outside, params={"reveal": True})
    assert r.status_code == 404
    assert district.client.get(url, headers=outside).status_code == 404


def test_an_auditor_sees_masked_data_only_and_a_refused_reveal_is_logged(
    district: District,
) -> None:
    auditor = district.sign_in("aud", Role.AUDITOR)
    url = f"/api/v1/residents/{district.resident}"
    assert district.client.get(url, headers=auditor).json()["masked"] is True
    r = district.client.get(url, headers=auditor, params={"reveal": True})
    assert r.status_code == 403
    assert r.json()["status"] == 403 and "auditor" in r.json()["detail"]
    refused = [e for e in audit(district) if e["action"] == "reveal_refused"]
    assert [(e["user"], e["subject"]) for e in refused] == [("aud", district.resident)]


def test_a_resident_outside_the_community_does_not_exist_for_its_admin(district: District) -> None:
    other = next(
        c.code
        for s in district.registry.district.streets
        for c in s.communities
        if c.code != district.community
    )
    admin = district.sign_in("c2", Role.COMMUNITY_ADMIN, f"community:{other}")
    r = district.client.get(f"/api/v1/residents/{district.resident}", headers=admin)
    assert r.status_code == 404
    assert district.client.get("/api/v1/residents/nobody", headers=admin).status_code == 404


def _post_care_readings(district: District) -> None:
    ((_, token),) = district.app.token_store().issue_device_tokens([district.care_device], 0)
    t = int(time.time() * 1000) - 10 * MINUTE
    body = [
        {
            "device_id": district.care_device,
            "ts": t + i * MINUTE,
            "seq": i + 1,
            "values": {"heart_rate_bpm": 70.0 + i, "water_l": 1.5, "door_opens": 1},
        }
        for i in range(3)
    ]
    r = district.client.post(
        "/api/v1/telemetry", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.json()["accepted"] == 3, r.text
    district.client.app.state.gridloop.checkpoint()  # type: ignore[attr-defined]


def test_community_staff_see_the_health_readings_of_a_care_device(district: District) -> None:
    _post_care_readings(district)
    admin = district.sign_in("c1", Role.COMMUNITY_ADMIN, f"community:{district.community}")
    r = district.client.get(
        f"/api/v1/devices/{district.care_device}/health", headers=admin, params={"readings": 2}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["resident_id"] == district.resident
    assert [x["values"]["heart_rate_bpm"] for x in doc["readings"]] == [72.0, 71.0]
    hr = [h for h in doc["hourly"] if h["field"] == "heart_rate_bpm"]
    assert sum(h["n"] for h in hr) == 3
    views = [e for e in audit(district) if e["action"] == "view_health"]
    assert [(e["user"], e["subject"], e["detail"]) for e in views] == [
        ("c1", district.care_device, district.resident)
    ]


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.AUDITOR, Role.DEPARTMENT])
def test_health_readings_are_refused_below_community_staff(district: District, role: Role) -> None:
    scope = {
        Role.GRID_WORKER: f"worker:{district.worker(inside=True)}",
        Role.DEPARTMENT: f"department:{district.registry.departments[0].code}",
    }.get(role)
    headers = district.sign_in("someone", role, scope)
    r = district.client.get(f"/api/v1/devices/{district.care_device}/health", headers=headers)
    assert r.status_code == 403
    assert [e["action"] for e in audit(district)].count("health_refused") == 1


def test_health_of_a_device_that_is_no_care_device_or_out_of_region_is_404(
    district: District,
) -> None:
    street = district.sign_in("s1", Role.STREET_DISPATCHER, f"street:{district.street}")
    other_street = next(
        s.code for s in district.registry.district.streets if s.code != district.street
    )
    elsewhere = district.sign_in("s2", Role.STREET_DISPATCHER, f"street:{other_street}")
    camera = next(d.id for d in district.registry.devices if d.kind != "elderly_care")
    url = f"/api/v1/devices/{district.care_device}/health"
    assert district.client.get(url, headers=street).status_code == 200
    assert district.client.get(url, headers=elsewhere).status_code == 404
    r = district.client.get(f"/api/v1/devices/{camera}/health", headers=street)
    assert r.status_code == 404


def test_the_access_log_is_for_auditors_and_district_admins(district: District) -> None:
    community = district.sign_in("c1", Role.COMMUNITY_ADMIN, f"community:{district.community}")
    admin = district.sign_in("admin", Role.DISTRICT_ADMIN)
    assert district.client.get("/api/v1/audit", headers=community).status_code == 403
    r = district.client.get("/api/v1/audit", headers=admin)
    assert r.status_code == 200
    assert {"login"} <= {e["action"] for e in r.json()["items"]}


def test_the_access_log_pages_by_id_and_filters_by_time(district: District) -> None:
    auditor = district.sign_in("aud", Role.AUDITOR)
    for i in range(3):
        district.sign_in(f"user{i}", Role.DISTRICT_ADMIN)
    first = district.client.get("/api/v1/audit", headers=auditor, params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_after"] == first["items"][-1]["id"]
    rest = district.client.get(
        "/api/v1/audit", headers=auditor, params={"after": first["next_after"]}
    ).json()
    assert rest["items"][0]["id"] > first["next_after"] and rest["next_after"] is None
    future = district.client.get(
        "/api/v1/audit", headers=auditor, params={"since": "2999-01-01T00:00:00+08:00"}
    ).json()
    assert future["items"] == []


def test_a_bad_since_is_a_problem_naming_the_field(district: District) -> None:
    auditor = district.sign_in("aud", Role.AUDITOR)
    r = district.client.get("/api/v1/audit", headers=auditor, params={"since": "yesterday"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"].startswith("since")


def test_nothing_here_without_signing_in(district: District) -> None:
    for url in ("/api/v1/residents", f"/api/v1/residents/{district.resident}", "/api/v1/audit"):
        assert district.client.get(url).status_code == 401
