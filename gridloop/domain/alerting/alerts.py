"""Alert transitions of compiled rules (open, occur, clear) and the trips that inhibit offline."""

from __future__ import annotations

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.alerting.compiled import RulePlan
from gridloop.domain.alerting.plan import CompiledDevice
from gridloop.domain.alerting.state import RuleState
from gridloop.domain.devices.rules import Severity

OPENED, UPDATED, CLEARED = ChangeKind.OPENED, ChangeKind.UPDATED, ChangeKind.CLEARED


class AlertBook:
    """Moves rules between active and not active, and indexes active trips by building."""

    __slots__ = ("_inhibit_ms", "_trips")

    def __init__(self, inhibit_ms: int) -> None:
        self._inhibit_ms = inhibit_ms
        self._trips: dict[str, dict[str, int]] = {}  # building → tripped breaker → trip start

    def open(
        self, d: CompiledDevice, r: RulePlan, s: RuleState, at: int, severity: Severity
    ) -> AlertChange:
        s.started, s.severity, s.occurrences = at, severity, 1
        s.streak = s.misses = 0
        if r.inhibits and d.building:
            self._trips.setdefault(d.building, {})[d.id] = at
        return AlertChange(OPENED, d.id, r.full, severity, at, at, 1)

    def occur(
        self, d: CompiledDevice, r: RulePlan, s: RuleState, at: int, severity: Severity
    ) -> AlertChange:
        s.occurrences += 1
        if severity > s.severity:
            s.severity = severity  # raised, never lowered
        started = at if s.started is None else s.started
        return AlertChange(UPDATED, d.id, r.full, s.severity, started, at, s.occurrences)

    def clear(self, d: CompiledDevice, r: RulePlan, s: RuleState, at: int) -> AlertChange:
        started = at if s.started is None else s.started
        # A message delayed past a timer that already fired must not end the alert before it began.
        cleared_at = max(at, started)
        change = AlertChange(CLEARED, d.id, r.full, s.severity, started, cleared_at, s.occurrences)
        s.started, s.severity, s.occurrences = None, r.base, 0
        s.streak = s.misses = 0
        if r.inhibits:
            self.untrack(d)
        return change

    def track(self, d: CompiledDevice) -> None:
        """Index d's active inhibiting alerts (after a restore or a recompilation)."""
        if d.building:
            for r, s in zip(d.plan.rules, d.states, strict=True):
                if r.inhibits and s.started is not None:
                    self._trips.setdefault(d.building, {})[d.id] = s.started

    def untrack(self, d: CompiledDevice) -> None:
        trips = self._trips.get(d.building)
        if trips is not None and trips.pop(d.id, None) is not None and not trips:
            del self._trips[d.building]

    def inhibited_until(self, d: CompiledDevice, at: int) -> int | None:
        """The latest end among the trip windows [s, s + inhibit) of d's building holding `at`."""
        trips = self._trips.get(d.building) if d.building else None
        if not trips:
            return None
        end: int | None = None
        for started in trips.values():
            until = started + self._inhibit_ms
            if started <= at < until and (end is None or until > end):
                end = until
        return end
