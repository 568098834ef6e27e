"""Revocation under `gridloop serve --processes 2` (issue 13 #9): each process had its own
cache, so a disabled user kept working in whichever process had answered them lately."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_process import ok

from gridloop.benchmarks.server_process import wait_up
from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.serving import free_port

CONNECTIONS = 16  # fresh connections: the kernel gives each to either process


@pytest.fixture
def two_processes(app: App) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "gridloop", "serve", "--db", str(app.settings.db_path)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--processes", "2", "--no-access-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if not k.startswith("GRIDLOOP_")},
    )
    try:
        wait_up(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)
        assert server.returncode == 0, out.decode(errors="replace")[-2000:]


def _me(url: str, headers: dict[str, str]) -> tuple[int, int]:
    with httpx.Client(base_url=url, timeout=30) as c:  # a connection of its own
        return c.get("/api/v1/me", headers=headers).status_code, c.get("/healthz").json()["pid"]


def test_a_user_disabled_while_both_processes_remember_them_is_refused_by_both(
    app: App, two_processes: str
) -> None:
    url = two_processes
    _account, password = app.account_service().add_user("ops", Role.DISTRICT_ADMIN, None, 0)
    login = httpx.post(f"{url}/api/v1/auth/login", json={"name": "ops", "password": password})
    user = {"Authorization": f"Bearer {login.json()['token']}"}
    before = [_me(url, user) for _ in range(CONNECTIONS)]
    assert {status for status, _pid in before} == {200}
    ok("user", "disable", "ops", "--db", str(app.settings.db_path), cwd=Path.cwd())
    after = [_me(url, user) for _ in range(CONNECTIONS)]
    assert {status for status, _pid in after} == {401}
    assert len({pid for _status, pid in before + after}) == 2  # both processes were asked
