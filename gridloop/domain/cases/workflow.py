"""The case workflow as data: (state, action) → (roles allowed, new state).

    report → reported ─register→ registered ─dispatch→ dispatched ─sign→ signed ─handle→ handled
    ─feedback→ awaiting_verification ─verify_pass→ verified ─close→ closed

Verification and closing are two steps (verify_pass → `verified`, then `close`): WORKFLOW.md gives
them to different people — a community admin may verify but only a dispatcher (or the system, when
a deployment closes automatically after verification) may close — and the close event is the one
the closure indicators count. Side paths:

- reported ─refuse→ refused (final: not registered, with a reason);
- reported ─locate→ reported: a dispatcher places a request that came without a usable location;
- awaiting_verification ─verify_fail→ signed (rework, back to the assignee);
- dispatched | signed ─return→ returned ─dispatch→ dispatched (re-dispatch);
- registered | dispatched | signed ─defer→ deferred ─resume→ the state it was deferred from;
- closed ─rate→ closed, and after an unsatisfied rating closed ─reopen→ signed (rework);
- any open state ─merge→ merged (final); the surviving case records `absorb` without moving;
- request/grant/refuse_extension (signed, handled), escalate, link_alert, alert_cleared leave the
  state as it is.

Conditions beyond state and role (the assignee acts, deadlines, pending requests…) live in
`rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from gridloop.domain.cases.events import Action, Role
from gridloop.domain.cases.states import OPEN_STATES, CaseState

S = CaseState
A = Action

DISPATCHERS = frozenset({Role.STREET_DISPATCHER, Role.DISTRICT_ADMIN})
SUPERVISORS = DISPATCHERS | {Role.COMMUNITY_ADMIN}  # "community admin and above"
AUTOMATION = frozenset({Role.SYSTEM})
# Roles that can hold a case; rules.AssigneeActs narrows them to the actual assignee.
ASSIGNEES = frozenset({Role.GRID_WORKER, Role.COMMUNITY_ADMIN, Role.DEPARTMENT})
REPORTERS = frozenset(Role) - {Role.AUDITOR}
RATERS = DISPATCHERS | {Role.RESIDENT, Role.SYSTEM}  # the reporter, or the hotline's follow-up

# Deferred cases are out of the due counts, so nothing is overdue there to escalate.
ESCALATABLE = OPEN_STATES - {S.DEFERRED}
EXTENDABLE = (S.SIGNED, S.HANDLED)


@dataclass(frozen=True)
class Transition:
    """Who may take `action` from `source`, and the state it leads to."""

    source: CaseState | None  # None: the case does not exist yet (report creates it)
    action: Action
    roles: frozenset[Role]
    target: CaseState | None  # None: back to the state the case was deferred from (resume)


def _rows() -> Iterable[Transition]:
    T = Transition
    yield T(None, A.REPORT, REPORTERS, S.REPORTED)
    yield T(S.REPORTED, A.REGISTER, DISPATCHERS | AUTOMATION, S.REGISTERED)
    yield T(S.REPORTED, A.REFUSE, DISPATCHERS, S.REFUSED)
    yield T(S.REPORTED, A.LOCATE, DISPATCHERS | AUTOMATION, S.REPORTED)
    yield T(S.REGISTERED, A.DISPATCH, DISPATCHERS | AUTOMATION, S.DISPATCHED)
    yield T(S.RETURNED, A.DISPATCH, SUPERVISORS | AUTOMATION, S.DISPATCHED)
    yield T(S.DISPATCHED, A.SIGN, ASSIGNEES, S.SIGNED)
    yield T(S.SIGNED, A.HANDLE, ASSIGNEES, S.HANDLED)
    yield T(S.HANDLED, A.FEEDBACK, ASSIGNEES, S.AWAITING_VERIFICATION)
    yield T(S.AWAITING_VERIFICATION, A.VERIFY_PASS, SUPERVISORS, S.VERIFIED)
    yield T(S.AWAITING_VERIFICATION, A.VERIFY_FAIL, SUPERVISORS, S.SIGNED)
    yield T(S.VERIFIED, A.CLOSE, DISPATCHERS | AUTOMATION, S.CLOSED)
    for state in (S.DISPATCHED, S.SIGNED):
        yield T(state, A.RETURN, ASSIGNEES, S.RETURNED)
    for state in EXTENDABLE:
        yield T(state, A.REQUEST_EXTENSION, ASSIGNEES, state)
        yield T(state, A.GRANT_EXTENSION, SUPERVISORS, state)
        yield T(state, A.REFUSE_EXTENSION, SUPERVISORS, state)
    for state in (S.REGISTERED, S.DISPATCHED, S.SIGNED):
        yield T(state, A.DEFER, SUPERVISORS, S.DEFERRED)
    yield T(S.DEFERRED, A.RESUME, SUPERVISORS, None)
    yield T(S.CLOSED, A.RATE, RATERS, S.CLOSED)
    yield T(S.CLOSED, A.REOPEN, DISPATCHERS, S.SIGNED)
    for state in sorted(OPEN_STATES):
        yield T(state, A.MERGE, DISPATCHERS | AUTOMATION, S.MERGED)
        yield T(state, A.ABSORB, DISPATCHERS | AUTOMATION, state)
        yield T(state, A.LINK_ALERT, AUTOMATION, state)
        yield T(state, A.ALERT_CLEARED, AUTOMATION, state)
        if state in ESCALATABLE:
            yield T(state, A.ESCALATE, AUTOMATION, state)
    yield T(S.CLOSED, A.ALERT_CLEARED, AUTOMATION, S.CLOSED)  # sensors may calm after the close


TRANSITIONS: Mapping[tuple[CaseState | None, Action], Transition] = MappingProxyType(
    {(t.source, t.action): t for t in _rows()}
)


def transition(state: CaseState | None, action: Action) -> Transition | None:
    """The row for `action` from `state`, or None when the table has none."""
    return TRANSITIONS.get((state, action))


def allowed_actions(state: CaseState | None, role: Role | None = None) -> frozenset[Action]:
    """The actions the table allows from `state` (for `role`, when given)."""
    return frozenset(
        t.action
        for t in TRANSITIONS.values()
        if t.source == state and (role is None or role in t.roles)
    )
