"""Telemetry over real HTTP: tokens, bodies, alerts and counters, against uvicorn on loopback."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import orjson
import pytest
from http_server import running_server
from registry_io_e2e import import_tiny

from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role

MINUTE = 60_000


@pytest.fixture
def served(app: App, tiny_dir: Path):  # type: ignore[no-untyped-def]
    devices = import_tiny(app, tiny_dir)
    tokens = app.token_store()
    ef = next(d for d in devices if d.kind == "electrical_fire")
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    ((_, ef_token),) = tokens.issue_device_tokens([ef.id], 0)
    gateway = tokens.issue_gateway_token(ef.grid_code[:12], "community gateway", 0)
    with running_server(app.settings) as url:
        yield url, ef, smoke, ef_token, gateway


def now_ms() -> int:
    return int(time.time() * 1000)


def test_a_device_token_posts_its_readings_and_an_alert_appears(served, app: App) -> None:  # type: ignore[no-untyped-def]
    url, ef, _smoke, token, _gateway = served
    t = now_ms() - 3 * MINUTE
    body = [
        {"device_id": ef.id, "ts": t, "seq": 1, "values": {"residual_current_ma": 510.0}},
        {"device_id": ef.id, "ts": t + MINUTE, "seq": 2, "values": {"residual_current_ma": 520.0}},
    ]
    auth = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{url}/api/v1/telemetry", content=orjson.dumps(body), headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 2
    _account, password = app.account_service().add_user("ops", Role.DISTRICT_ADMIN, None, t)
    login = httpx.post(f"{url}/api/v1/auth/login", json={"name": "ops", "password": password})
    user = {"Authorization": f"Bearer {login.json()['token']}"}
    assert httpx.get(f"{url}/api/v1/alerts").status_code == 401  # alerts need a signed-in user
    alerts = httpx.get(f"{url}/api/v1/alerts", params={"status": "active"}, headers=user).json()
    assert {a["rule"] for a in alerts} == {
        "electrical_fire.residual_current_high",
        "electrical_fire.residual_current_critical",
    }
    assert all(a["device_id"] == ef.id and a["started_at"].endswith("+08:00") for a in alerts)


def test_a_wrong_token_is_refused_and_counted(served) -> None:  # type: ignore[no-untyped-def]
    url, ef, *_ = served
    body = orjson.dumps({"device_id": ef.id, "ts": now_ms(), "seq": 1, "values": {}})
    r = httpx.post(
        f"{url}/api/v1/telemetry", content=body, headers={"Authorization": "Bearer nope"}
    )
    assert r.status_code == 401
    assert httpx.post(f"{url}/api/v1/telemetry", content=body).status_code == 401
    metrics = httpx.get(f"{url}/metrics").text
    assert 'gridloop_messages_rejected_total{reason="unauthorized"} 2' in metrics


def test_a_device_token_cannot_speak_for_another_device(served) -> None:  # type: ignore[no-untyped-def]
    url, ef, smoke, token, _gateway = served
    lines = b"\n".join(
        orjson.dumps({"device_id": d, "ts": now_ms() - MINUTE, "seq": 1, "values": {}})
        for d in (ef.id, smoke.id)
    )
    r = httpx.post(
        f"{url}/api/v1/telemetry", content=lines, headers={"Authorization": f"Bearer {token}"}
    )
    doc = r.json()
    assert doc["accepted"] == 1
    assert [(x["device_id"], x["reason"]) for x in doc["rejections"]] == [
        (smoke.id, "unauthorized")
    ]


def test_a_gateway_token_covers_the_devices_of_its_region_in_ndjson(served) -> None:  # type: ignore[no-untyped-def]
    url, ef, _smoke, _token, gateway = served
    t = now_ms() - MINUTE
    lines = [
        orjson.dumps({"device_id": ef.id, "ts": t, "seq": 10, "values": {"voltage_v": 220.0}}),
        b"garbage",
        orjson.dumps({"device_id": ef.id, "ts": t, "seq": 10, "values": {"voltage_v": 220.0}}),
    ]
    r = httpx.post(
        f"{url}/api/v1/telemetry",
        content=b"\n".join(lines),
        headers={"Authorization": f"Bearer {gateway}", "Content-Type": "application/x-ndjson"},
    )
    doc = r.json()
    assert doc["accepted"] == 1
    assert sorted(x["reason"] for x in doc["rejections"]) == ["duplicate", "malformed"]
    metrics = httpx.get(f"{url}/metrics").text
    assert "gridloop_messages_accepted_total 1" in metrics
    assert 'gridloop_messages_rejected_total{reason="malformed"} 1' in metrics
    assert "\ngridloop_outbox_parked 0\n" in metrics  # the district's outbox, nothing parked
    health = httpx.get(f"{url}/healthz").json()
    assert (health["status"], health["ingests"]) == ("ok", True)


def test_a_revoked_device_token_is_refused(app: App, tiny_dir: Path) -> None:
    from click.testing import CliRunner

    from gridloop.entrypoints.cli import main

    devices = import_tiny(app, tiny_dir)
    ef = next(d for d in devices if d.kind == "electrical_fire")
    tokens = app.token_store()
    ((_, token),) = tokens.issue_device_tokens([ef.id], 0)
    assert tokens.lookup(token) is not None
    result = CliRunner().invoke(main, ["token", "revoke", ef.id, "--db", str(app.settings.db_path)])
    assert result.exit_code == 0 and "1 token(s) revoked" in result.output
    assert tokens.lookup(token) is None
