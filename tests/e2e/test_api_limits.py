"""Limits and errors end to end: 429 per token, 413, 422 naming the field, 500 without a trace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from signed_in import sign_in

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app

PROBLEM = "application/problem+json"


def _app_with(tmp_path: Path, api: str) -> tuple[App, FastAPI]:
    config = tmp_path / "gridloop.toml"
    config.write_text(f"[api]\n{api}\n", encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    return core, create_app(core.settings)


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    """A burst of 4 and a slow refill (one request per 100 s), bodies up to 1 KiB."""
    core, web = _app_with(tmp_path, "rate_per_s = 0.01\nburst = 4\nmax_body_bytes = 1024")
    with TestClient(web) as client:
        yield core, client


def test_a_token_past_its_burst_gets_429_with_retry_after_and_others_go_on(
    strict: tuple[App, TestClient],
) -> None:
    core, client = strict
    busy = sign_in(client, core, "busy", Role.DISTRICT_ADMIN)
    calm = sign_in(client, core, "calm", Role.DISTRICT_ADMIN)
    answers = [client.get("/api/v1/me", headers=busy) for _ in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == PROBLEM
    assert 1 <= int(refused.headers["retry-after"]) <= 100
    assert refused.json()["status"] == 429
    assert client.get("/api/v1/me", headers=calm).status_code == 200


BIG = b'{"name": "x", "password": "' + b"p" * 2000 + b'"}'
JSON = {"content-type": "application/json"}


def test_an_announced_oversized_body_is_413(strict: tuple[App, TestClient]) -> None:
    _core, client = strict
    r = client.post("/api/v1/auth/login", content=BIG, headers=JSON)
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM and r.json()["status"] == 413


def test_a_streamed_oversized_body_is_413(strict: tuple[App, TestClient]) -> None:
    _core, client = strict

    def chunks() -> Iterator[bytes]:  # no content-length: the middleware counts as it reads
        yield BIG[:600]
        yield BIG[600:]

    r = client.post("/api/v1/auth/login", content=chunks(), headers=JSON)
    assert r.headers["content-type"] == PROBLEM
    assert r.status_code == 413


def test_a_validation_error_is_a_problem_naming_the_field(tmp_path: Path) -> None:
    _core, web = _app_with(tmp_path, "")
    with TestClient(web) as client:
        r = client.post("/api/v1/auth/login", json={"name": "", "password": "x"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    doc = r.json()
    assert doc["status"] == 422
    assert doc["detail"].startswith("body.name:")
    assert [e["field"] for e in doc["errors"]] == ["body.name"]


def test_an_unexpected_error_is_a_500_problem_without_a_traceback(tmp_path: Path) -> None:
    _core, web = _app_with(tmp_path, "")
    broken = APIRouter()

    @broken.get("/api/v1/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret detail from deep inside /srv/gridloop/thing.py")

    web.include_router(broken)
    with TestClient(web, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/test-only/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == PROBLEM
    assert r.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "internal error; the server log has the details",
    }
    assert "Traceback" not in r.text and "secret" not in r.text
