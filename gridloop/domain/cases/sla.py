"""Time limits as data: deadlines per severity (overridden per category) and escalation (督办)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from gridloop.domain.calendar import MINUTE_MS, WorkCalendar
from gridloop.domain.devices.rules import Severity


class Unit(StrEnum):
    MINUTES = "minutes"  # wall clock: emergencies run through nights and holidays
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class Duration:
    """An amount of wall-clock minutes, working hours or whole working days."""

    amount: float
    unit: Unit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", Unit(self.unit))
        if not (math.isfinite(self.amount) and self.amount > 0):
            raise ValueError(f"a duration must be positive, got {self.amount:g} {self.unit}")
        if self.unit is Unit.WORKING_DAYS and self.amount != int(self.amount):
            raise ValueError(f"working days must be whole, got {self.amount:g}")

    @classmethod
    def parse(cls, text: object) -> Duration:
        """Read `"<amount> <unit>"`, e.g. `"30 minutes"`, `"4 working_hours"`."""
        parts = text.split() if isinstance(text, str) else []
        units = {unit.value: unit for unit in Unit}
        try:
            amount = float(parts[0]) if len(parts) == 2 and parts[1] in units else None
        except ValueError:
            amount = None
        if amount is None:
            known = ", ".join(units)
            raise ValueError(f"bad duration {text!r} (expected '<amount> <unit>', unit: {known})")
        return cls(amount, units[parts[1]])

    def after(self, start_ms: int, calendar: WorkCalendar | None) -> int:
        """The instant this long after start; working units need the calendar."""
        if self.unit is Unit.MINUTES:
            return start_ms + round(self.amount * MINUTE_MS)
        if calendar is None:
            raise ValueError(f"{self} needs a working calendar")
        if self.unit is Unit.WORKING_HOURS:
            return calendar.add_working_hours(start_ms, self.amount)
        return calendar.add_working_days(start_ms, int(self.amount))

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit.value}"


@dataclass(frozen=True)
class Limit:
    """How long after dispatch the assignee has to sign for (签收) and to handle (处置) a case."""

    sign: Duration
    handle: Duration


@dataclass(frozen=True)
class Override:
    """A category's own limits; a step left None keeps the severity's."""

    sign: Duration | None = None
    handle: Duration | None = None

    def over(self, base: Limit) -> Limit:
        return Limit(self.sign or base.sign, self.handle or base.handle)


DEFAULT_SEVERITY_LIMITS: Mapping[Severity, Limit] = MappingProxyType(
    {  # WORKFLOW.md's table: sensor alerts are emergencies, so wall-clock minutes
        Severity.CRITICAL: Limit(Duration(5, Unit.MINUTES), Duration(30, Unit.MINUTES)),
        Severity.MAJOR: Limit(Duration(30, Unit.MINUTES), Duration(240, Unit.MINUTES)),
        Severity.MINOR: Limit(Duration(240, Unit.MINUTES), Duration(3, Unit.WORKING_DAYS)),
    }
)
EXAMPLE_CATEGORY_LIMITS: Mapping[str, Override] = MappingProxyType(
    {  # hotline-style limits from published local rules; configuration adds the rest
        "enquiry": Override(Duration(1, Unit.WORKING_HOURS), Duration(3, Unit.WORKING_DAYS)),
        "help_request": Override(handle=Duration(5, Unit.WORKING_DAYS)),
        "complaint": Override(handle=Duration(10, Unit.WORKING_DAYS)),
        "exposed_garbage": Override(handle=Duration(4, Unit.WORKING_HOURS)),
    }
)


@dataclass(frozen=True)
class SlaPolicy:
    """Limits per severity, and per category overriding them step by step."""

    severity: Mapping[Severity, Limit] = field(default_factory=lambda: DEFAULT_SEVERITY_LIMITS)
    category: Mapping[str, Override] = field(default_factory=lambda: EXAMPLE_CATEGORY_LIMITS)

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", MappingProxyType(dict(self.severity)))
        object.__setattr__(self, "category", MappingProxyType(dict(self.category)))
        missing = [level.label for level in Severity if level not in self.severity]
        if missing:
            raise ValueError(f"SLA policy has no limit for severity {', '.join(missing)}")

    def limit_for(self, severity: Severity, category: str | None = None) -> Limit:
        base = self.severity[severity]
        override = self.category.get(category) if category else None
        return base if override is None else override.over(base)

    def merged(self, config: Mapping[str, object]) -> SlaPolicy:
        """This policy with configuration laid over it.

        `config` reads like `{"severity": {"minor": {"handle": "5 working_days"}},
        "category": {"complaint": {"handle": "13 working_days"}}}`; a step not named keeps its
        limit. A ValueError names the key (e.g. `sla.category.complaint.handle`) and the value.
        """
        unknown = sorted(set(config) - {"severity", "category"})
        if unknown:
            raise ValueError(f"unknown key sla.{unknown[0]} (known: category, severity)")
        severity = dict(self.severity)
        for label, steps in _table(config.get("severity", {}), "sla.severity").items():
            level = next((s for s in Severity if s.label == label), None)
            if level is None:
                raise ValueError(f"sla.severity.{label}: unknown severity {label!r}")
            severity[level] = _override(steps, f"sla.severity.{label}").over(severity[level])
        category = dict(self.category)
        for name, steps in _table(config.get("category", {}), "sla.category").items():
            new, old = _override(steps, f"sla.category.{name}"), category.get(name, Override())
            category[name] = Override(new.sign or old.sign, new.handle or old.handle)
        return SlaPolicy(severity, category)


DEFAULT_POLICY = SlaPolicy()


def deadlines(
    policy: SlaPolicy,
    calendar: WorkCalendar,
    severity: Severity,
    category: str | None,
    dispatched_at: int,
) -> tuple[int, int]:
    """(sign_due, handle_due) in epoch ms, both counted from dispatch."""
    limit = policy.limit_for(severity, category)
    handle_due = limit.handle.after(dispatched_at, calendar)
    # Nobody can handle a case before signing for it, so signing is never due after handling.
    return min(limit.sign.after(dispatched_at, calendar), handle_due), handle_due


class Step(StrEnum):
    SIGN = "sign"
    HANDLE = "handle"


FINAL_STATES = frozenset({"closed", "refused", "merged"})
"""Case states that end the loop (CaseState values); they never escalate, nor does "deferred"."""


@dataclass(frozen=True)
class EscalationPolicy:
    """Who hears of an overdue case, lowest first, and how often it is raised again."""

    levels: tuple[str, ...] = ("community", "street", "district")
    repeat: Duration | None = None  # None: the overdue step's own limit again

    def __post_init__(self) -> None:
        if not self.levels or len(set(self.levels)) != len(self.levels):
            raise ValueError(f"escalation levels must be distinct and not empty: {self.levels}")


DEFAULT_ESCALATION = EscalationPolicy()


@dataclass(frozen=True)
class CaseView:
    """What escalation needs to know of one dispatched case, as of now."""

    case_id: str
    state: str
    sign_due: int
    handle_due: int
    signed: bool = False
    handled: bool = False
    deferred: bool = False
    escalation_level: str | None = None  # None: never escalated
    last_escalated_at: int | None = None  # the `at` of the last recorded escalation
    limit: Limit | None = None  # the limits behind the deadlines: the default repeat interval


@dataclass(frozen=True)
class Escalation:
    """Raise `case_id` to `level` because `step` is overdue; `at` is the deadline or repeat."""

    case_id: str
    step: Step
    level: str
    at: int


def due_escalations(
    cases: Iterable[CaseView],
    now_ms: int,
    policy: EscalationPolicy = DEFAULT_ESCALATION,
    calendar: WorkCalendar | None = None,
) -> list[Escalation]:
    """Escalations due by now that the views do not record yet, oldest first per case.

    A step's deadline passing raises the case one level; while the step stays overdue, each
    repeat interval after the last escalation raises it again, up to the top level. Deferred
    and closed cases never escalate. The result depends only on the views, so once the caller
    records each escalation (its level, and `at` as last_escalated_at) the same call returns
    nothing new. Triggers missed while no one asked are all returned, each at its own time.
    A working-time repeat needs the calendar.
    """
    found: list[Escalation] = []
    for case in cases:
        if case.deferred or case.state == "deferred" or case.state in FINAL_STATES:
            continue
        repeats = _repeats(case, policy)
        rank = _rank(case, policy)
        last = case.last_escalated_at
        while rank + 1 < len(policy.levels):
            trigger = _next_trigger(case, last, repeats, calendar)
            if trigger is None or trigger[0] > now_ms:
                break
            rank += 1
            found.append(Escalation(case.case_id, trigger[1], policy.levels[rank], trigger[0]))
            last = trigger[0]
    return found


def _rank(case: CaseView, policy: EscalationPolicy) -> int:
    if case.escalation_level is None:
        return -1
    if case.escalation_level not in policy.levels:
        raise ValueError(f"case {case.case_id}: unknown escalation level {case.escalation_level!r}")
    return policy.levels.index(case.escalation_level)


def _next_trigger(
    case: CaseView, last: int | None, repeats: Limit, calendar: WorkCalendar | None
) -> tuple[int, Step] | None:
    """The earliest instant after `last` at which an open step raises the case."""
    options: list[tuple[int, int, int, Step]] = []
    steps = (
        (Step.SIGN, case.signed or case.handled, case.sign_due),
        (Step.HANDLE, case.handled, case.handle_due),
    )
    for order, (step, done, due) in enumerate(steps):
        if done:
            continue
        if last is None or last < due:
            options.append((due, 0, order, step))
        else:
            repeat = repeats.sign if step is Step.SIGN else repeats.handle
            options.append((repeat.after(last, calendar), 1, order, step))
    if not options:
        return None
    # On a tie a deadline names the escalation before a repeat does, and sign before handle.
    at, _, _, step = min(options)
    return at, step


def _repeats(case: CaseView, policy: EscalationPolicy) -> Limit:
    """The repeat interval of each step."""
    if policy.repeat is not None:
        return Limit(policy.repeat, policy.repeat)
    if case.limit is None:
        why = "give the view its limit or the policy a repeat"
        raise ValueError(f"case {case.case_id}: no repeat interval ({why})")
    return case.limit


def _override(value: object, key: str) -> Override:
    table = _table(value, key)
    unknown = sorted(set(table) - {"sign", "handle"})
    if unknown:
        raise ValueError(f"unknown key {key}.{unknown[0]} (known: handle, sign)")
    steps: dict[str, Duration] = {}
    for step, text in table.items():
        try:
            steps[step] = Duration.parse(text)
        except ValueError as exc:
            raise ValueError(f"{key}.{step}: {exc}") from None
    return Override(**steps)


def _table(value: object, key: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: expected a table, got {value!r}")
    return value
