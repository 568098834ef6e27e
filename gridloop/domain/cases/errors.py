"""Why a case refuses a transition, or refuses to be rebuilt from a history."""

from __future__ import annotations

from collections.abc import Iterable

from gridloop.domain.cases.events import Action, Role


class TransitionRefused(Exception):
    """A requested action was not applied; the message says why, and the case is unchanged."""

    def __init__(self, case_id: str, action: Action, why: str) -> None:
        super().__init__(f"case {case_id}: cannot {action.value}: {why}")
        self.case_id = case_id
        self.action = action
        self.why = why


class NotAllowedInState(TransitionRefused):
    """The action has no transition from the case's current state."""

    def __init__(self, case_id: str, action: Action, state: str, allowed: Iterable[Action]) -> None:
        self.state = state
        self.allowed = tuple(sorted(allowed))
        listed = ", ".join(a.value for a in self.allowed) or "nothing"
        super().__init__(case_id, action, f"the case is {state}; allowed now: {listed}")


class RoleNotAllowed(TransitionRefused):
    """The actor's role may not take this action from this state."""

    def __init__(
        self, case_id: str, action: Action, role: Role, state: str, allowed: Iterable[Role]
    ) -> None:
        self.role = role
        self.allowed = tuple(sorted(allowed))
        listed = ", ".join(r.value for r in self.allowed) or "no role"
        why = f"role {role.value} may not {action.value} a {state} case (allowed: {listed})"
        super().__init__(case_id, action, why)


class NotTheAssignee(TransitionRefused):
    """Only the assignee (the worker, or someone of the assigned department/community) may act."""

    def __init__(
        self, case_id: str, action: Action, actor: str, role: Role, assignee: str | None
    ) -> None:
        self.actor = actor
        self.assignee = assignee
        target = f"assigned to {assignee}" if assignee else "not assigned"
        why = f"{role.value} {actor} is not the assignee (the case is {target})"
        super().__init__(case_id, action, why)


class ConditionFailed(TransitionRefused):
    """The state and role fit, but a condition of the transition does not hold."""


class BrokenHistory(ValueError):
    """A history that cannot be a case: broken hash chain, or an event its state cannot take."""

    def __init__(self, case_id: str, problems: list[str]) -> None:
        super().__init__(f"case {case_id}: broken history: " + "; ".join(problems))
        self.case_id = case_id
        self.problems = problems


class CaseNotFound(LookupError):
    """No such case — or none the actor may see: outside their region it does not exist for them."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"case {case_id} not found")
        self.case_id = case_id


class ReportRefused(ValueError):
    """A report that cannot become a case: which field, and why."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"report refused [{field}]: {why}")
        self.field = field
        self.why = why
