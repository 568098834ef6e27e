"""Conditions a transition must meet beyond the table's state and role, one small rule each.

Like Prefect's orchestration rules, each rule declares what it governs (`ACTIONS`, optionally
`FROM_STATES`) and answers with the refusal it would raise, or None when the request passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from gridloop.domain.cases.errors import ConditionFailed, NotTheAssignee, TransitionRefused
from gridloop.domain.cases.events import Action
from gridloop.domain.cases.request import Request, ms, text
from gridloop.domain.cases.states import AssigneeKind, CaseState, EscalationLevel, Rating

if TYPE_CHECKING:
    from gridloop.domain.cases.case import Case

A = Action


class Rule:
    """A condition on some actions; `refusal` says why a request breaks it, or None."""

    ACTIONS: ClassVar[frozenset[Action]] = frozenset()
    FROM_STATES: ClassVar[frozenset[CaseState] | None] = None  # None: wherever the table allows

    def governs(self, case: Case, request: Request) -> bool:
        return request.action in self.ACTIONS and (
            self.FROM_STATES is None or case.state in self.FROM_STATES
        )

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        raise NotImplementedError

    @staticmethod
    def fail(case: Case, request: Request, why: str) -> ConditionFailed:
        return ConditionFailed(case.case_id, request.action, why)


class TimeMovesForward(Rule):
    """A history is in time order: indicators measure durations between its events."""

    ACTIONS = frozenset(Action)

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        if case.history and request.at < case.history[-1].at:
            why = f"at {request.at} is before the case's last event ({case.history[-1].at})"
            return self.fail(case, request, why)
        return None


class ReportComplete(Rule):
    """A report says through which channel and about what."""

    ACTIONS = frozenset({A.REPORT})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        missing = [k for k in ("channel", "category") if text(request.payload, k) is None]
        if missing:
            return self.fail(case, request, "the report needs " + " and ".join(missing))
        return None


class ReasonGiven(Rule):
    """Refusals, returns, deferrals, extension requests and reopenings say why."""

    ACTIONS = frozenset(
        {A.REFUSE, A.RETURN, A.DEFER, A.REQUEST_EXTENSION, A.REFUSE_EXTENSION, A.REOPEN}
    )

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        if text(request.payload, "reason") is None:
            return self.fail(case, request, "a reason is required")
        return None


class AssigneeActs(Rule):
    """Only the assignee: the worker named, or someone acting for the department/community named.

    People acting for a unit put its code under `unit` in the payload, so the event records it.
    """

    ACTIONS = frozenset({A.SIGN, A.HANDLE, A.FEEDBACK, A.RETURN, A.REQUEST_EXTENSION})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        kind = case.assignee_kind
        if kind is not None and request.role == kind.role and case.assignee is not None:
            unit = None if kind is AssigneeKind.WORKER else text(request.payload, "unit")
            if case.assignee in (request.actor, unit):
                return None
        return NotTheAssignee(
            case.case_id, request.action, request.actor, request.role, case.assignee
        )


class LocationGiven(Rule):
    """A located case names its grid (the service resolves building or point to it)."""

    ACTIONS = frozenset({A.LOCATE})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        if text(request.payload, "grid_code") is None:
            return self.fail(case, request, "a location names at least the grid_code")
        return None


class AssignmentNamed(Rule):
    """A dispatch names whom, and of which kind."""

    ACTIONS = frozenset({A.DISPATCH})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        kinds = {k.value for k in AssigneeKind}
        if text(request.payload, "assignee") is None:
            return self.fail(case, request, "the dispatch names no assignee")
        if request.payload.get("assignee_kind") not in kinds:
            return self.fail(case, request, f"assignee_kind must be one of {sorted(kinds)}")
        return None


class DeadlinesAhead(Rule):
    """Deadlines set by dispatch, grant or resume are epoch ms, not in the past, sign before handle.

    The SLA module computes them; a past one means a stale computation, which would make the case
    overdue the moment it is created.
    """

    ACTIONS = frozenset({A.DISPATCH, A.GRANT_EXTENSION, A.RESUME})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        required = self._required(case, request.action)
        due: dict[str, int] = {}
        for key in ("sign_due", "handle_due"):
            if key not in request.payload and key not in required:
                continue
            value = ms(request.payload, key)
            if value is None:
                return self.fail(case, request, f"{key} must be given in epoch ms")
            if value < request.at:
                why = f"{key} {value} is in the past (now {request.at})"
                return self.fail(case, request, why)
            due[key] = value
        if "sign_due" in due and "handle_due" in due and due["sign_due"] > due["handle_due"]:
            return self.fail(case, request, "sign_due falls after handle_due")
        return None

    @staticmethod
    def _required(case: Case, action: Action) -> tuple[str, ...]:
        if action is A.DISPATCH:
            return ("sign_due", "handle_due")
        if action is A.GRANT_EXTENSION or case.assignee is not None:
            return ("handle_due",)
        return ()  # resuming a case that was never dispatched: no clock runs yet


class ExtensionRequestable(Rule):
    """An extension is asked for before the handle deadline, for a later one, one at a time."""

    ACTIONS = frozenset({A.REQUEST_EXTENSION})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        due = case.handle_due
        until = ms(request.payload, "until")
        if case.pending_extension is not None:
            why = f"an extension request is already pending (until {case.pending_extension.until})"
            return self.fail(case, request, why)
        if due is None:
            return self.fail(case, request, "the case has no handle deadline to extend")
        if request.at >= due:
            why = f"the handle deadline {due} has passed (now {request.at}); ask before it"
            return self.fail(case, request, why)
        if until is None or until <= due:
            why = f"until must be epoch ms after the current handle deadline {due}"
            return self.fail(case, request, why)
        return None


class ExtensionPending(Rule):
    """Grant and refuse answer a pending request; a grant moves the deadline later."""

    ACTIONS = frozenset({A.GRANT_EXTENSION, A.REFUSE_EXTENSION})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        if case.pending_extension is None:
            return self.fail(case, request, "no extension request is pending")
        current, new_due = case.handle_due, ms(request.payload, "handle_due")
        later = current is None or new_due is None or new_due > current
        if request.action is A.GRANT_EXTENSION and not later:
            why = f"the granted handle_due must be after the current one ({current})"
            return self.fail(case, request, why)
        return None


class RatedOnce(Rule):
    """Each closure is rated once, with one of the three ratings."""

    ACTIONS = frozenset({A.RATE})
    FROM_STATES = frozenset({CaseState.CLOSED})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        allowed = [r.value for r in Rating]
        if request.payload.get("rating") not in allowed:
            return self.fail(case, request, f"rating must be one of {allowed}")
        if case.rating is not None:
            why = f"the case is already rated ({case.rating.value}) for this closure"
            return self.fail(case, request, why)
        return None


class ReopenAfterUnsatisfied(Rule):
    """Only an unsatisfied rating (the handler's fault, judged by the dispatcher) reopens a case."""

    ACTIONS = frozenset({A.REOPEN})
    FROM_STATES = frozenset({CaseState.CLOSED})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        if case.rating is not Rating.UNSATISFIED:
            got = case.rating.value if case.rating else "not rated"
            return self.fail(case, request, f"only an unsatisfied rating reopens a case ({got})")
        return None


class EscalationRises(Rule):
    """Each escalation raises the oversight level: community → street → district."""

    ACTIONS = frozenset({A.ESCALATE})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        levels = [level.value for level in EscalationLevel]
        level = request.payload.get("level")
        if level not in levels:
            return self.fail(case, request, f"level must be one of {levels}")
        if request.payload.get("step", "handle") not in ("sign", "handle"):
            return self.fail(case, request, "step must be sign or handle")
        current = case.escalation_level
        if current is not None and EscalationLevel(level).rank <= current.rank:
            why = f"the case is already escalated to {current.value}; {level} is not higher"
            return self.fail(case, request, why)
        return None


class AlertsTracked(Rule):
    """An alert joins a case once, and only a linked alert can clear."""

    ACTIONS = frozenset({A.LINK_ALERT, A.ALERT_CLEARED})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        alert = text(request.payload, "alert_id")
        if alert is None:
            return self.fail(case, request, "alert_id is required")
        if request.action is A.LINK_ALERT and alert in case.alert_ids:
            return self.fail(case, request, f"alert {alert} is already linked")
        if request.action is A.ALERT_CLEARED:
            if alert not in case.alert_ids:
                return self.fail(case, request, f"alert {alert} is not linked to this case")
            if alert in case.cleared_alert_ids:
                return self.fail(case, request, f"alert {alert} is already recorded as cleared")
        return None


class MergeNamesAnotherCase(Rule):
    """A case is merged into, or absorbs, another case — never itself."""

    ACTIONS = frozenset({A.MERGE, A.ABSORB})

    def refusal(self, case: Case, request: Request) -> TransitionRefused | None:
        key = "into" if request.action is A.MERGE else "from"
        other = text(request.payload, key)
        if other is None or other == case.case_id:
            return self.fail(case, request, f"{key} must name another case")
        return None


RULES: tuple[Rule, ...] = (
    TimeMovesForward(),
    AssigneeActs(),
    ReportComplete(),
    ReasonGiven(),
    LocationGiven(),
    AssignmentNamed(),
    DeadlinesAhead(),
    ExtensionRequestable(),
    ExtensionPending(),
    RatedOnce(),
    ReopenAfterUnsatisfied(),
    EscalationRises(),
    AlertsTracked(),
    MergeNamesAnotherCase(),
)


def first_refusal(case: Case, request: Request) -> TransitionRefused | None:
    """The refusal of the first rule the request breaks, or None when all pass."""
    for rule in RULES:
        if rule.governs(case, request) and (refused := rule.refusal(case, request)):
            return refused
    return None
