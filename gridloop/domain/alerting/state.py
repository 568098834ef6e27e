"""Mutable rule state per (device, rule), and its plain JSON-able form for checkpoints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gridloop.domain.devices.rules import Severity

NEVER = -(2**62)
"""A device's last ts before its first evaluated message (older than any real ts)."""


class RuleState:
    """Counters, the active alert and the timer of one rule of one device (code: the plan's)."""

    __slots__ = (
        "due",
        "misses",
        "occurrences",
        "queued",
        "rebase",
        "severity",
        "started",
        "streak",
    )

    def __init__(self, severity: Severity) -> None:
        self.streak = 0  # consecutive relevant matches while not active
        self.misses = 0  # consecutive relevant non-matches while active
        self.started: int | None = None  # the active alert's start, None when not active
        self.severity = severity
        self.occurrences = 0
        self.due: int | None = None  # timer rules: when the timer acts next
        self.queued: int | None = None  # key of this timer's live heap entry (≤ due)
        self.rebase = True  # inactivity: the next message starts a new window

    def to_dict(self) -> dict[str, object]:
        """Only what differs from a fresh state, so idle devices checkpoint to almost nothing."""
        data: dict[str, object] = {}
        if self.streak:
            data["streak"] = self.streak
        if self.misses:
            data["misses"] = self.misses
        if self.started is not None:
            data["alert"] = [self.started, int(self.severity), self.occurrences]
        if self.due is not None:
            data["due"] = self.due
        if not self.rebase:
            data["rebase"] = False
        return data

    def load(self, data: Mapping[str, object]) -> None:
        self.streak = _int(data.get("streak", 0))
        self.misses = _int(data.get("misses", 0))
        alert = data.get("alert")
        if isinstance(alert, list | tuple):
            started, severity, occurrences = alert
            self.started = _int(started)
            self.severity = Severity(_int(severity))
            self.occurrences = _int(occurrences)
        due = data.get("due")
        self.due = None if due is None else _int(due)
        self.queued = None  # the engine re-queues `due` after loading
        self.rebase = bool(data.get("rebase", True))


def device_to_dict(last: int, rules: Iterable[tuple[str, RuleState]]) -> dict[str, object]:
    """A device's checkpoint from its last ts and its (rule code, state) pairs."""
    states = {code: s for code, r in rules if (s := r.to_dict())}
    return {"last": None if last == NEVER else last, "rules": states}


def device_from_dict(data: Mapping[str, object]) -> tuple[int, dict[str, Mapping[str, object]]]:
    """(last ts or NEVER, rule code → rule state) of one device's checkpoint."""
    last = data.get("last")
    rules = data.get("rules", {})
    if not isinstance(rules, Mapping):
        raise ValueError("snapshot: a device's rules must be an object")
    states = {str(code): state for code, state in rules.items() if isinstance(state, Mapping)}
    return (NEVER if last is None else _int(last)), states


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"snapshot: expected an integer, got {value!r}")
    return value
