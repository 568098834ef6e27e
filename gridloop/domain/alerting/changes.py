"""What the rule engine emits: an alert opened, updated or cleared."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gridloop.domain.devices.rules import Severity


class ChangeKind(StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    CLEARED = "cleared"


@dataclass(frozen=True, slots=True)
class AlertChange:
    """One change of one alert; (device_id, rule, started_at) identifies the incident.

    `at` is the change's event time: `started_at` when opened, the message's ts when updated,
    the clearing time when cleared.
    """

    change: ChangeKind
    device_id: str
    rule: str  # full code, e.g. "electrical_fire.residual_current_high"
    severity: Severity
    started_at: int
    at: int
    occurrences: int
