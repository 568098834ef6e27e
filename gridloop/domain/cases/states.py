"""The states of a case and the small vocabularies its payloads use (rating, level, assignee)."""

from __future__ import annotations

from enum import StrEnum

from gridloop.domain.cases.events import Role


class CaseState(StrEnum):
    """Where a case stands in the closed loop; members know their label and whether they end it."""

    REPORTED = "reported"
    REFUSED = "refused"
    REGISTERED = "registered"
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    HANDLED = "handled"
    AWAITING_VERIFICATION = "awaiting_verification"
    VERIFIED = "verified"
    CLOSED = "closed"
    RETURNED = "returned"
    DEFERRED = "deferred"
    MERGED = "merged"

    @property
    def label_zh(self) -> str:
        return _STATE_ZH[self]

    @property
    def is_final(self) -> bool:
        """No further work is expected (a closed case may still be reopened after its rating)."""
        return self in _FINAL

    @property
    def is_open(self) -> bool:
        return self not in _FINAL


_STATE_ZH = {
    CaseState.REPORTED: "已上报",
    CaseState.REFUSED: "不予立案",
    CaseState.REGISTERED: "已立案",
    CaseState.DISPATCHED: "已派遣",
    CaseState.SIGNED: "已签收",
    CaseState.HANDLED: "已处置",
    CaseState.AWAITING_VERIFICATION: "待核查",
    CaseState.VERIFIED: "已核查",
    CaseState.CLOSED: "已结案",
    CaseState.RETURNED: "已退单",
    CaseState.DEFERRED: "缓办",
    CaseState.MERGED: "已合并",
}
_FINAL = frozenset({CaseState.REFUSED, CaseState.CLOSED, CaseState.MERGED})
OPEN_STATES = frozenset(s for s in CaseState if s.is_open)


class Rating(StrEnum):
    """The reporter's follow-up rating (回访评价)."""

    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"

    @property
    def label_zh(self) -> str:
        return _RATING_ZH[self]


_RATING_ZH = {
    Rating.SATISFIED: "满意",
    Rating.BASICALLY_SATISFIED: "基本满意",
    Rating.UNSATISFIED: "不满意",
}


class EscalationLevel(StrEnum):
    """Who oversees an overdue case (督办); each escalation raises it."""

    COMMUNITY = "community"
    STREET = "street"
    DISTRICT = "district"

    @property
    def rank(self) -> int:
        return list(EscalationLevel).index(self) + 1


class AssigneeKind(StrEnum):
    """What a dispatch names as assignee; `role` is the role that acts for it."""

    WORKER = "worker"
    COMMUNITY = "community"
    DEPARTMENT = "department"

    @property
    def role(self) -> Role:
        return _ASSIGNEE_ROLE[self]


_ASSIGNEE_ROLE = {
    AssigneeKind.WORKER: Role.GRID_WORKER,
    AssigneeKind.COMMUNITY: Role.COMMUNITY_ADMIN,
    AssigneeKind.DEPARTMENT: Role.DEPARTMENT,
}
