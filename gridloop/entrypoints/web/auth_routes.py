"""POST /api/v1/auth/login, /logout; GET /api/v1/me."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from gridloop.entrypoints.timefmt import iso
from gridloop.entrypoints.web.auth import SESSION_COOKIE, Caller
from gridloop.entrypoints.web.openapi_doc import answers

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class Login(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str
    expires_at: str
    user: dict[str, object]


def _now() -> int:
    return int(time.time() * 1000)


@router.post("/auth/login", responses=answers(401))
def login(body: Login, request: Request, response: Response) -> SessionOut:
    """A session token for a name and password (also set as an HttpOnly cookie for the pages)."""
    # the peer address, not X-Forwarded-For: a client may write any header it likes
    address = request.client.host if request.client else "-"
    accounts = request.app.state.gridloop.accounts
    session = accounts.login(body.name, body.password, _now(), address)
    max_age = max(1, (session.expires_at - _now()) // 1000)
    response.set_cookie(
        SESSION_COOKIE, session.token, max_age=max_age, httponly=True, samesite="strict"
    )
    return SessionOut(
        token=session.token,
        expires_at=iso(session.expires_at) or "",
        user=_user(session.account.name, session.account.role.value, session.account.scope),
    )


@router.post("/auth/logout", status_code=204)
def logout(caller: Caller, request: Request, response: Response) -> None:
    """Revoke the token this request carries."""
    request.app.state.gridloop.accounts.logout(caller.token, _now())
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me")
def me(caller: Caller) -> dict[str, object]:
    """Who the token belongs to, and what they reach."""
    doc = _user(caller.account.name, caller.role.value, caller.account.scope)
    doc["grids"] = sorted(caller.actor.grids - {"-"})
    return doc


def _user(name: str, role: str, scope: str) -> dict[str, object]:
    return {"name": name, "role": role, "scope": scope}
