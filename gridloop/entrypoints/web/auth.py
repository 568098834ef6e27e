"""Who is calling: a session or API token (Bearer, or the browser's session cookie).

Routes declare `Caller` (any signed-in user) or `Depends(require(Role...))`; an unknown or
expired token is 401, a role the route does not serve is 403, and data outside the caller's
region is filtered out (or 404) by the services through `Principal.actor`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, HTTPException, Request

from gridloop.domain.accounts import Account
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role

SESSION_COOKIE = "gridloop_session"


@dataclass(frozen=True)
class Principal:
    account: Account
    actor: Actor
    token: str

    @property
    def role(self) -> Role:
        return self.account.role


def bearer_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.cookies.get(SESSION_COOKIE, "")


async def principal(request: Request) -> Principal:
    # async, so that a token checked lately costs no hop to a worker thread (every request
    # asks); only a lookup in the database goes to one
    state = request.app.state.gridloop
    token = bearer_token(request)
    now = int(time.time() * 1000)
    account = state.accounts.remembered(token, now) if token else None
    if account is None and token:
        account = await to_thread.run_sync(state.accounts.authenticate, token, now)
    if account is None:
        why = "sign in first (Bearer token)" if not token else "token unknown, expired or revoked"
        raise HTTPException(401, why, headers={"WWW-Authenticate": "Bearer"})
    return Principal(account, state.actor_for(account), token)


Caller = Annotated[Principal, Depends(principal)]


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only these roles (403 for the others)."""
    allowed = frozenset(roles)

    async def check(caller: Caller) -> Principal:  # async: no worker thread for a set lookup
        if caller.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise HTTPException(403, f"role {caller.role.value} may not do this ({names} may)")
        return caller

    return check
