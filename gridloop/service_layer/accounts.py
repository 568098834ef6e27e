"""Sign-in: accounts with a role and a region, one-time passwords, sessions and API tokens.

Tokens are random (256 bits), shown once, and stored only as their SHA-256; sessions expire,
API tokens last until revoked. Every sign-in, failed, throttled or not, goes to the access log
with the client address. Failed sign-ins back off and then lock (domain/login_throttle.py); an
unknown name costs the same password check as a known one, so timing names no account.
A revocation bumps a generation in the store; cached token answers of an older generation
are not trusted, so a revocation through any process counts at once in every process.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from gridloop.domain.accounts import Account, parse_scope
from gridloop.domain.cases.actor import Actor
from gridloop.domain.cases.events import Role
from gridloop.domain.login_throttle import (
    ACCOUNT_POLICY,
    ADDRESS_POLICY,
    Failures,
    Refusal,
    ThrottlePolicy,
    after_failure,
    locks_now,
    refusal,
)

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
    def count_login_attempt(
        self,
        keys: Sequence[str],
        counted: Callable[[Mapping[str, Failures]], Mapping[str, Failures]],
    ) -> None: ...
    def clear_login_failures(self, keys: Sequence[str]) -> int: ...
    def log_access(
        self, at_ms: int, user_id: str, action: str, subject: str = "", detail: str = ""
    ) -> None: ...


class Revocations(Protocol):
    def generation(self) -> int: ...
    def close(self) -> None: ...


class Passwords(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...


class AccountRefused(ValueError):
    """An account that cannot be created as asked: which part, and why."""


class LoginFailed(Exception):
    """Unknown name or wrong password (deliberately not saying which)."""


class LoginThrottled(Exception):
    """Too many failed sign-ins for this name or from this address: wait, or ask an admin."""

    def __init__(self, why: Refusal, at_ms: int) -> None:
        self.locked, self.retry_after_s = why.locked, why.retry_after_s(at_ms)
        what = "locked after repeated failures" if why.locked else "backing off after failures"
        super().__init__(f"sign-in {what}; retry after {self.retry_after_s} s")


@dataclass(frozen=True)
class LoginPolicies:
    account: ThrottlePolicy = ACCOUNT_POLICY
    address: ThrottlePolicy = ADDRESS_POLICY


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
        revocations: Revocations | None = None,
        policies: LoginPolicies = LoginPolicies(),
    ) -> None:
        self.store, self.passwords = store, passwords
        self.scope_exists, self.session_ttl_ms = scope_exists, session_ttl_ms
        self.revocations, self.policies = revocations, policies
        # token hash → (until, account, the revocation generation read before the lookup)
        self._cache: dict[str, tuple[int, Account | None, int]] = {}
        self._dummy_hash: str | None = None

    def close(self) -> None:
        self.store.close()
        if self.revocations is not None:
            self.revocations.close()

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

    def login(self, name: str, password: str, at_ms: int, address: str = "-") -> Session:
        """A session for the right password, unless this name or address is backing off or
        locked (LoginThrottled, before the password is looked at)."""
        keys = _throttle_keys(name, address)
        policies = dict(zip(keys, (self.policies.account, self.policies.address), strict=True))
        counts: dict[str, Failures] = {}

        def counted(failures: Mapping[str, Failures]) -> Mapping[str, Failures]:
            # counted as a failure before the check, so that tries in parallel (threads,
            # processes) cannot all pass on the same count; a success takes it back
            for key, policy in policies.items():
                why = refusal(policy, failures[key], at_ms)
                if why is not None:
                    raise LoginThrottled(why, at_ms)
            counts.update({k: after_failure(p, failures[k], at_ms) for k, p in policies.items()})
            return counts

        try:
            self.store.count_login_attempt(keys, counted)
        except LoginThrottled as e:
            action = "login_locked" if e.locked else "login_throttled"
            detail = f"address={address} retry_after_s={e.retry_after_s}"
            self.store.log_access(at_ms, "-", action, name, detail)
            raise
        found = self.store.user_by_name(name)
        stored = found[1] if found is not None else None
        # an unknown name (or one without a password) costs the same check as a wrong password
        right = self.passwords.verify(stored or self._dummy(), password) and stored is not None
        if found is None or not right:
            self._log_failure(name, found[0].id if found else "-", address, counts, at_ms)
            raise LoginFailed("unknown user or wrong password")
        self.store.count_login_attempt(keys, lambda failures: _taken_back(keys, failures))
        account = found[0]
        expires = at_ms + self.session_ttl_ms
        token = self._issue(account, "session", at_ms, expires, "login")
        self.store.log_access(at_ms, account.id, "login", name, f"address={address}")
        return Session(token, expires, account)

    def unlock(self, name: str, at_ms: int, address: str | None = None) -> int:
        """Lift the back-off or lock of a name (and of an address); how many counts it cleared."""
        keys = [_throttle_keys(name, address)[0]] + ([f"address:{address}"] if address else [])
        cleared = self.store.clear_login_failures(keys)
        self.store.log_access(at_ms, "-", "login_unlocked", name, f"address={address or '-'}")
        return cleared

    def _log_failure(
        self, name: str, user_id: str, address: str, counts: Mapping[str, Failures], at_ms: int
    ) -> None:
        account_failures, address_failures = counts.values()
        detail = f"address={address} failures={account_failures.count}"
        self.store.log_access(at_ms, user_id, "login_failed", name, detail)
        if locks_now(self.policies.account, account_failures):
            self.store.log_access(at_ms, user_id, "login_locked", name, detail)
        if locks_now(self.policies.address, address_failures):
            detail = f"address={address} failures={address_failures.count}"
            self.store.log_access(at_ms, "-", "login_locked", f"address:{address}", detail)

    def _dummy(self) -> str:
        if self._dummy_hash is None:  # made on first need: a CLI run never pays for it
            self._dummy_hash = self.passwords.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def issue_api_token(self, name: str, label: str, at_ms: int) -> str:
        found = self.store.user_by_name(name)
        if found is None:
            raise AccountRefused(f"no active user named {name!r}")
        return self._issue(found[0], "api", at_ms, None, label)

    def authenticate(self, token: str, now_ms: int) -> Account | None:
        """The account of a live token. Answers are remembered for CACHE_MS (every request
        asks), but only while no revocation happened since (one read of the generation)."""
        if not token or len(token) > 200:
            return None
        key, generation = token_hash(token), self._generation()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now_ms and cached[2] == generation:
            return cached[1]
        # the generation was read before the lookup: a revocation in between leaves this
        # answer marked older, so it is not trusted on the next request
        account, expires = self.store.account_for_token(key, now_ms), now_ms + CACHE_MS
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = (expires, account, generation)
        return account

    def remembered(self, token: str, now_ms: int) -> Account | None:
        """The account of a live token `authenticate` answered within CACHE_MS with no
        revocation since, without a token lookup (None: not remembered, or not a live token);
        lets a caller skip a thread."""
        if not token or len(token) > 200:
            return None
        cached = self._cache.get(token_hash(token))
        if cached is None or cached[0] <= now_ms or cached[2] != self._generation():
            return None
        return cached[1]

    def logout(self, token: str, at_ms: int) -> bool:
        key = token_hash(token)
        self._cache.pop(key, None)
        return self.store.revoke_token(key, at_ms)

    def disable(self, name: str, at_ms: int) -> bool:
        """Disable an account and revoke its tokens (at once, in every process)."""
        self._cache.clear()
        return self.store.disable(name, at_ms)

    def _generation(self) -> int:
        return self.revocations.generation() if self.revocations is not None else 0

    def _issue(
        self, account: Account, kind: str, at_ms: int, expires: int | None, label: str
    ) -> str:
        token = f"gl_{secrets.token_urlsafe(32)}"
        self.store.add_token(token_hash(token), account.id, kind, at_ms, expires, label)
        return token


def _throttle_keys(name: str, address: str | None) -> list[str]:
    return [f"name:{name}", f"address:{address or '-'}"]


def _taken_back(keys: Sequence[str], failures: Mapping[str, Failures]) -> Mapping[str, Failures]:
    """A success: the name starts afresh; the address loses only the try counted for it."""
    name_key, address_key = keys
    left = failures[address_key]
    return {name_key: Failures(), address_key: Failures(max(0, left.count - 1), left.last_at)}


def actor_for(account: Account, grids_of_worker: Callable[[str], tuple[str, ...]]) -> Actor:
    """The case-workflow actor an account acts as: a worker acts on their registry grids."""
    if account.role is Role.GRID_WORKER:
        grids = grids_of_worker(account.scope_code)
        # a worker whose grids were all taken away keeps an account but reaches no case
        return Actor(account.scope_code, account.role, grids=frozenset(grids or ("-",)))
    # events name the person by account name; the unit they act for goes in the payload
    return Actor(account.name, account.role, region=account.scope_code)
