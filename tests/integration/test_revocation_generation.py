"""Revocation counts at once in every process (issue 13 #9): two services over one database file
stand for two server processes; a revocation through one is seen by the other's next check."""

from __future__ import annotations

from pathlib import Path

from gridloop.adapters.sqlite.revocations import INTAKE
from gridloop.bootstrap import App, bootstrap
from gridloop.config import Settings
from gridloop.domain.cases.events import Role
from gridloop.entrypoints.web.state import WebState

NOW = 1_700_000_000_000


def _core(tmp_path: Path) -> App:
    return bootstrap(Settings(db_path=tmp_path / "gridloop.db"))


def _web_state(core: App) -> WebState:
    return WebState(None, core.telemetry_store(), core.token_store(), core.revocations(INTAKE))


def test_a_logout_in_one_process_ends_the_session_cached_in_another(tmp_path: Path) -> None:
    """issue 13 #9: on main the other process trusted its cached answer for 30 s."""
    core = _core(tmp_path)
    one, other = core.account_service(), core.account_service()
    _account, password = one.add_user("chen", Role.DISTRICT_ADMIN, None, NOW)
    session = one.login("chen", password, NOW, "10.0.0.1")
    assert other.authenticate(session.token, NOW) is not None  # now cached there
    assert other.remembered(session.token, NOW + 1) is not None
    assert one.logout(session.token, NOW + 2)
    assert other.remembered(session.token, NOW + 3) is None
    assert other.authenticate(session.token, NOW + 3) is None


def test_disabling_a_user_ends_their_sessions_cached_in_another_process(tmp_path: Path) -> None:
    """issue 13 #9: a disabled user's session worked for 30 s more."""
    core = _core(tmp_path)
    one, other = core.account_service(), core.account_service()
    _account, password = one.add_user("chen", Role.DISTRICT_ADMIN, None, NOW)
    session = one.login("chen", password, NOW, "10.0.0.1")
    assert other.authenticate(session.token, NOW) is not None
    assert one.disable("chen", NOW + 1)
    assert other.authenticate(session.token, NOW + 2) is None


def test_revoking_a_device_token_ends_it_in_every_web_state_at_once(tmp_path: Path) -> None:
    """issue 13 #9: on main a revoked device token worked for up to 60 s more (per process)."""
    core = _core(tmp_path)
    one, other = _web_state(core), _web_state(core)
    ((_, token),) = core.token_store().issue_device_tokens(["EF-1"], NOW)
    assert one.authenticate(token) is not None and other.authenticate(token) is not None
    assert core.token_store().revoke_device("EF-1", NOW + 1) == 1  # as `gridloop token revoke`
    assert one.remembered_credential(token) is None
    assert one.authenticate(token) is None and other.authenticate(token) is None


def test_a_revocation_bumps_the_generation_only_of_its_own_kind(tmp_path: Path) -> None:
    core = _core(tmp_path)
    intake = core.revocations(INTAKE)
    before = intake.generation()
    accounts = core.account_service()
    accounts.add_user("chen", Role.DISTRICT_ADMIN, None, NOW)
    accounts.disable("chen", NOW)
    assert intake.generation() == before
    core.token_store().revoke_device("EF-1", NOW)
    assert intake.generation() == before + 1
