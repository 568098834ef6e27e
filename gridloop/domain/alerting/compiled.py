"""Rules compiled once per set of resolved params: params as numbers, fields and comparisons.

The engine's per-message work then reads plain attributes of slots objects, never a RuleSpec.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Final

from gridloop.domain.alerting.params import RuleConfig, number, resolve_params
from gridloop.domain.devices.kind import DeviceKind
from gridloop.domain.devices.rules import (
    EventIs,
    Outside,
    Quiet,
    RuleSpec,
    Severity,
    Silent,
    Threshold,
)
from gridloop.domain.telemetry import Message

Compare = Callable[[float, float], bool]

_OPS: Final[dict[str, Compare]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}

VALUE, EVENT, SILENT, QUIET = 0, 1, 2, 3
"""Rule forms: value (Threshold/Outside, maybe or-ed with events), event, offline, inactivity."""

INHIBITORS: Final = frozenset({"smart_breaker.trip"})
"""Rules whose active alert inhibits offline alerts in the device's building."""

DEFAULT_OFFLINE_MS: Final = 30 * 60_000

IRRELEVANT, MISS, HIT = -1, 0, 1


class _ValueCond:
    __slots__ = ("bound", "cmp", "field")

    def __init__(self, field: str, cmp: Compare, bound: float) -> None:
        self.field, self.cmp, self.bound = field, cmp, bound

    def test(self, m: Message) -> int:
        v = m.values.get(self.field)
        if v is None:
            return IRRELEVANT
        return HIT if self.cmp(v, self.bound) else MISS


class _OutsideCond:
    __slots__ = ("field", "high", "low")

    def __init__(self, field: str, low: float, high: float) -> None:
        self.field, self.low, self.high = field, low, high

    def test(self, m: Message) -> int:
        v = m.values.get(self.field)
        if v is None:
            return IRRELEVANT
        return HIT if v < self.low or v > self.high else MISS


class _EventCond:
    __slots__ = ("attr", "bound", "cmp", "event")

    def __init__(
        self, event: str, attr: str | None = None, cmp: Compare | None = None, bound: float = 0
    ) -> None:
        self.event, self.attr, self.cmp, self.bound = event, attr, cmp, bound

    def test(self, m: Message) -> int:
        if m.event != self.event:
            return IRRELEVANT
        if self.attr is None or self.cmp is None:
            return HIT
        v = number((m.attrs or {}).get(self.attr))
        return HIT if v is not None and self.cmp(v, self.bound) else MISS


_Cond = _ValueCond | _OutsideCond | _EventCond


class RulePlan:
    """One rule compiled for devices with the same params: everything needed to evaluate it.

    Shared by every such device (a city has 100,000 devices and five rules each); the device's
    own counters, timer and alert are a `RuleState` beside it.
    """

    __slots__ = (
        "base",
        "bound",
        "clear_after",
        "cmp",
        "code",
        "conds",
        "consecutive",
        "field",
        "fields",
        "form",
        "full",
        "inhibits",
        "period",
        "sev_attr",
        "sev_levels",
    )

    def __init__(self, kind: DeviceKind, spec: RuleSpec, form: int, conds: list[_Cond]) -> None:
        self.code = spec.code  # local to the kind, e.g. "residual_current_high"
        self.full = _full_code(kind.code, spec.code)
        self.form = form
        self.base = spec.severity
        self.consecutive = spec.consecutive
        self.clear_after = spec.clear_after
        self.conds = _shared(tuple(conds))
        self.inhibits = self.full in INHIBITORS
        by = spec.severity_by
        self.sev_attr = by.attr if by else None
        self.sev_levels: Mapping[str, Severity] = by.levels if by else {}
        # The fast path: one plain threshold on a value, no events, no severity by attribute.
        single = conds[0] if len(conds) == 1 else None
        self.field: str | None = None
        self.cmp: Compare = operator.ge
        self.bound = 0.0
        if isinstance(single, _ValueCond):
            self.cmp, self.bound = single.cmp, single.bound
            if by is None:
                self.field = single.field
        self.fields: tuple[str, ...] = ()  # inactivity: the activity fields
        self.period = 0  # timer rules: the window in ms

    def events(self) -> tuple[str, ...]:
        """The events this rule's conditions wait for, in order."""
        return tuple(dict.fromkeys(c.event for c in self.conds if isinstance(c, _EventCond)))

    def match(self, m: Message) -> int:
        """HIT when any condition holds, MISS when relevant only, else IRRELEVANT."""
        result = IRRELEVANT
        for c in self.conds:
            r = c.test(m)
            if r == HIT:
                return HIT
            if r == MISS:
                result = MISS
        return result

    def severity_of(self, m: Message) -> Severity:
        if self.sev_attr is None or not m.attrs:
            return self.base
        v = m.attrs.get(self.sev_attr)
        level = self.sev_levels.get(v) if isinstance(v, str) else None
        return self.base if level is None or level < self.base else level


_full_codes: dict[tuple[str, str], str] = {}
_conditions: dict[tuple[object, ...], tuple[_Cond, ...]] = {}


def _full_code(kind: str, rule: str) -> str:
    # One string per rule, not per device: a city has 100,000 devices and five rules each.
    return _full_codes.setdefault((kind, rule), f"{kind}.{rule}")


def _shared(conds: tuple[_Cond, ...]) -> tuple[_Cond, ...]:
    """Equal condition lists (same fields, comparisons, bounds) are one object for all devices."""
    key = tuple(_cond_key(c) for c in conds)
    return _conditions.setdefault(key, conds)


def _cond_key(c: _Cond) -> tuple[object, ...]:
    if isinstance(c, _ValueCond):
        return ("value", c.field, c.cmp, c.bound)
    if isinstance(c, _OutsideCond):
        return ("outside", c.field, c.low, c.high)
    return ("event", c.event, c.attr, c.cmp, c.bound)


def compile_rule(
    kind: DeviceKind, spec: RuleSpec, attrs: Mapping[str, object], config: RuleConfig
) -> RulePlan | None:
    """The rule for this device, or None when it cannot be evaluated (overload without rated_a)."""
    params = resolve_params(kind, spec, attrs, config)
    conds: list[_Cond] = []
    timer: Quiet | Silent | None = None
    for c in spec.conditions:
        if isinstance(c, Threshold):
            bound = _bound(c, params, attrs)
            if bound is not None:
                conds.append(_ValueCond(c.field, _OPS[c.op], bound))
        elif isinstance(c, Outside):
            conds.append(_OutsideCond(c.field, params[c.low], params[c.high]))
        elif isinstance(c, EventIs):
            t = c.attr_threshold
            if t is None:
                conds.append(_EventCond(c.event))
            elif (bound := _bound(t, params, attrs)) is not None:
                conds.append(_EventCond(c.event, t.field, _OPS[t.op], bound))
        else:
            timer = c
    if isinstance(timer, Silent):
        rule = RulePlan(kind, spec, SILENT, [])
        rule.period = round(params[timer.minutes] * 60_000)
        return rule
    if isinstance(timer, Quiet):
        rule = RulePlan(kind, spec, QUIET, [])
        rule.fields = timer.fields
        rule.period = round(params[timer.hours] * 3_600_000)
        return rule
    if not conds:
        return None
    return RulePlan(kind, spec, EVENT if spec.is_event else VALUE, conds)


def _bound(t: Threshold, params: Mapping[str, float], attrs: Mapping[str, object]) -> float | None:
    return params[t.param] if t.attr is None else number(attrs.get(t.attr))
