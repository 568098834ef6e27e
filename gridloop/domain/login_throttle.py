"""When a sign-in may be tried: exponential back-off after a few failures, then a lock.

Failures are counted per account name (whether or not the account exists, so that the answer
says nothing about which names do) and per client address. A lock lasts `lock_ms`, or until an
administrator lifts it; the right password during a lock is refused too. Time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int  # failures answered at once; after them each try waits
    base_ms: int  # the first wait; every further failure doubles it
    cap_ms: int  # the longest wait between two tries
    lock_after: int  # failures that lock sign-in for lock_ms
    lock_ms: int
    forget_ms: int  # failures older than this (since the last one) are forgotten

    def __post_init__(self) -> None:
        if not 0 < self.free_failures < self.lock_after:
            raise ValueError("a policy needs 0 < free_failures < lock_after")


# an account: a person mistyping a few times waits seconds; a guesser gets 10 tries, then 15 min
ACCOUNT_POLICY = ThrottlePolicy(3, 1_000, 60_000, 10, 15 * 60_000, 24 * 3_600_000)
# an address may be a whole office behind one NAT: more room, the same shape
ADDRESS_POLICY = ThrottlePolicy(10, 1_000, 60_000, 50, 15 * 60_000, 24 * 3_600_000)


@dataclass(frozen=True)
class Failures:
    count: int = 0
    last_at: int = 0  # ms of the last failure


@dataclass(frozen=True)
class Refusal:
    """A try refused before the password is looked at: backing off, or locked."""

    locked: bool
    until_ms: int

    def retry_after_s(self, now_ms: int) -> int:
        return max(1, -(-(self.until_ms - now_ms) // 1000))


def current(policy: ThrottlePolicy, failures: Failures, now_ms: int) -> Failures:
    """The failures that still count at `now_ms`."""
    if failures.count and now_ms - failures.last_at >= policy.forget_ms:
        return Failures()
    return failures


def refusal(policy: ThrottlePolicy, failures: Failures, now_ms: int) -> Refusal | None:
    """Why a try at `now_ms` must wait, or None when it may go ahead."""
    failures = current(policy, failures, now_ms)
    if failures.count >= policy.lock_after:
        until = failures.last_at + policy.lock_ms
    elif failures.count >= policy.free_failures:
        doublings = min(failures.count - policy.free_failures, 40)
        until = failures.last_at + min(policy.cap_ms, policy.base_ms * 2**doublings)
    else:
        return None
    return Refusal(failures.count >= policy.lock_after, until) if now_ms < until else None


def after_failure(policy: ThrottlePolicy, failures: Failures, now_ms: int) -> Failures:
    return Failures(current(policy, failures, now_ms).count + 1, now_ms)


def locks_now(policy: ThrottlePolicy, failures: Failures) -> bool:
    """Whether the failure just counted is the one that locks."""
    return failures.count == policy.lock_after


def policy_from_table(table: object, default: ThrottlePolicy) -> ThrottlePolicy:
    """A policy from a settings table of whole numbers named as the fields; ValueError says
    which key is wrong."""
    if not isinstance(table, dict):
        raise ValueError(f"must be a table, got {table!r}")
    known = set(ThrottlePolicy.__dataclass_fields__)
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    for key, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{key} = {value!r}: a whole number ≥ 0 is needed")
    return replace(default, **table)
