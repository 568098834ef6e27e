"""Domain events for tests: alert changes and notices with only what a test cares about."""

from __future__ import annotations

from gridloop.domain.alerting.changes import AlertChange, ChangeKind
from gridloop.domain.devices.rules import Severity
from gridloop.domain.events import AlertCleared, AlertOpened, NoticesIssued
from gridloop.domain.notifications import Notice, NoticeKind

RULE = "smoke.alarm"


def change(
    kind: ChangeKind,
    device_id: str = "D0001",
    started_at: int = 1_000,
    at: int | None = None,
    occurrences: int = 1,
    rule: str = RULE,
    severity: Severity = Severity.MAJOR,
) -> AlertChange:
    return AlertChange(
        kind, device_id, rule, severity, started_at, started_at if at is None else at, occurrences
    )


def opened(
    device_id: str = "D0001", started_at: int = 1_000, rule: str = RULE, occurrences: int = 1
) -> AlertOpened:
    return AlertOpened(
        change(ChangeKind.OPENED, device_id, started_at, rule=rule, occurrences=occurrences)
    )


def cleared(
    device_id: str = "D0001", started_at: int = 1_000, at: int = 2_000, rule: str = RULE
) -> AlertCleared:
    return AlertCleared(change(ChangeKind.CLEARED, device_id, started_at, at, rule=rule))


def notices(*recipients: str, case_id: str = "C00000001", at: int = 5_000) -> NoticesIssued:
    """One notice per recipient ("worker:W0001"...), about one case."""
    return NoticesIssued(
        tuple(
            Notice(r, NoticeKind.ASSIGNED, case_id, at, f"案件 {case_id}", {"grid": "G01"})
            for r in recipients or ("worker:W0001",)
        )
    )
