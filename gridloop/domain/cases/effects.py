"""What each event does to the fields of its case (the state itself moves by the workflow table)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from gridloop.domain.cases.events import Action, CaseEvent
from gridloop.domain.cases.request import ms, text
from gridloop.domain.cases.states import AssigneeKind, EscalationLevel, Rating

if TYPE_CHECKING:
    from gridloop.domain.cases.case import Case

A = Action


@dataclass(frozen=True)
class PendingExtension:
    """An extension request awaiting the supervisor's decision."""

    requested_by: str
    at: int
    until: int
    reason: str


def _report(case: Case, event: CaseEvent) -> None:
    p = event.payload
    case.channel = text(p, "channel") or ""
    case.category = text(p, "category") or ""
    case.severity = str(p.get("severity") or "")
    case.description = text(p, "description") or ""
    _place(case, p)
    case.reporters = [text(p, "reporter") or event.actor]
    case.alert_ids = _strings(p.get("alert_ids"))


def _locate(case: Case, event: CaseEvent) -> None:
    _place(case, event.payload)


def _place(case: Case, p: Mapping[str, object]) -> None:
    """The location fields a REPORT or a LOCATE carries."""
    lon, lat = p.get("lon"), p.get("lat")
    case.lon = float(lon) if isinstance(lon, int | float) else None
    case.lat = float(lat) if isinstance(lat, int | float) else None
    case.building_code = text(p, "building_code")
    case.grid_code = text(p, "grid_code")
    case.community_code = text(p, "community_code")
    case.street_code = text(p, "street_code")


def _dispatch(case: Case, event: CaseEvent) -> None:
    p = event.payload
    case.assignee = text(p, "assignee")
    case.assignee_kind = AssigneeKind(str(p["assignee_kind"]))
    case.departments = _strings(p.get("departments"))
    case.sign_due, case.handle_due = ms(p, "sign_due"), ms(p, "handle_due")
    case.pending_extension = None


def _return(case: Case, event: CaseEvent) -> None:
    # The case waits for a new assignee; who returned it stays in the history for the indicators.
    case.assignee, case.assignee_kind, case.departments = None, None, []
    case.sign_due = case.handle_due = None
    case.pending_extension = None


def _request_extension(case: Case, event: CaseEvent) -> None:
    p = event.payload
    until = ms(p, "until") or 0
    case.pending_extension = PendingExtension(event.actor, event.at, until, text(p, "reason") or "")


def _grant_extension(case: Case, event: CaseEvent) -> None:
    case.handle_due = ms(event.payload, "handle_due")
    case.pending_extension = None


def _drop_pending(case: Case, event: CaseEvent) -> None:
    case.pending_extension = None


def _defer(case: Case, event: CaseEvent) -> None:
    case.deferred_from = case.state
    case.pending_extension = None


def _resume(case: Case, event: CaseEvent) -> None:
    p = event.payload
    if "sign_due" in p:
        case.sign_due = ms(p, "sign_due")
    if "handle_due" in p:
        case.handle_due = ms(p, "handle_due")
    case.deferred_from = None


def _rework(case: Case, event: CaseEvent) -> None:
    case.reworks += 1
    case.rating = None  # a reopened case is rated again at its next closure


def _rate(case: Case, event: CaseEvent) -> None:
    case.rating = Rating(str(event.payload["rating"]))


def _merge(case: Case, event: CaseEvent) -> None:
    case.merged_into = text(event.payload, "into")


def _absorb(case: Case, event: CaseEvent) -> None:
    p = event.payload
    arrivals = _strings(p.get("reporters")) or _strings([p.get("reporter")])
    case.reporters += [r for r in dict.fromkeys(arrivals) if r not in case.reporters]
    case.alert_ids += [a for a in _strings(p.get("alert_ids")) if a not in case.alert_ids]


def _escalate(case: Case, event: CaseEvent) -> None:
    case.escalation_level = EscalationLevel(str(event.payload["level"]))


def _link_alert(case: Case, event: CaseEvent) -> None:
    case.alert_ids.append(str(event.payload["alert_id"]))


def _alert_cleared(case: Case, event: CaseEvent) -> None:
    case.cleared_alert_ids.append(str(event.payload["alert_id"]))


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list | tuple) else []
    return [item for item in items if isinstance(item, str) and item]


CHANGES: Mapping[Action, Callable[[Case, CaseEvent], None]] = MappingProxyType(
    {
        A.REPORT: _report,
        A.LOCATE: _locate,
        A.DISPATCH: _dispatch,
        A.RETURN: _return,
        A.REQUEST_EXTENSION: _request_extension,
        A.GRANT_EXTENSION: _grant_extension,
        A.REFUSE_EXTENSION: _drop_pending,
        A.FEEDBACK: _drop_pending,  # handling is done: nothing left to extend
        A.DEFER: _defer,
        A.RESUME: _resume,
        A.VERIFY_FAIL: _rework,
        A.REOPEN: _rework,
        A.RATE: _rate,
        A.MERGE: _merge,
        A.ABSORB: _absorb,
        A.ESCALATE: _escalate,
        A.LINK_ALERT: _link_alert,
        A.ALERT_CLEARED: _alert_cleared,
    }
)
