"""A case flattened for lists, dispatch load and the SLA scheduler (the read side).

It is derived from the case's history after every append and can always be derived again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gridloop.domain.cases.case import Case
from gridloop.domain.cases.events import Action
from gridloop.domain.cases.request import ms, text
from gridloop.domain.cases.sla import CaseView, Limit
from gridloop.domain.cases.states import CaseState

S = CaseState
_SIGNED = frozenset({S.SIGNED, S.HANDLED, S.AWAITING_VERIFICATION, S.VERIFIED, S.CLOSED})
_HANDLED = frozenset({S.HANDLED, S.AWAITING_VERIFICATION, S.VERIFIED, S.CLOSED})


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    state: str
    channel: str
    category: str
    severity: str
    description: str
    lon: float | None
    lat: float | None
    building_code: str | None
    grid_code: str | None
    community_code: str | None
    street_code: str | None
    source_key: str | None
    assignee: str | None
    assignee_kind: str | None
    departments: tuple[str, ...]
    sign_due: int | None
    handle_due: int | None
    signed: bool
    handled: bool
    escalation_level: str | None
    last_escalated_at: int | None
    reported_at: int
    updated_at: int
    closed_at: int | None
    merged_into: str | None
    rating: str | None = None
    extension_until: int | None = None  # a pending extension request: the deadline asked for
    reporters: tuple[str, ...] = field(default_factory=tuple)
    alert_ids: tuple[str, ...] = field(default_factory=tuple)
    seq: int = 0

    def escalation_view(self, limit: Limit | None) -> CaseView | None:
        """What the escalation rules need, or None when no clock runs (not dispatched)."""
        if self.sign_due is None or self.handle_due is None:
            return None
        return CaseView(
            self.case_id,
            self.state,
            self.sign_due,
            self.handle_due,
            signed=self.signed,
            handled=self.handled,
            deferred=self.state == S.DEFERRED.value,
            escalation_level=self.escalation_level,
            last_escalated_at=self.last_escalated_at,
            limit=limit,
        )


def source_key(device_id: str, rule: str) -> str:
    """The key an alert case is found by when the same device's rule fires again."""
    return f"{device_id}|{rule}"


def summarize(case: Case) -> CaseSummary:
    history = case.history
    report = history[0].payload
    device, rule = text(report, "device_id"), text(report, "rule")
    last_escalation = next((e for e in reversed(history) if e.action is Action.ESCALATE), None)
    escalated_at = None
    if last_escalation is not None:
        escalated_at = ms(last_escalation.payload, "due_at") or last_escalation.at
    closed_at = None
    if case.state is S.CLOSED:
        closed_at = next(e.at for e in reversed(history) if e.action is Action.CLOSE)
    effective = case.deferred_from if case.state is S.DEFERRED else case.state
    return CaseSummary(
        case_id=case.case_id,
        state=case.state.value,
        channel=case.channel,
        category=case.category,
        severity=case.severity,
        description=case.description,
        lon=case.lon,
        lat=case.lat,
        building_code=case.building_code,
        grid_code=case.grid_code,
        community_code=case.community_code,
        street_code=case.street_code,
        source_key=source_key(device, rule) if device and rule else None,
        assignee=case.assignee,
        assignee_kind=case.assignee_kind.value if case.assignee_kind else None,
        departments=tuple(case.departments),
        sign_due=case.sign_due,
        handle_due=case.handle_due,
        signed=effective in _SIGNED,
        handled=effective in _HANDLED,
        escalation_level=case.escalation_level.value if case.escalation_level else None,
        last_escalated_at=escalated_at,
        reported_at=history[0].at,
        updated_at=history[-1].at,
        closed_at=closed_at,
        merged_into=case.merged_into,
        rating=case.rating.value if case.rating else None,
        extension_until=case.pending_extension.until if case.pending_extension else None,
        reporters=tuple(case.reporters),
        alert_ids=tuple(case.alert_ids),
        seq=len(history),
    )
