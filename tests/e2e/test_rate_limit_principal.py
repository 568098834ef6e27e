"""The rate limit as an attacker meets it (issue 13 #3): keyed on whom a live token belongs to,
and anything else (made-up tokens, forged forwarding headers) on the connection's address."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from signed_in import sign_in

from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app

BURST = 10


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[tuple[App, TestClient]]:
    """A burst of 10 and a slow refill (one request per 100 s)."""
    config = tmp_path / "gridloop.toml"
    config.write_text(f"[api]\nrate_per_s = 0.01\nburst = {BURST}\n", encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    with TestClient(create_app(core.settings)) as client:
        yield core, client


def _random_bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer gl_{secrets.token_urlsafe(32)}"}


def test_a_fresh_random_bearer_per_request_does_not_bypass_the_limit(
    strict: tuple[App, TestClient],
) -> None:
    """issue 13 #3: on main 150 requests with 150 new random tokens all got through."""
    _core, client = strict
    answers = [client.get("/api/v1/me", headers=_random_bearer()).status_code for _ in range(150)]
    assert answers == [401] * BURST + [429] * (150 - BURST)


def test_random_intake_tokens_and_cookies_count_against_the_address_too(
    strict: tuple[App, TestClient],
) -> None:
    """issue 13 #3: no spelling of a made-up credential earns a bucket of its own."""
    _core, client = strict
    answers = []
    for i in range(30):
        token = secrets.token_urlsafe(24)
        if i % 2:
            client.cookies.set("gridloop_session", token)
            answers.append(client.get("/api/v1/me").status_code)
            client.cookies.clear()
        else:
            headers = {"Authorization": f"Bearer {token}"}
            answers.append(client.post("/api/v1/telemetry", json=[], headers=headers).status_code)
    assert 429 in answers and answers.index(429) == BURST
    assert set(answers[BURST:]) == {429}


def test_a_forged_forwarding_header_is_not_an_address(strict: tuple[App, TestClient]) -> None:
    """issue 13 #3: X-Forwarded-For is the client's own writing; the peer address counts."""
    _core, client = strict
    answers = []
    for i in range(BURST + 5):
        headers = {**_random_bearer(), "X-Forwarded-For": f"203.0.113.{i}"}
        answers.append(client.get("/api/v1/me", headers=headers).status_code)
    assert answers[BURST:] == [429] * 5


def test_a_signed_in_user_keeps_their_own_bucket_while_their_address_is_flooded(
    strict: tuple[App, TestClient],
) -> None:
    core, client = strict
    user = sign_in(client, core, "zhou", Role.DISTRICT_ADMIN)  # the login costs the address one
    assert client.get("/api/v1/me", headers=user).status_code == 200
    flood = [client.get("/api/v1/me", headers=_random_bearer()).status_code for _ in range(40)]
    assert flood.count(429) == 40 - (BURST - 1)
    assert client.get("/api/v1/me", headers=user).status_code == 200


def test_two_sessions_of_one_account_share_one_bucket(strict: tuple[App, TestClient]) -> None:
    """issue 13 #3: the key is the principal, not the token: logging in again buys nothing."""
    core, client = strict
    _account, password = core.account_service().add_user("wu", Role.DISTRICT_ADMIN, None, 0)
    sessions = []
    for _ in range(2):
        r = client.post("/api/v1/auth/login", json={"name": "wu", "password": password})
        sessions.append({"Authorization": f"Bearer {r.json()['token']}"})
        client.cookies.clear()  # the next login must not carry this session's cookie
    first = [client.get("/api/v1/me", headers=sessions[0]).status_code for _ in range(6)]
    second = [client.get("/api/v1/me", headers=sessions[1]).status_code for _ in range(6)]
    assert first == [200] * 6
    assert second == [200] * 4 + [429] * 2
