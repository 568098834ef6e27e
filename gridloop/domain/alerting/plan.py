"""Compiled rules shared by devices alike, and the little state each device keeps beside them.

What is constant (thresholds, comparisons, which rules are value, event or timer rules) is compiled
once per kind and set of resolved params into a `DevicePlan` that every such device shares; a
`CompiledDevice` holds only its id, building, last ts and one `RuleState` per rule of its plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from gridloop.domain.alerting.compiled import (
    DEFAULT_OFFLINE_MS,
    EVENT,
    QUIET,
    SILENT,
    VALUE,
    RulePlan,
    compile_rule,
)
from gridloop.domain.alerting.params import DeviceProfile, RuleConfig, number, resolve_params
from gridloop.domain.alerting.state import NEVER, RuleState
from gridloop.domain.devices.kind import RULE_OVERRIDES, DeviceKind
from gridloop.domain.devices.rules import EventIs, Threshold

Indexed = tuple[int, RulePlan]  # (index of the rule in its plan and its device's states, rule)


class DevicePlan:
    """The rules of one kind under one set of resolved params, with their indexes by form."""

    __slots__ = (
        "by_code",
        "event_rules",
        "kind",
        "off_ms",
        "quiet",
        "rules",
        "silent",
        "value_rules",
    )

    def __init__(self, kind: str, rules: list[RulePlan]) -> None:
        self.kind = kind
        self.rules = tuple(rules)
        self.by_code = {r.code: i for i, r in enumerate(rules)}
        indexed = list(enumerate(rules))
        self.value_rules = tuple((i, r) for i, r in indexed if r.form == VALUE)
        self.silent = tuple((i, r) for i, r in indexed if r.form == SILENT)
        self.quiet = tuple((i, r) for i, r in indexed if r.form == QUIET)
        events: dict[str, list[Indexed]] = {}
        for i, r in indexed:
            if r.form == EVENT:
                for event in r.events():
                    events.setdefault(event, []).append((i, r))
        self.event_rules = {e: tuple(rs) for e, rs in events.items()} if events else _NO_EVENTS
        # Inactivity only opens while the device still reports within the offline window.
        self.off_ms = self.silent[0][1].period if self.silent else DEFAULT_OFFLINE_MS

    def new_states(self) -> tuple[RuleState, ...]:
        return tuple(RuleState(r.base) for r in self.rules)


_NO_EVENTS: Final[dict[str, tuple[Indexed, ...]]] = {}


class CompiledDevice:
    """A device: its shared plan, its last evaluated ts and the state of each rule of the plan."""

    __slots__ = ("building", "id", "last", "plan", "states")

    def __init__(self, profile: DeviceProfile, plan: DevicePlan) -> None:
        self.id = profile.id
        self.building = profile.building_code
        self.last = NEVER
        self.plan = plan
        self.states = plan.new_states()  # parallel to plan.rules

    @property
    def kind(self) -> str:
        return self.plan.kind

    def rule(self, code: str) -> tuple[RulePlan, RuleState] | None:
        i = self.plan.by_code.get(code)
        return None if i is None else (self.plan.rules[i], self.states[i])


class PlanCache:
    """Plans by kind and resolved params: devices whose params are equal share one plan."""

    __slots__ = ("_attrs", "_config", "_plans")

    def __init__(self, config: RuleConfig) -> None:
        self._config = config
        self._plans: dict[tuple[object, ...], DevicePlan] = {}
        self._attrs: dict[str, tuple[str, ...]] = {}  # kind → the device attrs its rules read

    def compile(self, kind: DeviceKind, profile: DeviceProfile) -> CompiledDevice:
        attrs = profile.attrs
        key = self._key(kind, attrs)
        plan = self._plans.get(key)
        if plan is None:
            config = self._config
            rules = [r for s in kind.all_rules if (r := compile_rule(kind, s, attrs, config))]
            plan = self._plans[key] = DevicePlan(kind.code, rules)
        return CompiledDevice(profile, plan)

    def _key(self, kind: DeviceKind, attrs: Mapping[str, object]) -> tuple[object, ...]:
        """What a plan depends on besides the kind and the config: overrides and rule attrs."""
        names = self._attrs.get(kind.code)
        if names is None:
            names = self._attrs[kind.code] = _rule_attrs(kind)
        params: tuple[tuple[float, ...], ...] | None = None
        if isinstance(attrs.get(RULE_OVERRIDES), Mapping):
            config = self._config
            params = tuple(
                tuple(resolve_params(kind, s, attrs, config).values()) for s in kind.all_rules
            )
        return (kind.code, params, tuple(number(attrs.get(n)) for n in names))


def _rule_attrs(kind: DeviceKind) -> tuple[str, ...]:
    """The device attrs the kind's thresholds compare with (e.g. smart_breaker's rated_a)."""
    names: list[str] = []
    for spec in kind.all_rules:
        for c in spec.conditions:
            t = c.attr_threshold if isinstance(c, EventIs) else c
            if isinstance(t, Threshold) and t.attr is not None:
                names.append(t.attr)
    return tuple(dict.fromkeys(names))
