"""Whom a token belongs to, for the rate limiter: a user's account, or an intake credential.

Only a live token names a principal; a made-up one is None, and the limiter counts it against
the client address. A token the caches know costs no lookup; another costs one (in a worker
thread), which the route that follows then finds remembered.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from anyio import to_thread

from gridloop.adapters.sqlite.token_store import Credential
from gridloop.entrypoints.web.state import WebState

ACCOUNT_TOKEN_PREFIX = "gl_"  # session and API tokens (service_layer/accounts.py); intake: none


def remembered_principal(state: WebState, token: str) -> str | None:
    """The principal of a token the caches answered lately, without a lookup."""
    if token.startswith(ACCOUNT_TOKEN_PREFIX):
        account = state.accounts.remembered(token, _now()) if state.accounts else None
        return f"user:{account.id}" if account is not None else None
    credential = state.remembered_credential(token)
    return _intake(credential) if credential is not None else None


async def principal_of(
    scope: MutableMapping[str, Any], token: str, may_look_up: bool
) -> str | None:
    """A LimitsMiddleware `identify`: the principal of a live token, else None; without
    `may_look_up` only a token the caches know counts."""
    app = scope.get("app")
    state: WebState | None = getattr(getattr(app, "state", None), "gridloop", None)
    if state is None or len(token) > 200:
        return None
    known = remembered_principal(state, token)
    if known is not None or not may_look_up:
        return known
    if token.startswith(ACCOUNT_TOKEN_PREFIX):
        if state.accounts is None:
            return None
        account = await to_thread.run_sync(state.accounts.authenticate, token, _now())
        return f"user:{account.id}" if account is not None else None
    credential = await to_thread.run_sync(state.authenticate, token)
    return _intake(credential) if credential is not None else None


def _intake(credential: Credential) -> str:
    return f"intake:{credential.kind}:{credential.device_id or credential.label}"


def _now() -> int:
    return int(time.time() * 1000)
