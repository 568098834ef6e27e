"""The sign-in throttle policy (issue 13 #1): back-off doubling to a cap, then a lock."""

from __future__ import annotations

import pytest

from gridloop.domain.login_throttle import (
    ACCOUNT_POLICY,
    Failures,
    ThrottlePolicy,
    after_failure,
    locks_now,
    policy_from_table,
    refusal,
)

POLICY = ThrottlePolicy(
    free_failures=3, base_ms=1_000, cap_ms=8_000, lock_after=6, lock_ms=60_000, forget_ms=600_000
)


def _failed(times: int, at: int = 0) -> Failures:
    failures = Failures()
    for _ in range(times):
        failures = after_failure(POLICY, failures, at)
    return failures


def test_the_first_failures_are_answered_at_once() -> None:
    assert refusal(POLICY, _failed(2), 1) is None


def test_after_the_free_failures_each_wait_doubles_up_to_the_cap() -> None:
    waits = []
    for count in (3, 4, 5):
        why = refusal(POLICY, _failed(count, at=10_000), 10_000)
        assert why is not None and not why.locked
        waits.append(why.until_ms - 10_000)
    assert waits == [1_000, 2_000, 4_000]
    capped = ThrottlePolicy(3, 1_000, 3_000, 9, 60_000, 600_000)
    failures = Failures(7, 0)
    why = refusal(capped, failures, 0)
    assert why is not None and why.until_ms == 3_000


def test_a_try_after_the_wait_may_go_ahead() -> None:
    assert refusal(POLICY, _failed(3, at=0), 999) is not None
    assert refusal(POLICY, _failed(3, at=0), 1_000) is None


def test_the_failure_that_reaches_lock_after_locks_for_lock_ms() -> None:
    failures = _failed(6, at=5_000)
    assert locks_now(POLICY, failures)
    why = refusal(POLICY, failures, 5_000 + 59_999)
    assert why is not None and why.locked and why.until_ms == 65_000
    assert why.retry_after_s(5_000) == 60
    assert refusal(POLICY, failures, 65_000) is None


def test_failures_older_than_forget_ms_are_forgotten() -> None:
    old = _failed(6, at=0)
    assert refusal(POLICY, old, 600_000) is None
    assert after_failure(POLICY, old, 600_000) == Failures(1, 600_000)


def test_a_settings_table_overrides_fields_and_names_a_wrong_key() -> None:
    assert policy_from_table({"lock_after": 20}, ACCOUNT_POLICY).lock_after == 20
    with pytest.raises(ValueError, match="unknown key 'lock'"):
        policy_from_table({"lock": 3}, ACCOUNT_POLICY)
    with pytest.raises(ValueError, match="lock_after = -1"):
        policy_from_table({"lock_after": -1}, ACCOUNT_POLICY)
    with pytest.raises(ValueError, match="free_failures < lock_after"):
        policy_from_table({"lock_after": 2}, ACCOUNT_POLICY)
