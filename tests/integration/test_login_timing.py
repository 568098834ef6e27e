"""An unknown name costs the same password check as a wrong password (issue 13 #2)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gridloop.bootstrap import bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.service_layer.accounts import LoginFailed

DAY = 86_400_000  # tries a day apart from addresses of their own: the throttle stays out of it
TRIES = 8


def _median_s(attempt: Callable[[int], None]) -> float:
    times = []
    for i in range(TRIES):
        start = time.perf_counter()
        with pytest.raises(LoginFailed):
            attempt(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_an_unknown_name_takes_as_long_as_a_wrong_password(tmp_path: Path) -> None:
    """issue 13 #2: on main a wrong password took ~300 ms and an unknown name ~5 ms."""
    accounts = bootstrap(Settings(db_path=tmp_path / "gridloop.db")).account_service()
    accounts.add_user("zhang", Role.DISTRICT_ADMIN, None, 0)
    api_only, _token = accounts.add_user("hotline", Role.DISTRICT_ADMIN, None, 0, api_only=True)
    with pytest.raises(LoginFailed):  # the first unknown name makes the stand-in hash
        accounts.login("warm-up", "x", 0, "10.9.9.9")
    wrong = _median_s(lambda i: accounts.login("zhang", "nope", (i + 1) * DAY, f"10.0.0.{i}"))
    unknown = _median_s(lambda i: accounts.login(f"ghost{i}", "nope", i * DAY, f"10.0.1.{i}"))
    no_password = _median_s(
        lambda i: accounts.login(api_only.name, "nope", (i + 1) * DAY, f"10.0.2.{i}")
    )
    assert unknown >= 0.5 * wrong, (unknown, wrong)
    assert no_password >= 0.5 * wrong, (no_password, wrong)
