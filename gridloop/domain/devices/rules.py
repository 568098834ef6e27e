"""Alert rules as data: frozen descriptions that one engine evaluates.

A rule's numbers are named parameters (`params`) so configuration can override them per kind and
per device (through the device's attrs) without touching the description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType


class Severity(IntEnum):
    """Ordered: a higher value is more urgent."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Threshold:
    """`value[field] <op> bound`, where bound is the param `param` or the device attr `attr`."""

    field: str
    op: str  # one of ">=", ">", "<=", "<"
    param: str = "threshold"
    attr: str | None = None  # compare with a device attribute instead (e.g. rated_a)

    def __post_init__(self) -> None:
        if self.op not in (">=", ">", "<=", "<"):
            raise ValueError(f"unknown comparison {self.op!r}")


@dataclass(frozen=True)
class Outside:
    """`value[field] < params[low] or value[field] > params[high]`."""

    field: str
    low: str = "low"
    high: str = "high"


@dataclass(frozen=True)
class EventIs:
    """The message carries `event`; optionally an event attr must pass a threshold."""

    event: str
    attr_threshold: Threshold | None = None  # field names an event attr, e.g. duration_s


@dataclass(frozen=True)
class Quiet:
    """The device keeps reporting but `fields` all stay 0 for params[hours] of event time."""

    fields: tuple[str, ...]
    hours: str = "hours"


@dataclass(frozen=True)
class Silent:
    """No message at all for params[minutes] of event time."""

    minutes: str = "minutes"


Condition = Threshold | Outside | EventIs | Quiet | Silent


@dataclass(frozen=True)
class SeverityByAttr:
    """Raise severity by an event attribute (e.g. trip reason short_circuit → major)."""

    attr: str
    levels: Mapping[str, Severity]


@dataclass(frozen=True)
class RuleSpec:
    """One default rule of a device kind.

    `conditions` are alternatives (any one matches). `consecutive` readings must match in a row
    before the alert opens; `clear_after` readings without a match clear a threshold alert.
    Event rules clear when their case closes; timer rules when the device speaks again.
    """

    code: str  # local to the kind, e.g. "residual_current_high"
    severity: Severity
    conditions: tuple[Condition, ...]
    title_zh: str
    title_en: str
    params: Mapping[str, float] = field(default_factory=dict)
    consecutive: int = 1
    clear_after: int = 2
    severity_by: SeverityByAttr | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        if not self.conditions:
            raise ValueError(f"rule {self.code} has no condition")
        if self.consecutive < 1 or self.clear_after < 1:
            raise ValueError(f"rule {self.code}: consecutive and clear_after must be ≥ 1")
        for name in _param_names(self.conditions):
            if name not in self.params:
                raise ValueError(f"rule {self.code}: condition needs param {name!r}")

    @property
    def is_timer(self) -> bool:
        return any(isinstance(c, Quiet | Silent) for c in self.conditions)

    @property
    def is_event(self) -> bool:
        return all(isinstance(c, EventIs) for c in self.conditions)


def _param_names(conditions: tuple[Condition, ...]) -> list[str]:
    names: list[str] = []
    for c in conditions:
        if isinstance(c, Threshold) and c.attr is None:
            names.append(c.param)
        elif isinstance(c, Outside):
            names += [c.low, c.high]
        elif isinstance(c, EventIs) and c.attr_threshold and c.attr_threshold.attr is None:
            names.append(c.attr_threshold.param)
        elif isinstance(c, Quiet):
            names.append(c.hours)
        elif isinstance(c, Silent):
            names.append(c.minutes)
    return names


OFFLINE = RuleSpec(
    code="offline",
    severity=Severity.MINOR,
    conditions=(Silent(),),
    params={"minutes": 30},
    title_zh="设备离线",
    title_en="Device offline",
)
"""Every kind shares this rule (`*.offline` in DEVICES.md)."""
