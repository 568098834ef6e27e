"""Uploaded photos are bounded and cleaned up (issue 13 #10): each user's rolling day has a quota
(429 naming it, another user unaffected), and a photo no action named within 24 h is removed by
`gridloop attachments prune` and by the running server, never one an action names."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from case_api_support import BUILDING, HOTLINE, OTHER_BUILDING, Api, district_core, now_ms
from click.testing import CliRunner
from fastapi.testclient import TestClient

from gridloop.domain.cases.events import Role
from gridloop.entrypoints.cli import main
from gridloop.entrypoints.timefmt import iso
from gridloop.entrypoints.web.app import create_app
from gridloop.service_layer.casework import NewReport

PROBLEM = "application/problem+json"
HOUR = 3_600_000


def jpeg(n: int) -> bytes:
    """A distinct small JPEG for each n (its own hash, its own blob)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + n.to_bytes(4, "big") + bytes(60)


@contextmanager
def served(tmp_path: Path, district: Path, attachments: str = "") -> Iterator[Api]:
    core = district_core(tmp_path, district)
    assert core.settings.config_path is not None
    with core.settings.config_path.open("a", encoding="utf-8") as f:
        f.write(f"[attachments]\n{attachments}\n")
    with TestClient(create_app(core.settings)) as client:
        yield Api(core, client, core.case_service())


def upload(api: Api, case_id: str, data: bytes, who: dict[str, str]):  # type: ignore[no-untyped-def]
    files = {"file": ("photo.jpg", data, "image/jpeg")}
    return api.client.post(f"/api/v1/cases/{case_id}/attachments", files=files, headers=who)


def blob(tmp_path: Path, sha: str) -> Path:
    return tmp_path / "attachments" / sha[:2] / sha


def upload_rows(tmp_path: Path, sha: str) -> int:
    with sqlite3.connect(tmp_path / "gridloop.db") as db:
        (n,) = db.execute("SELECT COUNT(*) FROM attachment_uploads WHERE sha256 = ?", (sha,))
        return int(n[0])


def prune(tmp_path: Path, at_ms: int, *flags: str) -> list[str]:
    db = str(tmp_path / "gridloop.db")
    args = ["attachments", "prune", "--db", db, "--now", str(iso(at_ms)), "--format", "json"]
    r = CliRunner().invoke(main, [*args, *flags])
    assert r.exit_code == 0, r.output
    return list(json.loads(r.output)["removed"])


def test_a_user_over_the_daily_count_is_refused_while_another_is_not(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """issue 13 #10: uploads were unbounded (8 MiB × 20/s per token)."""
    with served(tmp_path, tiny_dir, "files_per_day = 2") as api:
        mine, theirs = api.hotline(), api.hotline(OTHER_BUILDING)
        me = api.sign_in("w1", Role.GRID_WORKER, f"worker:{api.assignee(mine)}")
        other = api.sign_in("w2", Role.GRID_WORKER, f"worker:{api.assignee(theirs)}")
        for n in range(2):
            assert upload(api, mine, jpeg(n), me).status_code == 201
        r = upload(api, mine, jpeg(2), me)
        assert (r.status_code, r.headers["content-type"]) == (429, PROBLEM), r.text
        assert "files_per_day" in r.json()["detail"] and "at most 2" in r.json()["detail"]
        assert 0 < int(r.headers["retry-after"]) <= 24 * 3600
        assert not blob(tmp_path, hashlib.sha256(jpeg(2)).hexdigest()).exists()  # not stored
        assert upload(api, theirs, jpeg(3), other).status_code == 201


def test_a_user_over_the_daily_bytes_is_refused(tmp_path: Path, tiny_dir: Path) -> None:
    """issue 13 #10: the byte budget, named with its key."""
    with served(tmp_path, tiny_dir, f"bytes_per_day = {len(jpeg(0)) + 10}") as api:
        case_id = api.hotline()
        me = api.sign_in("w1", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
        assert upload(api, case_id, jpeg(0), me).status_code == 201
        r = upload(api, case_id, jpeg(1), me)
        assert r.status_code == 429 and "bytes_per_day" in r.json()["detail"], r.text


def test_prune_removes_an_unreferenced_upload_after_a_day_and_keeps_a_referenced_one(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """issue 13 #10: blobs no action named stayed on disk forever."""
    with served(tmp_path, tiny_dir) as api:
        case_id = api.hotline()
        worker = api.sign_in("w", Role.GRID_WORKER, f"worker:{api.assignee(case_id)}")
        left = upload(api, case_id, jpeg(1), worker).json()["sha256"]
        named = upload(api, case_id, jpeg(2), worker).json()["sha256"]
        for body in ({"action": "sign"}, {"action": "handle", "attachments": [named]}):
            r = api.client.post(f"/api/v1/cases/{case_id}/actions", json=body, headers=worker)
            assert r.status_code == 200, r.text
        t = now_ms()
        assert prune(tmp_path, t + 23 * HOUR) == []  # not a day old yet
        assert prune(tmp_path, t + 25 * HOUR, "--dry-run") == [left]
        assert blob(tmp_path, left).exists() and upload_rows(tmp_path, left) == 1
        assert prune(tmp_path, t + 25 * HOUR) == [left]
        assert not blob(tmp_path, left).exists() and upload_rows(tmp_path, left) == 0
        assert prune(tmp_path, t + 1000 * HOUR) == []  # the named one, however old
        assert blob(tmp_path, named).exists()
        got = api.client.get(f"/api/v1/attachments/{named}", headers=worker)
        assert (got.status_code, got.content) == (200, jpeg(2))


def test_the_server_prunes_what_no_action_named_within_a_day(
    tmp_path: Path, tiny_dir: Path
) -> None:
    """issue 13 #10: the running server cleans up too (as it starts, then hourly)."""
    core = district_core(tmp_path, tiny_dir)
    cases = core.case_service()
    case_id = cases.report(
        NewReport("hotline", "road_damage", building_code=BUILDING), HOTLINE, now_ms()
    ).case_id
    yesterday = now_ms() - 25 * HOUR
    service, ledger = core.attachment_service(cases, clock=lambda: yesterday)
    old = service.add(case_id, HOTLINE, jpeg(7), "image/jpeg").sha256
    young = core.attachment_service(cases)[0].add(case_id, HOTLINE, jpeg(8), "image/jpeg").sha256
    ledger.close()
    with TestClient(create_app(core.settings)) as client:
        for _ in range(100):  # the first prune runs beside the server's start
            if not blob(tmp_path, old).exists():
                break
            client.get("/healthz")
            time.sleep(0.05)
    assert not blob(tmp_path, old).exists() and upload_rows(tmp_path, old) == 0
    assert blob(tmp_path, young).exists()


def test_a_quota_that_is_not_a_positive_number_is_one_line(tmp_path: Path, tiny_dir: Path) -> None:
    """issue 13 #10: the quota is configurable; a wrong value is a one-line config error."""
    core = district_core(tmp_path, tiny_dir)
    assert core.settings.config_path is not None
    core.settings.config_path.write_text("[attachments]\nfiles_per_day = 0\n", encoding="utf-8")
    r = CliRunner().invoke(
        main,
        ["attachments", "prune", "--db", str(tmp_path / "gridloop.db")],
        env={"GRIDLOOP_CONFIG": str(core.settings.config_path)},
    )
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "files_per_day must be a whole number" in lines[0], r.output
