"""Sign-in as a guesser tries it (issue 13 #1): back-off answered 429, then a lock that the
right password does not pass, lifted by `gridloop user unlock`; counts shared by processes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import gridloop, ok
from fastapi.testclient import TestClient

from gridloop.bootstrap import App, bootstrap
from gridloop.config import ConfigError, Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.app import create_app
from gridloop.service_layer.accounts import LoginFailed, LoginThrottled

PROBLEM = "application/problem+json"
# waits of 0.2 s doubling to 0.4 s after two failures; the fourth failure locks for an hour
FAST = """
[api]
rate_per_s = 1000
burst = 1000
[login.account]
free_failures = 2
base_ms = 200
cap_ms = 400
lock_after = 4
lock_ms = 3600000
[login.address]
free_failures = 8
lock_after = 30
"""


@pytest.fixture
def fast(tmp_path: Path) -> Iterator[tuple[App, TestClient, str]]:
    config = tmp_path / "gridloop.toml"
    config.write_text(FAST, encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    _account, password = core.account_service().add_user("li", Role.DISTRICT_ADMIN, None, 0)
    with TestClient(create_app(core.settings)) as client:
        yield core, client, password


def _login(client: TestClient, name: str, password: str) -> int:
    return client.post("/api/v1/auth/login", json={"name": name, "password": password}).status_code


def _log(core: App) -> list[tuple[str, str, str]]:
    store = core.account_service().store
    return [
        (action, subject, detail) for _i, _at, _u, action, subject, detail in store.access_log()
    ]  # type: ignore[attr-defined]


def test_repeated_wrong_passwords_back_off_with_429_then_lock_until_unlocked(
    fast: tuple[App, TestClient, str],
) -> None:
    """issue 13 #1: on main 400 wrong passwords never met a 429 and the right one still worked."""
    core, client, password = fast
    assert [_login(client, "li", "guess") for _ in range(2)] == [401, 401]
    backing_off = client.post("/api/v1/auth/login", json={"name": "li", "password": "guess"})
    assert backing_off.status_code == 429
    assert backing_off.headers["content-type"] == PROBLEM
    assert int(backing_off.headers["retry-after"]) >= 1
    assert backing_off.json()["status"] == 429 and "retry after" in backing_off.json()["detail"]
    time.sleep(0.25)
    assert _login(client, "li", "guess") == 401  # third failure: the wait doubles to 0.4 s
    assert _login(client, "li", password) == 429  # even the right password waits its turn
    time.sleep(0.45)
    assert _login(client, "li", "guess") == 401  # the fourth: locked for an hour
    time.sleep(0.45)
    locked = client.post("/api/v1/auth/login", json={"name": "li", "password": password})
    assert locked.status_code == 429 and "locked" in locked.json()["detail"]
    assert int(locked.headers["retry-after"]) > 3000

    out = ok("user", "unlock", "li", "--db", str(core.settings.db_path), cwd=Path.cwd())
    assert "unlocked li" in out
    assert _login(client, "li", password) == 200

    log = _log(core)
    actions = [a for a, _s, _d in log]
    assert actions.count("login_failed") == 4
    assert {"login_throttled", "login_locked", "login_unlocked", "login"} <= set(actions)
    assert all(
        "address=testclient" in d
        for a, _s, d in log
        if a.startswith("login_") and a != "login_unlocked"
    )


def test_an_unknown_name_is_throttled_exactly_as_a_known_one(
    fast: tuple[App, TestClient, str],
) -> None:
    """issue 13 #1 and #2: the throttle answers alike for names that exist and names that do not."""
    _core, client, _password = fast
    known = [_login(client, "li", "guess") for _ in range(3)]
    unknown = [_login(client, "nobody", "guess") for _ in range(3)]
    assert known == unknown == [401, 401, 429]


def test_one_address_trying_many_names_is_throttled_too(
    fast: tuple[App, TestClient, str],
) -> None:
    """issue 13 #1: spraying one password over many names meets the per-address back-off."""
    _core, client, _password = fast
    answers = [_login(client, f"user{i}", "123456") for i in range(9)]
    assert answers == [401] * 8 + [429]


def test_a_success_forgets_the_names_failures(fast: tuple[App, TestClient, str]) -> None:
    _core, client, password = fast
    assert [_login(client, "li", "typo") for _ in range(2)] == [401, 401]
    time.sleep(0.25)
    assert _login(client, "li", password) == 200
    assert [_login(client, "li", "typo") for _ in range(2)] == [401, 401]


def test_failures_counted_by_one_process_hold_in_another_and_after_a_restart(
    tmp_path: Path,
) -> None:
    """issue 13 #1: the counts live in the database, not in a process."""
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db"))
    first = core.account_service()
    _account, password = first.add_user("li", Role.DISTRICT_ADMIN, None, 0)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            first.login("li", "guess", 1_000, "10.0.0.9")
    first.close()
    second = core.account_service()  # as another process, or the server after a restart
    with pytest.raises(LoginThrottled):
        second.login("li", password, 1_001, "10.0.0.7")
    assert second.login("li", password, 1_000 + 60_000, "10.0.0.7").account.name == "li"


def test_a_wrong_login_setting_is_one_clear_line(tmp_path: Path) -> None:
    config = tmp_path / "gridloop.toml"
    config.write_text("[login.account]\nlock_afterr = 3\n", encoding="utf-8")
    core = bootstrap(Settings(db_path=tmp_path / "gridloop.db", config_path=config))
    with pytest.raises(ConfigError, match=r"^\[login.account\]: unknown key 'lock_afterr'"):
        core.account_service()


def test_serve_with_a_wrong_login_setting_stops_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "gridloop.toml"
    config.write_text("[login.address]\nlock_after = 'many'\n", encoding="utf-8")
    done = gridloop(
        "serve",
        "--db",
        str(tmp_path / "g.db"),
        cwd=tmp_path,
        timeout=60,
        GRIDLOOP_CONFIG=str(config),
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "[login.address]: lock_after = 'many'" in lines[0]


def test_doctor_names_a_wrong_login_setting(tmp_path: Path) -> None:
    config = tmp_path / "gridloop.toml"
    config.write_text("[login.account]\nfree_failures = 0\n", encoding="utf-8")
    done = gridloop("doctor", "--db", str(tmp_path / "g.db"), "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "[login.account]: a policy needs 0 < free_failures < lock_after" in done.stdout
