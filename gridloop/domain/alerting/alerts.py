"""Alert transitions of compiled rules (open, occur, clear) and the trips that inhibit offline."""

from __future__ import annotations

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.alerting.compiled import CompiledDevice, CompiledRule
from gridloop.domain.devices.rules import Severity

OPENED, UPDATED, CLEARED = ChangeKind.OPENED, ChangeKind.UPDATED, ChangeKind.CLEARED


class AlertBook:
    """Moves rules between active and not active, and indexes active trips by building."""

    __slots__ = ("_inhibit_ms", "_trips")

    def __init__(self, inhibit_ms: int) -> None:
        self._inhibit_ms = inhibit_ms
        self._trips: dict[str, dict[str, int]] = {}  # building → tripped breaker → trip start

    def open(self, d: CompiledDevice, r: CompiledRule, at: int, severity: Severity) -> AlertChange:
        r.started, r.severity, r.occurrences = at, severity, 1
        r.streak = r.misses = 0
        if r.inhibits and d.building:
            self._trips.setdefault(d.building, {})[d.id] = at
        return AlertChange(OPENED, d.id, r.full, severity, at, at, 1)

    def occur(self, d: CompiledDevice, r: CompiledRule, at: int, severity: Severity) -> AlertChange:
        r.occurrences += 1
        if severity > r.severity:
            r.severity = severity  # raised, never lowered
        started = at if r.started is None else r.started
        return AlertChange(UPDATED, d.id, r.full, r.severity, started, at, r.occurrences)

    def clear(self, d: CompiledDevice, r: CompiledRule, at: int) -> AlertChange:
        started = at if r.started is None else r.started
        # A message delayed past a timer that already fired must not end the alert before it began.
        cleared_at = max(at, started)
        change = AlertChange(CLEARED, d.id, r.full, r.severity, started, cleared_at, r.occurrences)
        r.started, r.severity, r.occurrences = None, r.base, 0
        r.streak = r.misses = 0
        if r.inhibits:
            self.untrack(d)
        return change

    def track(self, d: CompiledDevice) -> None:
        """Index d's active inhibiting alerts (after a restore or a recompilation)."""
        if d.building:
            for r in d.rules:
                if r.inhibits and r.started is not None:
                    self._trips.setdefault(d.building, {})[d.id] = r.started

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
