"""The closed loop over HTTP: a hotline request reaches the grid's worker, who signs, handles
with a photo and reports back; the community verifies and the case closes. Photos are checked
by their bytes and size, and readable only by those who may see a case naming them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from case_api_support import COMMUNITY, OTHER_BUILDING, Api, case_api

from gridloop.domain.cases.events import Role

PROBLEM = "application/problem+json"
# the smallest files each format's reader accepts the start of
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


@pytest.fixture
def api(tmp_path: Path, tiny_dir: Path) -> Iterator[Api]:
    with case_api(tmp_path, tiny_dir) as served:
        yield served


def upload(api: Api, case_id: str, data: bytes, headers: dict[str, str], mime: str = "image/jpeg"):  # type: ignore[no-untyped-def]
    files = {"file": ("photo", data, mime)}
    return api.client.post(f"/api/v1/cases/{case_id}/attachments", files=files, headers=headers)


def test_a_hotline_request_is_signed_handled_with_a_photo_verified_and_closed(
    api: Api, tmp_path: Path
) -> None:
    case_id = api.hotline()
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
    admin = api.sign_in("c", Role.COMMUNITY_ADMIN, f"community:{COMMUNITY}")

    def act(who: dict[str, str], body: dict[str, object]) -> dict[str, object]:
        r = api.client.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=who)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    assert act(worker, {"action": "sign"})["case"]["state"] == "signed"  # type: ignore[index]
    r = upload(api, case_id, JPEG, worker)
    assert r.status_code == 201, r.text
    photo = r.json()
    sha = hashlib.sha256(JPEG).hexdigest()
    assert photo == {"sha256": sha, "size": len(JPEG), "type": "image/jpeg"}
    assert (tmp_path / "attachments" / sha[:2] / sha).read_bytes() == JPEG
    assert upload(api, case_id, JPEG, worker).json() == photo  # stored once, same answer
    done = act(worker, {"action": "handle", "note": "已修复", "attachments": [sha]})
    assert done["event"]["payload"]["attachments"] == [sha]  # type: ignore[index]
    act(worker, {"action": "feedback", "note": "请核查"})
    r = api.client.post(
        f"/api/v1/cases/{case_id}/actions", json={"action": "verify_pass"}, headers=worker
    )
    assert r.status_code == 403  # the workflow refuses the role: awaiting verification
    closed = act(admin, {"action": "verify_pass", "note": "现场核实"})
    assert closed["case"]["state"] == "closed"  # type: ignore[index]
    detail = api.client.get(f"/api/v1/cases/{case_id}", headers=admin).json()
    assert [e["action"] for e in detail["history"]] == [
        "report", "register", "dispatch", "sign", "handle", "feedback", "verify_pass", "close",
    ]  # fmt: skip
    got = api.client.get(f"/api/v1/attachments/{sha}", headers=admin)
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, JPEG, "image/jpeg")


def test_photos_are_refused_by_type_and_size_as_problem_json(api: Api) -> None:
    case_id = api.hotline()
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
    for data, mime in ((PNG, "image/png"), (WEBP, "image/webp")):
        assert upload(api, case_id, data, worker, mime).json()["type"] == mime
    for data, mime in (
        (b"GIF89a" + b"\x00" * 40, "image/jpeg"),  # the header lies
        (b"%PDF-1.7\n", "application/pdf"),
        (PNG, "image/jpeg"),  # a real image, declared as another
    ):
        r = upload(api, case_id, data, worker, mime)
        assert (r.status_code, r.headers["content-type"]) == (415, PROBLEM), r.text
    r = upload(api, case_id, JPEG + b"\x00" * (8 * 1024 * 1024), worker)
    assert (r.status_code, r.headers["content-type"]) == (413, PROBLEM)
    r = api.client.post(
        f"/api/v1/cases/{case_id}/actions",
        json={"action": "sign", "attachments": ["0" * 64]},
        headers=worker,
    )
    assert r.status_code == 422 and "not uploaded" in r.json()["detail"]


def test_a_photo_is_readable_only_by_those_who_see_a_case_naming_it(api: Api) -> None:
    case_id = api.hotline()
    holder = api.assignee(case_id)
    worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{holder}")
    other_case = api.hotline(OTHER_BUILDING)
    stranger = api.sign_in("x", Role.GRID_WORKER, f"worker:{api.assignee(other_case)}")
    r = upload(api, case_id, PNG, worker, "image/png")
    assert r.status_code == 201, r.text
    sha = r.json()["sha256"]
    # uploaded but not yet named by any event: nobody reads it
    assert api.client.get(f"/api/v1/attachments/{sha}", headers=worker).status_code == 404
    assert upload(api, case_id, PNG, stranger, "image/png").status_code == 404  # not their case
    for action in ("sign", "handle"):
        body = {"action": action} | ({"attachments": [sha]} if action == "handle" else {})
        r = api.client.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=worker)
        assert r.status_code == 200, r.text
    assert api.client.get(f"/api/v1/attachments/{sha}", headers=worker).status_code == 200
    r = api.client.get(f"/api/v1/attachments/{sha}", headers=stranger)
    assert (r.status_code, r.headers["content-type"]) == (404, PROBLEM)
    assert api.client.get("/api/v1/attachments/nothex", headers=worker).status_code == 404
