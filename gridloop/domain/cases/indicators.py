"""Closed-loop indicators, computed from case histories (never from stored counters).

Counting conventions (the contract behind `gridloop report`):
- Period `(from_ms, to_ms)` is half-open. A case belongs to it when its REPORT is in it, and is
  judged as it stood at the period end: events at or after `to_ms` are ignored. Without a period
  every case and every event counts ("截至目前").
- reported: selected cases. registered: those with a REGISTER (or a DISPATCH, which implies one),
  neither refused (REFUSE) nor merged away (MERGE: the report lives on in the surviving case, so
  the problem counts once). merged: merged-away cases not refused.
- due for closure (应结案): registered cases not deferred (last DEFER/RESUME a DEFER, not closed).
  due for handling (应处置): due for closure and dispatched at least once. Each numerator below
  is counted over its rate's denominator; dispatches, returns and ratings over registered cases.
- deadline in force at an event: the sign_due / handle_due set by the last DISPATCH (a RETURN
  clears them), moved by a later GRANT_EXTENSION or RESUME; a step without one is on time.
- closed: the last CLOSE comes after the last REOPEN; on time when that CLOSE is at or before the
  handle deadline in force. handled: has a HANDLE; on time judged on its latest HANDLE (a rework
  that drags past the deadline makes the handling late).
- signed: the latest DISPATCH was signed for (a SIGN after it); on time against its sign deadline.
  on_time_sign_rate = signed_on_time / due for handling.
- reworks: VERIFY_FAIL + REOPEN events; extensions: GRANT_EXTENSION events; dispatches, returns:
  DISPATCH and RETURN events. rated: cases whose current closure is rated (a REOPEN clears the
  rating, as the workflow does); satisfied: rated satisfied or basically_satisfied.
- warnings: distinct alert ids of registered cases of channel "sensor" or "camera" (REPORT
  and ABSORB alert_ids, LINK_ALERT alert_id); warnings_closed: those of closed cases.
- A rate with a zero denominator is None.
- Scope and grouping read the REPORT payload (channel, category, street_code, community_code,
  grid_code); worker is the assignee of the latest DISPATCH. A missing value groups as "-".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from gridloop.domain.cases.events import Action, CaseEvent
from gridloop.domain.cases.request import ms, text

NO_VALUE = "-"
ALERT_CHANNELS = frozenset({"sensor", "camera"})  # device alerts: sensing and AI cameras
SATISFIED = frozenset({"satisfied", "basically_satisfied"})

# the JSON keys in its order, as one block that reads like the list
JSON_KEYS = tuple(
    """registered closed closure_rate closed_on_time on_time_closure_rate handled handling_rate
    on_time_handling_rate reworks rework_rate extensions extension_rate dispatches returns
    dispatch_accuracy signed_on_time on_time_sign_rate rated satisfied satisfaction_rate warnings
    warnings_closed warning_closure_rate""".split()  # noqa: SIM905
)


class Dimension(StrEnum):
    """What `--by` groups on."""

    CHANNEL = "channel"
    CATEGORY = "category"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    WORKER = "worker"


@dataclass(frozen=True)
class Scope:
    """The cases a report covers: the district (no facet), a street, community, grid or worker."""

    facet: Dimension | None = None
    code: str = ""

    @classmethod
    def parse(cls, text: str) -> Scope:
        """`district`, `street:CODE`, `community:CODE`, `grid:CODE` or `worker:ID`."""
        name, _, code = text.partition(":")
        if name == "district" and not code:
            return cls()
        if name not in _SCOPES or not code:
            raise ValueError(f"unknown scope {text!r}")
        return cls(Dimension(name), code)


_SCOPES = ("street", "community", "grid", "worker")
DISTRICT = Scope()

_REPORT_KEYS = {
    "channel": "channel",
    "category": "category",
    "street": "street_code",
    "community": "community_code",
    "grid": "grid_code",
}


@dataclass
class _Case:
    """What one history says about its case, at the period end."""

    facets: dict[str, str]
    reported_at: int
    actions: Counter[Action]
    registered: bool = False
    merged: bool = False
    deferred: bool = False
    closed: bool = False
    closed_on_time: bool = False
    handled: bool = False
    handled_on_time: bool = False
    signed: bool = False
    signed_on_time: bool = False
    rating: str | None = None
    alert_ids: set[str] = field(default_factory=set)


def _on_time(at: int, due: int | None) -> bool:
    return due is None or at <= due


def _alert_ids(payload: Mapping[str, object]) -> set[str]:
    """REPORT and ABSORB carry a list `alert_ids`, LINK_ALERT a single `alert_id`."""
    ids = payload.get("alert_ids", [payload.get("alert_id")])
    return {i for i in ids if isinstance(i, str) and i} if isinstance(ids, list | tuple) else set()


def _read(history: Sequence[CaseEvent], to_ms: int | None) -> _Case | None:
    """The case as it stood at `to_ms`, following the workflow's effects (cases/effects.py)."""
    events = [e for e in history if to_ms is None or e.at < to_ms]
    report = next((e for e in events if e.action is Action.REPORT), None)
    if report is None:
        return None
    facets = {name: text(report.payload, key) or NO_VALUE for name, key in _REPORT_KEYS.items()}
    facets["worker"] = NO_VALUE
    case = _Case(facets, report.at, Counter(e.action for e in events))
    sign_due: int | None = None
    handle_due: int | None = None
    for e in events:
        a, p = e.action, e.payload
        if a is Action.LOCATE:  # placed by a dispatcher: its regions are the ones that count
            for name, key in _REPORT_KEYS.items():
                if key in ("grid_code", "community_code", "street_code"):
                    facets[name] = text(p, key) or NO_VALUE
        if a is Action.DISPATCH:
            facets["worker"] = text(p, "assignee") or NO_VALUE
            case.signed = case.signed_on_time = False  # the new assignee has to sign for it
        elif a is Action.SIGN:
            case.signed, case.signed_on_time = True, _on_time(e.at, sign_due)
        elif a is Action.HANDLE:
            case.handled, case.handled_on_time = True, _on_time(e.at, handle_due)
        elif a is Action.CLOSE:
            case.closed, case.closed_on_time = True, _on_time(e.at, handle_due)
        elif a is Action.REOPEN:  # the reopened case is rated again at its next closure
            case.closed = case.closed_on_time = False
            case.rating = None
        elif a in (Action.DEFER, Action.RESUME):
            case.deferred = a is Action.DEFER
        elif a is Action.RATE:
            case.rating = text(p, "rating")
        elif a in (Action.REPORT, Action.LINK_ALERT, Action.ABSORB):
            case.alert_ids |= _alert_ids(p)
        if a in (Action.DISPATCH, Action.RETURN):  # a new assignee, or none: new deadlines
            sign_due, handle_due = ms(p, "sign_due"), ms(p, "handle_due")
        elif a in (Action.RESUME, Action.GRANT_EXTENSION):
            sign_due = ms(p, "sign_due") if "sign_due" in p else sign_due
            handle_due = ms(p, "handle_due") if "handle_due" in p else handle_due
    refused = Action.REFUSE in case.actions
    case.deferred = case.deferred and not case.closed
    case.merged = Action.MERGE in case.actions and not refused
    # a DISPATCH implies registration even where the REGISTER step was automatic and unrecorded
    registered = Action.REGISTER in case.actions or Action.DISPATCH in case.actions
    case.registered = registered and not refused and not case.merged
    return case


class _Ratio:
    """A rate read from two counts of a report; None when the denominator is zero."""

    def __init__(self, numerator: str, denominator: str) -> None:
        self.numerator, self.denominator = numerator, denominator

    def __get__(self, report: object, owner: object = None) -> float | None:
        denominator: int = getattr(report, self.denominator, 0)
        return getattr(report, self.numerator) / denominator if denominator else None


@dataclass(frozen=True)
class Report:
    """Counts for a selection of cases; rates are derived. `rows` is set when grouped."""

    reported: int = 0
    registered: int = 0
    merged: int = 0
    due_for_closure: int = 0
    due_for_handling: int = 0
    closed: int = 0
    closed_on_time: int = 0
    handled: int = 0
    handled_on_time: int = 0
    reworks: int = 0
    extensions: int = 0
    dispatches: int = 0
    returns: int = 0
    signed: int = 0
    signed_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    warnings: int = 0
    warnings_closed: int = 0
    rows: tuple[tuple[str, Report], ...] | None = None

    closure_rate = _Ratio("closed", "due_for_closure")
    on_time_closure_rate = _Ratio("closed_on_time", "due_for_closure")
    handling_rate = _Ratio("handled", "due_for_handling")
    on_time_handling_rate = _Ratio("handled_on_time", "due_for_handling")
    rework_rate = _Ratio("reworks", "due_for_closure")
    extension_rate = _Ratio("extensions", "due_for_handling")
    dispatch_accuracy = _Ratio("dispatches_kept", "dispatches")
    sign_rate = _Ratio("signed", "due_for_handling")
    on_time_sign_rate = _Ratio("signed_on_time", "due_for_handling")
    satisfaction_rate = _Ratio("satisfied", "rated")
    warning_closure_rate = _Ratio("warnings_closed", "warnings")
    valid_report_rate = _Ratio("valid_reports", "reported")

    @property
    def dispatches_kept(self) -> int:
        return self.dispatches - self.returns

    @property
    def valid_reports(self) -> int:
        """Reports that became a case of their own or joined one (有效上报)."""
        return self.registered + self.merged

    def as_json(self) -> dict[str, object]:
        """Exactly the issue's keys, full-precision rates, plus `rows` when grouped."""
        doc: dict[str, object] = {key: getattr(self, key) for key in JSON_KEYS}
        if self.rows is not None:
            doc["rows"] = [{"key": key, **row.as_json()} for key, row in self.rows]
        return doc


def _tally(cases: Iterable[_Case]) -> Report:
    counts: dict[str, Any] = {f.name: 0 for f in fields(Report) if f.name != "rows"}
    warnings: set[str] = set()
    warnings_closed: set[str] = set()
    for c in cases:
        counts["reported"] += 1
        counts["merged"] += c.merged
        if not c.registered:
            continue
        counts["registered"] += 1
        counts["dispatches"] += c.actions[Action.DISPATCH]
        counts["returns"] += c.actions[Action.RETURN]
        counts["rated"] += c.rating is not None
        counts["satisfied"] += c.rating in SATISFIED
        if c.facets["channel"] in ALERT_CHANNELS:
            warnings |= c.alert_ids
            if c.closed:
                warnings_closed |= c.alert_ids
        if c.deferred:
            continue
        counts["due_for_closure"] += 1
        counts["closed"] += c.closed
        counts["closed_on_time"] += c.closed_on_time
        counts["reworks"] += c.actions[Action.VERIFY_FAIL] + c.actions[Action.REOPEN]
        if not c.actions[Action.DISPATCH]:
            continue
        counts["due_for_handling"] += 1
        counts["handled"] += c.handled
        counts["handled_on_time"] += c.handled_on_time
        counts["extensions"] += c.actions[Action.GRANT_EXTENSION]
        counts["signed"] += c.signed
        counts["signed_on_time"] += c.signed_on_time
    counts["warnings"], counts["warnings_closed"] = len(warnings), len(warnings_closed)
    return Report(**counts)


def compute(
    histories: Iterable[Sequence[CaseEvent]],
    period: tuple[int, int] | None,
    scope: Scope = DISTRICT,
    by: Dimension | None = None,
) -> Report:
    """The indicators of the cases in `period` and `scope`, grouped by `by` when given."""
    from_ms, to_ms = period if period is not None else (None, None)
    cases: list[_Case] = []
    for history in histories:
        # _read drops cases reported at or after the period end
        case = _read(history, to_ms)
        if case is None or (from_ms is not None and case.reported_at < from_ms):
            continue
        if scope.facet is not None and case.facets[scope.facet.value] != scope.code:
            continue
        cases.append(case)
    total = _tally(cases)
    if by is None:
        return total
    groups: dict[str, list[_Case]] = {}
    for case in cases:
        groups.setdefault(case.facets[by.value], []).append(case)
    return replace(total, rows=tuple((key, _tally(groups[key])) for key in sorted(groups)))
