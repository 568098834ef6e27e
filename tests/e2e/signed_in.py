"""Sign users in over the API of a TestClient: accounts made through the account service."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gridloop.bootstrap import App
from gridloop.domain.cases.events import Role

AT = 1_700_000_000_000


def sign_in(
    client: TestClient, app: App, name: str, role: Role, scope: str | None = None
) -> dict[str, str]:
    """Create the user, log in with its one-time password, and return the Bearer header."""
    _account, password = app.account_service().add_user(name, role, scope, AT)
    r = client.post("/api/v1/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    client.cookies.clear()  # callers here speak Bearer; a session cookie would follow every request
    return {"Authorization": f"Bearer {r.json()['token']}"}
