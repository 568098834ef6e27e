"""Revocation while a server runs (issue 13 #9): the CLI, another process, revokes; the server's
next answer is 401, although it had just answered that token from its cache."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import orjson
from cli_process import ok
from http_server import running_server
from registry_io_e2e import import_tiny

from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role


def _reading(device_id: str, seq: int) -> bytes:
    return orjson.dumps({"device_id": device_id, "ts": int(time.time() * 1000), "seq": seq})


def test_a_device_token_revoked_by_the_cli_is_refused_on_the_next_post(
    app: App, tiny_dir: Path
) -> None:
    """issue 13 #9: on main the revoked token kept working from the server's cache."""
    devices = import_tiny(app, tiny_dir)
    smoke = next(d for d in devices if d.kind == "smoke_detector")
    ((_, token),) = app.token_store().issue_device_tokens([smoke.id], 0)
    auth = {"Authorization": f"Bearer {token}"}
    with running_server(app.settings) as url:
        posted = httpx.post(f"{url}/api/v1/telemetry", content=_reading(smoke.id, 1), headers=auth)
        assert posted.status_code == 200, posted.text
        out = ok("token", "revoke", smoke.id, "--db", str(app.settings.db_path), cwd=Path.cwd())
        assert "1 token(s) revoked" in out
        again = httpx.post(f"{url}/api/v1/telemetry", content=_reading(smoke.id, 2), headers=auth)
        assert again.status_code == 401


def test_a_user_disabled_by_the_cli_is_refused_on_the_next_request(app: App) -> None:
    """issue 13 #9: on main a disabled user's session worked for 30 s more."""
    _account, password = app.account_service().add_user("ops", Role.DISTRICT_ADMIN, None, 0)
    with running_server(app.settings) as url:
        login = httpx.post(f"{url}/api/v1/auth/login", json={"name": "ops", "password": password})
        user = {"Authorization": f"Bearer {login.json()['token']}"}
        assert httpx.get(f"{url}/api/v1/me", headers=user).status_code == 200
        ok("user", "disable", "ops", "--db", str(app.settings.db_path), cwd=Path.cwd())
        assert httpx.get(f"{url}/api/v1/me", headers=user).status_code == 401
