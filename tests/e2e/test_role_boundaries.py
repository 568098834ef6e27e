"""Every API endpoint against every role: who gets an answer, who is refused (403), who is told
the thing does not exist (404, outside their region), and the anonymous caller (401).

The table must name every operation of the OpenAPI schema under /api/v1: a new endpoint fails
`test_the_table_covers_every_endpoint` until its boundaries are written down here.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from case_api_support import Api, case_api, now_ms

from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.service_layer.casework import NewReport

ROLES = ("anon", "worker", "far_worker", "community", "street", "district", "department", "auditor")
ALL = {r: 200 for r in ROLES} | {"anon": 401}


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    return {r: allowed.get(r, others) for r in ROLES} | {"anon": 401}


@dataclass
class World:
    api: Api
    headers: dict[str, dict[str, str]]
    case_id: str
    grid: str
    building: str
    resident: str
    care_device: str

    def call(self, role: str, method: str, path: str, **kw: object) -> int:
        headers = self.headers.get(role, {})
        response = self.api.client.request(method, path, headers=headers, **kw)  # type: ignore[arg-type]
        return response.status_code


def png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0]))
    body = chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + header + body + chunk(b"IEND", b"")


@pytest.fixture
def world(tmp_path: Path, tiny_dir: Path) -> Iterator[World]:
    with case_api(tmp_path, tiny_dir) as api:
        uow = api.core.unit_of_work()
        with uow:
            registry = uow.registry.load()
        uow.close()
        assert registry is not None
        care = next(d for d in registry.devices if d.kind == "elderly_care")
        grid = care.grid_code
        building = next(b.code for b in registry.buildings if b.grid_code == grid)
        resident = next(r.id for r in registry.residents if r.building_code == building)
        case_id = api.cases.report(
            NewReport("hotline", "noise", building_code=building, reporter="13800000001"),
            Actor("12345-op1", Role.DISTRICT_ADMIN),
            now_ms(),
        ).case_id
        worker = api.assignee(case_id)
        far = next(w.id for w in registry.workers if grid not in w.grid_codes)
        community = next(g.community_code for g in registry.grids if g.code == grid)
        headers = {
            "worker": api.sign_in("w-in", Role.GRID_WORKER, f"worker:{worker}"),
            "far_worker": api.sign_in("w-far", Role.GRID_WORKER, f"worker:{far}"),
            "community": api.sign_in("ca", Role.COMMUNITY_ADMIN, f"community:{community}"),
            "street": api.sign_in("sd", Role.STREET_DISPATCHER, f"street:{community[:9]}"),
            "district": api.sign_in("da", Role.DISTRICT_ADMIN),
            "department": api.sign_in("gas", Role.DEPARTMENT, "department:D04"),
            "auditor": api.sign_in("au", Role.AUDITOR),
        }
        yield World(api, headers, case_id, grid, building, resident, care.id)


def table(w: World) -> list[tuple[str, str, dict[str, object], dict[str, int]]]:
    """(method, path, request kwargs, expected status per role)."""
    case = f"/api/v1/cases/{w.case_id}"
    in_region = {"worker": 200, "far_worker": 404, "community": 200, "street": 200}
    in_region |= {"district": 200, "auditor": 200, "department": 404}
    staff_health = only({"community": 200, "street": 200, "district": 200})
    return [
        ("GET", "/api/v1/me", {}, ALL),
        ("GET", "/api/v1/cases", {}, ALL),
        ("GET", case, {}, only(in_region)),
        (
            "POST",
            f"{case}/actions",
            {"json": {"action": "verify_pass", "note": "ok"}},
            # roles that never verify are refused before the case is looked up (403);
            # supervisors may verify, but not a dispatched case (409)
            only({"community": 409, "street": 409, "district": 409}),
        ),
        (
            "POST",
            f"{case}/actions",
            {"json": {"action": "sign"}},
            # the assignee signs; after that nobody can (409); a worker of another grid, or a
            # department the case is not routed to, is told there is no such case (404)
            only({"worker": 200, "far_worker": 404, "community": 409, "department": 404}),
        ),
        (
            "POST",
            "/api/v1/cases",
            {
                "json": {
                    "category": "exposed_garbage",
                    "description": "x",
                    "building_code": w.building,
                }
            },
            only({"worker": 201, "far_worker": 422}),
        ),
        ("GET", "/api/v1/queue/unlocated", {}, only({"street": 200, "district": 200})),
        (
            "POST",
            f"{case}/locate",
            {"json": {"building_code": w.building}},
            only({"street": 409, "district": 409}),  # the case is already placed
        ),
        (
            "POST",
            f"{case}/attachments",
            {"files": {"file": ("p.png", io.BytesIO(png()), "image/png")}},
            only(
                {
                    "worker": 201,
                    "far_worker": 404,
                    "community": 201,
                    "street": 201,
                    "district": 201,
                    "department": 404,
                }
            ),
        ),
        ("GET", "/api/v1/attachments/" + "0" * 64, {}, {r: 404 for r in ROLES} | {"anon": 401}),
        ("GET", "/api/v1/feed/recent", {}, ALL),
        ("GET", "/api/v1/regions", {}, ALL),
        ("GET", "/api/v1/grids", {}, ALL),
        ("GET", "/api/v1/labels", {}, ALL),
        ("GET", "/api/v1/devices", {}, ALL),
        ("GET", "/api/v1/alerts", {}, ALL),
        ("GET", "/api/v1/dashboard", {}, only({r: 200 for r in ROLES if r != "department"})),
        ("GET", f"/api/v1/dashboard/grids/{w.grid}", {}, only(in_region)),
        (
            "GET",
            "/api/v1/dashboard/queues",
            {},
            only({"community": 200, "street": 200, "district": 200, "auditor": 200}),
        ),
        ("GET", "/api/v1/reports", {}, only({r: 200 for r in ROLES if r != "department"})),
        ("GET", "/api/v1/residents", {}, only({r: 200 for r in ROLES if r != "department"})),
        (
            "GET",
            f"/api/v1/residents/{w.resident}",
            {},
            only(
                {
                    "worker": 200,
                    "far_worker": 404,
                    "community": 200,
                    "street": 200,
                    "district": 200,
                    "auditor": 200,
                }
            ),
        ),
        ("GET", f"/api/v1/devices/{w.care_device}/health", {}, staff_health),
        ("GET", "/api/v1/audit", {}, only({"auditor": 200, "district": 200})),
        # device and gateway tokens only: a user's token is not a device credential
        ("POST", "/api/v1/telemetry", {"json": []}, {r: 401 for r in ROLES}),
    ]


UNTABLED = {
    # covered by their own tests: they change or end the caller's session, or stream forever
    (
        "POST",
        "/api/v1/auth/login",
    ): "tests/e2e (auth_routes): public, answers 401 on a bad password",
    ("POST", "/api/v1/auth/logout"): "test_logout_revokes_only_the_callers_token below",
    ("GET", "/api/v1/feed"): "tests/e2e/test_feed_stream.py; anonymous 401 checked below",
    ("GET", "/api/v1/alerts/stream"): "the dashboard's browser test; anonymous 401 checked below",
}


def test_every_endpoint_answers_each_role_as_the_table_says(world: World) -> None:
    wrong = []
    for method, path, kwargs, expected in table(world):
        for role in ROLES:
            got = world.call(role, method, path, **kwargs)
            if got != expected[role]:
                wrong.append(f"{method} {path} as {role}: {got}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


def test_the_table_covers_every_endpoint(world: World) -> None:
    schema = world.api.client.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in ops
    }
    tabled = {(m, _template(p, world)) for m, p, _kw, _e in table(world)}
    missing = sorted(operations - tabled - set(UNTABLED) - _dashboard_tabled(world))
    assert not missing, f"endpoints without a row in the role table: {missing}"


def test_streams_and_logout_refuse_the_anonymous_and_logout_ends_only_its_own_token(
    world: World,
) -> None:
    client = world.api.client
    for path in ("/api/v1/feed", "/api/v1/alerts/stream"):
        assert client.get(path).status_code == 401
    second = world.api.sign_in("da2", Role.DISTRICT_ADMIN)
    assert client.post("/api/v1/auth/logout", headers=second).status_code == 204
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert client.get("/api/v1/me", headers=world.headers["district"]).status_code == 200


def _dashboard_tabled(world: World) -> set[tuple[str, str]]:
    """The grid panel's row names a real grid; its template is this one."""
    return {("GET", "/api/v1/dashboard/grids/{code}")}


def _template(path: str, w: World) -> str:
    """A concrete path back to its OpenAPI template."""
    for value, name in (
        (w.case_id, "{case_id}"),
        (w.resident, "{resident_id}"),
        (w.care_device, "{device_id}"),
        ("0" * 64, "{sha256}"),
    ):
        path = path.replace(value, name)
    return path
