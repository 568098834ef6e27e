"""Sign-in: accounts with a role and a region, one-time passwords, sessions and API tokens.

Tokens are random (256 bits), shown once, and stored only as their SHA-256; sessions expire,
API tokens last until revoked. Every sign-in, failed or not, goes to the access log.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from gridloop.domain.accounts import Account, parse_scope
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role

SESSION_TTL_MS = 12 * 3_600_000  # a working day and a half-shift
CACHE_MS = 30_000


class AccountStore(Protocol):
    def close(self) -> None: ...
    def add_user(self, account: Account, password_hash: str | None, at_ms: int) -> None: ...
    def set_password(self, user_id: str, password_hash: str) -> None: ...
    def user_by_name(self, name: str) -> tuple[Account, str | None] | None: ...
    def users(self) -> list[tuple[Account, bool]]: ...
    def disable(self, name: str, at_ms: int) -> bool: ...
    def add_token(
        self,
        token_hash: str,
        user_id: str,
        kind: str,
        at_ms: int,
        expires_at: int | None,
        label: str = "",
    ) -> None: ...
    def account_for_token(self, token_hash: str, now_ms: int) -> Account | None: ...
    def revoke_token(self, token_hash: str, at_ms: int) -> bool: ...
    def log_access(
        self, at_ms: int, user_id: str, action: str, subject: str = "", detail: str = ""
    ) -> None: ...


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...


class AccountRefused(ValueError):
    """An account that cannot be created as asked: which part, and why."""


class LoginFailed(Exception):
    """Unknown name or wrong password (deliberately not saying which)."""


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: int
    account: Account


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    def __init__(
        self,
        store: AccountStore,
        passwords: Passwords,
        scope_exists: Callable[[str, str], bool],
        session_ttl_ms: int = SESSION_TTL_MS,
    ) -> None:
        self.store, self.passwords = store, passwords
        self.scope_exists, self.session_ttl_ms = scope_exists, session_ttl_ms
        self._cache: dict[str, tuple[int, Account | None]] = {}

    def close(self) -> None:
        self.store.close()

    def add_user(
        self, name: str, role: Role, scope: str | None, at_ms: int, api_only: bool = False
    ) -> tuple[Account, str]:
        """Create an account; returns it and its secret (a one-time password, or an API token
        for an integration with `api_only`), which is shown once and never stored."""
        if not name or len(name) > 64 or not name.isprintable() or " " in name:
            raise AccountRefused(f"name {name!r}: 1–64 printable characters without spaces")
        try:
            kind, code = parse_scope(role, scope)
        except ValueError as e:
            raise AccountRefused(str(e)) from None
        if code and not self.scope_exists(kind, code):
            raise AccountRefused(f"scope {kind}:{code} is not in the registry")
        if self.store.user_by_name(name) is not None:
            raise AccountRefused(f"a user named {name!r} exists")
        account = Account(uuid.uuid4().hex[:12], name, role, kind, code)
        if api_only:
            self.store.add_user(account, None, at_ms)
            return account, self._issue(account, "api", at_ms, None, "created with the user")
        password = secrets.token_urlsafe(12)
        self.store.add_user(account, self.passwords.hash(password), at_ms)
        return account, password

    def login(self, name: str, password: str, at_ms: int) -> Session:
        found = self.store.user_by_name(name)
        if found is None or found[1] is None or not self.passwords.verify(found[1], password):
            self.store.log_access(at_ms, found[0].id if found else "-", "login_failed", name)
            raise LoginFailed("unknown user or wrong password")
        account = found[0]
        expires = at_ms + self.session_ttl_ms
        token = self._issue(account, "session", at_ms, expires, "login")
        self.store.log_access(at_ms, account.id, "login", name)
        return Session(token, expires, account)

    def issue_api_token(self, name: str, label: str, at_ms: int) -> str:
        found = self.store.user_by_name(name)
        if found is None:
            raise AccountRefused(f"no active user named {name!r}")
        return self._issue(found[0], "api", at_ms, None, label)

    def authenticate(self, token: str, now_ms: int) -> Account | None:
        """The account of a live token. Answers are remembered for CACHE_MS (every request
        asks), so a token revoked by another process stops working within that time; a logout
        through this service takes effect at once."""
        if not token or len(token) > 200:
            return None
        key = token_hash(token)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now_ms:
            return cached[1]
        account, expires = self.store.account_for_token(key, now_ms), now_ms + CACHE_MS
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = (expires, account)
        return account

    def remembered(self, token: str, now_ms: int) -> Account | None:
        """The account of a live token `authenticate` answered within CACHE_MS, without asking
        the store (None: not remembered, or not a live token); lets a caller skip a thread."""
        if not token or len(token) > 200:
            return None
        cached = self._cache.get(token_hash(token))
        return cached[1] if cached is not None and cached[0] > now_ms else None

    def logout(self, token: str, at_ms: int) -> bool:
        key = token_hash(token)
        self._cache.pop(key, None)
        return self.store.revoke_token(key, at_ms)

    def _issue(
        self, account: Account, kind: str, at_ms: int, expires: int | None, label: str
    ) -> str:
        token = f"gl_{secrets.token_urlsafe(32)}"
        self.store.add_token(token_hash(token), account.id, kind, at_ms, expires, label)
        return token


def actor_for(account: Account, grids_of_worker: Callable[[str], tuple[str, ...]]) -> Actor:
    """The case-workflow actor an account acts as: a worker acts on their registry grids."""
    if account.role is Role.GRID_WORKER:
        grids = grids_of_worker(account.scope_code)
        # a worker whose grids were all taken away keeps an account but reaches no case
        return Actor(account.scope_code, account.role, grids=frozenset(grids or ("-",)))
    # events name the person by account name; the unit they act for goes in the payload
    return Actor(account.name, account.role, region=account.scope_code)
