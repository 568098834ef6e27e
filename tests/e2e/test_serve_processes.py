"""`gridloop serve --processes 2`, real processes on one port: one ingests, the other passes
telemetry on to it; both answer the API; notices reach streams on either; SIGTERM stops all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from registry_io_e2e import import_tiny

from gridloop.benchmarks.server_process import wait_up
from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role
from gridloop.domain.devices.device import Device
from gridloop.entrypoints.web.serving import free_port

ATTEMPTS = 60  # fresh connections tried before concluding the other process never answers


@pytest.fixture
def two_processes(app: App, tiny_dir: Path) -> Iterator[tuple[str, list[Device], str]]:
    devices = import_tiny(app, tiny_dir)
    gateway = app.token_store().issue_gateway_token(devices[0].grid_code[:6], "gw", 0)
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
        yield f"http://127.0.0.1:{port}", devices, gateway
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)
        assert server.returncode == 0, out.decode(errors="replace")[-2000:]


def fresh(url: str) -> httpx.Client:
    """A client of its own: a new connection, which the kernel may give either process."""
    return httpx.Client(base_url=url, timeout=30)


def test_one_process_ingests_and_telemetry_sent_to_either_is_evaluated(
    two_processes: tuple[str, list[Device], str],
) -> None:
    url, devices, gateway = two_processes
    seen: dict[int, bool] = {}
    for _ in range(ATTEMPTS):
        with fresh(url) as c:
            health = c.get("/healthz").json()
        seen[health["pid"]] = health["ingests"]
        if len(seen) == 2:
            break
    assert sorted(seen.values()) == [False, True]  # two processes, exactly one ingests

    smokes = [d for d in devices if d.kind == "smoke_detector"]
    now = int(time.time() * 1000)
    answers = []
    posts = 16  # over fresh connections: the chance that none reaches the other is 2^-32
    for i in range(posts):
        smoke = smokes[i % len(smokes)]
        seq = i // len(smokes) + 1
        event = {"device_id": smoke.id, "ts": now + i, "seq": seq, "event": "smoke_alarm"}
        with fresh(url) as c:
            r = c.post("/api/v1/telemetry", json=[event], headers=bearer(gateway))
        answers.append((r.status_code, r.json()["accepted"]))
        with fresh(url) as c:  # a wrong token is refused whichever process takes it
            refused = c.post("/api/v1/telemetry", json=[event], headers=bearer("nope"))
        assert refused.status_code == 401
        assert "token" in refused.json()["detail"]
    assert answers == [(200, 1)] * posts
    with fresh(url) as c:
        metrics = c.get("/metrics").text
    assert f"gridloop_messages_accepted_total {posts}" in metrics
    assert f'gridloop_messages_rejected_total{{reason="unauthorized"}} {posts}' in metrics


def test_a_case_opened_by_the_ingesting_process_reaches_streams_on_both(
    two_processes: tuple[str, list[Device], str], app: App
) -> None:
    url, devices, gateway = two_processes
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    service = app.case_service()
    worker = service.directory.workers_of_grid[smoke.grid_code][0]  # least loaded: all at 0
    token = app.account_service().add_user(
        "w", Role.GRID_WORKER, f"worker:{worker}", 0, api_only=True
    )[1]
    clients = [fresh(url) for _ in range(6)]
    streams = [c.stream("GET", "/api/v1/feed", headers=bearer(token)) for c in clients]
    responses = [s.__enter__() for s in streams]
    try:
        lines = [r.iter_lines() for r in responses]
        for it in lines:
            while not next(it).startswith(": listening"):
                pass
        event = {"device_id": smoke.id, "ts": int(time.time() * 1000), "seq": 1,
                 "event": "smoke_alarm"}  # fmt: skip
        with fresh(url) as c:
            assert c.post("/api/v1/telemetry", json=[event], headers=bearer(gateway)).is_success
        heard = []
        for it in lines:
            data = next(line for line in it if line.startswith("data: "))
            heard.append(json.loads(data.removeprefix("data: "))["kind"])
        assert heard == ["assigned"] * 6
    finally:
        for s in streams:
            s.__exit__(None, None, None)
        for c in clients:
            c.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
