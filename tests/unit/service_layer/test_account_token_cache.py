"""AccountService remembers token answers: `remembered` reads only what `authenticate` stored."""

from __future__ import annotations

from gridloop.domain.accounts import Account
from gridloop.domain.cases.events import Role
from gridloop.service_layer.accounts import CACHE_MS, AccountService, token_hash

WORKER = Account("u1", "wang", Role.GRID_WORKER, "worker", "W000001")


class FakeStore:
    def __init__(self) -> None:
        self.tokens = {token_hash("gl_live"): WORKER}
        self.lookups = 0

    def account_for_token(self, key: str, now_ms: int) -> Account | None:
        self.lookups += 1
        return self.tokens.get(key)

    def revoke_token(self, key: str, at_ms: int) -> bool:
        return self.tokens.pop(key, None) is not None


def _service(store: FakeStore) -> AccountService:
    return AccountService(store, passwords=None, scope_exists=lambda _k, _c: True)  # type: ignore[arg-type]


def test_a_token_not_yet_checked_is_not_remembered() -> None:
    assert _service(FakeStore()).remembered("gl_live", 1_000) is None


def test_remembers_a_live_token_until_the_cache_expires_without_asking_the_store() -> None:
    store = FakeStore()
    accounts = _service(store)
    assert accounts.authenticate("gl_live", 1_000) == WORKER
    assert accounts.remembered("gl_live", 1_000 + CACHE_MS - 1) == WORKER
    assert accounts.remembered("gl_live", 1_000 + CACHE_MS) is None
    assert store.lookups == 1


def test_an_unknown_or_logged_out_token_is_never_remembered_as_an_account() -> None:
    accounts = _service(FakeStore())
    assert accounts.authenticate("gl_unknown", 1_000) is None
    assert accounts.remembered("gl_unknown", 1_001) is None
    accounts.authenticate("gl_live", 1_000)
    accounts.logout("gl_live", 1_001)
    assert accounts.remembered("gl_live", 1_002) is None


class Generation:
    def __init__(self) -> None:
        self.value = 0

    def generation(self) -> int:
        return self.value

    def close(self) -> None:
        pass


def test_a_newer_revocation_generation_drops_every_remembered_answer() -> None:
    """issue 13 #9: a revocation made through another process counts at the next request."""
    store, revocations = FakeStore(), Generation()
    accounts = AccountService(store, None, lambda _k, _c: True, revocations=revocations)  # type: ignore[arg-type]
    assert accounts.authenticate("gl_live", 1_000) == WORKER
    revocations.value += 1  # another process revoked something (not this store's token)
    assert accounts.remembered("gl_live", 1_001) is None
    assert accounts.authenticate("gl_live", 1_001) == WORKER
    assert store.lookups == 2


def test_an_answer_looked_up_while_a_revocation_commits_is_not_trusted_later() -> None:
    store, revocations = FakeStore(), Generation()
    accounts = AccountService(store, None, lambda _k, _c: True, revocations=revocations)  # type: ignore[arg-type]
    looked_up = store.account_for_token

    def racing(key: str, now_ms: int) -> Account | None:
        found = looked_up(key, now_ms)  # the answer read before the revocation …
        store.tokens.clear()
        revocations.value += 1  # … which commits before the answer is remembered
        return found

    store.account_for_token = racing  # type: ignore[method-assign]
    assert accounts.authenticate("gl_live", 1_000) == WORKER
    store.account_for_token = looked_up  # type: ignore[method-assign]
    assert accounts.remembered("gl_live", 1_001) is None
    assert accounts.authenticate("gl_live", 1_001) is None
