"""Shared helpers of the rule engine tests: a clock in minutes and a rig that records changes."""

from __future__ import annotations

from gridloop.domain.alerting import AlertChange, DeviceProfile, RuleConfig, RuleEngine
from gridloop.domain.devices.catalog import default_catalog
from gridloop.domain.devices.rules import Severity
from gridloop.domain.telemetry import Message

CATALOG = default_catalog()
T0 = 1_764_288_000_000  # 2025-11-28T00:00:00Z
MINUTE = 60_000
HOUR = 60 * MINUTE

MINOR, MAJOR, CRITICAL = Severity.MINOR, Severity.MAJOR, Severity.CRITICAL


def at(minutes: float) -> int:
    """Epoch ms `minutes` after T0."""
    return T0 + round(minutes * MINUTE)


def msg(
    device: str,
    minutes: float,
    *,
    event: str | None = None,
    attrs: dict[str, object] | None = None,
    **values: float,
) -> Message:
    return Message(device, at(minutes), 0, dict(values), event, attrs)


def brief(c: AlertChange) -> tuple[str, str, str, float, float, int, Severity]:
    """(change, device, rule, started minute, at minute, occurrences, severity)."""
    return (
        c.change.value,
        c.device_id,
        c.rule,
        (c.started_at - T0) / MINUTE,
        (c.at - T0) / MINUTE,
        c.occurrences,
        c.severity,
    )


class Rig:
    """An engine over the given devices that keeps every change it emitted."""

    def __init__(self, *devices: DeviceProfile, config: RuleConfig | None = None) -> None:
        self.engine = RuleEngine(CATALOG, devices, config or RuleConfig())
        self.changes: list[AlertChange] = []

    def send(self, *messages: Message) -> list[AlertChange]:
        new = self.engine.evaluate(messages)
        self.changes += new
        return new

    def advance(self, minutes: float) -> list[AlertChange]:
        new = self.engine.advance(at(minutes))
        self.changes += new
        return new

    def of(self, rule: str, device: str | None = None) -> list[tuple[object, ...]]:
        """The briefs of the changes of one rule (full code), optionally of one device."""
        return [
            brief(c)
            for c in self.changes
            if c.rule == rule and (device is None or c.device_id == device)
        ]

    def active_rules(self) -> list[tuple[str, str]]:
        return [(device, rule) for device, rule, *_ in self.engine.active()]


def efm(device: str = "EFM-1", building: str = "B1", **attrs: object) -> DeviceProfile:
    return DeviceProfile(device, "electrical_fire", building, attrs)


def breaker(device: str = "BRK-1", building: str = "B1", **attrs: object) -> DeviceProfile:
    return DeviceProfile(device, "smart_breaker", building, attrs)
