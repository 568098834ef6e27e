"""The closed loop's configuration: time limits, calendar, escalation, routing, merging.

Read from the `[cases]`, `[sla]`, `[routing]` and `[merge]` tables of the settings file; every
table is optional and a bad value raises ValueError naming its key. `[routing]` maps categories
to department functions (`"gas_detector.*" = ["gas"]`) or department codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gridloop.domain.calendar import WorkCalendar
from gridloop.domain.cases.merging import MergePolicy
from gridloop.domain.cases.routing import RoutingTable
from gridloop.domain.cases.sla import (
    DEFAULT_ESCALATION,
    DEFAULT_POLICY,
    Duration,
    EscalationPolicy,
    SlaPolicy,
)

ALERT_CHANNELS = frozenset({"sensor", "camera"})
DEFAULT_AUTO_DISPATCH = frozenset({"sensor", "camera", "patrol", "hotline", "open311"})


@dataclass(frozen=True)
class CasePolicy:
    calendar: WorkCalendar
    sla: SlaPolicy = DEFAULT_POLICY
    escalation: EscalationPolicy = DEFAULT_ESCALATION
    routing: RoutingTable = field(default_factory=RoutingTable)
    merge: MergePolicy = field(default_factory=MergePolicy)
    # Channels whose reports are registered and dispatched without a dispatcher: sensor and
    # camera alerts of known rules, patrol findings, and located citizen requests.
    auto_dispatch: frozenset[str] = DEFAULT_AUTO_DISPATCH
    auto_close: bool = True  # the system closes a case once a supervisor has verified it

    @classmethod
    def from_config(cls, doc: Mapping[str, object], calendar: WorkCalendar) -> CasePolicy:
        cases = _table(doc.get("cases", {}), "cases")
        unknown = sorted(set(cases) - {"auto_dispatch", "auto_close", "escalation_repeat"})
        if unknown:
            raise ValueError(f"unknown key cases.{unknown[0]}")
        auto = cases.get("auto_dispatch", sorted(DEFAULT_AUTO_DISPATCH))
        if not isinstance(auto, list) or not all(isinstance(c, str) for c in auto):
            raise ValueError(f"cases.auto_dispatch: expected a list of channels, got {auto!r}")
        auto_close = cases.get("auto_close", True)
        if not isinstance(auto_close, bool):
            raise ValueError(f"cases.auto_close: expected true or false, got {auto_close!r}")
        repeat = cases.get("escalation_repeat")
        merge = _table(doc.get("merge", {}), "merge")
        unknown = sorted(set(merge) - {"distance_m", "window_minutes"})
        if unknown:
            raise ValueError(f"unknown key merge.{unknown[0]}")
        distance = merge.get("distance_m", 50.0)
        window = merge.get("window_minutes", 30)
        for key, value in (("distance_m", distance), ("window_minutes", window)):
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"merge.{key}: expected a number ≥ 0, got {value!r}")
        assert isinstance(distance, int | float) and isinstance(window, int | float)
        return cls(
            calendar=calendar,
            sla=DEFAULT_POLICY.merged(_table(doc.get("sla", {}), "sla")),
            escalation=EscalationPolicy(
                repeat=_duration(repeat, "cases.escalation_repeat") if repeat is not None else None
            ),
            routing=RoutingTable.from_config(_table(doc["routing"], "routing"))
            if "routing" in doc
            else RoutingTable(),
            merge=MergePolicy(float(distance), int(window * 60_000)),
            auto_dispatch=frozenset(auto),
            auto_close=auto_close,
        )


def _duration(value: object, key: str) -> Duration:
    try:
        return Duration.parse(value)
    except ValueError as e:
        raise ValueError(f"{key}: {e}") from None


def _table(value: object, key: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"[{key}] must be a table, got {value!r}")
    return value
